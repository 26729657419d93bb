// Dumps of log-framed files: the write-ahead log (records are WriteBatches) and the MANIFEST
// (records are VersionEdits). The physical walk is done here, independently of WalReader, so
// the dump shows every fragment — including the ones a reader would drop — with its offset.
// Format reminder (step2_wal/log_format.h): | crc 4 | length 2 | type 1 | payload |, in 32 KiB
// blocks; a block tail under 7 bytes is zero filler.
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "common/coding.h"
#include "common/crc32c.h"
#include "common/plural.h"
#include "demo/dump.h"
#include "step2_wal/log_format.h"
#include "step2_wal/write_batch.h"
#include "step5_lsm/version_edit.h"

namespace lsm::demo {
namespace {

// Prints a WriteBatch's operations, one a line, each with its own sequence number.
class BatchPrinter final : public WriteBatch::Handler {
 public:
  BatchPrinter(SequenceNumber first, const DumpOutput& out, const DumpOptions& options)
      : sequence_(first), out_(out), options_(options) {}
  void Put(std::string_view k, std::string_view v) override {
    out_(fmt::format("      seq {:<6} put {} => {}\n", sequence_++, DumpBytes(k),
                     DumpBytes(v, options_.max_value_bytes)));
  }
  void Delete(std::string_view k) override {
    out_(fmt::format("      seq {:<6} del {}\n", sequence_++, DumpBytes(k)));
  }

