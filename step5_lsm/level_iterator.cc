#include "step5_lsm/level_iterator.h"

#include <cassert>

#include "common/coding.h"
#include "step4_sstable/two_level_iterator.h"

namespace lsm {
namespace {

// LevelDB's Version::LevelFileNumIterator. Invariant: index_ == files_.size() when not Valid().
class FileListIterator final : public Iterator {
 public:
  FileListIterator(const InternalKeyComparator* icmp, const FileList& files)
      : icmp_(icmp), files_(files), index_(files_.size()) {}

  bool Valid() const override { return index_ < files_.size(); }
  void Seek(std::string_view target) override { index_ = FindFile(*icmp_, files_, target); }
  void SeekToFirst() override { index_ = 0; }
  void SeekToLast() override { index_ = files_.empty() ? 0 : files_.size() - 1; }
  void Next() override {
    assert(Valid());
    ++index_;
  }
  void Prev() override {
    assert(Valid());
    index_ = index_ == 0 ? files_.size() : index_ - 1;  // before the first: not Valid()
  }
  std::string_view key() const override {
    assert(Valid());
    return files_[index_]->largest.Encode();
  }
  std::string_view value() const override {
    assert(Valid());
    EncodeFixed64(value_buf_, files_[index_]->number);
    EncodeFixed64(value_buf_ + 8, files_[index_]->file_size);
    return {value_buf_, kFileValueSize};
  }
  Status status() const override { return Status::OK(); }

 private:
  const InternalKeyComparator* const icmp_;
  const FileList& files_;  // borrowed: the caller pins its Version
  size_t index_;
  mutable char value_buf_[kFileValueSize];  // what value() last returned
};

}  // namespace

bool DecodeFileValue(std::string_view value, uint64_t* number, uint64_t* file_size) {
  if (value.size() != kFileValueSize) return false;
  *number = DecodeFixed64(value.data());
  *file_size = DecodeFixed64(value.data() + 8);
  return true;
}

std::unique_ptr<Iterator> NewFileListIterator(const InternalKeyComparator* icmp,
                                              const FileList& files) {
  return std::make_unique<FileListIterator>(icmp, files);
}

std::unique_ptr<Iterator> NewLevelIterator(const InternalKeyComparator* icmp,
                                           const FileList& files, TableOpener open_table) {
  return NewTwoLevelIterator(
      NewFileListIterator(icmp, files),
      [open_table = std::move(open_table)](std::string_view file_value) {
        uint64_t number = 0, file_size = 0;
        if (!DecodeFileValue(file_value, &number, &file_size)) {
          return NewEmptyIterator(Status::Corruption("level iterator: bad file value"));
        }
        return open_table(number, file_size);
      });
}

}  // namespace lsm
