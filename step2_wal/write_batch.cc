#include "step2_wal/write_batch.h"

#include <cassert>

#include "common/coding.h"

namespace lsm {

WriteBatch::WriteBatch() { Clear(); }

void WriteBatch::Clear() {
  rep_.clear();
  rep_.resize(kHeaderSize);  // sequence 0, count 0
}

uint32_t WriteBatch::Count() const { return DecodeFixed32(rep_.data() + 8); }
void WriteBatch::SetCount(uint32_t n) { EncodeFixed32(rep_.data() + 8, n); }

SequenceNumber WriteBatch::Sequence() const { return DecodeFixed64(rep_.data()); }
void WriteBatch::SetSequence(SequenceNumber seq) { EncodeFixed64(rep_.data(), seq); }

void WriteBatch::Put(std::string_view key, std::string_view value) {
  SetCount(Count() + 1);
  rep_.push_back(static_cast<char>(ValueType::kValue));
  PutLengthPrefixed(&rep_, key);
  PutLengthPrefixed(&rep_, value);
}

void WriteBatch::Delete(std::string_view key) {
  SetCount(Count() + 1);
  rep_.push_back(static_cast<char>(ValueType::kDeletion));
  PutLengthPrefixed(&rep_, key);
}

Status WriteBatch::SetContents(std::string_view rep) {
  if (rep.size() < kHeaderSize) {
    return Status::Corruption("malformed WriteBatch: {} bytes, shorter than the {}-byte header",
                              rep.size(), kHeaderSize);
  }
  rep_.assign(rep);
  return Status::OK();
}

void WriteBatch::Append(const WriteBatch& other) {
  assert(other.rep_.size() >= kHeaderSize);
  SetCount(Count() + other.Count());
  rep_.append(other.rep_, kHeaderSize);
}

Status WriteBatch::Iterate(Handler* handler) const {
  std::string_view input(rep_);
  input.remove_prefix(kHeaderSize);
  uint32_t found = 0;
  while (!input.empty()) {
    const size_t offset = rep_.size() - input.size();
    const auto tag = static_cast<unsigned char>(input.front());
    input.remove_prefix(1);
    std::string_view key, value;
    if (tag == static_cast<unsigned char>(ValueType::kValue)) {
      if (!GetLengthPrefixed(&input, &key) || !GetLengthPrefixed(&input, &value)) {
        return Status::Corruption("WriteBatch: truncated put at offset {}", offset);
      }
      handler->Put(key, value);
    } else if (tag == static_cast<unsigned char>(ValueType::kDeletion)) {
      if (!GetLengthPrefixed(&input, &key)) {
        return Status::Corruption("WriteBatch: truncated delete at offset {}", offset);
      }
      handler->Delete(key);
    } else {
      return Status::Corruption("WriteBatch: unknown tag {:#04x} at offset {}", tag, offset);
    }
    ++found;
  }
  if (found != Count()) {
    return Status::Corruption("WriteBatch: header says {} records, found {}", Count(), found);
  }
  return Status::OK();
}

Status WriteBatch::Validate() const {
  // A handler that does nothing: Iterate's own checks are the validation.
  struct NoOp final : Handler {
    void Put(std::string_view, std::string_view) override {}
    void Delete(std::string_view) override {}
  } no_op;
  return Iterate(&no_op);
}

}  // namespace lsm
