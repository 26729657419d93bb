// The DB under failing disks and bad input: a failed log append or fsync stops writes until
// Resume() (no write is acknowledged that recovery would not return), a malformed batch never
// reaches the log, out-of-range options are refused at Open, and Scan's upper bound follows
// the comparator.
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "step5_lsm/db.h"
#include "step5_lsm/filename.h"
#include "tests/step5/db_test_util.h"
#include "tests/support/fault_injection_fs.h"
#include "tests/support/forwarding_fs.h"
#include "tests/support/reverse_comparator.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

using testutil::FaultInjectionFileSystem;
using testutil::ForwardingFileSystem;
using testutil::ForwardingWritableFile;
using testutil::TempDir;

std::string Key(int i) { return fmt::format("key{:06}", i); }
std::string Value(int i) { return fmt::format("value{:06}-{}", i, std::string(100, 'v')); }

// A disk that fills up in the middle of a log append: when armed, the next Append to a log
// file writes only the first half of its bytes and fails with "No space left on device".
class ShortWriteFileSystem final : public ForwardingFileSystem {
 public:
  using ForwardingFileSystem::ForwardingFileSystem;
  void ArmShortWrite() { armed_ = true; }
  int short_writes() const { return short_writes_; }

  Status NewWritableFile(const std::filesystem::path& path,
                         std::unique_ptr<WritableFile>* result) override {
    Status s = base()->NewWritableFile(path, result);
    if (s.ok() && path.extension() == ".log") {
      *result = std::make_unique<File>(std::move(*result), this);
    }
    return s;
  }

 private:
  class File final : public ForwardingWritableFile {
   public:
    File(std::unique_ptr<WritableFile> base, ShortWriteFileSystem* fs)
        : ForwardingWritableFile(std::move(base)), fs_(fs) {}
    Status Append(std::string_view data) override {
      if (!fs_->armed_) return ForwardingWritableFile::Append(data);
      fs_->armed_ = false;
      ++fs_->short_writes_;
      Status s = ForwardingWritableFile::Append(data.substr(0, data.size() / 2));
      if (s.ok()) s = ForwardingWritableFile::Flush();  // the half really reaches the file
      if (!s.ok()) return s;
      return Status::IOError("{}: No space left on device (injected short write)",
                             path().string());
    }

   private:
    ShortWriteFileSystem* const fs_;
  };

  bool armed_ = false;
  int short_writes_ = 0;
};

Options LogOnlyOptions(FileSystem* fs) {
  // A 64 MiB write buffer: the log, not a flush, is what meets the failing disk.
  return Options{.create_if_missing = true,
                 .fs = fs,
                 .write_buffer_size = 64 << 20,
                 .sync = true};
}

std::map<std::string, std::string> ReadAll(DB* db) {
  std::map<std::string, std::string> out;
  auto it = db->NewIterator(ReadOptions{});
  for (it->SeekToFirst(); it->Valid(); it->Next()) out.emplace(it->key(), it->value());
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return out;
}

// Puts keys [from, to) and records each acknowledged one in *model.
void PutRange(DB* db, int from, int to, std::map<std::string, std::string>* model) {
  for (int i = from; i < to; ++i) {
    Status s = db->Put(Key(i), Value(i));
    ASSERT_TRUE(s.ok()) << "put " << i << ": " << s.ToString();
    (*model)[Key(i)] = Value(i);
  }
}

// After a log error: every write fails with the original error, reads still work.
void ExpectWritesRefused(DB* db, const std::string& original_error, int first_key) {
  for (int i = first_key; i < first_key + 20; ++i) {
    Status s = db->Put(Key(i), Value(i));
    ASSERT_FALSE(s.ok()) << "a write after a failed log append was acknowledged";
    EXPECT_EQ(original_error, s.ToString());
  }
  WriteBatch batch;
  batch.Put("batched", "x");
  EXPECT_FALSE(db->Write(WriteOptions{.sync = true}, &batch).ok());
  EXPECT_FALSE(db->Delete(Key(0)).ok());
  std::string value;
  EXPECT_TRUE(db->Get(Key(0), &value).ok());
  EXPECT_EQ(Value(0), value);
  std::string error;
  ASSERT_TRUE(db->GetProperty("lsm.background-error", &error));
  EXPECT_EQ(original_error, error);
}

void ExpectReopenReturns(const TempDir& dir, Options options,
                         const std::map<std::string, std::string>& model) {
  // Paranoid: the log must be intact (at most a torn tail), not merely tolerated.
  options.paranoid_checks = true;
  std::unique_ptr<DB> db;
  Status s = DB::Open(options, dir.path(), &db);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(model, ReadAll(db.get()));
}

