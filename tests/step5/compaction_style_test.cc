// The three compaction styles end to end: invariants checked after every flush and compaction
// (through EventListener), a std::map model under random operations with reopens, reopening a
// database in every other style, and the "lsm.amplification" report.
#include <algorithm>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"
#include "step3_memtable/internal_key.h"
#include "step4_sstable/table_reader.h"
#include "step5_lsm/db.h"
#include "step5_lsm/filename.h"
#include "tests/step5/db_test_util.h"
#include "tests/support/compaction_styles.h"

namespace lsm {
namespace {

using Model = std::map<std::string, std::string>;

using testutil::kAllStyles;
using testutil::StyleParamName;
constexpr const auto& kStyles = kAllStyles;

std::string Key(int i) { return fmt::format("key{:06d}", i); }

// Checks the tree after every flush and compaction, from the listener (DB mutex held, so the
// listed files are live while it reads them):
//   - the sorted runs never overlap in time: for every user key, each entry of a newer run
//     (L0 by descending number, then L1, L2, ...) has a higher sequence than every entry of
//     that key in an older run — what LevelDB's and our lookups rely on;
//   - the files of each level >= 1 are disjoint and sorted.
class InvariantChecker : public EventListener {
 public:
  void SetDir(std::filesystem::path dir) {
    std::lock_guard<std::mutex> l(mu_);
    dir_ = std::move(dir);
  }
  void OnFlush(const FlushInfo& info) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      table_bytes_ += info.file_size;
    }
    Check(info.files_after, "flush");
  }
  void OnCompaction(const CompactionInfo& info) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      table_bytes_ += info.bytes_written;
      ++compactions_;
      if (!info.reason.empty()) ++run_compactions_;
      if (info.output_level == 0 && !info.trivial_move) ++l0_outputs_;
      max_output_level_ = std::max(max_output_level_, info.output_level);
    }
    Check(info.files_after, info.description);
  }

  std::vector<std::string> violations() {
    std::lock_guard<std::mutex> l(mu_);
    return violations_;
  }
  int checks() {
    std::lock_guard<std::mutex> l(mu_);
    return checks_;
  }
  int compactions() {
    std::lock_guard<std::mutex> l(mu_);
    return compactions_;
  }
  int run_compactions() {
    std::lock_guard<std::mutex> l(mu_);
    return run_compactions_;
  }
  // Table bytes the flushes and compactions reported writing.
  uint64_t table_bytes() {
    std::lock_guard<std::mutex> l(mu_);
    return table_bytes_;
  }

 private:
  void Check(std::vector<TableFileInfo> files, const std::string& what) {
    std::lock_guard<std::mutex> l(mu_);
    ++checks_;
    // Run rank: L0 files newest (largest number) first, then one rank per level.
    std::sort(files.begin(), files.end(), [](const TableFileInfo& a, const TableFileInfo& b) {
      if (a.level != b.level) return a.level < b.level;
      if (a.level == 0) return a.number > b.number;
      return a.smallest_user_key < b.smallest_user_key;
    });
    std::map<std::string, std::vector<std::pair<int, SequenceNumber>>> entries;
    int rank = -1, last_level = -1;
    for (size_t i = 0; i < files.size(); ++i) {
      const TableFileInfo& f = files[i];
      if (f.level == 0 || f.level != last_level) ++rank;
      if (f.level > 0 && f.level == last_level &&
          files[i - 1].largest_user_key >= f.smallest_user_key) {
        violations_.push_back(fmt::format("after {}: L{} files #{} and #{} overlap", what,
                                          f.level, files[i - 1].number, f.number));
      }
      last_level = f.level;
      ReadTable(f, rank, &entries, what);
    }
    for (const auto& [key, list] : entries) {
      auto sorted = list;
      std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second > b.second;
      });
      for (size_t i = 1; i < sorted.size(); ++i) {
        if (sorted[i].first != sorted[i - 1].first && sorted[i].second >= sorted[i - 1].second) {
          violations_.push_back(fmt::format(
              "after {}: key {} has seq {} in run {} but seq {} in newer run {}", what, key,
              sorted[i].second, sorted[i].first, sorted[i - 1].second, sorted[i - 1].first));
          break;
        }
      }
    }
  }

  void ReadTable(const TableFileInfo& f, int rank,
                 std::map<std::string, std::vector<std::pair<int, SequenceNumber>>>* entries,
                 const std::string& what) {
    std::unique_ptr<RandomAccessFile> file;
    const auto path = TableFileName(dir_, f.number);
    Status s = FileSystem::Default()->NewRandomAccessFile(path, &file);
    std::unique_ptr<TableReader> table;
    TableOptions options;
    options.comparator = &icmp_;
    if (s.ok()) s = TableReader::Open(options, std::move(file), f.file_size, &table);
    if (!s.ok()) {
      violations_.push_back(fmt::format("after {}: #{}: {}", what, f.number, s.ToString()));
      return;
    }
    auto it = table->NewIterator(TableReadOptions{.fill_cache = false});
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ParsedInternalKey parsed;
      if (!ParseInternalKey(it->key(), &parsed)) continue;
      (*entries)[std::string(parsed.user_key)].emplace_back(rank, parsed.sequence);
    }
  }

  std::mutex mu_;
  std::filesystem::path dir_;
  InternalKeyComparator icmp_{BytewiseComparator()};
  std::vector<std::string> violations_;
  int checks_ = 0;
  int compactions_ = 0;
  int run_compactions_ = 0;
  int l0_outputs_ = 0;
  int max_output_level_ = 0;
  uint64_t table_bytes_ = 0;
};

