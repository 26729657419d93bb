// lsmdump: prints the anatomy of database files (demo/dump.h), like `leveldbutil dump`.
//
//   lsmdump /tmp/db/000005.log /tmp/db/000007.ldb /tmp/db/MANIFEST-000002
//   lsmdump --max_value_bytes 8 --noentries /tmp/db/000007.ldb
// Exit status: 0 when every file dumped cleanly, 1 when one was damaged or unreadable, 2 for
// bad arguments.
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/flags.h"
#include "common/main_guard.h"
#include "demo/dump.h"

static int Main(int argc, char** argv) {
  lsm::Flags flags("lsmdump", "Prints the anatomy of a log (NNNNNN.log), table (NNNNNN.ldb/.sst), "
                              "MANIFEST-NNNNNN or CURRENT file.");
  int64_t max_value_bytes = 32;
  bool entries = true;
  std::vector<std::string> files;
  flags.Int("max_value_bytes", &max_value_bytes, 0, 1 << 20, "values longer than this are cut");
  flags.Bool("entries", &entries, "print every entry of every table block");
  flags.Arguments("FILE...", &files);
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;
  if (files.empty()) return flags.Fail(lsm::Status::InvalidArgument("no FILE to dump"));

  const lsm::demo::DumpOptions options{.max_value_bytes = static_cast<size_t>(max_value_bytes),
                                       .show_entries = entries};
  auto out = [](std::string_view s) { std::fwrite(s.data(), 1, s.size(), stdout); };
  int status = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    if (i > 0) fmt::print("\n");
    lsm::Status s = lsm::demo::DumpFile(lsm::FileSystem::Default(), files[i], out, options);
    if (!s.ok()) {
      std::fflush(stdout);
      fmt::print(stderr, "lsmdump: {}\n", s.ToString());
      status = 1;
    }
  }
  return status;
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
