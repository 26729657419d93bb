#include "demo/shell.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "common/coding.h"
#include "common/plural.h"
#include "demo/command_line.h"
#include "demo/dump.h"
#include "demo/recovery_warning.h"

namespace lsm::demo {
namespace {

constexpr int64_t kDefaultScanLimit = 100;

// Parses a non-negative decimal number; false for anything else.
bool ParseNumber(std::string_view text, int64_t* value) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size() && *value >= 0;
}

}  // namespace

const std::vector<Shell::Command>& Shell::Commands() {
  static const std::vector<Command> commands = {
      {"put", "put KEY VALUE", "set KEY to VALUE (into the open batch, if any)", 2, 2, &Shell::DoPut},
      {"get", "get KEY", "print KEY's value, or (not found)", 1, 1, &Shell::DoGet},
      {"del", "del KEY", "delete KEY (into the open batch, if any)", 1, 1, &Shell::DoDel},
      {"scan", "scan [FROM] [TO] [--limit N]", "list keys in [FROM, TO) in order (default limit 100)",
       0, 2, &Shell::DoScan},
      {"batch", "batch", "start a batch: put/del are collected until commit or abort", 0, 0,
       &Shell::DoBatch},
      {"commit", "commit", "apply the open batch atomically", 0, 0, &Shell::DoCommit},
      {"abort", "abort", "drop the open batch", 0, 0, &Shell::DoAbort},
      {"snapshot", "snapshot [take | use ID | latest | release ID]",
       "take a snapshot, read from one (get/scan), go back to the latest state, or release one; "
       "alone: list them", 0, 2, &Shell::DoSnapshot},
      {"levels", "levels", "print the level map (every table file and its key range)", 0, 0,
       &Shell::DoLevels},
      {"stats", "stats",
       "print per-level sizes, compaction I/O and write amplification (the I/O counters are "
       "this process's, since this open)", 0, 0, &Shell::DoStats},
      {"compact", "compact [FROM] [TO]", "compact the key range (default: everything)", 0, 2,
       &Shell::DoCompact},
      {"flush", "flush",
       "write the memtable out as a table (level 0, or up to level 2 when nothing overlaps)", 0,
       0, &Shell::DoFlush},
      {"files", "files", "list the database directory", 0, 0, &Shell::DoFiles},
      {"trace", "trace FILE | trace off",
       "write the engine's events to FILE as JSON Lines (draw them with lsmviz), or stop", 1, 1,
       &Shell::DoTrace},
      {"dump", "dump FILE", "print the anatomy of a log, table, MANIFEST or CURRENT file", 1, 1,
       &Shell::DoDump},
      {"history", "history", "list the commands typed so far (rerun one with !N)", 0, 0,
       &Shell::DoHistory},
      {"help", "help [COMMAND]", "list the commands, or explain one", 0, 1, &Shell::DoHelp},
      {"quit", "quit", "leave the shell (also: exit, end of input)", 0, 0, &Shell::DoQuit},
      {"exit", "exit", "leave the shell", 0, 0, &Shell::DoQuit},
  };
  return commands;
}

Shell::Shell(std::filesystem::path dir, ShellOutput output)
    : dir_(std::move(dir)), output_(std::move(output)) {}

Shell::~Shell() {
  if (db_ != nullptr) {
    for (const auto& [id, snapshot] : snapshots_) db_->ReleaseSnapshot(snapshot);
  }
}

Status Shell::Open(const Options& options) {
  comparator_ = options.comparator;
  write_options_ = WriteOptions{.sync = options.sync};
  // The trace writer is always the listener (it forwards to the caller's), so `trace FILE`
  // can start at any time and begin with the layout Open reported.
  trace_ = std::make_unique<TraceWriter>(options, options.listener);
  Options with_trace = options;
  with_trace.listener = trace_.get();
  Status s = DB::Open(with_trace, dir_, &db_);
  if (s.ok()) {
    if (std::string warning = RecoveryWarning(*db_, dir_); !warning.empty()) output_.err(warning);
  }
  return s;
}