// Opens a DB on a disk that fills up mid-append: 100 acknowledged puts (in *model), then one
// whose log append is cut short. Returns that put's error; later writes must be refused with it.
Status OpenAndFillTheDisk(const TempDir& dir, ShortWriteFileSystem* fs,
                          std::unique_ptr<DB>* db, std::map<std::string, std::string>* model) {
  Status s = DB::Open(LogOnlyOptions(fs), dir.path(), db);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return s;
  PutRange(db->get(), 0, 100, model);
  fs->ArmShortWrite();
  Status failed = (*db)->Put(Key(100), Value(100));
  EXPECT_EQ(1, fs->short_writes());
  EXPECT_FALSE(failed.ok());
  EXPECT_NE(std::string::npos, failed.ToString().find(".log")) << failed.ToString();
  ExpectWritesRefused(db->get(), failed.ToString(), 101);
  return failed;
}

TEST(DBLogErrors, ShortLogWriteRefusesLaterWritesUntilResume) {
  TempDir dir;
  ShortWriteFileSystem fs(FileSystem::Default());
  Options options = LogOnlyOptions(&fs);
  std::map<std::string, std::string> model;
  {
    std::unique_ptr<DB> db;
    ASSERT_FALSE(OpenAndFillTheDisk(dir, &fs, &db, &model).ok());
    Status s = db->Resume();  // the "disk" has room again
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::string error;
    ASSERT_TRUE(db->GetProperty("lsm.background-error", &error));
    EXPECT_EQ("OK", error);
    PutRange(db.get(), 200, 2200, &model);  // the 2,000 writes the issue saw vanish
    EXPECT_EQ(model, ReadAll(db.get()));
  }
  ExpectReopenReturns(dir, options, model);
}

TEST(DBLogErrors, ShortLogWriteThenReopenKeepsEveryAcknowledgedWrite) {
  TempDir dir;
  ShortWriteFileSystem fs(FileSystem::Default());
  Options options = LogOnlyOptions(&fs);
  std::map<std::string, std::string> model;
  {
    std::unique_ptr<DB> db;
    ASSERT_FALSE(OpenAndFillTheDisk(dir, &fs, &db, &model).ok());
  }
  // Without Resume: the log ends in the torn half-record, a quiet torn tail.
  ExpectReopenReturns(dir, options, model);
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, dir.path(), &db).ok());
  std::string recovery;
  ASSERT_TRUE(db->GetProperty("lsm.recovery", &recovery));
  EXPECT_EQ(std::string::npos, recovery.find("DAMAGED")) << recovery;
}

TEST(DBLogErrors, FailedLogSyncRefusesLaterWritesUntilResume) {
  TempDir dir;
  FaultInjectionFileSystem fs(FileSystem::Default());
  Options options = LogOnlyOptions(&fs);
  std::map<std::string, std::string> model;
  {
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(options, dir.path(), &db).ok());
    PutRange(db.get(), 0, 100, &model);
    fs.FailAfter(FaultInjectionFileSystem::Op::kSync, 0);
    Status failed = db->Put(Key(100), Value(100));
    ASSERT_EQ(1, fs.Injected(FaultInjectionFileSystem::Op::kSync));
    ASSERT_FALSE(failed.ok());
    EXPECT_NE(std::string::npos, failed.ToString().find(".log")) << failed.ToString();
    ExpectWritesRefused(db.get(), failed.ToString(), 101);
    // A sync write never returned, so no later sync could have run: the fault fired once.
    EXPECT_EQ(1, fs.Injected(FaultInjectionFileSystem::Op::kSync));

    // Resume while the disk still fails: it fails too, and writes stay refused.
    EXPECT_FALSE(db->Resume().ok());
    EXPECT_FALSE(db->Put(Key(150), Value(150)).ok());

    fs.ClearFailures();
    Status s = db->Resume();
    ASSERT_TRUE(s.ok()) << s.ToString();
    PutRange(db.get(), 200, 1200, &model);
  }
  // Power loss after the resumed writes: everything acknowledged was synced somewhere.
  ASSERT_TRUE(fs.DropUnsyncedData().ok());
  ExpectReopenReturns(dir, options, model);
}