Options StyleOptions(CompactionStyle style, EventListener* listener) {
  Options options = testutil::SmallOptions();
  options.write_buffer_size = 8 * 1024;
  options.compaction_style = style;
  options.listener = listener;
  return options;
}

// The checker is a base so that it exists before DBFixture opens the DB with it as listener.
struct WithChecker {
  InvariantChecker checker_;
};

class StyledDB : public WithChecker, public testutil::DBFixture {
 public:
  explicit StyledDB(CompactionStyle style) : DBFixture(StyleOptions(style, &checker_)) {
    checker_.SetDir(dir_.path());
  }
  void ExpectNoViolations() {
    const auto v = checker_.violations();
    EXPECT_TRUE(v.empty()) << v.size() << " violations, first: " << v.front();
  }
};

// The number after `name ` in the amplification report.
double AmpValue(const std::string& report, std::string_view name) {
  const size_t pos = report.find(std::string(name) + " ");
  if (pos == std::string::npos) return -1;
  return std::stod(report.substr(pos + name.size() + 1));
}

// The integer after `name ` in the amplification report (e.g. "user-bytes 545000").
uint64_t AmpCount(const std::string& report, std::string_view name) {
  const size_t pos = report.find(std::string(name) + " ");
  if (pos == std::string::npos) return ~uint64_t{0};
  return std::stoull(report.substr(pos + name.size() + 1));
}

// What the table files in dir hold, read entry by entry.
struct TableContents {
  uint64_t files = 0, bytes = 0, entries = 0, deletions = 0;
};
TableContents ReadTables(const std::filesystem::path& dir) {
  TableContents out;
  FileSystem* fs = FileSystem::Default();
  std::vector<std::string> names;
  EXPECT_TRUE(fs->GetChildren(dir, &names).ok());
  InternalKeyComparator icmp(BytewiseComparator());
  TableOptions options;
  options.comparator = &icmp;
  for (const std::string& name : names) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type) || type != FileType::kTableFile) continue;
    uint64_t size = 0;
    std::unique_ptr<RandomAccessFile> file;
    Status s = fs->GetFileSize(dir / name, &size);
    if (s.ok()) s = fs->NewRandomAccessFile(dir / name, &file);
    std::unique_ptr<TableReader> table;
    if (s.ok()) s = TableReader::Open(options, std::move(file), size, &table);
    EXPECT_TRUE(s.ok()) << name << ": " << s.ToString();
    if (!s.ok()) continue;
    ++out.files;
    out.bytes += size;
    auto it = table->NewIterator(TableReadOptions{.fill_cache = false});
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ParsedInternalKey parsed;
      EXPECT_TRUE(ParseInternalKey(it->key(), &parsed)) << name;
      ++out.entries;
      if (parsed.type == ValueType::kDeletion) ++out.deletions;
    }
    EXPECT_TRUE(it->status().ok()) << name << ": " << it->status().ToString();
  }
  return out;
}

