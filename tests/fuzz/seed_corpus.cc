// seed_corpus: writes the fuzz targets' seed inputs with our own writers (WalWriter,
// BlockBuilder, TableBuilder, VersionEdit, WriteBatch), so the fuzzers start from valid
// files and mutate from there.
//
//   fuzz_seed_corpus --out=tests/fuzz/corpus
//
// writes <out>/<target>/seed-N files of a few hundred bytes to a few KB each. Deterministic.
#include <memory>
#include <string>

#include "common/flags.h"
#include "common/main_guard.h"
#include "step2_wal/wal_writer.h"
#include "step2_wal/write_batch.h"
#include "step4_sstable/block_builder.h"
#include "step4_sstable/filter_policy.h"
#include "step4_sstable/table_builder.h"
#include "step5_lsm/version_edit.h"

namespace lsm {
namespace {

Status Write(const std::filesystem::path& dir, const std::string& name, std::string_view bytes) {
  FileSystem* fs = FileSystem::Default();
  Status s = fs->CreateDir(dir);
  if (s.ok()) s = WriteStringToFile(fs, bytes, dir / name, /*sync=*/false);
  return s;
}

// A file's bytes, written through a WritableFile into a temp path and read back.
template <typename Fn>
Status Capture(const std::filesystem::path& tmp, Fn fill, std::string* out) {
  FileSystem* fs = FileSystem::Default();
  std::unique_ptr<WritableFile> file;
  Status s = fs->NewWritableFile(tmp, &file);
  if (s.ok()) s = fill(file.get());
  if (s.ok()) s = file->Close();
  if (s.ok()) s = ReadFileToString(fs, tmp, out);
  (void)fs->RemoveFile(tmp);
  return s;
}

WriteBatch SampleBatch(int n, int seq) {
  WriteBatch b;
  b.SetSequence(seq);
  for (int i = 0; i < n; ++i) {
    if (i % 4 == 3) {
      b.Delete(fmt::format("key{:03d}", i));
    } else {
      b.Put(fmt::format("key{:03d}", i), std::string(i * 3 % 50, static_cast<char>('a' + i % 26)));
    }
  }
  return b;
}

Status Run(const std::filesystem::path& out) {
  Status s;
  // write_batch_fuzz: batches' raw bytes.
  for (int i = 0; i < 4 && s.ok(); ++i) {
    s = Write(out / "write_batch_fuzz", fmt::format("seed-{}", i), SampleBatch(i * 3, 100 + i).Contents());
  }
  // log_reader_fuzz: mode byte (checksums on) + a log of batches, one with a large record.
  for (int i = 0; i < 3 && s.ok(); ++i) {
    std::string log;
    s = Capture(out / "tmp.log", [&](WritableFile* f) {
      WalWriter w(f);
      Status t;
      for (int r = 0; r < 4 + i && t.ok(); ++r) t = w.AddRecord(SampleBatch(r + 1, r).Contents());
      if (t.ok() && i == 2) t = w.AddRecord(std::string(3000, 'x'));
      return t;
    }, &log);
    if (s.ok()) s = Write(out / "log_reader_fuzz", fmt::format("seed-{}", i), std::string(1, '\x01') + log);
  }
  // table_reader_fuzz: mode byte 0 + a block; mode byte 1 + a table (with a bloom filter).
  for (int i = 0; i < 2 && s.ok(); ++i) {
    BlockBuilder builder(4 + i * 12);
    for (int k = 0; k < 40; ++k) builder.Add(fmt::format("key{:03d}", k), fmt::format("value{}", k));
    s = Write(out / "table_reader_fuzz", fmt::format("block-{}", i), std::string(1, '\x00') + std::string(builder.Finish()));
  }
  auto bloom = NewBloomFilterPolicy(10);
  for (int i = 0; i < 2 && s.ok(); ++i) {
    std::string table;
    TableOptions options{.block_size = 256, .filter_policy = i == 1 ? bloom.get() : nullptr};
    s = Capture(out / "tmp.ldb", [&](WritableFile* f) {
      TableBuilder builder(options, f);
      for (int k = 0; k < 60; ++k) builder.Add(fmt::format("key{:03d}", k), fmt::format("value{}", k));
      return builder.Finish();
    }, &table);
    if (s.ok()) s = Write(out / "table_reader_fuzz", fmt::format("table-{}", i), std::string(1, '\x01') + table);
  }
  // version_edit_fuzz: the kinds of edits a MANIFEST holds.
  {
    VersionEdit e;
    e.SetComparatorName("leveldb.BytewiseComparator");
    e.SetLogNumber(0);
    e.SetNextFile(2);
    e.SetLastSequence(0);
    std::string enc;
    e.EncodeTo(&enc);
    if (s.ok()) s = Write(out / "version_edit_fuzz", "seed-0", enc);
    e.Clear();
    e.SetLogNumber(7);
    e.SetPrevLogNumber(0);
    e.SetNextFile(9);
    e.SetLastSequence(120);
    e.AddFile(0, 8, 1234, InternalKey("apple", 5, ValueType::kValue),
              InternalKey("zebra", 90, ValueType::kValue));
    e.RemoveFile(1, 3);
    e.SetCompactPointer(1, InternalKey("mango", 40, ValueType::kDeletion));
    enc.clear();
    e.EncodeTo(&enc);
    if (s.ok()) s = Write(out / "version_edit_fuzz", "seed-1", enc);
  }
  // db_ops_fuzz: programs of puts, gets, flushes, reopens, compactions and batches.
  for (int i = 0; i < 3 && s.ok(); ++i) {
    std::string prog;
    for (int op = 0; op < 60; ++op) {
      const int kind = (op * (i + 3)) % 8;
      prog += static_cast<char>(kind);
      prog += static_cast<char>(op * 7 % 32);
      prog += static_cast<char>(op * 13 % 256);
      prog += static_cast<char>(op % 2);
    }
    s = Write(out / "db_ops_fuzz", fmt::format("seed-{}", i), prog);
  }
  return s;
}

}  // namespace
}  // namespace lsm

static int Main(int argc, char** argv) {
  lsm::Flags flags("fuzz_seed_corpus", "Writes the fuzz targets' seed corpus with our writers.");
  std::string out = "tests/fuzz/corpus";
  flags.String("out", &out, "corpus root; one subdirectory per target");
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;
  lsm::Status s = lsm::Run(out);
  if (!s.ok()) {
    fmt::print(stderr, "fuzz_seed_corpus: {}\n", s.ToString());
    return 1;
  }
  fmt::print("seed corpus written under {}\n", out);
  return 0;
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
