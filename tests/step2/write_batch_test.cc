// WriteBatch: LevelDB's byte layout, iteration order, sequence numbers, and malformed input.
#include "step2_wal/write_batch.h"

#include <gtest/gtest.h>

#include "common/hexdump.h"

namespace lsm {
namespace {

// Prints a batch like "Put(foo, bar)@100 Delete(box)@101", or the Corruption.
std::string PrintContents(const WriteBatch& batch) {
  struct Printer : WriteBatch::Handler {
    std::string out;
    SequenceNumber seq = 0;
    void Put(std::string_view k, std::string_view v) override {
      out += fmt::format("{}Put({}, {})@{}", out.empty() ? "" : " ", k, v, seq++);
    }
    void Delete(std::string_view k) override {
      out += fmt::format("{}Delete({})@{}", out.empty() ? "" : " ", k, seq++);
    }
  } printer;
  printer.seq = batch.Sequence();
  Status s = batch.Iterate(&printer);
  if (!s.ok()) return printer.out + " " + s.ToString();
  return printer.out;
}

TEST(WriteBatch, EmptyBatchIsTwelveZeroBytes) {
  WriteBatch batch;
  EXPECT_EQ(std::string(12, '\0'), batch.Contents());
  EXPECT_EQ(0u, batch.Count());
  EXPECT_EQ(0u, batch.Sequence());
  EXPECT_EQ("", PrintContents(batch));
}

TEST(WriteBatch, GoldenBytes) {
  WriteBatch batch;
  batch.Put("foo", "bar");
  batch.Delete("box");
  batch.Put("baz", "boo");
  batch.SetSequence(100);
  EXPECT_EQ(
      "64 00 00 00 00 00 00 00 03 00 00 00 "  // sequence 100, count 3
      "01 03 66 6f 6f 03 62 61 72 "           // put foo bar
      "00 03 62 6f 78 "                       // delete box
      "01 03 62 61 7a 03 62 6f 6f",           // put baz boo
      HexBytes(batch.Contents()));
  EXPECT_EQ(3u, batch.Count());
  EXPECT_EQ("Put(foo, bar)@100 Delete(box)@101 Put(baz, boo)@102", PrintContents(batch));
  EXPECT_EQ(batch.Contents().size(), batch.ApproximateSize());
}

TEST(WriteBatch, RoundTripThroughSetContents) {
  WriteBatch a;
  a.Put(std::string("k\0ey", 4), std::string(300, 'v'));  // 300 needs a 2-byte varint
  a.Delete("");
  a.SetSequence((uint64_t{1} << 56) - 1);
  WriteBatch b;
  ASSERT_TRUE(b.SetContents(a.Contents()).ok());
  EXPECT_EQ(a.Contents(), b.Contents());
  EXPECT_EQ(a.Sequence(), b.Sequence());
  EXPECT_EQ(2u, b.Count());
}

TEST(WriteBatch, AppendKeepsOrderAndFirstSequence) {
  WriteBatch a, b;
  a.SetSequence(200);
  b.SetSequence(999);
  a.Put("a", "va");
  b.Put("b", "vb");
  b.Delete("foo");
  a.Append(b);
  EXPECT_EQ("Put(a, va)@200 Put(b, vb)@201 Delete(foo)@202", PrintContents(a));
  EXPECT_EQ(3u, a.Count());
  WriteBatch empty;
  a.Append(empty);
  EXPECT_EQ(3u, a.Count());
}

TEST(WriteBatch, ClearResetsEverything) {
  WriteBatch batch;
  batch.Put("x", "y");
  batch.SetSequence(7);
  batch.Clear();
  EXPECT_EQ(std::string(12, '\0'), batch.Contents());
}

TEST(WriteBatch, TooShortContentsAreCorruption) {
  WriteBatch batch;
  Status s = batch.SetContents("short");
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ("Corruption: malformed WriteBatch: 5 bytes, shorter than the 12-byte header",
            s.ToString());
}

TEST(WriteBatch, BadTagIsCorruption) {
  WriteBatch batch;
  batch.Put("a", "b");
  std::string rep(batch.Contents());
  rep[12] = 0x07;
  ASSERT_TRUE(batch.SetContents(rep).ok());
  EXPECT_EQ(" Corruption: WriteBatch: unknown tag 0x07 at offset 12", PrintContents(batch));
}

TEST(WriteBatch, CountMismatchIsCorruption) {
  WriteBatch batch;
  batch.Put("a", "b");
  std::string rep(batch.Contents());
  rep[8] = 2;  // claims two records
  ASSERT_TRUE(batch.SetContents(rep).ok());
  EXPECT_EQ("Put(a, b)@0 Corruption: WriteBatch: header says 2 records, found 1",
            PrintContents(batch));
}

TEST(WriteBatch, EveryTruncationIsCorruption) {
  WriteBatch batch;
  batch.Put("foo", "bar");
  batch.Delete("box");
  batch.Put("baz", std::string(200, 'q'));
  const std::string rep(batch.Contents());
  for (size_t len = WriteBatch::kHeaderSize; len < rep.size(); ++len) {
    WriteBatch cut;
    ASSERT_TRUE(cut.SetContents(rep.substr(0, len)).ok());
    struct Null : WriteBatch::Handler {
      void Put(std::string_view, std::string_view) override {}
      void Delete(std::string_view) override {}
    } null;
    EXPECT_TRUE(cut.Iterate(&null).IsCorruption()) << "len " << len;
  }
}

TEST(WriteBatch, FlippedBytesNeverCrash) {
  WriteBatch batch;
  batch.Put("foo", "bar");
  batch.Delete("box");
  const std::string rep(batch.Contents());
  for (size_t i = 0; i < rep.size(); ++i) {
    std::string damaged = rep;
    damaged[i] ^= static_cast<char>(0xff);
    WriteBatch b;
    ASSERT_TRUE(b.SetContents(damaged).ok());
    (void)PrintContents(b);  // any answer is fine, as long as it is an answer
  }
}

}  // namespace
}  // namespace lsm
