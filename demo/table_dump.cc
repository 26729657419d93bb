// Dump of a table file (layout: step4_sstable/format.h): walks it the way TableReader does —
// footer, then the index block, then each data block it names — but prints every piece and
// keeps going past damage, so a learner sees the whole anatomy.
#include <cstdint>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "common/coding.h"
#include "common/comparator.h"
#include "common/plural.h"
#include "demo/dump.h"
#include "step3_memtable/internal_key.h"
#include "step4_sstable/block.h"
#include "step4_sstable/format.h"

namespace lsm::demo {
namespace {

// "'apple' @ 7 : val" for internal keys; plain 'key' when the bytes are not one.
std::string KeyText(std::string_view key) {
  ParsedInternalKey parsed;
  if (ParseInternalKey(key, &parsed)) return parsed.DebugString();
  return DumpBytes(key);
}

std::string HandleText(const BlockHandle& h) {
  return fmt::format("[{}, +{})", h.offset(), h.size());
}

const char* CompressionName(CompressionType t) {
  return t == CompressionType::kNone ? "raw" : "snappy";
}

class TableDumper {
 public:
  TableDumper(const RandomAccessFile& file, uint64_t size, const DumpOutput& out,
              const DumpOptions& options)
      : file_(file), size_(size), out_(out), options_(options) {}

  Status Run() {
    const std::string name = file_.path().filename().string();
    out_(fmt::format("{}: table, {} bytes\n", name, size_));
    if (size_ < Footer::kEncodedLength) {
      Problem(0, fmt::format("file too short for a {}-byte footer", Footer::kEncodedLength));
      return first_error_;
    }
    // Footer.
    const uint64_t footer_offset = size_ - Footer::kEncodedLength;
    std::string scratch(Footer::kEncodedLength, '\0');
    std::string_view bytes;
    Status s = file_.Read(footer_offset, Footer::kEncodedLength, scratch.data(), &bytes);
    if (!s.ok()) return s;
    Footer footer;
    if (s = footer.DecodeFrom(bytes); !s.ok()) {
      Problem(footer_offset, s.ToString());
      return first_error_;
    }
    // Index block, and through it every data block.
    std::string index_contents;
    std::string index_line;
    if (!ReadQuietly("index block", footer.index_handle(), &index_contents, &index_line)) {
      return first_error_;
    }
    Block index(std::move(index_contents));
    auto it = index.NewIterator(BytewiseComparator());
    uint64_t block_number = 0, entries = 0, puts = 0, deletes = 0;
    std::vector<std::pair<std::string, BlockHandle>> index_entries;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view value = it->value();
      BlockHandle handle;
      if (Status hs = handle.DecodeFrom(&value); !hs.ok()) {
        Problem(footer.index_handle().offset(), "bad block handle in the index: " + hs.ToString());
        continue;
      }
      index_entries.emplace_back(std::string(it->key()), handle);
      std::string contents;
      const std::string title = fmt::format("data block {}", block_number++);
      if (!ReadAndDescribe(title, handle, &contents)) continue;
      Block block(std::move(contents));
      auto bit = block.NewIterator(BytewiseComparator());
      uint64_t n = 0;
      for (bit->SeekToFirst(); bit->Valid(); bit->Next()) {
        ++n;
        ParsedInternalKey parsed;
        const bool internal = ParseInternalKey(bit->key(), &parsed);
        if (internal && parsed.type == ValueType::kDeletion) ++deletes; else ++puts;
        if (!options_.show_entries) continue;
        if (internal && parsed.type == ValueType::kDeletion) {
          out_(fmt::format("    {}\n", KeyText(bit->key())));
        } else {
          out_(fmt::format("    {} => {}\n", KeyText(bit->key()),
                           DumpBytes(bit->value(), options_.max_value_bytes)));
        }
      }
      if (!bit->status().ok()) Problem(handle.offset(), bit->status().ToString());
      out_(fmt::format("    ({}, {})\n", Plural(n, "entry", "entries"),
                       Plural(block.num_restarts(), "restart point")));
      entries += n;
    }
    if (!it->status().ok()) Problem(footer.index_handle().offset(), it->status().ToString());

    // Metaindex block (and the filter it names).
    // In file order: the filter block, the metaindex block that names it, the index, the footer.
    std::string meta_contents, meta_line;
    if (ReadQuietly("metaindex block", footer.metaindex_handle(), &meta_contents, &meta_line)) {
      Block meta(std::move(meta_contents));
      auto mit = meta.NewIterator(BytewiseComparator());
      std::string entries_text;
      for (mit->SeekToFirst(); mit->Valid(); mit->Next()) {
        std::string_view value = mit->value();
        BlockHandle handle;
        if (Status hs = handle.DecodeFrom(&value); !hs.ok()) {
          Problem(footer.metaindex_handle().offset(), "bad handle in the metaindex");
          continue;
        }
        entries_text += fmt::format("    {} => {}\n", DumpBytes(mit->key()), HandleText(handle));
        if (mit->key().starts_with("filter.")) DumpFilter(std::string(mit->key()), handle);
      }
      out_(meta_line);
      out_(entries_text);
    }

