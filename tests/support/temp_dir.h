// TempDir: a fresh, empty directory for one test, removed with everything in it when the
// object dies. Lives under $TMPDIR (or /tmp). Move-only.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "common/main_guard.h"

namespace lsm::testutil {

class TempDir {
 public:
  // A test cannot run without its directory: a failure (e.g. TMPDIR names a missing
  // directory) prints MakeTempDir's message, which names the directory, and aborts.
  TempDir() {
    if (Status s = MakeTempDir("lsm-test-", &path_); !s.ok()) {
      std::fprintf(stderr, "TempDir: %s\n", s.ToString().c_str());
      std::abort();
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  const std::filesystem::path& path() const { return path_; }
  // A path for a file (or subdirectory) inside this directory.
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace lsm::testutil
