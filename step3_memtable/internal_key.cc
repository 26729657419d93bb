#include "step3_memtable/internal_key.h"

#include <fmt/format.h>

#include "common/coding.h"

namespace lsm {

std::string ParsedInternalKey::DebugString() const {
  return fmt::format("'{}' @ {} : {}", EscapeBytes(user_key), sequence,
                     type == ValueType::kValue ? "val" : "del");
}

void AppendInternalKey(std::string* result, const ParsedInternalKey& key) {
  result->append(key.user_key);
  PutFixed64(result, PackSequenceAndType(key.sequence, key.type));
}

bool ParseInternalKey(std::string_view internal_key, ParsedInternalKey* result) {
  if (internal_key.size() < kTagSize) return false;
  const uint64_t tag = DecodeFixed64(internal_key.data() + internal_key.size() - kTagSize);
  const auto type = static_cast<uint8_t>(tag & 0xff);
  if (type > static_cast<uint8_t>(ValueType::kValue)) return false;
  result->user_key = ExtractUserKey(internal_key);
  result->sequence = tag >> 8;
  result->type = static_cast<ValueType>(type);
  return true;
}

uint64_t ExtractTag(std::string_view internal_key) {
  return DecodeFixed64(internal_key.data() + internal_key.size() - kTagSize);
}

int InternalKeyComparator::Compare(std::string_view a, std::string_view b) const {
  // exercise step3.compare: order by user key ascending, then by tag (sequence << 8 | type)
  // descending, so the newest version of a key comes first
  //   tests: InternalKeyComparator.UserKeyAscendingThenSequenceDescending
  //   tests: InternalKeyComparator.LookupKeySortsBeforeVisibleVersions
  //   stub: (void)a, (void)b;
  //   stub: lsm_exercise::Todo("step3.compare");
  int r = user_->Compare(ExtractUserKey(a), ExtractUserKey(b));
  if (r == 0) {
    const uint64_t ta = ExtractTag(a);
    const uint64_t tb = ExtractTag(b);
    if (ta > tb) {
      r = -1;  // larger tag (newer) first
    } else if (ta < tb) {
      r = +1;
    }
  }
  return r;
  // end exercise
}

void InternalKeyComparator::FindShortestSeparator(std::string* start,
                                                  std::string_view limit) const {
  std::string_view user_start = ExtractUserKey(*start);
  std::string_view user_limit = ExtractUserKey(limit);
  std::string tmp(user_start);
  user_->FindShortestSeparator(&tmp, user_limit);
  if (tmp.size() < user_start.size() && user_->Compare(user_start, tmp) < 0) {
    // The user key got shorter and larger: give it the earliest possible tag for that key.
    PutFixed64(&tmp, PackSequenceAndType(kMaxSequenceNumber, kValueTypeForSeek));
    start->swap(tmp);
  }
}

void InternalKeyComparator::FindShortSuccessor(std::string* key) const {
  std::string_view user_key = ExtractUserKey(*key);
  std::string tmp(user_key);
  user_->FindShortSuccessor(&tmp);
  if (tmp.size() < user_key.size() && user_->Compare(user_key, tmp) < 0) {
    PutFixed64(&tmp, PackSequenceAndType(kMaxSequenceNumber, kValueTypeForSeek));
    key->swap(tmp);
  }
}

std::string InternalKey::DebugString() const {
  ParsedInternalKey parsed;
  if (ParseInternalKey(rep_, &parsed)) return parsed.DebugString();
  return fmt::format("(bad){}", EscapeBytes(rep_));
}

LookupKey::LookupKey(std::string_view user_key, SequenceNumber s) {
  const size_t needed = user_key.size() + kMaxVarint32Bytes + kTagSize;
  char* dst = space_;
  if (needed > sizeof(space_)) {
    heap_.resize(needed);
    dst = heap_.data();
  }
  start_ = dst;
  dst = EncodeVarint32(dst, static_cast<uint32_t>(user_key.size() + kTagSize));
  kstart_ = dst;
  std::memcpy(dst, user_key.data(), user_key.size());
  dst += user_key.size();
  EncodeFixed64(dst, PackSequenceAndType(s, kValueTypeForSeek));
  dst += kTagSize;
  end_ = dst;
}

}  // namespace lsm
