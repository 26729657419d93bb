// Hex dumps for the narrating executables and the dump tools: 16 bytes a line, the offset on
// the left and printable ASCII on the right, like `xxd`.
//
//   000000: f2 70 e8 9d 03 00 01 61 62 63                    .p.....abc
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lsm {

// Returns the dump of bytes, numbering lines from base_offset.
std::string HexDump(std::string_view bytes, uint64_t base_offset = 0);

// Returns the bytes as space-separated hex pairs on one line: "1c 9c 4f".
std::string HexBytes(std::string_view bytes);

}  // namespace lsm
