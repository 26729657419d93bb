// crash_writer: the victim of the crash loop. Opens the DB, then applies operations
// start, start+1, ... (crash_workload.h) with sync = true, and after each one is acknowledged
// writes its number (8 bytes, native order) to file descriptor --ack_fd. It runs until it is
// killed (or --ops operations are done). The parent (tests/crash/crash_loop_test.cc) SIGKILLs
// it at a random moment and checks that every number it received is in the DB.
//
//   crash_writer --db=/tmp/crashdb --start=1234 --ack_fd=1
//
// Exit codes: 0 done, 1 a DB error (printed to stderr), 2 bad arguments.
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <memory>

#include "common/flags.h"
#include "common/main_guard.h"
#include "step2_wal/write_batch.h"
#include "step5_lsm/db.h"
#include "tests/crash/crash_workload.h"

static int Main(int argc, char** argv) {
  lsm::Flags flags("crash_writer", "Writes the crash workload with sync=true, reporting acks.");
  std::string db_dir;
  int64_t start = 0, ack_fd = 1, ops = -1;
  flags.String("db", &db_dir, "database directory");
  flags.Int("start", &start, "first operation number");
  flags.Int("ack_fd", &ack_fd, "file descriptor that receives each acknowledged number");
  flags.Int("ops", &ops, "stop after this many operations (-1: run until killed)");
  lsm::CompactionStyle style = lsm::CompactionStyle::kLeveled;
  lsm::AddCompactionStyleFlag(&flags, &style);
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;
  if (db_dir.empty() || start < 0) {
    return flags.Fail(lsm::Status::InvalidArgument("--db is required and --start >= 0"));
  }

  std::unique_ptr<lsm::DB> db;
  lsm::Status s = lsm::DB::Open(lsm::crash::CrashOptions(style), db_dir, &db);
  for (uint64_t i = start; s.ok() && (ops < 0 || i < static_cast<uint64_t>(start + ops)); ++i) {
    lsm::WriteBatch batch;
    for (const auto& [key, value] : lsm::crash::OpAt(i)) {
      if (value) {
        batch.Put(key, *value);
      } else {
        batch.Delete(key);
      }
    }
    s = db->Write(lsm::WriteOptions{.sync = true}, &batch);
    if (s.ok() && ::write(static_cast<int>(ack_fd), &i, sizeof(i)) != sizeof(i)) {
      s = lsm::Status::FromErrno("write ack", errno);
    }
  }
  if (!s.ok()) {
    fmt::print(stderr, "crash_writer: {}\n", s.ToString());
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
