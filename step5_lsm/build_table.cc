#include "step5_lsm/build_table.h"

#include "step4_sstable/table_builder.h"
#include "step5_lsm/filename.h"

namespace lsm {

Status BuildTable(FileSystem* fs, const std::filesystem::path& dir,
                  const TableOptions& table_options, Iterator* iter, FileMetaData* meta) {
  meta->file_size = 0;
  iter->SeekToFirst();
  const std::filesystem::path path = TableFileName(dir, meta->number);
  Status s;
  if (iter->Valid()) {
    std::unique_ptr<WritableFile> file;
    s = fs->NewWritableFile(path, &file);
    if (!s.ok()) return s;
    TableBuilder builder(table_options, file.get());
    if (!meta->smallest.DecodeFrom(iter->key())) {
      s = Status::Corruption("{}: bad internal key in flush input", path.string());
    }
    std::string_view last_key;
    for (; s.ok() && iter->Valid(); iter->Next()) {
      last_key = iter->key();
      builder.Add(last_key, iter->value());
      if (!builder.status().ok()) break;
    }
    if (s.ok() && !last_key.empty() && !meta->largest.DecodeFrom(last_key)) {
      s = Status::Corruption("{}: bad internal key in flush input", path.string());
    }
    if (s.ok()) s = builder.status();
    if (s.ok()) {
      s = builder.Finish();
      if (s.ok()) meta->file_size = builder.FileSize();
    } else {
      builder.Abandon();
    }
    // The table must be durable before the MANIFEST names it.
    if (s.ok()) s = file->Sync();
    if (s.ok()) s = file->Close();
  }
  if (s.ok()) s = iter->status();
  if (!s.ok() || meta->file_size == 0) (void)fs->RemoveFile(path);
  return s;
}

}  // namespace lsm
