#include "demo/command_line.h"

#include <fmt/format.h>

namespace lsm::demo {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

Status SplitCommandLine(std::string_view line, std::vector<std::string>* words) {
  words->clear();
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && IsBlank(line[i])) ++i;
    if (i == n || line[i] == '#') return Status::OK();
    std::string word;
    bool in_quotes = false;
    size_t quote_start = 0;
    while (i < n && (in_quotes || !IsBlank(line[i]))) {
      const char c = line[i];
      if (c == '"') {
        if (!in_quotes) quote_start = i;
        in_quotes = !in_quotes;
        ++i;
        continue;
      }
      if (c != '\\') {
        word.push_back(c);
        ++i;
        continue;
      }
      // An escape: i is at the backslash.
      if (i + 1 >= n) {
        return Status::InvalidArgument("dangling backslash at column {}", i + 1);
      }
      const char e = line[i + 1];
      switch (e) {
        case 'n': word.push_back('\n'); i += 2; break;
        case 't': word.push_back('\t'); i += 2; break;
        case '\\': word.push_back('\\'); i += 2; break;
        case '"': word.push_back('"'); i += 2; break;
        case 'x': {
          const int hi = i + 2 < n ? HexValue(line[i + 2]) : -1;
          const int lo = i + 3 < n ? HexValue(line[i + 3]) : -1;
          if (hi < 0 || lo < 0) {
            return Status::InvalidArgument("bad \\x escape at column {} (want two hex digits)",
                                           i + 1);
          }
          word.push_back(static_cast<char>(hi * 16 + lo));
          i += 4;
          break;
        }
        default:
          return Status::InvalidArgument("unknown escape \\{} at column {}", e, i + 1);
      }
    }
    if (in_quotes) return Status::InvalidArgument("unterminated quote at column {}", quote_start + 1);
    words->push_back(std::move(word));
  }
}

std::string QuoteWord(std::string_view bytes) {
  bool plain = !bytes.empty() && bytes[0] != '#';
  for (unsigned char c : bytes) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') plain = false;
  }
  if (plain) return std::string(bytes);
  std::string out = "\"";
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace lsm::demo