TEST(DBLogErrors, FailedManifestSyncIsStickyAndResumeStartsANewManifest) {
  TempDir dir;
  FaultInjectionFileSystem fs(FileSystem::Default());
  Options options = testutil::SmallOptions();
  options.fs = &fs;
  std::map<std::string, std::string> model;
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, dir.path(), &db).ok());
  std::string manifest_before;
  ASSERT_TRUE(ReadFileToString(&fs, CurrentFileName(dir.path()), &manifest_before).ok());
  PutRange(db.get(), 0, 50, &model);
  // Without sync writes, a flush syncs the new table, then the MANIFEST: fail the second.
  fs.FailAfter(FaultInjectionFileSystem::Op::kSync, 1);
  Status s = db->Flush();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string::npos, s.ToString().find("MANIFEST")) << s.ToString();
  EXPECT_FALSE(db->Put(Key(60), Value(60)).ok());  // sticky
  fs.ClearFailures();
  s = db->Resume();
  ASSERT_TRUE(s.ok()) << s.ToString();
  PutRange(db.get(), 100, 600, &model);
  ASSERT_TRUE(db->Flush().ok());
  std::string manifest_after;
  ASSERT_TRUE(ReadFileToString(&fs, CurrentFileName(dir.path()), &manifest_after).ok());
  EXPECT_NE(manifest_before, manifest_after);  // nothing was appended after the failed record
  db.reset();
  ExpectReopenReturns(dir, options, model);
}

TEST(DBLogErrors, ResumeOnAHealthyDatabaseIsANoOp) {
  testutil::DBFixture t;
  ASSERT_TRUE(t.db_->Put("k", "v").ok());
  EXPECT_TRUE(t.db_->Resume().ok());
  EXPECT_EQ("v", t.Get("k"));
}

// The reproduction on a real, full disk: an 8 MiB tmpfs with 2 MB of filler. Needs
// root (to mount); skipped with a message otherwise.
class Tmpfs {
 public:
  explicit Tmpfs(const std::filesystem::path& dir) : dir_(dir) {
    if (geteuid() != 0) {
      error_ = "not root";
    } else if (mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=8m") != 0) {
      error_ = std::strerror(errno);
    } else {
      mounted_ = true;
    }
  }
  ~Tmpfs() {
    if (mounted_) (void)umount(dir_.c_str());
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
  std::string error_;
};

TEST(DBLogErrors, RealDiskFullOnTmpfsLosesNoAcknowledgedWrite) {
  TempDir root;
  Tmpfs tmpfs(root.path());
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount an 8 MiB tmpfs (" << tmpfs.error() << ")";
  const std::filesystem::path filler = root.path() / "filler";
  const std::filesystem::path dir = root.path() / "db";
  ASSERT_TRUE(WriteStringToFile(FileSystem::Default(), std::string(2'000'000, 'f'), filler,
                                /*sync=*/true)
                  .ok());
  Options options = LogOnlyOptions(FileSystem::Default());
  // Values compress well, so the memtable's table fits once the filler is gone.
  auto value = [](int i) { return fmt::format("{:06}{}", i, std::string(771, 'x')); };
  std::map<std::string, std::string> model;
  {
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(options, dir, &db).ok());
    Status failed;
    int i = 0;
    for (; i < 20000 && failed.ok(); ++i) {
      failed = db->Put(Key(i), value(i));
      if (failed.ok()) model[Key(i)] = value(i);
    }
    ASSERT_FALSE(failed.ok()) << "an 8 MiB disk held 20,000 777-byte sync writes";
    EXPECT_NE(std::string::npos, failed.ToString().find(".log")) << failed.ToString();
    ASSERT_TRUE(FileSystem::Default()->RemoveFile(filler).ok());
    // Room again, but the log ends in a torn record: writes stay refused until Resume.
    for (int j = 0; j < 10; ++j) EXPECT_FALSE(db->Put(Key(50000 + j), value(j)).ok());
    Status s = db->Resume();
    ASSERT_TRUE(s.ok()) << s.ToString();
    for (int j = 0; j < 2000; ++j) {
      s = db->Put(Key(30000 + j), value(30000 + j));
      ASSERT_TRUE(s.ok()) << "put " << j << " after resume: " << s.ToString();
      model[Key(30000 + j)] = value(30000 + j);
    }
  }
  options.paranoid_checks = true;
  std::unique_ptr<DB> db;
  Status s = DB::Open(options, dir, &db);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(model, ReadAll(db.get()));
}

