// Compatibility with the real LevelDB 1.23 (Debian libleveldb-dev): our tables open in
// leveldb::Table, LevelDB's tables open in our TableReader, our bloom filters equal LevelDB's
// byte for byte — and for the same input, our table file equals LevelDB's byte for byte.
#include <map>

#include <gtest/gtest.h>
#include <leveldb/env.h>
#include <leveldb/filter_policy.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/table.h>
#include <leveldb/table_builder.h>

#include "common/random.h"
#include "step4_sstable/table_builder.h"
#include "step4_sstable/table_reader.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

using Model = std::map<std::string, std::string>;

struct Config {
  const char* name;
  bool bloom;
  bool snappy;
  size_t block_size;
};

void PrintTo(const Config& c, std::ostream* os) { *os << c.name; }

const Config kConfigs[] = {
    {"plain", false, false, 4096},
    {"bloom", true, false, 4096},
    {"snappy", false, true, 4096},
    {"bloom_snappy_small_blocks", true, true, 512},
};

Model TestModel(uint64_t seed, int n) {
  Model m;
  Random rnd(seed);
  ValueGenerator values(seed);
  for (int i = 0; i < n; ++i) m[MakeKey(rnd.Uniform(1000000))] = std::string(values.Next(100));
  m[std::string("\0\x01", 2)] = "binary";
  m["\xff\xfe"] = std::string(10000, 'x');
  return m;
}

class LevelDBCompatTest : public testing::TestWithParam<Config> {
 protected:
  void SetUp() override {
    if (GetParam().snappy && !SnappySupported()) GTEST_SKIP() << "built without snappy";
    bloom_ = NewBloomFilterPolicy(10);
    ldb_bloom_.reset(leveldb::NewBloomFilterPolicy(10));
    ours_ = TableOptions{.block_size = GetParam().block_size,
                         .compression = GetParam().snappy ? CompressionType::kSnappy
                                                          : CompressionType::kNone,
                         .filter_policy = GetParam().bloom ? bloom_.get() : nullptr};
    theirs_.block_size = GetParam().block_size;
    theirs_.compression = GetParam().snappy ? leveldb::kSnappyCompression
                                            : leveldb::kNoCompression;
    theirs_.filter_policy = GetParam().bloom ? ldb_bloom_.get() : nullptr;
    model_ = TestModel(7, 3000);
  }

  std::string WriteOurs() {
    const auto path = dir_ / "ours.ldb";
    std::unique_ptr<WritableFile> file;
    EXPECT_TRUE(FileSystem::Default()->NewWritableFile(path, &file).ok());
    TableBuilder builder(ours_, file.get());
    for (const auto& [k, v] : model_) builder.Add(k, v);
    EXPECT_TRUE(builder.Finish().ok());
    EXPECT_TRUE(file->Close().ok());
    return path.string();
  }

  std::string WriteTheirs() {
    const std::string path = (dir_ / "theirs.ldb").string();
    leveldb::WritableFile* file = nullptr;
    EXPECT_TRUE(leveldb::Env::Default()->NewWritableFile(path, &file).ok());
    {
      leveldb::TableBuilder builder(theirs_, file);
      for (const auto& [k, v] : model_) builder.Add(k, v);
      EXPECT_TRUE(builder.Finish().ok());
    }
    EXPECT_TRUE(file->Close().ok());
    delete file;
    return path;
  }

  testutil::TempDir dir_;
  std::unique_ptr<const FilterPolicy> bloom_;
  std::unique_ptr<const leveldb::FilterPolicy> ldb_bloom_;
  TableOptions ours_;
  leveldb::Options theirs_;
  Model model_;
};

TEST_P(LevelDBCompatTest, LevelDBReadsOurTable) {
  const std::string path = WriteOurs();
  leveldb::Env* env = leveldb::Env::Default();
  uint64_t size = 0;
  ASSERT_TRUE(env->GetFileSize(path, &size).ok());
  leveldb::RandomAccessFile* file = nullptr;
  ASSERT_TRUE(env->NewRandomAccessFile(path, &file).ok());
  std::unique_ptr<leveldb::RandomAccessFile> file_owner(file);
  leveldb::Table* raw = nullptr;
  leveldb::Status s = leveldb::Table::Open(theirs_, file, size, &raw);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::unique_ptr<leveldb::Table> table(raw);
  leveldb::ReadOptions ro;
  ro.verify_checksums = true;
  std::unique_ptr<leveldb::Iterator> it(table->NewIterator(ro));
  Model read;
  for (it->SeekToFirst(); it->Valid(); it->Next()) read[it->key().ToString()] = it->value().ToString();
  ASSERT_TRUE(it->status().ok()) << it->status().ToString();
  EXPECT_EQ(model_, read);
  for (const auto& [k, v] : model_) {
    it->Seek(k);
    ASSERT_TRUE(it->Valid());
    ASSERT_EQ(k, it->key().ToString());
    ASSERT_EQ(v, it->value().ToString());
  }
}

