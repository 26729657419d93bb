#include "step5_lsm/level_iterator.h"

#include <cassert>

namespace lsm {
namespace {

class LevelIterator final : public Iterator {
 public:
  LevelIterator(const InternalKeyComparator* icmp, FileList files, TableOpener open_table)
      : icmp_(icmp), files_(std::move(files)), open_table_(std::move(open_table)) {}

  bool Valid() const override { return table_ != nullptr && table_->Valid(); }

  void SeekToFirst() override {
    OpenFile(files_.empty() ? kNone : 0);
    if (table_ != nullptr) table_->SeekToFirst();
    SkipEmptyFilesForward();
  }
  void SeekToLast() override {
    OpenFile(files_.empty() ? kNone : files_.size() - 1);
    if (table_ != nullptr) table_->SeekToLast();
    SkipEmptyFilesBackward();
  }
  void Seek(std::string_view target) override {
    const size_t index = FindFile(*icmp_, files_, target);
    OpenFile(index < files_.size() ? index : kNone);
    if (table_ != nullptr) table_->Seek(target);
    SkipEmptyFilesForward();
  }
  void Next() override {
    assert(Valid());
    table_->Next();
    SkipEmptyFilesForward();
  }
  void Prev() override {
    assert(Valid());
    table_->Prev();
    SkipEmptyFilesBackward();
  }
  std::string_view key() const override {
    assert(Valid());
    return table_->key();
  }
  std::string_view value() const override {
    assert(Valid());
    return table_->value();
  }
  Status status() const override {
    if (!status_.ok()) return status_;
    return table_ != nullptr ? table_->status() : Status::OK();
  }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  // Makes files_[index] the open table (kNone closes it). Keeps the first error seen.
  void OpenFile(size_t index) {
    if (index == index_ && table_ != nullptr) return;
    if (table_ != nullptr && status_.ok()) status_ = table_->status();
    table_.reset();
    index_ = index;
    if (index == kNone) return;
    table_ = open_table_(*files_[index]);
  }

  void SkipEmptyFilesForward() {
    while (table_ == nullptr || !table_->Valid()) {
      if (table_ != nullptr && !table_->status().ok() && status_.ok()) status_ = table_->status();
      if (index_ == kNone || index_ + 1 >= files_.size()) {
        table_.reset();
        index_ = kNone;
        return;
      }
      OpenFile(index_ + 1);
      table_->SeekToFirst();
    }
  }
  void SkipEmptyFilesBackward() {
    while (table_ == nullptr || !table_->Valid()) {
      if (table_ != nullptr && !table_->status().ok() && status_.ok()) status_ = table_->status();
      if (index_ == kNone || index_ == 0) {
        table_.reset();
        index_ = kNone;
        return;
      }
      OpenFile(index_ - 1);
      table_->SeekToLast();
    }
  }

  const InternalKeyComparator* const icmp_;
  const FileList files_;
  const TableOpener open_table_;
  size_t index_ = kNone;              // files_[index_] is open in table_
  std::unique_ptr<Iterator> table_;   // null when not positioned
  Status status_;                     // first table error seen
};

}  // namespace

std::unique_ptr<Iterator> NewLevelIterator(const InternalKeyComparator* icmp, FileList files,
                                           TableOpener open_table) {
  return std::make_unique<LevelIterator>(icmp, std::move(files), std::move(open_table));
}

}  // namespace lsm
