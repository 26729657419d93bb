// kvsh: an interactive shell over a database directory (the interpreter is demo/shell.h).
//
//   kvsh /tmp/mydb                      interactive: a prompt, `help` lists the commands
//   kvsh /tmp/mydb < script.kv          a script: no prompt; exit status 1 if any command failed
//   kvsh --db /tmp/mydb                 the same as kvsh /tmp/mydb
// Exit status 2 for bad arguments (as for every tool here), 1 when the database cannot open.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/flags.h"
#include "common/main_guard.h"
#include "demo/shell.h"

namespace {

// Whether a and b name the same directory as written ("db", "./db/" and "$PWD/db" do); no
// symbolic link is followed.
bool SameDirectory(const std::filesystem::path& a, const std::filesystem::path& b) {
  auto normal = [](const std::filesystem::path& p) {
    std::error_code ec;  // no current directory: compare as written
    std::filesystem::path n = std::filesystem::absolute(p, ec);
    n = (ec ? p : n).lexically_normal();
    return n.has_filename() || n == n.root_path() ? n : n.parent_path();  // drop a trailing '/'
  };
  return normal(a) == normal(b);
}

}  // namespace

static int Main(int argc, char** argv) {
  lsm::Flags flags("kvsh", "An interactive shell over an lsm-tutorial (LevelDB-format) database:\n"
                           "kvsh DIR, or kvsh --db DIR (created if missing).\n"
                           "Reads commands from stdin; type 'help' for the list.");
  std::string db;
  bool sync = false;
  std::vector<std::string> args;
  flags.String("db", &db, "database directory (created if missing); or give DIR as the argument");
  flags.Bool("sync", &sync, "fsync the log on every write");
  flags.Arguments("[DIR]", &args);
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;
  if (args.size() > 1) {
    return flags.Fail(lsm::Status::InvalidArgument("too many arguments: kvsh takes one DIR"));
  }
  if (!args.empty()) {
    if (!db.empty() && !SameDirectory(db, args[0])) {
      return flags.Fail(lsm::Status::InvalidArgument("two database directories: --db {} and {}",
                                                     db, args[0]));
    }
    db = args[0];
  }
  if (db.empty()) {
    return flags.Fail(lsm::Status::InvalidArgument("no database: kvsh DIR, or kvsh --db DIR"));
  }

  const bool interactive = ::isatty(STDIN_FILENO) != 0;
  auto to_stdout = [](std::string_view s) { std::fwrite(s.data(), 1, s.size(), stdout); };
  auto to_stderr = [](std::string_view s) {
    std::fflush(stdout);  // keep answers and errors in order on a terminal
    std::fwrite(s.data(), 1, s.size(), stderr);
  };
  lsm::demo::Shell shell(db, {.out = to_stdout, .err = to_stderr});
  if (lsm::Status s = shell.Open(lsm::Options{.create_if_missing = true, .sync = sync}); !s.ok()) {
    fmt::print(stderr, "kvsh: cannot open {}: {}\n", db, s.ToString());
    return 1;
  }
  shell.set_number_errors(!interactive);
  if (interactive) fmt::print("kvsh on {} — 'help' lists the commands, 'quit' leaves.\n", db);

  bool any_failed = false;
  std::string line;
  while (!shell.quit_requested()) {
    if (interactive) {
      fmt::print("{}", shell.Prompt());
      std::fflush(stdout);
    }
    if (!std::getline(std::cin, line)) break;
    if (!shell.Execute(line).ok()) any_failed = true;
    std::fflush(stdout);
  }
  if (interactive && !shell.quit_requested()) fmt::print("\n");
  return !interactive && any_failed ? 1 : 0;
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
