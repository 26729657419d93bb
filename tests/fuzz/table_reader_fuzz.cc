// Fuzz target: Block (the entry decoder) and TableReader (footer, index, filter, blocks) over
// arbitrary bytes.
// Input: byte 0 even -> the rest is one block's contents; odd -> the rest is a table file.
// Checks: no crash or sanitizer report. For tables (every block checksummed, so the keys are
// the writer's) also: iterators stay ordered while their status is OK, forward and backward
// walks agree. A raw block has no checksum, so unordered keys in it are legal input: there
// the only promise is memory safety (no read outside the block).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "step4_sstable/block.h"
#include "step4_sstable/filter_policy.h"
#include "step4_sstable/table_reader.h"
#include "tests/fuzz/fuzz_files.h"

namespace {

// Walks it forward and backward, plus a few seeks; with `strict`, aborts on an ordering
// violation.
void Exercise(lsm::Iterator* it, const lsm::Comparator* cmp, bool strict) {
  std::vector<std::string> forward;
  for (it->SeekToFirst(); it->Valid() && forward.size() < 10000; it->Next()) {
    forward.emplace_back(it->key());
    (void)it->value();
  }
  const bool forward_ok = strict && it->status().ok();
  for (size_t i = 1; forward_ok && i < forward.size(); ++i) {
    if (cmp->Compare(forward[i - 1], forward[i]) >= 0) std::abort();
  }
  size_t backward = 0;
  for (it->SeekToLast(); it->Valid() && backward < 10000; it->Prev()) ++backward;
  if (forward_ok && it->status().ok() && backward != forward.size()) std::abort();
  for (const std::string& target : {std::string(), std::string("a"), std::string("\xff\xff")}) {
    it->Seek(target);
    if (strict && it->Valid() && it->status().ok() && cmp->Compare(it->key(), target) < 0) {
      std::abort();
    }
  }
  for (size_t i = 0; i < forward.size(); i += 7) {
    it->Seek(forward[i]);
    if (it->Valid()) it->Next();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const lsm::Comparator* cmp = lsm::BytewiseComparator();
  if ((data[0] & 1) == 0) {
    lsm::Block block{std::string(rest)};
    auto it = block.NewIterator(cmp);
    Exercise(it.get(), cmp, /*strict=*/false);
    return 0;
  }
  static const auto bloom = lsm::NewBloomFilterPolicy(10);
  lsm::TableOptions options{.comparator = cmp, .filter_policy = bloom.get()};
  auto file = std::make_unique<lsm::fuzz::StringRandomAccessFile>(rest);
  const uint64_t file_size = file->size();
  std::unique_ptr<lsm::TableReader> table;
  if (!lsm::TableReader::Open(options, std::move(file), file_size, &table).ok()) return 0;
  auto it = table->NewIterator();
  Exercise(it.get(), cmp, /*strict=*/true);
  std::string value;
  for (const char* key : {"", "a", "k000", "key", "\xff"}) {
    (void)table->Get(key, &value);
    (void)table->ApproximateOffsetOf(key);
  }
  return 0;
}
