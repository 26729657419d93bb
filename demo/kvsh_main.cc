// kvsh: an interactive shell over a database directory (the interpreter is demo/shell.h).
//
//   kvsh --db /tmp/mydb                 interactive: a prompt, `help` lists the commands
//   kvsh --db /tmp/mydb < script.kv     a script: no prompt; exit status 1 if any command failed
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "common/flags.h"
#include "demo/shell.h"

int main(int argc, char** argv) {
  lsm::Flags flags("kvsh", "An interactive shell over an lsm-tutorial (LevelDB-format) database.\n"
                           "Reads commands from stdin; type 'help' for the list.");
  std::string db;
  bool sync = false;
  flags.String("db", &db, "database directory (created if missing); required");
  flags.Bool("sync", &sync, "fsync the log on every write");
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;
  if (db.empty()) return flags.Fail(lsm::Status::InvalidArgument("--db PATH is required"));

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
