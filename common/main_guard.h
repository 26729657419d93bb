// GuardedMain: the last line of defence of every executable's main(). The project reports
// errors with Status, never exceptions, but the standard library throws (std::filesystem,
// std::bad_alloc, std::stoi, ...); an exception that escaped main() would end the program in
// std::terminate — "terminate called after throwing ...", abort, a core dump — instead of an
// error message. GuardedMain runs the real main and turns any escaping exception into
//   "<program>: error: <what>" (a filesystem error also names its path(s))
// on stderr and exit status 1.
//
// Example:
//   static int Main(int argc, char** argv) { ... return 0; }
//   int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
//
// It is a backstop, not the way to report errors: call sites that can throw on bad input
// (a missing TMPDIR, a file where a directory should be) check first and print a clear Status
// (see MakeTempDir below). Destructors of objects inside `body` run before the message is
// printed (the exception is caught, so the stack unwinds).
// Thread-safety: call once, from main(). An exception on another thread still terminates.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace lsm {

// Runs body(argc, argv) and returns its result, or 1 after printing an escaping exception.
int GuardedMain(int argc, char** argv, int (*body)(int, char**));

// The text GuardedMain prints for the exception being handled (call inside a catch block):
// "<program>: error: <what>", with the paths of a std::filesystem::filesystem_error.
std::string DescribeCurrentException(std::string_view program);

// Where temporary directories go: $TMPDIR when it is set and non-empty, else /tmp. The
// directory may not exist; MakeTempDir reports that by name.
std::string TempDirBase();

// Creates a fresh, empty directory "<TempDirBase()>/<prefix>XXXXXX" (mkdtemp); *dir receives
// its path. Fails with an IOError that
// names the directory it tried (and says it came from TMPDIR) — never throws, unlike
// std::filesystem::temp_directory_path.
Status MakeTempDir(std::string_view prefix, std::filesystem::path* dir);

}  // namespace lsm