std::string Shell::Prompt() const {
  std::string prompt = "kvsh";
  if (reading_snapshot_ != 0) prompt += fmt::format(" [snapshot {}]", reading_snapshot_);
  if (batch_ != nullptr) prompt += fmt::format(" [batch: {}]", Plural(batch_ops_, "op"));
  return prompt + "> ";
}

Status Shell::Execute(std::string_view line) {
  assert(db_ != nullptr);
  ++line_number_;
  return Run(line, /*record_history=*/true);
}

Status Shell::Fail(const Status& s) {
  const std::string where = number_errors_ ? fmt::format("line {}: ", line_number_) : "";
  output_.err(fmt::format("{}error: {}\n", where, s.message().empty() ? s.ToString() : s.message()));
  return s;
}

Status Shell::Run(std::string_view line, bool record_history) {
  Words words;
  if (Status s = SplitCommandLine(line, &words); !s.ok()) return Fail(s);
  if (words.empty()) return Status::OK();

  // !N reruns history entry N (and records the line it ran, not "!N").
  if (words[0].starts_with("!")) {
    int64_t n = 0;
    if (words.size() != 1 || !ParseNumber(std::string_view(words[0]).substr(1), &n) || n < 1 ||
        static_cast<size_t>(n) > history_.size()) {
      return Fail(Status::InvalidArgument("no history entry '{}' (see 'history')", words[0]));
    }
    const std::string again = history_[n - 1];
    Print(fmt::format("{}\n", again));
    return Run(again, record_history);
  }
  if (record_history) history_.emplace_back(line);

  const auto& commands = Commands();
  auto it = std::find_if(commands.begin(), commands.end(),
                         [&](const Command& c) { return c.name == words[0]; });
  if (it == commands.end()) {
    return Fail(Status::InvalidArgument("unknown command '{}' (try 'help')", EscapeBytes(words[0])));
  }
  Words args(words.begin() + 1, words.end());
  // `scan` takes one option; take it out before counting arguments.
  scan_limit_ = kDefaultScanLimit;
  if (it->name == "scan") {
    auto opt = std::find(args.begin(), args.end(), "--limit");
    if (opt != args.end()) {
      if (opt + 1 == args.end()) return Fail(Status::InvalidArgument("--limit needs a number"));
      if (!ParseNumber(*(opt + 1), &scan_limit_) || scan_limit_ == 0) {
        return Fail(Status::InvalidArgument("--limit needs a positive number, not '{}'",
                                            EscapeBytes(*(opt + 1))));
      }
      args.erase(opt, opt + 2);
    }
  }
  if (args.size() < it->min_args || args.size() > it->max_args) {
    return Fail(Status::InvalidArgument("usage: {}", it->usage));
  }
  Status s = (this->*(it->run))(args);
  if (!s.ok()) return Fail(s);
  return s;
}

ReadOptions Shell::ReadOptionsNow() const {
  ReadOptions options;
  if (reading_snapshot_ != 0) options.snapshot = snapshots_.at(reading_snapshot_);
  return options;
}

// --- data commands ------------------------------------------------------------------------

Status Shell::DoPut(const Words& a) {
  if (batch_ != nullptr) {
    batch_->Put(a[0], a[1]);
    ++batch_ops_;
    Print(fmt::format("batched ({})\n", Plural(batch_ops_, "op")));
    return Status::OK();
  }
  Status s = db_->Put(write_options_, a[0], a[1]);
  if (s.ok()) Print("OK\n");
  return s;
}

Status Shell::DoGet(const Words& a) {
  std::string value;
  Status s = db_->Get(ReadOptionsNow(), a[0], &value);
  if (s.IsNotFound()) {
    Print("(not found)\n");
    return Status::OK();
  }
  if (s.ok()) Print(fmt::format("{}\n", QuoteWord(value)));
  return s;
}

Status Shell::DoDel(const Words& a) {
  if (batch_ != nullptr) {
    batch_->Delete(a[0]);
    ++batch_ops_;
    Print(fmt::format("batched ({})\n", Plural(batch_ops_, "op")));
    return Status::OK();
  }
  Status s = db_->Delete(write_options_, a[0]);
  if (s.ok()) Print("OK\n");
  return s;
}

