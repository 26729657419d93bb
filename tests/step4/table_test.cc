// TableBuilder + TableReader: round trips against std::map, iterator seeks, internal keys,
// filter skips, the block cache, ApproximateOffsetOf, and files on disk.
#include <map>

#include <gtest/gtest.h>

#include "common/coding.h"
#include "common/random.h"
#include "step3_memtable/internal_key.h"
#include "step4_sstable/table_builder.h"
#include "step4_sstable/table_reader.h"
#include "tests/step4/table_test_util.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

using Model = std::map<std::string, std::string>;
using testutil::BuildTable;
using testutil::OpenTable;

Model ScanAll(const TableReader& table) {
  Model out;
  auto it = table.NewIterator();
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    EXPECT_TRUE(out.emplace(it->key(), it->value()).second) << "duplicate key";
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return out;
}

Model RandomModel(uint64_t seed, int n, size_t key_len, size_t max_value) {
  Random rnd(seed);
  Model m;
  while (static_cast<int>(m.size()) < n) m[rnd.Bytes(rnd.Uniform(key_len) + 1)] = rnd.Bytes(rnd.Uniform(max_value + 1));
  return m;
}

// Checks every way of reading `model` back from a table built with `options`.
void CheckRoundTrip(const TableOptions& options, const Model& model) {
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, BuildTable(options, model), &table).ok());
  EXPECT_EQ(model, ScanAll(*table));
  for (const auto& [k, v] : model) {
    std::string value;
    ASSERT_TRUE(table->Get(k, &value).ok()) << EscapeBytes(k);
    ASSERT_EQ(v, value);
  }
  // Backwards.
  auto it = table->NewIterator();
  auto expect = model.rbegin();
  for (it->SeekToLast(); it->Valid(); it->Prev(), ++expect) {
    ASSERT_NE(expect, model.rend());
    ASSERT_EQ(expect->first, it->key());
  }
  EXPECT_EQ(expect, model.rend());
  // Seeks to every key, just after it, and the ends.
  for (const auto& [k, v] : model) {
    it->Seek(k);
    ASSERT_TRUE(it->Valid());
    ASSERT_EQ(k, it->key());
    ASSERT_EQ(v, it->value());
    it->Seek(k + std::string(1, '\0'));
    auto next = model.upper_bound(k);
    ASSERT_EQ(next != model.end(), it->Valid());
    if (it->Valid()) {
      ASSERT_EQ(next->first, it->key());
    }
  }
  it->Seek("");
  ASSERT_EQ(!model.empty(), it->Valid());
  it->Seek(std::string(40, '\xff'));
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
}

TEST(Table, EmptyTable) {
  TableOptions options;
  const std::string file = BuildTable(options, {});
  // Empty metaindex block + empty index block, each 8 bytes + trailer, then the footer.
  EXPECT_EQ(13u + 13u + 48u, file.size());
  CheckRoundTrip(options, {});
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, file, &table).ok());
  std::string v;
  EXPECT_TRUE(table->Get("a", &v).IsNotFound());
}

TEST(Table, RoundTripsForManySizes) {
  auto bloom = NewBloomFilterPolicy(10);
  for (int n : {1, 2, 50, 1000, 5000}) {
    for (bool filter : {false, true}) {
      SCOPED_TRACE(testing::Message() << "n=" << n << " filter=" << filter << " seed=" << n);
      TableOptions options{.filter_policy = filter ? bloom.get() : nullptr};
      CheckRoundTrip(options, RandomModel(n, n, 16, 100));
    }
  }
}

TEST(Table, ExactlyOneBlock) {
  // 16-byte keys, 100-byte values: 3 + 16 + 100 = 119 bytes an entry (no sharing at a restart).
  Model m;
  for (int i = 0; i < 30; ++i) m[MakeKey(i)] = std::string(100, 'v');
  TableOptions options;
  std::string out;
  testutil::StringSink sink(&out);
  TableBuilder builder(options, &sink);
  for (const auto& [k, v] : m) builder.Add(k, v);
  ASSERT_TRUE(builder.Finish().ok());
  EXPECT_EQ(1u, builder.NumDataBlocks());
  EXPECT_EQ(30u, builder.NumEntries());
  EXPECT_EQ(out.size(), builder.FileSize());
  CheckRoundTrip(options, m);
}

