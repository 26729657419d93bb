#include "common/hexdump.h"

#include <fmt/format.h>

namespace lsm {

std::string HexDump(std::string_view bytes, uint64_t base_offset) {
  std::string out;
  for (size_t line = 0; line < bytes.size(); line += 16) {
    auto chunk = bytes.substr(line, 16);
    out += fmt::format("{:06x}: ", base_offset + line);
    for (size_t i = 0; i < 16; ++i) {
      if (i < chunk.size()) {
        out += fmt::format("{:02x} ", static_cast<unsigned char>(chunk[i]));
      } else {
        out += "   ";
      }
    }
    out += ' ';
    for (unsigned char c : chunk) out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
    out += '\n';
  }
  return out;
}

std::string HexBytes(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) out += ' ';
    out += fmt::format("{:02x}", static_cast<unsigned char>(bytes[i]));
  }
  return out;
}

}  // namespace lsm
