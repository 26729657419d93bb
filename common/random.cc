#include "common/random.h"

#include <cassert>

#include <fmt/format.h>

namespace lsm {

std::string Random::Bytes(size_t n) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(Next() & 0xff);
  return s;
}

std::string MakeKey(uint64_t i) { return fmt::format("{:016d}", i); }

ValueGenerator::ValueGenerator(uint64_t seed) {
  Random rnd(seed);
  constexpr size_t kSize = 2 * 1024 * 1024;  // > 1 MiB so any value fits at any offset
  data_.reserve(kSize + 100);
  while (data_.size() < kSize) {
    std::string piece(50, ' ');
    for (auto& c : piece) c = static_cast<char>(' ' + rnd.Uniform(95));
    data_ += piece;
    data_ += piece;  // the repeated half: compresses about 2:1
  }
}

std::string_view ValueGenerator::Next(size_t len) {
  assert(len <= 1024 * 1024);
  if (pos_ + len > data_.size()) pos_ = 0;
  std::string_view v(data_.data() + pos_, len);
  pos_ += len;
  return v;
}

}  // namespace lsm