TEST(Table, LongSharedPrefixesBinaryKeysAndLargeValues) {
  Model m;
  Random rnd(42);
  const std::string prefix(1000, 'p');
  for (int i = 0; i < 200; ++i) m[prefix + rnd.Bytes(8)] = rnd.Bytes(50);
  m[std::string("\0", 1)] = "nul";
  m["\xff\xff\xff"] = rnd.Bytes(20000);  // larger than a block
  m["big"] = rnd.Bytes(100000);
  TableOptions options{.block_size = 1024};
  CheckRoundTrip(options, m);
}

TEST(Table, SnappyRoundTrip) {
  if (!SnappySupported()) GTEST_SKIP() << "built without snappy";
  Model m;
  for (int i = 0; i < 2000; ++i) m[MakeKey(i)] = std::string(100, static_cast<char>('a' + i % 26));
  TableOptions plain;
  TableOptions snappy{.compression = CompressionType::kSnappy};
  EXPECT_LT(BuildTable(snappy, m).size(), BuildTable(plain, m).size() / 4);
  CheckRoundTrip(snappy, m);
  // Incompressible data stays raw (snappy would not save 12.5%).
  Model random = RandomModel(9, 200, 16, 200);
  CheckRoundTrip(snappy, random);
}

TEST(Table, GetUsesFilterAndTouchesOneBlock) {
  auto bloom = NewBloomFilterPolicy(10);
  Model m;
  for (int i = 0; i < 1000; i += 2) m[MakeKey(i)] = "v" + std::to_string(i);
  TableOptions options{.filter_policy = bloom.get()};
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, BuildTable(options, m), &table).ok());
  ASSERT_TRUE(table->has_filter());

  std::string v;
  GetTrace trace;
  ASSERT_TRUE(table->Get(MakeKey(500), &v, &trace).ok());
  EXPECT_EQ("v500", v);
  EXPECT_TRUE(trace.block_touched);
  EXPECT_FALSE(trace.filter_skipped);
  EXPECT_EQ(table->ApproximateOffsetOf(MakeKey(500)), trace.block_offset);

  int skipped = 0;
  for (int i = 1; i < 1000; i += 2) {
    GetTrace t;
    ASSERT_TRUE(table->Get(MakeKey(i), &v, &t).IsNotFound());
    skipped += t.filter_skipped;
  }
  EXPECT_GE(skipped, 480);  // ~1% false positives of 500
  EXPECT_EQ(static_cast<uint64_t>(skipped), table->filter_skips());
}

TEST(Table, FilterOfAnotherPolicyIsIgnored) {
  auto bloom = NewBloomFilterPolicy(10);
  Model m = RandomModel(3, 100, 8, 10);
  TableOptions writer{.filter_policy = bloom.get()};
  TableOptions reader;  // no policy: the filter is not loaded, reads still work
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(reader, BuildTable(writer, m), &table).ok());
  EXPECT_FALSE(table->has_filter());
  EXPECT_EQ(m, ScanAll(*table));
}

TEST(Table, BlockCacheServesRepeatReads) {
  BlockCache cache(1 << 20);
  Model m = RandomModel(5, 2000, 16, 100);
  TableOptions options{.block_cache = &cache};
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, BuildTable(options, m), &table).ok());
  std::string v;
  GetTrace first, second;
  ASSERT_TRUE(table->Get(m.begin()->first, &v, &first).ok());
  ASSERT_TRUE(table->Get(m.begin()->first, &v, &second).ok());
  EXPECT_FALSE(first.cache_hit);
  EXPECT_TRUE(second.cache_hit);
  EXPECT_EQ(1u, table->blocks_read());
  EXPECT_EQ(1u, table->cache_hits());
  EXPECT_EQ(m, ScanAll(*table));
  EXPECT_GT(cache.TotalCharge(), 0u);
  TableReadOptions no_fill{.fill_cache = false};
  auto it = table->NewIterator(no_fill);
  it->SeekToLast();
  EXPECT_TRUE(it->Valid());
}

