#include "step5_lsm/db_iter.h"

#include <cassert>
#include <string>

#include "common/coding.h"
#include "step3_memtable/internal_key.h"

namespace lsm {
namespace {

class DBIter final : public Iterator {
 public:
  DBIter(const Comparator* ucmp, std::unique_ptr<Iterator> iter, SequenceNumber sequence)
      : ucmp_(ucmp), iter_(std::move(iter)), sequence_(sequence) {}

  bool Valid() const override { return valid_; }

  std::string_view key() const override {
    assert(valid_);
    return direction_ == Direction::kForward ? ExtractUserKey(iter_->key())
                                             : std::string_view(saved_key_);
  }
  std::string_view value() const override {
    assert(valid_);
    return direction_ == Direction::kForward ? iter_->value() : std::string_view(saved_value_);
  }
  Status status() const override {
    Status s = iter_->status();
    return s.ok() ? status_ : s;
  }

  void SeekToFirst() override {
    direction_ = Direction::kForward;
    ClearSavedValue();
    iter_->SeekToFirst();
    if (iter_->Valid()) {
      FindNextUserEntry(/*skipping=*/false);
    } else {
      valid_ = false;
    }
  }

  void SeekToLast() override {
    direction_ = Direction::kReverse;
    ClearSavedValue();
    iter_->SeekToLast();
    FindPrevUserEntry();
  }

  void Seek(std::string_view target) override {
    direction_ = Direction::kForward;
    ClearSavedValue();
    saved_key_.clear();
    AppendInternalKey(&saved_key_, target, sequence_, kValueTypeForSeek);
    iter_->Seek(saved_key_);
    if (iter_->Valid()) {
      FindNextUserEntry(/*skipping=*/false);
    } else {
      valid_ = false;
    }
  }

  void Next() override {
    assert(valid_);
    if (direction_ == Direction::kReverse) {
      // iter_ sits before all entries of saved_key_ (or is invalid at the front); step into
      // them, and let FindNextUserEntry skip them.
      direction_ = Direction::kForward;
      if (!iter_->Valid()) {
        iter_->SeekToFirst();
      } else {
        iter_->Next();
      }
      if (!iter_->Valid()) {
        valid_ = false;
        saved_key_.clear();
        return;
      }
    } else {
      saved_key_.assign(ExtractUserKey(iter_->key()));
      iter_->Next();  // older versions of this key are skipped by FindNextUserEntry
      if (!iter_->Valid()) {
        valid_ = false;
        saved_key_.clear();
        return;
      }
    }
    FindNextUserEntry(/*skipping=*/true);
  }

  void Prev() override {
    assert(valid_);
    if (direction_ == Direction::kForward) {
      // Step back before every entry of the current user key.
      saved_key_.assign(ExtractUserKey(iter_->key()));
      while (true) {
        iter_->Prev();
        if (!iter_->Valid()) {
          valid_ = false;
          saved_key_.clear();
          ClearSavedValue();
          return;
        }
        if (ucmp_->Compare(ExtractUserKey(iter_->key()), saved_key_) < 0) break;
      }
      direction_ = Direction::kReverse;
    }
    FindPrevUserEntry();
  }

 private:
  enum class Direction { kForward, kReverse };

  bool ParseKey(ParsedInternalKey* ikey) {
    if (ParseInternalKey(iter_->key(), ikey)) return true;
    status_ = Status::Corruption("corrupted internal key in DBIter: {}",
                                 EscapeBytes(iter_->key()));
    return false;
  }

  // Moves forward from iter_'s entry to the first visible live entry. With skipping, entries
  // whose user key is <= saved_key_ are hidden (older versions of a key already passed).
  void FindNextUserEntry(bool skipping) {
    assert(iter_->Valid() && direction_ == Direction::kForward);
    do {
      ParsedInternalKey ikey;
      if (ParseKey(&ikey) && ikey.sequence <= sequence_) {
        if (ikey.type == ValueType::kDeletion) {
          // Everything older for this user key is hidden.
          saved_key_.assign(ikey.user_key);
          skipping = true;
        } else if (!skipping || ucmp_->Compare(ikey.user_key, saved_key_) > 0) {
          valid_ = true;
          saved_key_.clear();
          return;
        }
      }
      iter_->Next();
    } while (iter_->Valid());
    saved_key_.clear();
    valid_ = false;
  }

  // Moves backward collecting the newest visible version of the previous user key into
  // saved_key_/saved_value_; iter_ ends just before that key's entries.
  void FindPrevUserEntry() {
    assert(direction_ == Direction::kReverse);
    ValueType value_type = ValueType::kDeletion;
    if (iter_->Valid()) {
      do {
        ParsedInternalKey ikey;
        if (ParseKey(&ikey) && ikey.sequence <= sequence_) {
          if (value_type != ValueType::kDeletion &&
              ucmp_->Compare(ikey.user_key, saved_key_) < 0) {
            break;  // saved_key_ has a live value and we reached the key before it
          }
          value_type = ikey.type;
          if (value_type == ValueType::kDeletion) {
            saved_key_.clear();
            ClearSavedValue();
          } else {
            const std::string_view raw_value = iter_->value();
            if (saved_value_.capacity() > raw_value.size() + 1048576) ClearSavedValue();
            saved_key_.assign(ikey.user_key);
            saved_value_.assign(raw_value);
          }
        }
        iter_->Prev();
      } while (iter_->Valid());
    }
    if (value_type == ValueType::kDeletion) {
      // Reached the front without a live key.
      valid_ = false;
      saved_key_.clear();
      ClearSavedValue();
      direction_ = Direction::kForward;
    } else {
      valid_ = true;
    }
  }

  void ClearSavedValue() {
    if (saved_value_.capacity() > 1048576) {
      std::string().swap(saved_value_);  // give back a large buffer
    } else {
      saved_value_.clear();
    }
  }

  const Comparator* const ucmp_;
  const std::unique_ptr<Iterator> iter_;
  const SequenceNumber sequence_;
  Status status_;
  std::string saved_key_;    // reverse: current user key; forward: key being skipped
  std::string saved_value_;  // reverse: current value
  Direction direction_ = Direction::kForward;
  bool valid_ = false;
};

}  // namespace

std::unique_ptr<Iterator> NewDBIterator(const Comparator* user_comparator,
                                        std::unique_ptr<Iterator> internal,
                                        SequenceNumber sequence) {
  return std::make_unique<DBIter>(user_comparator, std::move(internal), sequence);
}

}  // namespace lsm
