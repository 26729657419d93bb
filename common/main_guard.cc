#include "common/main_guard.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <system_error>

#include <unistd.h>

#include <fmt/format.h>

namespace lsm {

std::string DescribeCurrentException(std::string_view program) {
  try {
    throw;
  } catch (const std::filesystem::filesystem_error& e) {
    // what() names the operation and the error; the paths say which file.
    std::string where;
    if (!e.path1().empty()) where += fmt::format(" (path: {}", e.path1().string());
    if (!e.path2().empty()) where += fmt::format(", {}", e.path2().string());
    if (!where.empty()) where += ")";
    return fmt::format("{}: error: {}{}", program, e.what(), where);
  } catch (const std::bad_alloc&) {
    return fmt::format("{}: error: out of memory", program);
  } catch (const std::exception& e) {
    return fmt::format("{}: error: {}", program, e.what());
  } catch (...) {
    return fmt::format("{}: error: an unknown exception", program);
  }
}

int GuardedMain(int argc, char** argv, int (*body)(int, char**)) {
  std::string program = argc > 0 && argv[0] != nullptr ? argv[0] : "program";
  if (const size_t slash = program.rfind('/'); slash != std::string::npos) {
    program.erase(0, slash + 1);
  }
  try {
    return body(argc, argv);
  } catch (...) {
    std::fflush(stdout);  // what the program printed before the error comes first
    fmt::print(stderr, "{}\n", DescribeCurrentException(program));
    return 1;
  }
}

std::string TempDirBase() {
  const char* env = std::getenv("TMPDIR");
  return env != nullptr && *env != '\0' ? env : "/tmp";
}

Status MakeTempDir(std::string_view prefix, std::filesystem::path* dir) {
  const std::string base = TempDirBase();
  const char* env = std::getenv("TMPDIR");
  const bool from_env = env != nullptr && *env != '\0';
  std::string templ = fmt::format("{}/{}XXXXXX", base, prefix);
  if (::mkdtemp(templ.data()) == nullptr) {
    const int err = errno;
    return Status::IOError("cannot create a temporary directory in {}{}: {}", base,
                           from_env ? " (from TMPDIR)" : "", std::strerror(err));
  }
  *dir = templ;
  return Status::OK();
}

}  // namespace lsm
