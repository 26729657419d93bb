// step2_wal: a real crash and recovery. Forks a child that writes WriteBatches with sync=true,
// SIGKILLs it mid-stream, shows the log it left (header fields labelled), reopens the store
// and proves that every acknowledged write is there.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "common/coding.h"
#include "common/crc32c.h"
#include "common/file.h"
#include "common/flags.h"
#include "common/hexdump.h"
#include "common/main_guard.h"
#include "common/random.h"
#include "step2_wal/crash_harness.h"
#include "step2_wal/durable_store.h"
#include "step2_wal/log_format.h"
#include "step2_wal/write_batch.h"

namespace {

namespace fs = std::filesystem;

// Prints the first `count` physical records of a log file: header fields, then the bytes.
void DumpFirstRecords(const std::string& bytes, int count) {
  using lsm::log::kHeaderSize;
  size_t pos = 0;
  for (int r = 0; r < count && pos + kHeaderSize <= bytes.size(); ++r) {
    const char* h = bytes.data() + pos;
    const uint32_t stored = lsm::DecodeFixed32(h);
    const size_t length = static_cast<unsigned char>(h[4]) |
                          static_cast<size_t>(static_cast<unsigned char>(h[5])) << 8;
    const uint8_t type = static_cast<uint8_t>(h[6]);
    fmt::print("  record at offset {}:\n", pos);
    fmt::print("    crc    {}  masked crc32c 0x{:08x} (of type+payload: 0x{:08x})\n",
               lsm::HexBytes(bytes.substr(pos, 4)), stored, lsm::crc32c::Unmask(stored));
    fmt::print("    length {}        {} bytes of payload (little-endian)\n",
               lsm::HexBytes(bytes.substr(pos + 4, 2)), length);
    fmt::print("    type   {}           {}\n", lsm::HexBytes(bytes.substr(pos + 6, 1)),
               lsm::log::RecordTypeName(type));
    const std::string payload = bytes.substr(pos + kHeaderSize, length);
    lsm::WriteBatch batch;
    if (type == 1 && batch.SetContents(payload).ok()) {
      fmt::print("    payload = WriteBatch: sequence {} (8 bytes), count {} (4 bytes), then "
                 "tag|klen|key|vlen|value ...\n", batch.Sequence(), batch.Count());
    }
    fmt::print("{}", lsm::HexDump(std::string_view(bytes).substr(pos, std::min<size_t>(
                                      kHeaderSize + length, 64)), pos));
    if (kHeaderSize + length > 64) fmt::print("  ... ({} more bytes)\n", kHeaderSize + length - 64);
    pos += kHeaderSize + length;
  }
}

int Main(int argc, char** argv) {
  lsm::Flags flags("step2_wal",
                   "Step 2: a write-ahead log. Crashes a writer for real (fork + SIGKILL) and\n"
                   "proves every acknowledged write survives recovery.");
  int64_t kill_after = 300;
  int64_t seed = 301;
  int64_t value_size = 100;
  std::string dir_flag;
  bool keep = false;
  flags.Int("kill_after", &kill_after, 1, 1000000,
            "SIGKILL the child after this many acknowledged batches");
  flags.Int("seed", &seed, 0, 4294967295, "seed for the extra random delay before the kill");
  flags.Int("value_size", &value_size, 1, 100000, "bytes per value");
  flags.String("dir", &dir_flag, "store directory (default: a fresh temporary one)");
  flags.Bool("keep", &keep, "keep the directory afterwards");
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;

  fs::path dir = dir_flag;
  // The child opens the store; a directory that cannot be made is reported here, by name,
  // rather than as a child that died before its first write.
  lsm::Status made = dir.empty() ? lsm::MakeTempDir("step2_wal-", &dir)
                                 : lsm::FileSystem::Default()->CreateDir(dir);
  if (!made.ok()) {
    fmt::print(stderr, "step2_wal: {}\n", made);
    return 1;
  }
  lsm::Random rnd(static_cast<uint64_t>(seed));
  const lsm::AckedWorkload workload{.prefix = "key", .value_size = static_cast<size_t>(value_size)};

  fmt::print("Step 2 — the write-ahead log. Store directory: {}\n\n", dir.string());
  fmt::print("1. A child process opens the store with sync=true and writes batches of 3 puts.\n"
             "   After each Write() returns OK it sends the batch number to us through a pipe.\n"
             "   After {} acknowledgements (+ a random delay) we SIGKILL it.\n",
             kill_after);
  lsm::CrashRoundResult crash;
  lsm::Status s = lsm::RunCrashRound(dir, {.sync = true}, workload,
                                     static_cast<uint64_t>(kill_after), rnd.Uniform(2000),
                                     /*max_batches=*/10'000'000, &crash);
  if (!s.ok()) {
    fmt::print(stderr, "step2_wal: {}\n", s);
    return 1;
  }
  fmt::print("   child killed by signal {}; it had acknowledged {} batches ({} keys).\n\n",
             crash.signal, crash.acked, 3 * crash.acked);

  // The log the child left behind: the newest *.log.
  std::vector<std::string> names;
  (void)lsm::FileSystem::Default()->GetChildren(dir, &names);
  std::sort(names.begin(), names.end());
  std::string newest;
  for (const auto& n : names) {
    if (n.ends_with(".log")) newest = n;
  }
  std::string log_bytes;
  if (!newest.empty()) {
    (void)lsm::ReadFileToString(lsm::FileSystem::Default(), dir / newest, &log_bytes);
    fmt::print("2. The log it left: {} ({} bytes = {} blocks of 32 KiB + {}). First records:\n",
               newest, log_bytes.size(), log_bytes.size() / lsm::log::kBlockSize,
               log_bytes.size() % lsm::log::kBlockSize);
    DumpFirstRecords(log_bytes, 2);
  }

  fmt::print("\n3. Reopen (paranoid recovery) and replay the log:\n");
  std::unique_ptr<lsm::DurableStore> store;
  s = lsm::DurableStore::Open({.paranoid_checks = true}, dir, &store);
  if (!s.ok()) {
    fmt::print(stderr, "step2_wal: recovery failed: {}\n", s);
    return 1;
  }
  fmt::print("{}", store->recovery_report().ToString());

  bool in_flight = false;
  s = lsm::VerifyAckedWrites(*store, workload, crash.acked, &in_flight);
  fmt::print("\n4. Check: all {} acknowledged batches present? {}\n", crash.acked,
             s.ok() ? "yes" : s.ToString());
  if (s.ok()) {
    fmt::print("   The batch in flight at the kill (#{}) is {} — all 3 keys or none, never part.\n",
               crash.acked, in_flight ? "present" : "absent");
  }
  fmt::print("   Keys in the store: {}.\n", store->size());
  store.reset();
  if (!keep && dir_flag.empty()) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return s.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