TEST(DBWrite, MalformedBatchIsRefusedBeforeTheLog) {
  testutil::DBFixture t;
  ASSERT_TRUE(t.db_->Put("before", "1").ok());
  // A batch whose header claims two records but holds one.
  WriteBatch good;
  good.Put("half", "applied?");
  std::string rep(good.Contents());
  rep[8] = 2;  // count (fixed32 after the 8-byte sequence)
  WriteBatch bad;
  if (bad.SetContents(rep).ok()) {
    Status s = t.db_->Write(WriteOptions{}, &bad);
    EXPECT_FALSE(s.ok());
  }
  EXPECT_EQ("NOT_FOUND", t.Get("half"));
  ASSERT_TRUE(t.db_->Put("after", "2").ok());
  t.options_.paranoid_checks = true;
  t.Reopen();  // the log holds no malformed record
  EXPECT_EQ("1", t.Get("before"));
  EXPECT_EQ("2", t.Get("after"));
  EXPECT_EQ("NOT_FOUND", t.Get("half"));
}

TEST(DBOptions, OutOfRangeOptionsAreRefusedNamingTheOption) {
  struct Case {
    const char* name;
    void (*set)(Options*);
  };
  const Case cases[] = {
      {"block_restart_interval", [](Options* o) { o->block_restart_interval = 0; }},
      {"block_restart_interval", [](Options* o) { o->block_restart_interval = -3; }},
      {"block_size", [](Options* o) { o->block_size = 0; }},
      {"block_size", [](Options* o) { o->block_size = size_t{1} << 40; }},
      {"write_buffer_size", [](Options* o) { o->write_buffer_size = 0; }},
      {"write_buffer_size", [](Options* o) { o->write_buffer_size = SIZE_MAX; }},
      {"max_open_files", [](Options* o) { o->max_open_files = 0; }},
      {"max_open_files", [](Options* o) { o->max_open_files = -1; }},
      {"bloom_bits_per_key", [](Options* o) { o->bloom_bits_per_key = -1; }},
      {"bloom_bits_per_key", [](Options* o) { o->bloom_bits_per_key = 1000000; }},
      {"max_file_size", [](Options* o) { o->max_file_size = 0; }},
      {"max_bytes_for_level_base", [](Options* o) { o->max_bytes_for_level_base = 0; }},
      {"max_bytes_for_level_base", [](Options* o) { o->max_bytes_for_level_base = UINT64_MAX; }},
      {"block_cache_bytes", [](Options* o) { o->block_cache_bytes = SIZE_MAX; }},
      {"compression", [](Options* o) { o->compression = static_cast<CompressionType>(7); }},
      {"comparator", [](Options* o) { o->comparator = nullptr; }},
      {"fs", [](Options* o) { o->fs = nullptr; }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    Options options{.create_if_missing = true};
    c.set(&options);
    std::unique_ptr<DB> db;
    Status s = DB::Open(options, dir.path(), &db);
    EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
    EXPECT_NE(std::string::npos, s.ToString().find(c.name)) << s.ToString();
    EXPECT_EQ(nullptr, db);
    EXPECT_FALSE(FileSystem::Default()->FileExists(CurrentFileName(dir.path())));
  }
  // The edges of every range open.
  TempDir dir;
  Options edges{.create_if_missing = true,
                .write_buffer_size = OptionLimits::kMinWriteBufferSize,
                .max_open_files = OptionLimits::kMinOpenFiles,
                .max_file_size = OptionLimits::kMinFileSize,
                .max_bytes_for_level_base = OptionLimits::kMinLevelBase,
                .block_size = OptionLimits::kMinBlockSize,
                .block_restart_interval = 1,
                .bloom_bits_per_key = OptionLimits::kMaxBloomBitsPerKey};
  std::unique_ptr<DB> db;
  Status s = DB::Open(edges, dir.path(), &db);
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(db->Put(Key(i), Value(i)).ok());
  std::string v;
  ASSERT_TRUE(db->Get(Key(7), &v).ok());
  EXPECT_EQ(Value(7), v);
}

using testutil::ReverseComparator;

TEST(DBScan, UpperBoundFollowsTheComparator) {
  static const ReverseComparator reverse;
  Options options = testutil::SmallOptions();
  options.comparator = &reverse;
  testutil::DBFixture t(options);
  for (const char* k : {"a", "b", "c", "d"}) ASSERT_TRUE(t.db_->Put(k, k).ok());
  std::string seen;
  ASSERT_TRUE(t.db_->Scan("c", "a", [&](std::string_view k, std::string_view) {
                     seen += k;
                     return true;
                   }).ok());
  EXPECT_EQ("cb", seen);  // from "c" down to, not including, "a"
}

}  // namespace
}  // namespace lsm
