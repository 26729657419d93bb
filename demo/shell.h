// Shell: the interpreter behind `kvsh` — one typed line in, its effect on the database and a
// few lines of text out. kvsh_main.cc only reads lines and decides prompts and exit codes, so
// tests drive a Shell directly with a script.
//
// Example:
//   std::string text;
//   auto sink = [&](std::string_view s) { text += s; };
//   Shell shell("/tmp/db", {.out = sink, .err = sink});
//   Status s = shell.Open(Options{.create_if_missing = true});
//   s = shell.Execute("put apple red");     // prints "OK"
//   s = shell.Execute("get apple");         // prints "red"
//   s = shell.Execute("frobnicate");        // prints "error: unknown command ..." and fails
//
// Commands (see `help`): put, get, del, scan [FROM] [TO] [--limit N], batch … commit|abort,
// snapshot [take|use ID|latest|release ID], levels, stats, compact [FROM] [TO], flush, files,
// trace FILE|off (demo/trace_writer.h),
// dump FILE, history, !N, help, quit. Words follow demo/command_line.h (quotes, \xNN).
// Every printed key and value is quoted so it can be typed back in.
//
// Errors never end the shell: Execute prints "error: ..." on `err` and returns the Status.
// A key that is absent is an answer ("(not found)"), not an error.
// Thread-safety: none; one thread drives a Shell. Lifetimes: the sinks must outlive it.
// Simplifications: history lives in memory only; no line editing (plain line reading).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/comparator.h"
#include "common/status.h"
#include "step2_wal/write_batch.h"
#include "demo/trace_writer.h"
#include "step5_lsm/db.h"

namespace lsm::demo {

struct ShellOutput {
  std::function<void(std::string_view)> out;  // answers
  std::function<void(std::string_view)> err;  // "error: ..." lines
};

class Shell {
 public:
  Shell(std::filesystem::path dir, ShellOutput output);
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;
  // Releases every snapshot, then closes the database.
  ~Shell();

  // Opens the database in dir with options. Writes follow options.sync (kvsh --sync); scan
  // bounds compare keys with options.comparator.
  Status Open(const Options& options);

  // Runs one line (empty lines and comments do nothing). Returns OK or the failure, which has
  // already been printed on `err`. REQUIRES: Open() succeeded.
  Status Execute(std::string_view line);

  // True once `quit` (or `exit`) ran.
  bool quit_requested() const { return quit_; }
  // "kvsh> ", or "kvsh [batch: 2 ops]> " while a batch is open.
  std::string Prompt() const;
  // Prefix errors with "line N: " (N counts Execute calls); for scripts.
  void set_number_errors(bool on) { number_errors_ = on; }

 private:
  using Words = std::vector<std::string>;
  struct Command {
    std::string_view name;
    std::string_view usage;  // "put KEY VALUE"
    std::string_view help;
    size_t min_args, max_args;
    Status (Shell::*run)(const Words& args);
  };
  static const std::vector<Command>& Commands();

  Status Run(std::string_view line, bool record_history);
  Status Fail(const Status& s);
  void Print(std::string_view text) { output_.out(text); }
  ReadOptions ReadOptionsNow() const;

  Status DoPut(const Words& a);
  Status DoGet(const Words& a);
  Status DoDel(const Words& a);
  Status DoScan(const Words& a);
  Status DoBatch(const Words& a);
  Status DoCommit(const Words& a);
  Status DoAbort(const Words& a);
  Status DoSnapshot(const Words& a);
  Status DoLevels(const Words& a);
  Status DoStats(const Words& a);
  Status DoCompact(const Words& a);
  Status DoFlush(const Words& a);
  Status DoFiles(const Words& a);
  Status DoTrace(const Words& a);
  Status DoDump(const Words& a);
  Status DoHistory(const Words& a);
  Status DoHelp(const Words& a);
  Status DoQuit(const Words& a);

  const std::filesystem::path dir_;
  const ShellOutput output_;
  // Set by Open(): the trace writer (the DB's listener: declared first, so it outlives db_),
  // the database, its key order and the durability of every write.
  std::unique_ptr<TraceWriter> trace_;
  std::unique_ptr<DB> db_;
  const Comparator* comparator_ = BytewiseComparator();
  WriteOptions write_options_;
  std::unique_ptr<WriteBatch> batch_;  // non-null while a batch is open
  uint32_t batch_ops_ = 0;
  std::map<int, const Snapshot*> snapshots_;  // id -> held snapshot
  int next_snapshot_id_ = 1;
  int reading_snapshot_ = 0;  // 0: read the latest state
  int64_t scan_limit_ = 0;    // scan's --limit, set by Run() for the command being run
  std::vector<std::string> history_;
  uint64_t line_number_ = 0;
  bool number_errors_ = false;
  bool quit_ = false;
};

}  // namespace lsm::demo
