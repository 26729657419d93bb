// Fuzz target: a sequence of DB operations checked against a std::map model.
// Input: a byte program. Each op is one byte (op = byte % 8) plus operand bytes:
//   0 Put(key, value)   1 Delete(key)   2 Get(key) == model    3 scan == model
//   4 close + reopen     5 Flush()       6 CompactRange(all)    7 WriteBatch of 3 ops
// Keys are "key00".."key31" (so ops collide), values up to 2 KiB; the 8 KiB memtable and
// 256-byte blocks make flushes and compactions happen within a few dozen ops. A program runs
// at most 150 ops, of which at most 3 reopens and 10 flushes/compactions (the expensive ones;
// beyond the cap they are skipped), to keep executions fast.
// Checks: no crash or sanitizer report; every read equals the model; the DB reopens.
// Each execution gets a fresh in-memory file system (tests/support/memory_fs.h): no system
// call for a file, nothing left between inputs, because the target is about logic, not I/O.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "step5_lsm/db.h"
#include "tests/support/memory_fs.h"

namespace {

constexpr const char* kDir = "/db";

class Program {
 public:
  Program(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  uint8_t Next() { return pos_ < size_ ? data_[pos_++] : 0; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

[[noreturn]] void Fail(const std::string& what) {
  fmt::print(stderr, "db_ops_fuzz: {}\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lsm::testutil::MemoryFileSystem fs;
  const std::filesystem::path dir = kDir;
  const lsm::Options options{.create_if_missing = true,
                             .paranoid_checks = true,
                             .fs = &fs,
                             .write_buffer_size = 8 * 1024,
                             .max_open_files = 20,
                             .block_cache_bytes = 16 * 1024,
                             .block_size = 256};
  std::unique_ptr<lsm::DB> db;
  lsm::Status s = lsm::DB::Open(options, dir, &db);
  if (!s.ok()) Fail(s.ToString());

  std::map<std::string, std::string> model;
  Program p(data, size);
  uint64_t counter = 0;
  auto key = [&] { return fmt::format("key{:02d}", p.Next() % 32); };
  auto value = [&] {
    const size_t len = p.Next() * 8;
    const uint64_t n = counter++;
    return fmt::format("{}:", n) + std::string(len, static_cast<char>('a' + n % 26));
  };
  auto check_scan = [&] {
    auto it = db->NewIterator(lsm::ReadOptions{});
    auto m = model.begin();
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
      if (m == model.end() || it->key() != m->first || it->value() != m->second) {
        Fail(fmt::format("scan differs at {}", std::string(it->key())));
      }
    }
    if (!it->status().ok()) Fail(it->status().ToString());
    if (m != model.end()) Fail(fmt::format("scan is missing {}", m->first));
  };

  int reopens = 0, heavy = 0;
  for (int ops = 0; !p.done() && ops < 150; ++ops) {
    int op = p.Next() % 8;
    if ((op == 4 && ++reopens > 3) || ((op == 5 || op == 6) && ++heavy > 10)) op = 2;
    switch (op) {
      case 0: {
        const std::string k = key(), v = value();
        if (!(s = db->Put(k, v)).ok()) Fail(s.ToString());
        model[k] = v;
        break;
      }
      case 1: {
        const std::string k = key();
        if (!(s = db->Delete(k)).ok()) Fail(s.ToString());
        model.erase(k);
        break;
      }
      case 2: {
        const std::string k = key();
        std::string got;
        s = db->Get(k, &got);
        auto it = model.find(k);
        if (it == model.end() ? !s.IsNotFound() : (!s.ok() || got != it->second)) {
          Fail(fmt::format("Get({}) = {} {}", k, s.ToString(), got.substr(0, 10)));
        }
        break;
      }
      case 3:
        check_scan();
        break;
      case 4:
        db.reset();
        if (!(s = lsm::DB::Open(options, dir, &db)).ok()) Fail("reopen: " + s.ToString());
        break;
      case 5:
        if (!(s = db->Flush()).ok()) Fail(s.ToString());
        break;
      case 6:
        if (!(s = db->CompactRange(nullptr, nullptr)).ok()) Fail(s.ToString());
        break;
      case 7: {
        lsm::WriteBatch batch;
        std::map<std::string, std::string> next = model;
        for (int i = 0; i < 3; ++i) {
          const std::string k = key();
          if (p.Next() % 2 == 0) {
            const std::string v = value();
            batch.Put(k, v);
            next[k] = v;
          } else {
            batch.Delete(k);
            next.erase(k);
          }
        }
        if (!(s = db->Write(lsm::WriteOptions{}, &batch)).ok()) Fail(s.ToString());
        model = std::move(next);
        break;
      }
    }
  }
  check_scan();
  db.reset();
  return 0;
}
