// step5_lsm: narrates an LSM tree at work — flushes and compactions reported live as the
// background thread performs them (with the policy's reason, for the tiered and lazy-leveled
// styles), the level map before and after, then reads, a scan, deletes and a reopen.
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "common/flags.h"
#include "common/main_guard.h"
#include "common/random.h"
#include "step5_lsm/db.h"

namespace {

// Prints each background event as it happens (called on the background thread).
class Narrator final : public lsm::EventListener {
 public:
  void OnFlush(const lsm::FlushInfo& f) override {
    fmt::print("  [flush]      memtable -> #{} at L{} ({:.1f} KiB, {} us)   {}\n", f.file_number,
               f.level, f.file_size / 1024.0, f.micros, f.levels_after);
  }
  void OnCompaction(const lsm::CompactionInfo& c) override {
    if (c.trivial_move) {
      fmt::print("  [move]       {}: no bytes copied   {}\n", c.description, c.levels_after);
      return;
    }
    const std::string why = c.manual           ? " (manual)"
                            : c.seek_triggered ? " (seek-triggered)"
                            : c.reason.empty() ? ""
                                               : fmt::format(" ({})", c.reason);
    fmt::print("  [compaction] {}{}\n", c.description, why);
    fmt::print("               {} files in, {} out; read {:.1f} KiB, wrote {:.1f} KiB, "
               "dropped {} entries; write amp so far {:.2f}   {}\n",
               c.input_files, c.output_files, c.bytes_read / 1024.0, c.bytes_written / 1024.0,
               c.entries_dropped, c.write_amplification, c.levels_after);
  }
};

std::string Property(lsm::DB& db, std::string_view name) {
  std::string value;
  (void)db.GetProperty(name, &value);
  return value;
}

}  // namespace

