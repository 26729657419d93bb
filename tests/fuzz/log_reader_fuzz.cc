// Fuzz target: WalReader over arbitrary bytes.
// Input: byte 0 picks the mode (bit 0: verify checksums; bits 1-7: initial offset / 8), the
// rest is the log file. Checks: no crash or sanitizer report, every record returned fits in
// the file, and with checksums on the reader never returns more bytes than it read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "step2_wal/wal_reader.h"
#include "tests/fuzz/fuzz_files.h"

namespace {

struct CountingReporter final : lsm::WalReader::Reporter {
  uint64_t bytes = 0;
  void Corruption(size_t n, const lsm::Status&) override { bytes += n; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool checksum = (data[0] & 1) != 0;
  const uint64_t initial_offset = (data[0] >> 1) * 8;
  const std::string_view log(reinterpret_cast<const char*>(data) + 1, size - 1);
  lsm::fuzz::StringSequentialFile file(log);
  CountingReporter reporter;
  lsm::WalReader reader(&file, &reporter, checksum, initial_offset);
  std::string scratch;
  std::string_view record;
  uint64_t total = 0;
  while (reader.ReadRecord(&record, &scratch)) {
    total += record.size();
    if (record.size() > log.size()) std::abort();            // a record bigger than the file
    if (reader.LastRecordOffset() >= log.size()) std::abort();  // starts past the end
  }
  if (total > log.size()) std::abort();
  return 0;
}