TEST(Table, ApproximateOffsetOfGrowsWithKeys) {
  Model m;
  Random rnd(1);
  for (int i = 0; i < 100; ++i) m[MakeKey(i)] = rnd.Bytes(1000);
  TableOptions options;
  const std::string file = BuildTable(options, m);
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, file, &table).ok());
  EXPECT_EQ(0u, table->ApproximateOffsetOf(""));
  uint64_t prev = 0;
  for (int i = 0; i < 100; i += 10) {
    const uint64_t off = table->ApproximateOffsetOf(MakeKey(i));
    EXPECT_GE(off, prev);
    EXPECT_NEAR(static_cast<double>(i) * 1024, static_cast<double>(off), 5000.0);
    prev = off;
  }
  EXPECT_GT(table->ApproximateOffsetOf("z"), 100u * 1000);
  EXPECT_LT(table->ApproximateOffsetOf("z"), file.size());
}

// Internal keys: several versions per user key, the filter built over user keys.
TEST(Table, InternalKeysWithInternalComparator) {
  InternalKeyComparator icmp(BytewiseComparator());
  auto bloom = NewBloomFilterPolicy(10);
  InternalFilterPolicy ipolicy(bloom.get());
  TableOptions options{.comparator = &icmp, .filter_policy = &ipolicy};
  std::string out;
  testutil::StringSink sink(&out);
  TableBuilder builder(options, &sink);
  for (int i = 0; i < 500; ++i) {
    for (SequenceNumber seq : {30u, 20u, 10u}) {  // newest first within a user key
      std::string ikey;
      AppendInternalKey(&ikey, MakeKey(i), seq + i, seq == 20 ? ValueType::kDeletion : ValueType::kValue);
      builder.Add(ikey, fmt::format("{}@{}", i, seq));
    }
  }
  ASSERT_TRUE(builder.Finish().ok());
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, out, &table).ok());
  ASSERT_TRUE(table->has_filter());
  for (int i = 0; i < 500; i += 7) {
    // A snapshot at 25 + i sees the deletion at 20 + i.
    LookupKey lk(MakeKey(i), 25 + i);
    std::string found, user_key;
    ParsedInternalKey parsed;
    ASSERT_TRUE(table->Get(TableReadOptions{}, lk.internal_key(), [&](std::string_view k, std::string_view v) {
      ASSERT_TRUE(ParseInternalKey(k, &parsed));
      user_key.assign(parsed.user_key);  // k is valid only during the callback
      found.assign(v);
    }).ok());
    EXPECT_EQ(MakeKey(i), user_key);
    EXPECT_EQ(ValueType::kDeletion, parsed.type);
    EXPECT_EQ(fmt::format("{}@20", i), found);
  }
  // A missing user key at any sequence is skipped by the filter (almost always).
  int skips = 0;
  for (int i = 0; i < 100; ++i) {
    LookupKey lk(MakeKey(i) + "x", kMaxSequenceNumber);
    GetTrace trace;
    ASSERT_TRUE(table->Get(TableReadOptions{}, lk.internal_key(), [](auto, auto) {}, &trace).ok());
    skips += trace.filter_skipped;
  }
  EXPECT_GE(skips, 95);
}

TEST(Table, OnDiskThroughTheFileSystem) {
  testutil::TempDir dir;
  FileSystem* fs = FileSystem::Default();
  const auto path = dir / "000005.ldb";
  Model m = RandomModel(11, 3000, 20, 50);
  TableOptions options;
  {
    std::unique_ptr<WritableFile> file;
    ASSERT_TRUE(fs->NewWritableFile(path, &file).ok());
    TableBuilder builder(options, file.get());
    for (const auto& [k, v] : m) builder.Add(k, v);
    ASSERT_TRUE(builder.Finish().ok());
    ASSERT_TRUE(file->Sync().ok());
    ASSERT_TRUE(file->Close().ok());
  }
  std::unique_ptr<RandomAccessFile> file;
  uint64_t size = 0;
  ASSERT_TRUE(fs->NewRandomAccessFile(path, &file).ok());
  ASSERT_TRUE(fs->GetFileSize(path, &size).ok());
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(TableReader::Open(options, std::move(file), size, &table).ok());
  EXPECT_EQ(m, ScanAll(*table));
}

TEST(Table, AbandonWritesNoFooter) {
  std::string out;
  testutil::StringSink sink(&out);
  TableBuilder builder(TableOptions{}, &sink);
  builder.Add("a", "1");
  builder.Abandon();
  std::unique_ptr<TableReader> table;
  EXPECT_TRUE(OpenTable(TableOptions{}, out, &table).IsCorruption());
}

}  // namespace
}  // namespace lsm
