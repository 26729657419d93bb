// Numbered file names, "NNNNNN.<ext>", and the one step 2 introduces: the log, "NNNNNN.log".
//
// Example:
//   LogFileName(dir, 12)               == dir / "000012.log"
//   NumberedFileName(dir, 7, "ldb")    == dir / "000007.ldb"
//   uint64_t n; std::string_view ext;
//   ParseNumberedFileName("000007.ldb.tmp", &n, &ext);   // true, n == 7, ext == "ldb.tmp"
//   ParseLogFileName("000012.log", &n);                  // true, n == 12
//
// The number is zero-padded to six digits when written (LevelDB's names) and read back at any
// width; the extension is everything after the first dot. Steps 3 and 4 list their directory
// with these; step 5's filename.h adds the MANIFEST, CURRENT and the other names.
// All functions are pure and thread-safe; parse functions take a name, not a path.
// Simplifications: none against LevelDB's names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace lsm {

// dir / "NNNNNN.<ext>" (at least six digits).
std::filesystem::path NumberedFileName(const std::filesystem::path& dir, uint64_t number,
                                       std::string_view ext);

// dir / "NNNNNN.log": a write-ahead log.
std::filesystem::path LogFileName(const std::filesystem::path& dir, uint64_t number);

// Parses a whole decimal number ("000012" -> 12); false on empty input, junk or overflow.
[[nodiscard]] bool ParseFileNumber(std::string_view digits, uint64_t* number);

// Parses "NNNNNN.<ext>" into (number, ext); false for any other name. `*ext` views `name`.
[[nodiscard]] bool ParseNumberedFileName(std::string_view name, uint64_t* number,
                                         std::string_view* ext);

// Parses "NNNNNN.log" into its number; false for any other name.
[[nodiscard]] bool ParseLogFileName(std::string_view name, uint64_t* number);

}  // namespace lsm
