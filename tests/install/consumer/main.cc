// Uses the installed engine: opens a database in a fresh temp directory, writes, reads and
// scans it. Exit status 0 when every answer is the expected one.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"
#include "step5_lsm/db.h"

namespace {

int Fail(const std::string& what) {
  std::fprintf(stderr, "consumer: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main() {
  std::string pattern = (std::filesystem::temp_directory_path() / "lsm-consumer-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return Fail("mkdtemp failed");
  const std::filesystem::path dir = pattern;

  int status = 0;
  {
    std::unique_ptr<lsm::DB> db;
    lsm::Status s = lsm::DB::Open(lsm::Options{.create_if_missing = true}, dir / "db", &db);
    if (s.ok()) s = db->Put("apple", "red");
    if (s.ok()) s = db->Put("banana", "yellow");
    std::string value;
    if (s.ok()) s = db->Get("apple", &value);
    if (!s.ok()) {
      status = Fail(s.ToString());
    } else if (value != "red") {
      status = Fail("get apple: '" + value + "', expected 'red'");
    } else {
      std::string scanned;
      auto it = db->NewIterator({});
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        std::printf("%.*s => %.*s\n", static_cast<int>(it->key().size()), it->key().data(),
                    static_cast<int>(it->value().size()), it->value().data());
        scanned += std::string(it->key()) + "=" + std::string(it->value()) + ";";
      }
      if (!it->status().ok()) status = Fail(it->status().ToString());
      else if (scanned != "apple=red;banana=yellow;") status = Fail("scan saw " + scanned);
    }
  }
  std::filesystem::remove_all(dir);
  if (status == 0) std::printf("consumer: ok\n");
  return status;
}
