#include "step3_memtable/batch_inserter.h"

namespace lsm {
namespace {

// Turns each batch record into a memtable entry, numbering them from the batch's sequence.
class MemTableInserter final : public WriteBatch::Handler {
 public:
  MemTableInserter(MemTable* mem, SequenceNumber first) : mem_(mem), sequence_(first) {}
  void Put(std::string_view key, std::string_view value) override {
    mem_->Add(sequence_++, ValueType::kValue, key, value);
  }
  void Delete(std::string_view key) override {
    mem_->Add(sequence_++, ValueType::kDeletion, key, std::string_view());
  }

 private:
  MemTable* mem_;
  SequenceNumber sequence_;
};

}  // namespace

Status InsertInto(const WriteBatch& batch, MemTable* mem) {
  MemTableInserter inserter(mem, batch.Sequence());
  return batch.Iterate(&inserter);
}

}  // namespace lsm
