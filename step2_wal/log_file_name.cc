#include "step2_wal/log_file_name.h"

#include <charconv>

#include <fmt/format.h>

namespace lsm {

std::filesystem::path NumberedFileName(const std::filesystem::path& dir, uint64_t number,
                                       std::string_view ext) {
  return dir / fmt::format("{:06d}.{}", number, ext);
}

std::filesystem::path LogFileName(const std::filesystem::path& dir, uint64_t number) {
  return NumberedFileName(dir, number, "log");
}

bool ParseFileNumber(std::string_view digits, uint64_t* number) {
  if (digits.empty()) return false;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *number);
  return ec == std::errc() && end == digits.data() + digits.size();
}

bool ParseNumberedFileName(std::string_view name, uint64_t* number, std::string_view* ext) {
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos || !ParseFileNumber(name.substr(0, dot), number)) {
    return false;
  }
  *ext = name.substr(dot + 1);
  return true;
}

bool ParseLogFileName(std::string_view name, uint64_t* number) {
  std::string_view ext;
  return ParseNumberedFileName(name, number, &ext) && ext == "log";
}

}  // namespace lsm
