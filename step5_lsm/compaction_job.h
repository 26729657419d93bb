// CompactionJob: runs one compaction the policy picked (step5_lsm/compaction.h) — merges its
// input tables into one sorted stream, drops the entries no reader can see any more, writes
// the rest into new tables of the output level, and installs the result in the VersionSet.
//
//   inputs of every input level (leveled: inputs(0) of level L + inputs(1) of level L+1)
//     -> MakeInputIterator: one merged stream of internal keys, newest version of a key first
//     -> each entry: dropped (shadowed, or a tombstone with nothing left to hide), or added to
//        the current output table
//     -> an output ends at max_file_size, or before it would overlap too many grandparent bytes
//     (an L0 output — run-based styles only — is one file, numbered when Run() starts)
//   Install(): edit = delete every input, add every output at the output level (leveled:
//   L+1); VersionSet::LogAndApply
//
// Example (DBImpl::BackgroundCompaction, with the DB mutex held through `lock`):
//   CompactionJob job(context, c.get(), smallest_snapshot);
//   Status s = job.Run(&lock);          // releases the mutex while it reads and writes tables
//   if (s.ok()) s = job.Install(&lock);
//   for (const auto& out : job.outputs()) pending_outputs.erase(out.number);
//
// What is dropped (smallest_snapshot = the oldest sequence a reader may still read at):
//   - an entry of a user key whose newer entry is already at or below smallest_snapshot: every
//     reader sees that newer one instead;
//   - a tombstone at or below smallest_snapshot when no run older than the output holds the
//     key (Compaction::IsBaseLevelForKey): there is nothing left for it to hide.
// Keys that do not parse are kept (errors are never hidden), and the input's checksums are
// always verified: a damaged block copied into a new table would get a fresh, valid checksum.
//
// Thread-safety: one job at a time (the DB's background thread). Run() and Install() are called
// with the DB mutex held and return with it held; Run() releases it for the I/O, takes it
// briefly for each new file number, and calls Context::before_each_entry with it released.
// Lifetimes: everything the Context points to and the Compaction must outlive the job. Its
// outputs are in Context::pending_outputs from creation on; the caller removes them once they
// are installed (or abandoned). Not copyable.
// Simplifications: none against LevelDB's DoCompactionWork; RocksDB additionally splits one
// job into subcompactions by key range, run on several threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "common/file.h"
#include "common/iterator.h"
#include "step3_memtable/internal_key.h"
#include "step4_sstable/table_builder.h"
#include "step4_sstable/table_options.h"
#include "step5_lsm/compaction.h"
#include "step5_lsm/table_cache.h"
#include "step5_lsm/version_set.h"

namespace lsm {

class CompactionJob {
 public:
  using Lock = std::unique_lock<std::mutex>;

  // What a job uses of its database. versions and pending_outputs are guarded by the DB mutex.
  struct Context {
    FileSystem* fs = nullptr;
    std::filesystem::path dir;  // where the tables live
    const InternalKeyComparator* icmp = nullptr;
    const TableOptions* table_options = nullptr;  // for the output tables
    TableCache* table_cache = nullptr;            // reads the inputs, checks the outputs
    VersionSet* versions = nullptr;
    std::set<uint64_t>* pending_outputs = nullptr;  // table files being written
    const std::atomic<bool>* shutting_down = nullptr;  // Run() stops early once it is set
    // Called before each input entry, with the DB mutex released; the DB flushes a full
    // memtable here, so writers never wait for a long compaction. May be empty.
    std::function<void()> before_each_entry;
  };

  // One table the job wrote.
  struct Output {
    uint64_t number = 0;
    uint64_t file_size = 0;
    InternalKey smallest, largest;
  };

  // smallest_snapshot: entries older than this are invisible to every reader, so only the
  // newest one at or below it is needed (the oldest snapshot's sequence, or the last one).
  CompactionJob(Context context, Compaction* compaction, SequenceNumber smallest_snapshot);
  CompactionJob(const CompactionJob&) = delete;
  CompactionJob& operator=(const CompactionJob&) = delete;

  // Writes the output tables, each synced and checked readable. OK, or the first error (an
  // input read error, a failed write, or the DB closing). REQUIRES: *lock holds the DB mutex.
  Status Run(Lock* lock);
  // Logs "inputs deleted, outputs added at the output level" to the MANIFEST and installs the new
  // Version. REQUIRES: Run() returned OK; *lock holds the DB mutex (released while logging).
  Status Install(Lock* lock);

  // The tables written so far (including a last one that failed).
  const std::vector<Output>& outputs() const { return outputs_; }
  uint64_t bytes_written() const { return total_bytes_; }
  uint64_t entries_dropped() const { return dropped_; }
  // How long Run() took.
  uint64_t micros() const { return micros_; }

 private:
  // One merged iterator over every input file (level 0 files one by one, a sorted level as
  // one level iterator).
  std::unique_ptr<Iterator> MakeInputIterator() const;
  // Takes a file number and starts a new output table. Takes the DB mutex for the number.
  Status OpenOutputFile(Lock* lock);
  // Finishes the current output (abandons it if the input failed), syncs and closes it, and
  // opens it through the table cache so the MANIFEST never names an unreadable table.
  Status FinishOutputFile(Iterator* input);
  Output* current_output() { return &outputs_.back(); }

  // Constant after construction.
  const Context ctx_;
  Compaction* const compaction_;
  const SequenceNumber smallest_snapshot_;

  std::vector<Output> outputs_;
  std::unique_ptr<WritableFile> outfile_;  // the output being written (null between outputs)
  std::unique_ptr<TableBuilder> builder_;  // builds into outfile_
  uint64_t reserved_number_ = 0;  // for an L0 output: its number, taken when Run() starts
  uint64_t total_bytes_ = 0;
  uint64_t dropped_ = 0;
  uint64_t micros_ = 0;
};

}  // namespace lsm