// Random puts, deletes, gets, snapshots, scans, range compactions and reopens against a model.
void RunModel(StyledDB* t, uint64_t seed, int ops, Model* model) {
  Random rnd(seed);
  std::vector<std::pair<const Snapshot*, Model>> snaps;
  for (int op = 0; op < ops; ++op) {
    const std::string key = Key(static_cast<int>(rnd.Skewed(10)));
    const uint64_t r = rnd.Uniform(100);
    if (r < 50) {
      std::string v = rnd.Bytes(rnd.Skewed(9));
      ASSERT_TRUE(t->db_->Put(key, v).ok());
      (*model)[key] = v;
    } else if (r < 70) {
      ASSERT_TRUE(t->db_->Delete(key).ok());
      model->erase(key);
    } else if (r < 90) {
      auto it = model->find(key);
      ASSERT_EQ(it == model->end() ? "NOT_FOUND" : it->second, t->Get(key)) << "op " << op;
    } else if (r < 93) {
      if (snaps.size() < 3) {
        snaps.emplace_back(t->db_->GetSnapshot(), *model);
      } else {
        const size_t i = rnd.Uniform(snaps.size());
        ASSERT_EQ(snaps[i].second, t->Contents(snaps[i].first)) << "op " << op;
        t->db_->ReleaseSnapshot(snaps[i].first);
        snaps.erase(snaps.begin() + static_cast<long>(i));
      }
    } else if (r < 96) {
      ASSERT_EQ(*model, t->Contents()) << "op " << op;
    } else if (r < 97) {
      std::string a = Key(static_cast<int>(rnd.Uniform(1024)));
      std::string b = Key(static_cast<int>(rnd.Uniform(1024)));
      if (a > b) std::swap(a, b);
      std::string_view av = a, bv = b;
      ASSERT_TRUE(t->db_->CompactRange(&av, &bv).ok());
    } else if (r < 98) {
      for (auto& s : snaps) t->db_->ReleaseSnapshot(s.first);
      snaps.clear();
      t->Reopen();
    }
  }
  ASSERT_EQ(*model, t->Contents());
  for (auto& s : snaps) {
    ASSERT_EQ(s.second, t->Contents(s.first));
    t->db_->ReleaseSnapshot(s.first);
  }
}

class CompactionStyleTest : public ::testing::TestWithParam<CompactionStyle> {};


TEST_P(CompactionStyleTest, ModelBasedRandomOperationsKeepTheInvariants) {
  for (uint64_t seed : {1u, 2u}) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    StyledDB t(GetParam());
    Model model;
    RunModel(&t, seed, 4000, &model);
    t.WaitForBackgroundWork();
    ASSERT_EQ(model, t.Contents());
    t.Reopen();
    ASSERT_EQ(model, t.Contents());
    t.ExpectNoViolations();
    EXPECT_GT(t.checker_.compactions(), 0);
    if (GetParam() != CompactionStyle::kLeveled) {
      EXPECT_GT(t.checker_.run_compactions(), 0);
    }
  }
}

TEST_P(CompactionStyleTest, DeletedKeysNeverComeBackAndTombstonesAreDropped) {
  StyledDB t(GetParam());
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i < 400; ++i) {
      ASSERT_TRUE(t.db_->Put(Key(i), fmt::format("v{}-{}", round, i) + std::string(50, 'x')).ok());
    }
    for (int i = 0; i < 400; i += 2) ASSERT_TRUE(t.db_->Delete(Key(i)).ok());
  }
  ASSERT_TRUE(t.WaitForBackgroundWork());
  for (int i = 0; i < 400; ++i) {
    ASSERT_EQ(i % 2 == 0 ? "NOT_FOUND" : fmt::format("v5-{}", i) + std::string(50, 'x'),
              t.Get(Key(i)));
  }
  ASSERT_TRUE(t.db_->Flush().ok());
  ASSERT_TRUE(t.WaitForBackgroundWork());  // no table is being written or deleted as we read
  // (The background compactions may already have merged everything into one run.)
  const TableContents before = ReadTables(t.dir_.path());
  ASSERT_TRUE(t.db_->CompactRange(nullptr, nullptr).ok());
  t.Reopen();  // deletes the compaction's inputs, should any remain
  for (int i = 0; i < 400; ++i) {
    ASSERT_EQ(i % 2 == 0 ? "NOT_FOUND" : fmt::format("v5-{}", i) + std::string(50, 'x'),
              t.Get(Key(i)));
  }
  EXPECT_EQ(200u, t.Contents().size());
  // No snapshot is live, and the full compaction wrote the deepest run: every tombstone and
  // every shadowed version is gone from the files, one entry per live key is left.
  const TableContents after = ReadTables(t.dir_.path());
  EXPECT_EQ(0u, after.deletions);
  EXPECT_EQ(200u, after.entries);
  EXPECT_LE(after.entries, before.entries);
  EXPECT_LE(after.bytes, before.bytes);
  t.ExpectNoViolations();
}