Status Shell::DoScan(const Words& a) {
  const int64_t limit = scan_limit_;
  const std::string from = a.size() > 0 ? a[0] : "";
  const std::string to = a.size() > 1 ? a[1] : "";
  auto it = db_->NewIterator(ReadOptionsNow());
  int64_t n = 0;
  for (it->Seek(from); it->Valid(); it->Next()) {
    if (!to.empty() && comparator_->Compare(it->key(), to) >= 0) break;  // the database's order
    if (n == limit) {
      Print(fmt::format("(limit {} reached; continue with: scan {}{})\n", limit,
                        QuoteWord(it->key()), to.empty() ? "" : " " + QuoteWord(to)));
      return it->status();
    }
    Print(fmt::format("{} => {}\n", QuoteWord(it->key()), QuoteWord(it->value())));
    ++n;
  }
  if (!it->status().ok()) return it->status();
  Print(fmt::format("({})\n", Plural(n, "key")));
  return Status::OK();
}

// --- batches and snapshots ----------------------------------------------------------------

Status Shell::DoBatch(const Words&) {
  if (batch_ != nullptr) return Status::InvalidArgument("a batch is already open (commit or abort it)");
  batch_ = std::make_unique<WriteBatch>();
  batch_ops_ = 0;
  Print("batch open: put and del are collected until commit (or abort)\n");
  return Status::OK();
}

Status Shell::DoCommit(const Words&) {
  if (batch_ == nullptr) return Status::InvalidArgument("no batch is open (start one with 'batch')");
  Status s = db_->Write(write_options_, batch_.get());
  if (s.ok()) Print(fmt::format("committed {} atomically\n", Plural(batch_ops_, "op")));
  batch_.reset();
  return s;
}

Status Shell::DoAbort(const Words&) {
  if (batch_ == nullptr) return Status::InvalidArgument("no batch is open");
  Print(fmt::format("dropped {}\n", Plural(batch_ops_, "op")));
  batch_.reset();
  return Status::OK();
}

Status Shell::DoSnapshot(const Words& a) {
  const std::string verb = a.empty() ? "list" : a[0];
  auto parse_id = [&](int* id) -> Status {
    int64_t n = 0;
    if (a.size() != 2 || !ParseNumber(a[1], &n) || n > std::numeric_limits<int>::max() ||
        !snapshots_.contains(static_cast<int>(n))) {
      return Status::InvalidArgument("no snapshot '{}' (see 'snapshot')", a.size() == 2 ? EscapeBytes(a[1]) : "");
    }
    *id = static_cast<int>(n);
    return Status::OK();
  };
  if (verb == "take" && a.size() == 1) {
    const Snapshot* snapshot = db_->GetSnapshot();
    const int id = next_snapshot_id_++;
    snapshots_[id] = snapshot;
    Print(fmt::format("snapshot {} taken at sequence {} (read from it with: snapshot use {})\n", id,
                      snapshot->sequence(), id));
    return Status::OK();
  }
  if (verb == "use") {
    int id = 0;
    if (Status s = parse_id(&id); !s.ok()) return s;
    reading_snapshot_ = id;
    Print(fmt::format("get and scan now read snapshot {} (back with: snapshot latest)\n", id));
    return Status::OK();
  }
  if (verb == "latest" && a.size() == 1) {
    reading_snapshot_ = 0;
    Print("get and scan now read the latest state\n");
    return Status::OK();
  }
  if (verb == "release") {
    int id = 0;
    if (Status s = parse_id(&id); !s.ok()) return s;
    db_->ReleaseSnapshot(snapshots_[id]);
    snapshots_.erase(id);
    if (reading_snapshot_ == id) reading_snapshot_ = 0;
    Print(fmt::format("snapshot {} released\n", id));
    return Status::OK();
  }
  if (verb == "list" && a.size() <= 1) {
    if (snapshots_.empty()) Print("no snapshots\n");
    for (const auto& [id, snapshot] : snapshots_) {
      Print(fmt::format("snapshot {} at sequence {}{}\n", id, snapshot->sequence(),
                        id == reading_snapshot_ ? " (in use)" : ""));
    }
    return Status::OK();
  }
  return Status::InvalidArgument("usage: snapshot [take | use ID | latest | release ID]");
}

