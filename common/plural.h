// Plural: "1 file", "3 files", "1 entry", "2 entries" — a count with its noun, for the
// messages the tools and the engine print.
//
// Example:
//   fmt::print("({})\n", Plural(n, "key"));                 // "(1 key)", "(3 keys)"
//   fmt::print("{}\n", Plural(n, "entry", "entries"));      // irregular plural
//
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace lsm {

// "<n> <singular>" when n == 1, else "<n> <plural>" (plural defaults to singular + "s").
inline std::string Plural(uint64_t n, std::string_view singular, std::string_view plural = {}) {
  if (n == 1) return fmt::format("1 {}", singular);
  if (plural.empty()) return fmt::format("{} {}s", n, singular);
  return fmt::format("{} {}", n, plural);
}

}  // namespace lsm
