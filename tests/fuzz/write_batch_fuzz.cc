// Fuzz target: WriteBatch::SetContents + Iterate (a WAL record's payload) over arbitrary bytes.
// Checks: no crash or sanitizer report; a batch that iterates cleanly delivers exactly Count()
// operations, and appending it to another batch and re-iterating gives the same operations.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "step2_wal/write_batch.h"

namespace {

struct Collector final : lsm::WriteBatch::Handler {
  std::vector<std::string> ops;
  void Put(std::string_view k, std::string_view v) override {
    ops.push_back("P" + std::string(k) + "=" + std::string(v));
  }
  void Delete(std::string_view k) override { ops.push_back("D" + std::string(k)); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  lsm::WriteBatch batch;
  if (!batch.SetContents(input).ok()) return 0;
  Collector first;
  if (!batch.Iterate(&first).ok()) return 0;
  if (first.ops.size() != batch.Count()) std::abort();
  lsm::WriteBatch copy;
  copy.Append(batch);
  Collector second;
  if (!copy.Iterate(&second).ok() || second.ops != first.ops) std::abort();
  return 0;
}