static int Main(int argc, char** argv) {
  lsm::Flags flags("step5_lsm",
                   "Step 5: the LSM tree. Writes enough data to trigger flushes and\n"
                   "compactions, narrating each as the background thread runs it.");
  std::string dir = "/tmp/step5_lsm_demo";
  int64_t num = 60000;
  int64_t value_size = 100;
  int64_t buffer_kib = 256;
  flags.String("db", &dir, "database directory (wiped first)");
  flags.Int("num", &num, 1, 10000000, "how many random puts");
  flags.Int("value_size", &value_size, 1, 100000, "bytes per value");
  flags.Int("write_buffer_kib", &buffer_kib, 16, 65536, "memtable size in KiB before a flush");
  lsm::CompactionStyle style = lsm::CompactionStyle::kLeveled;
  lsm::AddCompactionStyleFlag(&flags, &style);
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;

  (void)lsm::DestroyDB(dir, lsm::Options{});
  Narrator narrator;
  lsm::Options options{.create_if_missing = true,
                       .write_buffer_size = static_cast<size_t>(buffer_kib) * 1024,
                       .listener = &narrator,
                       .compaction_style = style};
  std::unique_ptr<lsm::DB> db;
  if (lsm::Status s = lsm::DB::Open(options, dir, &db); !s.ok()) {
    fmt::print(stderr, "open failed: {}\n", s);
    return 1;
  }
  if (style == lsm::CompactionStyle::kLeveled) {
    fmt::print("Step 5 — a leveled LSM tree in {} (memtable {} KiB, L0 compacts at 4 files,\n"
               "L1 holds 10 MiB, each deeper level 10x more).\n\n",
               dir, buffer_kib);
  } else {
    fmt::print("Step 5 — a {} LSM tree in {} (memtable {} KiB; sorted runs = L0 files and whole\n"
               "levels, merged once there are 4 runs{}).\n\n",
               lsm::CompactionStyleName(style), dir, buffer_kib,
               style == lsm::CompactionStyle::kTiered
                   ? "; RocksDB universal's size ratio and space-amp rules"
                   : "; the largest level kept 10x the rest");
  }

  fmt::print("1. {} random puts ({}-byte values). Background events, live:\n", num, value_size);
  lsm::Random rnd(301);
  lsm::ValueGenerator values(301);
  const auto start = std::chrono::steady_clock::now();
  // Keys are drawn at random from [0, num), so not every key is written: remember one that
  // was, above the range scene 5 deletes, for the reopen check in scene 7.
  uint64_t survivor = static_cast<uint64_t>(num);
  for (int64_t i = 0; i < num; ++i) {
    const uint64_t k = rnd.Uniform(static_cast<uint64_t>(num));
    if (k >= static_cast<uint64_t>(num / 2)) survivor = k;
    const std::string key = lsm::MakeKey(k);
    if (lsm::Status s = db->Put(key, values.Next(static_cast<size_t>(value_size))); !s.ok()) {
      fmt::print(stderr, "put failed: {}\n", s);
      return 1;
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("  ... {} puts in {:.2f} s ({:.1f} us/put)\n\n", num, secs, 1e6 * secs / num);

  fmt::print("2. The level map now (each file: number, user-key range, size):\n{}\n",
             Property(*db, "lsm.levels"));
  fmt::print("{}\n", Property(*db, "lsm.stats"));

  fmt::print("3. Reads: memtable first, then L0 newest to oldest, then one file per level.\n");
  for (uint64_t k : {uint64_t{0}, uint64_t{7}, static_cast<uint64_t>(num / 2)}) {
    std::string value;
    lsm::Status s = db->Get(lsm::MakeKey(k), &value);
    fmt::print("  get({}) -> {}\n", lsm::MakeKey(k),
               s.ok() ? fmt::format("{} bytes", value.size()) : s.ToString());
  }
  std::string value;
  fmt::print("  get(missing) -> {}\n\n", db->Get("no-such-key", &value).ToString());

  fmt::print("4. A scan merges memtables and every level into one sorted stream:\n");
  int shown = 0;
  (void)db->Scan(lsm::MakeKey(100), lsm::MakeKey(200), [&](std::string_view k, std::string_view) {
    if (shown < 3) fmt::print("  {}\n", k);
    ++shown;
    return true;
  });
  fmt::print("  ... {} keys in [{}, {})\n\n", shown, lsm::MakeKey(100), lsm::MakeKey(200));

  fmt::print("5. Delete every key in [{}, {}): tombstones, not erasures.\n", lsm::MakeKey(0),
             lsm::MakeKey(static_cast<uint64_t>(num / 2)));
  const lsm::Snapshot* before = db->GetSnapshot();
  for (int64_t i = 0; i < num / 2; ++i) (void)db->Delete(lsm::MakeKey(static_cast<uint64_t>(i)));
  fmt::print("  get({}) now -> {}; through a snapshot taken before -> {}\n\n", lsm::MakeKey(7),
             db->Get(lsm::MakeKey(7), &value).ToString(),
             db->Get(lsm::ReadOptions{.snapshot = before}, lsm::MakeKey(7), &value).ok()
                 ? "still there"
                 : "not found");
  db->ReleaseSnapshot(before);

  fmt::print("6. CompactRange over everything: tombstones meet their values and both vanish.\n");
  if (lsm::Status s = db->CompactRange(nullptr, nullptr); !s.ok()) {
    fmt::print(stderr, "compaction failed: {}\n", s);
    return 1;
  }
  fmt::print("\nThe level map after:\n{}\n{}\n", Property(*db, "lsm.levels"),
             Property(*db, "lsm.stats"));

  fmt::print("7. Close and reopen: CURRENT -> MANIFEST -> levels; the log replays.\n");
  db.reset();
  if (lsm::Status s = lsm::DB::Open(lsm::Options{}, dir, &db); !s.ok()) {
    fmt::print(stderr, "reopen failed: {}\n", s);
    return 1;
  }
  const lsm::Status s = db->Get(lsm::MakeKey(survivor), &value);
  fmt::print("  get({}) (the last key written, never deleted) after reopen -> {}\n",
             lsm::MakeKey(survivor),
             s.ok() ? fmt::format("found, {} bytes", value.size()) : s.ToString());
  fmt::print("\nLevelDB 1.23 can open {} too: the files are byte-compatible.\n", dir);
  return 0;
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
