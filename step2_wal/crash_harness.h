// A real crash, on demand: fork a child that writes to a DurableStore and reports each
// acknowledged write through a pipe, SIGKILL it mid-stream, then check the reopened store.
// Used by the step2_wal executable and by tests/step2/crash_test.cc.
//
// The workload: batch i puts keys "<prefix><i:08>.a", ".b", ".c" (one WriteBatch, so all
// three or none), values derived from i. The child writes batch 0, 1, 2, ... and after each
// Write() returns OK sends i on the pipe — a write is "acknowledged" once its number is in
// the pipe. After the kill:
//   - every acknowledged batch must be fully present (the promise of sync=true);
//   - the one batch in flight may be present or absent, but never partly;
//   - nothing after it can exist.
//
// Example:
//   CrashRoundResult r;
//   Status s = RunCrashRound(dir, {.sync = true}, workload, /*kill_after_acks=*/50, 300, &r);
//   ... reopen, then VerifyAckedWrites(*store, workload, r.acked, &in_flight) ...
//
// Thread-safety: call from a single-threaded process (fork duplicates only the caller).
// Simplifications: SIGKILL kills the process, not the machine: the OS page cache survives, so
// this proves the process-crash promise; power loss needs a VM or a fault-injecting FileSystem.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/status.h"
#include "step2_wal/durable_store.h"

namespace lsm {

struct AckedWorkload {
  std::string prefix = "k";
  size_t value_size = 100;
};

std::string AckedKey(const AckedWorkload& w, uint64_t batch, char part);
std::string AckedValue(const AckedWorkload& w, uint64_t batch, char part);

struct CrashRoundResult {
  uint64_t acked = 0;     // batches 0 .. acked-1 were acknowledged
  int signal = 0;         // what ended the child (SIGKILL), 0 if it exited on its own
  int exit_code = 0;      // when it exited: 0 done, 1 open failed, 2 write failed
};

// Forks a child that opens `dir` with `options` and writes up to `max_batches` batches; kills
// it with SIGKILL once `kill_after_acks` acknowledgements arrived plus `extra_delay_us`
// microseconds. IOError if fork/pipe fail.
Status RunCrashRound(const std::filesystem::path& dir, const DurableStoreOptions& options,
                     const AckedWorkload& workload, uint64_t kill_after_acks,
                     uint64_t extra_delay_us, uint64_t max_batches, CrashRoundResult* result);

// Checks the three promises above on a reopened store; *in_flight_present says whether batch
// `acked` made it. Corruption naming the first missing or half-present key otherwise.
Status VerifyAckedWrites(const DurableStore& store, const AckedWorkload& workload,
                         uint64_t acked, bool* in_flight_present);

}  // namespace lsm