TEST_P(CompactionStyleTest, WritesNeverDeadlockOnL0) {
  // A tiny buffer and incompressible values: flushes come faster than merges.
  StyledDB t(GetParam());
  Random rnd(11);
  Model model;
  for (int i = 0; i < 6000; ++i) {
    const std::string key = Key(static_cast<int>(rnd.Uniform(3000)));
    std::string v = rnd.Bytes(100);
    ASSERT_TRUE(t.db_->Put(key, v).ok());
    model[key] = v;
  }
  t.WaitForBackgroundWork();
  EXPECT_LT(std::stoi(t.Property("lsm.num-files-at-level0")), 12);
  ASSERT_EQ(model, t.Contents());
  t.ExpectNoViolations();
}

TEST_P(CompactionStyleTest, AmplificationReportCountsBytesAndReads) {
  StyledDB t(GetParam());
  Random rnd(5);
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(t.db_->Put(Key(i % 1000), rnd.Bytes(100)).ok());
  ASSERT_TRUE(t.db_->Flush().ok());
  t.WaitForBackgroundWork();
  for (int i = 0; i < 100; ++i) (void)t.Get(Key(i));           // hits
  for (int i = 0; i < 100; ++i) (void)t.Get(Key(5000 + i));    // zero-result lookups
  (void)t.Contents();                                          // one scan
  std::string report = t.Property("lsm.amplification");
  SCOPED_TRACE(report);
  EXPECT_NE(std::string::npos, report.find(std::string("style ") +
                                           std::string(CompactionStyleName(GetParam()))));
  const double wa = AmpValue(report, "write-amp");
  EXPECT_GE(wa, 1.0);
  EXPECT_GE(AmpValue(report, "log-amp"), 1.0);
  EXPECT_GE(AmpValue(report, "space-amp"), 1.0);
  EXPECT_NE(std::string::npos, report.find("read point-hit: ops 100 "));
  EXPECT_NE(std::string::npos, report.find("read point-miss: ops 100 "));
  EXPECT_NE(std::string::npos, report.find("read scan: ops 1 "));
  EXPECT_NE(std::string::npos, report.find("stall: slowdowns "));
  EXPECT_NE(std::string::npos, report.find("mini-lsm: write-amp "));
  // Hits consult at least one run each; zero-result lookups mostly stop at the filter.
  const size_t hit = report.find("read point-hit:");
  EXPECT_GE(AmpValue(report.substr(hit), "runs/op"), 1.0);
  const size_t miss = report.find("read point-miss:");
  EXPECT_LT(AmpValue(report.substr(miss), "blocks/op"), 0.5);
  // The one full scan read every data block of the tables it merged: 1,000 keys of ~116 bytes
  // in 1 KiB blocks, once per run that holds them, so well over 100 blocks.
  const size_t scan = report.find("read scan:");
  EXPECT_GT(AmpValue(report.substr(scan), "blocks/op"), 100.0);
  EXPECT_NE(std::string::npos, report.find("background: micros "));
  ::testing::Test::RecordProperty("write_amp", fmt::format("{:.2f}", wa));
  std::cout << CompactionStyleName(GetParam()) << ": " << report;

  // After a full compaction the data is one run: space amplification 1.0.
  ASSERT_TRUE(t.db_->CompactRange(nullptr, nullptr).ok());
  report = t.Property("lsm.amplification");
  EXPECT_DOUBLE_EQ(1.0, AmpValue(report, "space-amp")) << report;
}