TEST_P(LevelDBCompatTest, WeReadLevelDBTable) {
  const std::string path = WriteTheirs();
  FileSystem* fs = FileSystem::Default();
  std::unique_ptr<RandomAccessFile> file;
  uint64_t size = 0;
  ASSERT_TRUE(fs->NewRandomAccessFile(path, &file).ok());
  ASSERT_TRUE(fs->GetFileSize(path, &size).ok());
  std::unique_ptr<TableReader> table;
  Status s = TableReader::Open(ours_, std::move(file), size, &table);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(GetParam().bloom, table->has_filter());
  Model read;
  auto it = table->NewIterator();
  for (it->SeekToFirst(); it->Valid(); it->Next()) read.emplace(it->key(), it->value());
  ASSERT_TRUE(it->status().ok()) << it->status().ToString();
  EXPECT_EQ(model_, read);
  for (const auto& [k, v] : model_) {
    std::string value;
    ASSERT_TRUE(table->Get(k, &value).ok());
    ASSERT_EQ(v, value);
  }
  int skips = 0;
  for (int i = 0; i < 200; ++i) {
    std::string value;
    GetTrace trace;
    ASSERT_TRUE(table->Get(MakeKey(i) + "!", &value, &trace).IsNotFound());
    skips += trace.filter_skipped;
  }
  if (GetParam().bloom) {
    EXPECT_GE(skips, 190);  // LevelDB's filter works for us
  }
}

TEST_P(LevelDBCompatTest, ByteIdenticalToLevelDB) {
  std::string ours, theirs;
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), WriteOurs(), &ours).ok());
  ASSERT_TRUE(ReadFileToString(FileSystem::Default(), WriteTheirs(), &theirs).ok());
  ASSERT_EQ(theirs.size(), ours.size());
  EXPECT_TRUE(ours == theirs) << "same size, different bytes";
}

INSTANTIATE_TEST_SUITE_P(Configs, LevelDBCompatTest, testing::ValuesIn(kConfigs),
                         [](const auto& info) { return std::string(info.param.name); });

// Bloom filter bytes equal LevelDB's for many key sets (including bytes >= 0x80, which
// exercise the hash's unsigned tail).
TEST(LevelDBBloomCompat, IdenticalFilterBytes) {
  auto ours = NewBloomFilterPolicy(10);
  std::unique_ptr<const leveldb::FilterPolicy> theirs(leveldb::NewBloomFilterPolicy(10));
  Random rnd(2024);
  for (int n : {0, 1, 2, 7, 100, 1000}) {
    for (int bits : {10}) {
      (void)bits;
      std::vector<std::string> keys;
      for (int i = 0; i < n; ++i) keys.push_back(rnd.Bytes(rnd.Uniform(20)));
      std::vector<std::string_view> views(keys.begin(), keys.end());
      std::vector<leveldb::Slice> slices(keys.begin(), keys.end());
      std::string a, b;
      ours->CreateFilter(views, &a);
      theirs->CreateFilter(slices.data(), n, &b);
      ASSERT_EQ(b, a) << "n=" << n;
      for (int i = 0; i < 200; ++i) {
        const std::string probe = rnd.Bytes(rnd.Uniform(20));
        ASSERT_EQ(theirs->KeyMayMatch(probe, b), ours->KeyMayMatch(probe, a));
      }
    }
  }
  for (int bits : {1, 2, 5, 20, 50}) {
    auto o = NewBloomFilterPolicy(bits);
    std::unique_ptr<const leveldb::FilterPolicy> t(leveldb::NewBloomFilterPolicy(bits));
    std::vector<std::string> keys;
    for (int i = 0; i < 50; ++i) keys.push_back(MakeKey(i));
    std::vector<std::string_view> views(keys.begin(), keys.end());
    std::vector<leveldb::Slice> slices(keys.begin(), keys.end());
    std::string a, b;
    o->CreateFilter(views, &a);
    t->CreateFilter(slices.data(), 50, &b);
    EXPECT_EQ(b, a) << "bits=" << bits;
  }
}

}  // namespace
}  // namespace lsm