// --- the engine's machinery ---------------------------------------------------------------

Status Shell::DoLevels(const Words&) {
  std::string text;
  if (!db_->GetProperty("lsm.levels", &text)) return Status::NotSupported("no lsm.levels property");
  Print(text);
  return Status::OK();
}

Status Shell::DoStats(const Words&) {
  std::string text;
  if (!db_->GetProperty("lsm.stats", &text)) return Status::NotSupported("no lsm.stats property");
  Print(text);
  // The engine keeps no statistics on disk: a reopened database counts from zero.
  Print("(Files and Size are the database's; the other counters are this process's, since "
        "this open)\n");
  return Status::OK();
}

Status Shell::DoCompact(const Words& a) {
  std::string_view begin, end;
  if (a.size() > 0) begin = a[0];
  if (a.size() > 1) end = a[1];
  if (a.size() > 1 && comparator_->Compare(begin, end) > 0) {  // the database's order
    return Status::InvalidArgument("compact: FROM '{}' comes after TO '{}' in the key order",
                                   EscapeBytes(begin), EscapeBytes(end));
  }
  Status s = db_->CompactRange(a.size() > 0 ? &begin : nullptr, a.size() > 1 ? &end : nullptr);
  if (s.ok()) Print("compacted\n");
  return s;
}

Status Shell::DoFlush(const Words&) {
  Status s = db_->Flush();
  if (s.ok()) Print("flushed\n");
  return s;
}

Status Shell::DoTrace(const Words& a) {
  if (a[0] == "off") {
    const bool was = trace_->tracing();
    Status s = trace_->Stop();
    if (s.ok()) Print(was ? "trace stopped\n" : "no trace running\n");
    return s;
  }
  Status s = trace_->Start(a[0]);
  if (s.ok()) Print(fmt::format("tracing to {} (draw it with: lsmviz {} -o tree.html)\n", a[0], a[0]));
  return s;
}

Status Shell::DoFiles(const Words&) {
  FileSystem* fs = FileSystem::Default();
  std::vector<std::string> names;
  Status s = fs->GetChildren(dir_, &names);
  if (!s.ok()) return s;
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    uint64_t size = 0;
    if (fs->GetFileSize(dir_ / name, &size).ok()) Print(fmt::format("{:>10}  {}\n", size, name));
  }
  return Status::OK();
}

Status Shell::DoDump(const Words& a) {
  std::filesystem::path path = a[0];
  // A bare name means a file of this database.
  if (path.is_relative() && !FileSystem::Default()->FileExists(path)) path = dir_ / path;
  return DumpFile(FileSystem::Default(), path, output_.out);
}

// --- the shell itself ---------------------------------------------------------------------

Status Shell::DoHistory(const Words&) {
  for (size_t i = 0; i < history_.size(); ++i) Print(fmt::format("{:>4}  {}\n", i + 1, history_[i]));
  return Status::OK();
}

Status Shell::DoHelp(const Words& a) {
  for (const auto& c : Commands()) {
    if (!a.empty() && c.name != a[0]) continue;
    Print(fmt::format("  {:<46} {}\n", c.usage, c.help));
    if (!a.empty()) return Status::OK();
  }
  if (!a.empty()) return Status::InvalidArgument("no command '{}'", EscapeBytes(a[0]));
  Print("Words may be quoted (\"two words\") and use \\xNN for any byte; # starts a comment.\n");
  return Status::OK();
}

Status Shell::DoQuit(const Words&) {
  if (batch_ != nullptr) {
    Print(fmt::format("(the open batch of {} is dropped)\n", Plural(batch_ops_, "op")));
  }
  quit_ = true;
  return Status::OK();
}

}  // namespace lsm::demo
