// WrittenBytes: the bytes this process has handed to write(2) so far (/proc/self/io "wchar") —
// log, tables and MANIFEST alike, measured the same way for every engine, so wchar / user bytes
// is an engine's write amplification including its log. 0 where /proc is not available.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>

namespace lsm::bench {

inline uint64_t WrittenBytes() {
  std::ifstream io("/proc/self/io");
  std::string name;
  uint64_t value = 0;
  while (io >> name >> value) {
    if (name == "wchar:") return value;
  }
  return 0;
}

}  // namespace lsm::bench