    out_(index_line);
    out_(fmt::format("    {}: separator key => data block\n",
                     Plural(index_entries.size(), "entry", "entries")));
    for (const auto& [key, handle] : index_entries) {
      out_(fmt::format("    {} => {}\n", KeyText(key), HandleText(handle)));
    }
    out_(fmt::format("footer at offset {}: metaindex {}, index {}, magic {:#x}, 48 bytes\n",
                     footer_offset,
                     HandleText(footer.metaindex_handle()), HandleText(footer.index_handle()),
                     DecodeFixed64(bytes.data() + Footer::kEncodedLength - 8)));

    out_(fmt::format("{}, {} ({}, {})\n", Plural(block_number, "data block"),
                     Plural(entries, "entry", "entries"), Plural(puts, "value"),
                     Plural(deletes, "deletion")));
    return first_error_;
  }

 private:
  // Reads a block into *contents and describes it in *line (printed later, in file order);
  // false (after reporting the problem) when it cannot be read.
  bool ReadQuietly(const std::string& title, const BlockHandle& handle, std::string* contents,
                   std::string* line) {
    CompressionType type = CompressionType::kNone;
    Status s = ReadBlock(file_, handle, contents, &type);
    if (!s.ok()) {
      Problem(handle.offset(), fmt::format("{}: {}", title, s.ToString()));
      return false;
    }
    *line = fmt::format("{} at offset {}: {} bytes + 5-byte trailer ({}, crc ok)\n", title,
                        handle.offset(), handle.size(), CompressionName(type));
    return true;
  }
  // Reads a block and prints its line now.
  bool ReadAndDescribe(const std::string& title, const BlockHandle& handle, std::string* contents) {
    std::string line;
    if (!ReadQuietly(title, handle, contents, &line)) return false;
    out_(line);
    return true;
  }

  // The filter block: filters, fixed32 offsets, fixed32 array offset, base lg byte.
  void DumpFilter(const std::string& name, const BlockHandle& handle) {
    std::string contents;
    if (!ReadAndDescribe("filter block", handle, &contents)) return;
    const size_t n = contents.size();
    if (n < 5) {
      Problem(handle.offset(), "filter block shorter than 5 bytes");
      return;
    }
    const int base_lg = static_cast<uint8_t>(contents[n - 1]);
    const uint32_t array_offset = DecodeFixed32(contents.data() + n - 5);
    if (array_offset > n - 5) {
      Problem(handle.offset(), fmt::format("filter offset array at {} is past the block", array_offset));
      return;
    }
    const size_t count = (n - 5 - array_offset) / 4;
    out_(fmt::format("    policy {}: {}, one per {} bytes of data offsets\n", name,
                     Plural(count, "filter"), uint64_t{1} << base_lg));
    for (size_t i = 0; i < count; ++i) {
      const uint32_t start = DecodeFixed32(contents.data() + array_offset + 4 * i);
      const uint32_t limit =
          i + 1 < count ? DecodeFixed32(contents.data() + array_offset + 4 * (i + 1)) : array_offset;
      if (start > limit || limit > array_offset) {
        Problem(handle.offset(), fmt::format("filter {} has bad bounds [{}, {})", i, start, limit));
        return;
      }
      if (limit == start) {
        out_(fmt::format("    filter {}: empty\n", i));
      } else {
        out_(fmt::format("    filter {}: {} bytes, {} probes per key\n", i, limit - start - 1,
                         static_cast<uint8_t>(contents[limit - 1])));
      }
    }
  }

  // Prints a problem where it is met and remembers the first one.
  void Problem(uint64_t offset, const std::string& text) {
    out_(fmt::format("  !! offset {}: {}\n", offset, text));
    if (first_error_.ok()) {
      first_error_ = Status::Corruption("{}: {} at offset {}", file_.path().string(), text, offset);
    }
  }

  const RandomAccessFile& file_;
  const uint64_t size_;
  const DumpOutput& out_;
  const DumpOptions& options_;
  Status first_error_;
};

}  // namespace

Status DumpTable(FileSystem* fs, const std::filesystem::path& path, const DumpOutput& out,
                 const DumpOptions& options) {
  std::unique_ptr<RandomAccessFile> file;
  uint64_t size = 0;
  Status s = fs->NewRandomAccessFile(path, &file);
  if (s.ok()) s = fs->GetFileSize(path, &size);
  if (!s.ok()) return s;
  TableDumper dumper(*file, size, out, options);
  return dumper.Run();
}

}  // namespace lsm::demo