INSTANTIATE_TEST_SUITE_P(Styles, CompactionStyleTest, ::testing::ValuesIn(kStyles),
                         StyleParamName);

// Reopening in another style: every style's layout is a valid layout for every other (sorted
// runs as LevelDB levels), so the new policy takes the tree as it finds it. Both directions of
// every pair: write in `from`, reopen in `to` and write more, reopen in `from` again.
TEST(CompactionStyleReopen, EveryPairBothWays) {
  for (CompactionStyle from : kStyles) {
    for (CompactionStyle to : kStyles) {
      if (from == to) continue;
      SCOPED_TRACE(fmt::format("{} -> {}", CompactionStyleName(from), CompactionStyleName(to)));
      StyledDB t(from);
      Model model;
      RunModel(&t, 21, 2500, &model);
      t.WaitForBackgroundWork();
      t.ReopenAs(to);
      ASSERT_EQ(model, t.Contents());
      RunModel(&t, 22, 2500, &model);
      t.WaitForBackgroundWork();
      ASSERT_EQ(model, t.Contents());
      t.ReopenAs(from);
      ASSERT_EQ(model, t.Contents());
      RunModel(&t, 23, 1000, &model);
      t.ExpectNoViolations();
      EXPECT_GT(t.checker_.checks(), 0);
    }
  }
}

// The same workload under each style, for the write-amplification comparison (the chapter's
// table, step5_lsm/3-compaction.md). What the engine guarantees about the figures: the
// denominator is exactly the key and value bytes put, the numerator is every table byte the
// flushes and compactions reported to the listener, and a flushed byte reaches a table at
// least once, so WA >= 1 once nearly everything is flushed. What the policies are for:
// tiered rewrites less than leveled.
TEST(CompactionStyleMeasure, WriteAmplificationOnARandomWorkload) {
  constexpr int kPuts = 5000;
  constexpr size_t kValueSize = 100;
  std::map<CompactionStyle, double> write_amp;
  for (CompactionStyle style : kStyles) {
    SCOPED_TRACE(CompactionStyleName(style));
    StyledDB t(style);
    Random rnd(3);
    for (int i = 0; i < kPuts; ++i) {
      ASSERT_TRUE(
          t.db_->Put(Key(static_cast<int>(rnd.Uniform(2000))), rnd.Bytes(kValueSize)).ok());
    }
    ASSERT_TRUE(t.WaitForBackgroundWork());
    for (int i = 0; i < 500; ++i) (void)t.Get(Key(static_cast<int>(rnd.Uniform(2000))));
    for (int i = 0; i < 500; ++i) (void)t.Get(Key(10000 + i));
    ASSERT_TRUE(t.WaitForBackgroundWork());  // a seek compaction the reads triggered, if any
    const std::string report = t.Property("lsm.amplification");
    std::cout << report;
    SCOPED_TRACE(report);
    const double wa = AmpValue(report, "write-amp");
    ::testing::Test::RecordProperty(std::string(CompactionStyleName(style)) + "_write_amp",
                                    fmt::format("{:.2f}", wa));
    const uint64_t user_bytes = kPuts * (Key(0).size() + kValueSize);
    EXPECT_EQ(user_bytes, AmpCount(report, "user-bytes"));
    const uint64_t table_bytes = AmpCount(report, "table-bytes");
    EXPECT_EQ(table_bytes, AmpCount(report, "flush-bytes") + AmpCount(report, "compaction-bytes"));
    EXPECT_EQ(t.checker_.table_bytes(), table_bytes);
    EXPECT_EQ(fmt::format("{:.2f}", static_cast<double>(table_bytes) / user_bytes),
              fmt::format("{:.2f}", wa));
    // All but the last (8 KiB) memtable is flushed, and random values do not compress.
    EXPECT_GE(wa, 1.0);
    write_amp[style] = wa;
    t.ExpectNoViolations();
  }
  EXPECT_LT(write_amp[CompactionStyle::kTiered], write_amp[CompactionStyle::kLeveled]);
}

}  // namespace
}  // namespace lsm
