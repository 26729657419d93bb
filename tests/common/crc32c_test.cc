#include "common/crc32c.h"

#include <string>

#include <gtest/gtest.h>

namespace lsm::crc32c {
namespace {

// Standard results from RFC 3720 section B.4.
TEST(CRC32C, StandardVectors) {
  std::string buf(32, '\0');
  EXPECT_EQ(0x8a9136aau, Value(buf));
  buf.assign(32, '\xff');
  EXPECT_EQ(0x62a8ab43u, Value(buf));
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(i);
  EXPECT_EQ(0x46dd794eu, Value(buf));
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(31 - i);
  EXPECT_EQ(0x113fdb5cu, Value(buf));
}

TEST(CRC32C, DiffersForDifferentData) {
  EXPECT_NE(Value("a"), Value("foo"));
}

TEST(CRC32C, ExtendEqualsWholeValueAtEverySplit) {
  const std::string data = "hello world, this is a longer string to cross 8-byte words";
  for (size_t split = 0; split <= data.size(); ++split) {
    EXPECT_EQ(Value(data), Extend(Value(data.data(), split), data.data() + split,
                                  data.size() - split))
        << "split " << split;
  }
}

TEST(CRC32C, MaskRoundTripAndChangesValue) {
  const uint32_t crc = Value("foo");
  EXPECT_NE(crc, Mask(crc));
  EXPECT_NE(crc, Mask(Mask(crc)));
  EXPECT_EQ(crc, Unmask(Mask(crc)));
  EXPECT_EQ(crc, Unmask(Unmask(Mask(Mask(crc)))));
}

}  // namespace
}  // namespace lsm::crc32c
