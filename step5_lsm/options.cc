#include "step5_lsm/options.h"

#include <fmt/format.h>

#include "common/flags.h"

namespace lsm {

namespace {

// One option's allowed range, checked the same way for every integer option.
template <typename T>
Status CheckRange(std::string_view name, T value, T min, T max) {
  if (value >= min && value <= max) return Status::OK();
  return Status::InvalidArgument("Options::{} = {} is out of range [{}, {}]", name, value, min,
                                 max);
}

}  // namespace

std::string_view CompactionStyleName(CompactionStyle style) {
  switch (style) {
    case CompactionStyle::kLeveled: return "leveled";
    case CompactionStyle::kTiered: return "tiered";
    case CompactionStyle::kLazyLeveled: return "lazy-leveled";
  }
  return "unknown";
}

Status ParseCompactionStyle(std::string_view name, CompactionStyle* style) {
  for (CompactionStyle s : kCompactionStyles) {
    if (name == CompactionStyleName(s)) {
      *style = s;
      return Status::OK();
    }
  }
  return Status::InvalidArgument(
      "unknown compaction style '{}' (valid: leveled, tiered, lazy-leveled)", name);
}

void AddCompactionStyleFlag(Flags* flags, CompactionStyle* style) {
  flags->Custom(
      "style", [style](std::string_view name) { return ParseCompactionStyle(name, style); },
      std::string(CompactionStyleName(*style)), "compaction style: leveled, tiered or lazy-leveled");
}

Status ValidateOptions(const Options& o) {
  if (o.comparator == nullptr) return Status::InvalidArgument("Options::comparator is null");
  if (o.fs == nullptr) return Status::InvalidArgument("Options::fs is null");
  Status s = CheckRange<size_t>("write_buffer_size", o.write_buffer_size,
                                OptionLimits::kMinWriteBufferSize,
                                OptionLimits::kMaxWriteBufferSize);
  if (s.ok()) {
    s = CheckRange<int>("max_open_files", o.max_open_files, OptionLimits::kMinOpenFiles,
                        OptionLimits::kMaxOpenFiles);
  }
  if (s.ok()) {
    s = CheckRange<uint64_t>("max_file_size", o.max_file_size, OptionLimits::kMinFileSize,
                             OptionLimits::kMaxFileSize);
  }
  if (s.ok()) {
    s = CheckRange<uint64_t>("max_bytes_for_level_base", o.max_bytes_for_level_base,
                             OptionLimits::kMinLevelBase, OptionLimits::kMaxLevelBase);
  }
  if (s.ok()) {
    s = CheckRange<size_t>("block_size", o.block_size, OptionLimits::kMinBlockSize,
                           OptionLimits::kMaxBlockSize);
  }
  if (s.ok()) {
    s = CheckRange<int>("block_restart_interval", o.block_restart_interval, 1,
                        OptionLimits::kMaxRestartInterval);
  }
  if (s.ok()) {
    s = CheckRange<int>("bloom_bits_per_key", o.bloom_bits_per_key, 0,
                        OptionLimits::kMaxBloomBitsPerKey);
  }
  if (s.ok()) {
    s = CheckRange<size_t>("block_cache_bytes", o.block_cache_bytes, 0,
                           OptionLimits::kMaxBlockCacheBytes);
  }
  const UniversalCompactionOptions& u = o.universal;
  if (s.ok()) {
    s = CheckRange<int>("universal.size_ratio", u.size_ratio, 0, OptionLimits::kMaxSizeRatio);
  }
  if (s.ok()) {
    s = CheckRange<int>("universal.min_merge_width", u.min_merge_width, 2,
                        std::numeric_limits<int>::max());
  }
  if (s.ok()) {
    s = CheckRange<int>("universal.max_merge_width", u.max_merge_width, u.min_merge_width,
                        std::numeric_limits<int>::max());
  }
  if (s.ok()) {
    s = CheckRange<int>("universal.max_size_amplification_percent",
                        u.max_size_amplification_percent, 0, OptionLimits::kMaxSizeRatio);
  }
  if (s.ok()) {
    s = CheckRange<int>("universal.run_compaction_trigger", u.run_compaction_trigger, 2,
                        OptionLimits::kMaxRunCompactionTrigger);
  }
  if (s.ok()) {
    s = CheckRange<int>("lazy_leveling_size_ratio", o.lazy_leveling_size_ratio, 1,
                        OptionLimits::kMaxSizeRatio);
  }
  if (s.ok() && o.compaction_style != CompactionStyle::kLeveled &&
      o.compaction_style != CompactionStyle::kTiered &&
      o.compaction_style != CompactionStyle::kLazyLeveled) {
    s = Status::InvalidArgument("Options::compaction_style = {} is not a known style (valid: "
                                "leveled, tiered, lazy-leveled)",
                                static_cast<int>(o.compaction_style));
  }
  if (s.ok() && o.compression != CompressionType::kNone &&
      o.compression != CompressionType::kSnappy) {
    s = Status::InvalidArgument("Options::compression = {} is not a known compression (0 none, "
                                "1 snappy)",
                                static_cast<int>(o.compression));
  }
  return s;
}

}  // namespace lsm