 private:
  SequenceNumber sequence_;
  const DumpOutput& out_;
  const DumpOptions& options_;
};

// Decodes one logical record; returns a problem description, or "" when it decoded.
using RecordDecoder = std::function<std::string(std::string_view record)>;

// Walks the physical records of a log-framed file, printing each, and hands every complete
// logical record (with the offset of its first fragment) to decode.
Status WalkLogFile(FileSystem* fs, const std::filesystem::path& path, std::string_view what,
                   const DumpOutput& out, const RecordDecoder& decode) {
  std::string data;
  Status s = ReadFileToString(fs, path, &data, kMaxDumpLogBytes);
  if (!s.ok()) return s;
  const uint64_t size = data.size();
  out(fmt::format("{}: {}, {} bytes ({} of {})\n", path.filename().string(), what, size,
                  Plural((size + log::kBlockSize - 1) / log::kBlockSize, "block"), log::kBlockSize));

  Status first_error;
  auto problem = [&](uint64_t offset, const std::string& text) {
    out(fmt::format("  !! offset {}: {}\n", offset, text));
    if (first_error.ok()) first_error = Status::Corruption("{}: {} at offset {}", path.string(), text, offset);
  };

  std::string record;          // the logical record being assembled
  bool in_record = false;      // a FIRST was seen and no LAST yet
  uint64_t record_offset = 0;  // where the assembling record began
  uint64_t records = 0, fragments = 0;
  uint64_t offset = 0;
  while (offset < size) {
    const uint64_t block_end = (offset / log::kBlockSize + 1) * log::kBlockSize;
    const uint64_t room = block_end - offset;  // bytes left in this block
    if (room < log::kHeaderSize) {
      const uint64_t have = std::min(block_end, size) - offset;
      out(fmt::format("  offset {}: {} of block-tail filler\n", offset, Plural(have, "byte")));
      offset = block_end;
      continue;
    }
    if (size - offset < log::kHeaderSize) {
      out(fmt::format("  offset {}: torn tail: {} bytes of a cut-off header (a crash mid-write; "
                      "not corruption)\n", offset, size - offset));
      break;
    }
    const char* header = data.data() + offset;
    const uint32_t stored_crc = crc32c::Unmask(DecodeFixed32(header));
    const uint32_t length = static_cast<uint8_t>(header[4]) | (static_cast<uint8_t>(header[5]) << 8);
    const uint8_t type = static_cast<uint8_t>(header[6]);
    if (type == 0 && length == 0 && DecodeFixed32(header) == 0) {
      out(fmt::format("  offset {}: zero-filled space to the end of the block\n", offset));
      offset = block_end;
      continue;
    }
    if (offset + log::kHeaderSize + length > size) {
      out(fmt::format("  offset {}: torn tail: {} record of length {} cut off by end of file "
                      "(a crash mid-write; not corruption)\n",
                      offset, log::RecordTypeName(type), length));
      break;
    }
    if (log::kHeaderSize + length > room) {
      problem(offset, fmt::format("impossible length {} (only {} bytes left in the block)", length,
                                  room - log::kHeaderSize));
      offset = block_end;
      continue;
    }
    const std::string_view payload(header + log::kHeaderSize, length);
    const uint32_t actual_crc = crc32c::Extend(crc32c::Value(header + 6, 1), payload.data(), payload.size());
    const bool crc_ok = actual_crc == stored_crc;
    out(fmt::format("  offset {:<6} {:<6} length {:<5} crc {:08x} {}\n", offset,
                    log::RecordTypeName(type), length, stored_crc, crc_ok ? "ok" : "MISMATCH"));
    ++fragments;
    if (!crc_ok) {
      problem(offset, "checksum mismatch; the rest of the block is skipped");
      in_record = false;
      offset = block_end;
      continue;
    }
    const uint64_t this_offset = offset;
    offset += log::kHeaderSize + length;
    auto finish = [&](std::string_view whole) {
      ++records;
      out(fmt::format("    record {} at offset {}, {} bytes:\n", records, record_offset, whole.size()));
      if (std::string why = decode(whole); !why.empty()) problem(record_offset, why);
    };
    switch (type) {
      case 1:  // FULL
        if (in_record) problem(this_offset, "FULL record inside an unfinished FIRST..LAST");
        in_record = false;
        record_offset = this_offset;
        finish(payload);
        break;
      case 2:  // FIRST
        if (in_record) problem(this_offset, "FIRST record inside an unfinished FIRST..LAST");
        in_record = true;
        record_offset = this_offset;
        record.assign(payload);
        break;
      case 3:  // MIDDLE
        if (!in_record) { problem(this_offset, "MIDDLE record without a FIRST"); break; }
        record.append(payload);
        break;
      case 4:  // LAST
        if (!in_record) { problem(this_offset, "LAST record without a FIRST"); break; }
        record.append(payload);
        in_record = false;
        finish(record);
        break;
      default:
        problem(this_offset, fmt::format("unknown record type {}", type));
    }
  }
  if (in_record) {
    out(fmt::format("  torn tail: the record begun at offset {} never got its LAST fragment\n",
                    record_offset));
  }
  out(fmt::format("{} in {}\n", Plural(records, "record"), Plural(fragments, "fragment")));
  return first_error;
}

}  // namespace

std::string DumpBytes(std::string_view bytes, size_t max_bytes) {
  if (bytes.size() <= max_bytes) return fmt::format("'{}'", EscapeBytes(bytes));
  return fmt::format("'{}'...({} bytes)", EscapeBytes(bytes.substr(0, max_bytes)), bytes.size());
}

Status DumpLog(FileSystem* fs, const std::filesystem::path& path, const DumpOutput& out,
               const DumpOptions& options) {
  return WalkLogFile(fs, path, "write-ahead log", out, [&](std::string_view record) {
    WriteBatch batch;
    if (Status s = batch.SetContents(record); !s.ok()) return s.ToString();
    out(fmt::format("      batch: sequence {}, {}\n", batch.Sequence(), Plural(batch.Count(), "op")));
    BatchPrinter printer(batch.Sequence(), out, options);
    if (Status s = batch.Iterate(&printer); !s.ok()) return s.ToString();
    return std::string();
  });
}

Status DumpManifest(FileSystem* fs, const std::filesystem::path& path, const DumpOutput& out,
                    const DumpOptions& /*options*/) {
  return WalkLogFile(fs, path, "MANIFEST", out, [&](std::string_view record) {
    VersionEdit edit;
    if (Status s = edit.DecodeFrom(record); !s.ok()) return s.ToString();
    auto field = [&](std::string_view name, const auto& value) {
      out(fmt::format("      {:<16} {}\n", name, value));
    };
    if (edit.comparator()) field("comparator", *edit.comparator());
    if (edit.log_number()) field("log number", *edit.log_number());
    if (edit.prev_log_number()) field("prev log number", *edit.prev_log_number());
    if (edit.next_file_number()) field("next file", *edit.next_file_number());
    if (edit.last_sequence()) field("last sequence", *edit.last_sequence());
    for (const auto& [level, key] : edit.compact_pointers()) {
      field("compact pointer", fmt::format("L{} {}", level, key.DebugString()));
    }
    for (const auto& [level, number] : edit.deleted_files()) {
      field("delete file", fmt::format("L{} #{}", level, number));
    }
    for (const auto& [level, f] : edit.new_files()) {
      field("add file", fmt::format("L{} #{} {} bytes [{} .. {}]", level, f.number, f.file_size,
                                    f.smallest.DebugString(), f.largest.DebugString()));
    }
    return std::string();
  });
}

}  // namespace lsm::demo
