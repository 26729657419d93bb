#include "step5_lsm/event_listener.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/plural.h"

namespace lsm {

std::string LogRecoveryInfo::Describe() const {
  std::string out = fmt::format("log #{}: ", log_number);
  if (skipped) {
    out += fmt::format("SKIPPED (an earlier log is damaged; replaying it would break the "
                       "order of writes): {} bytes, {} records not applied",
                       bytes_dropped, records_dropped);
  } else {
    out += fmt::format("{} replayed", Plural(records_replayed, "record"));
    if (torn_tail_bytes > 0) {
      out += fmt::format("; torn tail of {} bytes (a crash mid-append)", torn_tail_bytes);
    }
    if (damaged) {
      out += fmt::format("; DAMAGED at offset {}: {}; replay stopped there, dropping {} bytes "
                         "({} intact records after the damage)",
                         damage_offset, reason, bytes_dropped, records_dropped);
    }
  }
  if (!kept_as.empty()) out += fmt::format("; kept as {}", kept_as);
  return out;
}

bool RecoveryInfo::lost_data() const {
  return std::any_of(logs.begin(), logs.end(), [](const auto& l) { return l.lost_data(); });
}

std::string RecoveryInfo::Describe() const {
  if (logs.empty()) return "no log to replay\n";
  std::string out;
  for (const auto& log : logs) out += log.Describe() + "\n";
  return out;
}

}  // namespace lsm
