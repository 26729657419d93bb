// LabRecord: one style's results — named numbers (or "no value", printed as "—") and a few
// named strings, in insertion order — and the one-line JSON a lab child writes for the parent
// process and for bench/lab_report.py:
//   {"style":"ours:tiered","num":1000000,"wa_tables":2.31,"hit_blocks":null,...}
//
// Example:
//   LabRecord r;
//   r.SetText("style", "rocksdb:universal");
//   r.Set("wa_tables", 2.3);
//   r.Set("scan_blocks", std::nullopt);          // not measured
//   std::string line = r.ToJson();
//   std::optional<LabRecord> back = LabRecord::FromJson(line);   // only this writer's format
//
// Thread-safety: a value; intentionally copyable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lsm::bench {

class LabRecord {
 public:
  void Set(const std::string& name, std::optional<double> value);
  void SetText(const std::string& name, const std::string& text);
  // The number named `name`; nullopt when absent, "no value", or a string.
  std::optional<double> Get(const std::string& name) const;
  // The string named `name`; "" when absent.
  std::string GetText(const std::string& name) const;

  std::string ToJson() const;
  // Parses a line written by ToJson (flat object; numbers, null, strings without escapes
  // other than \" and \\). nullopt when it is not one.
  static std::optional<LabRecord> FromJson(std::string_view line);

 private:
  struct Field {
    std::string name;
    bool is_text = false;
    std::optional<double> number;
    std::string text;
  };
  Field* Find(const std::string& name);
  const Field* Find(const std::string& name) const;
  std::vector<Field> fields_;
};

}  // namespace lsm::bench
