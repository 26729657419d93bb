// LogReporter: the WalReader::Reporter of every log reader in the engine — the stores' logs
// (steps 2-4), the DB's logs and its MANIFEST (step 5). It keeps every damage report in order,
// so a reader can ask where the intact prefix of the log ended (the first damage), how many
// bytes were dropped, and what each report said.
//
// Example:
//   LogReporter reporter;
//   WalReader reader(file.get(), &reporter, /*checksum=*/true);
//   while (reader.ReadRecord(&record, &scratch)) {
//     if (reporter.damaged()) break;            // stop at the first damage
//     Apply(record);
//   }
//   if (reporter.damaged()) return reporter.first_damage();
//
// A caller may report damage the reader cannot see (a record whose checksum matched but whose
// contents do not parse) by calling Corruption() itself; it counts like the reader's reports.
// Thread-safety: none; it serves one reader, on one thread. Not copyable.
// Simplifications: every report is kept (at most about one per 32 KiB block of damage).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/status.h"
#include "step2_wal/wal_reader.h"

namespace lsm {

class LogReporter final : public WalReader::Reporter {
 public:
  // One report: the bytes dropped and why (the status names the file and offset).
  struct Damage {
    size_t bytes = 0;
    Status status;
  };

  LogReporter() = default;
  LogReporter(const LogReporter&) = delete;
  LogReporter& operator=(const LogReporter&) = delete;

  void Corruption(size_t bytes, const Status& status) override {
    if (damages_.empty()) first_damage_ = status;
    damages_.push_back(Damage{.bytes = bytes, .status = status});
    dropped_bytes_ += bytes;
  }

  // True once anything was reported.
  bool damaged() const { return !damages_.empty(); }
  // The first report's status: where the log's intact prefix ends. OK while nothing was
  // reported.
  const Status& first_damage() const { return first_damage_; }
  // Every report, oldest first.
  const std::vector<Damage>& damages() const { return damages_; }
  // The bytes of all reports together.
  uint64_t dropped_bytes() const { return dropped_bytes_; }

 private:
  Status first_damage_;
  std::vector<Damage> damages_;
  uint64_t dropped_bytes_ = 0;
};

}  // namespace lsm
