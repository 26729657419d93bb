#include "common/coding.h"

#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "common/hexdump.h"

namespace lsm {
namespace {

TEST(Coding, Fixed32IsLittleEndian) {
  std::string s;
  PutFixed32(&s, 0x04030201);
  EXPECT_EQ(std::string("\x01\x02\x03\x04", 4), s);
  EXPECT_EQ(0x04030201u, DecodeFixed32(s.data()));
}

TEST(Coding, Fixed64IsLittleEndian) {
  std::string s;
  PutFixed64(&s, 0x0807060504030201ull);
  EXPECT_EQ(std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8), s);
  EXPECT_EQ(0x0807060504030201ull, DecodeFixed64(s.data()));
}

TEST(Coding, FixedRoundTripAtBoundaries) {
  std::string s;
  const std::vector<uint64_t> values = {0, 1, 0xff, 0x100, 0xffffffffull, 0x100000000ull,
                                        std::numeric_limits<uint64_t>::max()};
  for (uint64_t v : values) {
    PutFixed32(&s, static_cast<uint32_t>(v));
    PutFixed64(&s, v);
  }
  std::string_view in = s;
  for (uint64_t v : values) {
    uint32_t a;
    uint64_t b;
    ASSERT_TRUE(GetFixed32(&in, &a));
    ASSERT_TRUE(GetFixed64(&in, &b));
    EXPECT_EQ(static_cast<uint32_t>(v), a);
    EXPECT_EQ(v, b);
  }
  EXPECT_TRUE(in.empty());
  uint32_t x;
  EXPECT_FALSE(GetFixed32(&in, &x));
}

TEST(Coding, VarintGoldenBytes) {
  std::string s;
  PutVarint32(&s, 300);
  EXPECT_EQ("ac 02", HexBytes(s));
  s.clear();
  PutVarint32(&s, 127);
  EXPECT_EQ("7f", HexBytes(s));
  s.clear();
  PutVarint32(&s, 128);
  EXPECT_EQ("80 01", HexBytes(s));
  s.clear();
  PutVarint32(&s, 0xffffffffu);
  EXPECT_EQ("ff ff ff ff 0f", HexBytes(s));
  s.clear();
  PutVarint64(&s, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ("ff ff ff ff ff ff ff ff ff 01", HexBytes(s));
}

TEST(Coding, Varint32RoundTripEveryPowerBoundary) {
  std::string s;
  std::vector<uint32_t> values;
  for (int shift = 0; shift < 32; ++shift) {
    const uint32_t p = uint32_t{1} << shift;
    values.insert(values.end(), {p - 1, p, p + 1});
  }
  values.push_back(std::numeric_limits<uint32_t>::max());
  for (uint32_t v : values) PutVarint32(&s, v);
  std::string_view in = s;
  for (uint32_t v : values) {
    uint32_t got;
    ASSERT_TRUE(GetVarint32(&in, &got));
    EXPECT_EQ(v, got);
  }
  EXPECT_TRUE(in.empty());
}

TEST(Coding, Varint64RoundTripAndLength) {
  std::string s;
  std::vector<uint64_t> values = {0, 100, ~uint64_t{0}, ~uint64_t{0} - 1};
  for (int shift = 0; shift < 64; ++shift) {
    const uint64_t p = uint64_t{1} << shift;
    values.insert(values.end(), {p - 1, p, p + 1});
  }
  for (uint64_t v : values) {
    const size_t before = s.size();
    PutVarint64(&s, v);
    EXPECT_EQ(VarintLength(v), static_cast<int>(s.size() - before)) << v;
  }
  std::string_view in = s;
  for (uint64_t v : values) {
    uint64_t got;
    ASSERT_TRUE(GetVarint64(&in, &got));
    EXPECT_EQ(v, got);
  }
}

TEST(Coding, Varint32OverflowIsRejected) {
  std::string_view in("\x81\x82\x83\x84\x85\x11", 6);  // 6 bytes: too long for 32 bits
  uint32_t v;
  EXPECT_FALSE(GetVarint32(&in, &v));
}

TEST(Coding, TruncatedVarintIsRejected) {
  std::string s;
  PutVarint64(&s, uint64_t{1} << 40);
  for (size_t len = 0; len < s.size(); ++len) {
    std::string_view in(s.data(), len);
    uint64_t v;
    EXPECT_FALSE(GetVarint64(&in, &v)) << "len " << len;
  }
}

TEST(Coding, LengthPrefixedRoundTrip) {
  std::string s;
  PutLengthPrefixed(&s, "");
  PutLengthPrefixed(&s, "foo");
  PutLengthPrefixed(&s, std::string(200, 'x'));
  std::string_view in = s, v;
  ASSERT_TRUE(GetLengthPrefixed(&in, &v));
  EXPECT_EQ("", v);
  ASSERT_TRUE(GetLengthPrefixed(&in, &v));
  EXPECT_EQ("foo", v);
  ASSERT_TRUE(GetLengthPrefixed(&in, &v));
  EXPECT_EQ(std::string(200, 'x'), v);
  EXPECT_FALSE(GetLengthPrefixed(&in, &v));
}

TEST(Coding, LengthPrefixedPastEndIsRejected) {
  std::string s;
  PutVarint32(&s, 10);
  s += "short";
  std::string_view in = s, v;
  EXPECT_FALSE(GetLengthPrefixed(&in, &v));
}

TEST(Coding, EscapeBytes) {
  EXPECT_EQ("ab\\x00\\xff\\x5c", EscapeBytes(std::string("ab\0\xff\\", 5)));
}

TEST(HexDump, GoldenLayout) {
  EXPECT_EQ("000010: 61 62 63 00 ff                                   abc..\n",
            HexDump(std::string("abc\0\xff", 5), 16));
}

}  // namespace
}  // namespace lsm
