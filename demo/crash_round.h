// A real crash of the complete engine, on demand: fork a child that opens the DB and writes
// with sync = true, reporting each acknowledged write through a pipe; SIGKILL it mid-stream;
// then check the reopened DB.
//
// Write i puts CrashKey(i) = "<prefix><i:08>" -> CrashValue(i). The child sends i on the pipe
// after Put() returns OK: a write is "acknowledged" once its number is in the pipe. After the
// kill (CrashResult::acked = number of acknowledged writes):
//   - writes 0 .. acked-1 must all be present with their values (the sync = true promise);
//   - write `acked` was in flight: present or absent, both are fine;
//   - nothing after it can exist.
//
// Example:
//   CrashResult r;
//   Status s = RunCrashRound(options, dir, CrashPlan{.kill_after_acks = 300}, &r);
//   ... DB::Open(options, dir, &db) ...
//   CrashCheck check;
//   if (s.ok()) s = VerifyCrashRound(db.get(), plan, r, &check);   // Corruption if data was lost
//
// Thread-safety: call from a single-threaded process, with the DB in `dir` closed (fork copies
// only the calling thread, and the child takes the DB's LOCK).
// Simplifications: SIGKILL kills the process, not the machine: the OS page cache survives, so
// this shows the process-crash promise; power loss needs a fault-injecting FileSystem
// (tests/support/fault_injection_fs.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/status.h"
#include "step5_lsm/db.h"

namespace lsm::demo {

struct CrashPlan {
  std::string prefix = "crash:";
  size_t value_size = 100;
  uint64_t kill_after_acks = 300;  // SIGKILL once this many writes were acknowledged...
  uint64_t extra_delay_us = 1000;  // ...plus this long, so the kill lands mid-write
  uint64_t max_writes = 1000000;   // the child stops (and exits 0) after this many
};

struct CrashResult {
  uint64_t acked = 0;  // writes 0 .. acked-1 were acknowledged
  int signal = 0;      // what ended the child (SIGKILL), 0 if it exited by itself
  int exit_code = 0;   // when it exited: 0 all written, 1 open failed, 2 a write failed
  double seconds = 0;  // from fork to death
};

struct CrashCheck {
  uint64_t acked_present = 0;      // acknowledged writes found intact (should be all)
  bool in_flight_present = false;  // the write in flight at the kill made it
};

std::string CrashKey(const CrashPlan& plan, uint64_t i);
std::string CrashValue(const CrashPlan& plan, uint64_t i);

// Forks the writer child and kills it as planned. IOError if pipe/fork fail; the child's own
// failure (open or write) is reported in result->exit_code.
Status RunCrashRound(const Options& options, const std::filesystem::path& dir,
                     const CrashPlan& plan, CrashResult* result);

// Checks the three promises above on the reopened db; Corruption naming the first lost or
// wrong key, or a key that cannot exist.
Status VerifyCrashRound(DB* db, const CrashPlan& plan, const CrashResult& result,
                        CrashCheck* check);

}  // namespace lsm::demo
