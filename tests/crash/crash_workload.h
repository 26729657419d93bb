// The crash loop's workload, shared by the writer (crash_writer.cc) and the verifier
// (crash_loop_test.cc) so both know exactly what operation i wrote.
//
// Operation i is one WriteBatch, written with sync = true:
//   i % 17 == 0  delete one key
//   otherwise    put 1-3 distinct keys; each value starts with "<i>:<j>:" and a payload
//                whose length (50..449 bytes) and bytes depend only on (i, j)
// Keys are "key00000".."key<K-1>", so later operations overwrite earlier ones and the tiny
// memtable (16 KiB) flushes every few dozen operations and level 0 compacts every ~100.
//
// Thread-safety: pure functions. Simplifications: one writer thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "step5_lsm/options.h"

namespace lsm::crash {

inline constexpr uint64_t kKeys = 400;

// (key, value) pairs of operation i; a nullopt value is a delete.
using Op = std::vector<std::pair<std::string, std::optional<std::string>>>;

inline std::string KeyName(uint64_t k) { return fmt::format("key{:05d}", k); }

inline Op OpAt(uint64_t i) {
  Op op;
  if (i % 17 == 0) {
    op.emplace_back(KeyName((i * 7919) % kKeys), std::nullopt);
    return op;
  }
  const uint64_t n = 1 + i % 3;
  for (uint64_t j = 0; j < n; ++j) {
    const uint64_t k = (i * 7919 + j * 131) % kKeys;  // distinct for j < 3 since 131*2 < kKeys
    std::string value = fmt::format("{}:{}:", i, j);
    const size_t len = 50 + (i * 31 + j * 7) % 400;
    for (size_t b = 0; b < len; ++b) value.push_back(static_cast<char>('a' + (i + j + b) % 26));
    op.emplace_back(KeyName(k), std::move(value));
  }
  return op;
}

// The options both processes open the DB with: small buffers so flushes and compactions run
// all the time, paranoid checks on.
// The writer and the verifier open the database with the same options (and style).
inline Options CrashOptions(CompactionStyle style = CompactionStyle::kLeveled) {
  return Options{.create_if_missing = true,
                 .paranoid_checks = true,
                 .write_buffer_size = 16 * 1024,
                 .max_open_files = 50,
                 .block_cache_bytes = 64 * 1024,
                 .block_size = 1024,
                 .compaction_style = style};
}

}  // namespace lsm::crash
