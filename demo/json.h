// Json: a small JSON reader for lsmviz's trace lines (demo/trace_writer.h) — enough of RFC 8259
// to check a line and read its fields, nothing more.
//
// Example:
//   JsonValue v;
//   std::string error;
//   if (!ParseJson(R"({"seq":1,"files":[]})", &v, &error)) fmt::print("{}\n", error);
//   int64_t seq = v["seq"].AsInt();      // 1; a missing member reads as null (0, "", empty)
//
// Strings: \uXXXX escapes below U+0100 become that one byte (the trace writes key bytes so),
// others become UTF-8; surrogate pairs are joined. Numbers are doubles.
// Intentionally copyable (a value tree). Thread-safety: none needed (no shared state).
// Simplifications: no depth limit beyond 64 levels of nesting, objects keep duplicate keys
// (lookup finds the first).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lsm::demo {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool AsBool() const { return kind_ == Kind::kBool && bool_; }
  double AsNumber() const { return kind_ == Kind::kNumber ? number_ : 0; }
  int64_t AsInt() const { return static_cast<int64_t>(AsNumber()); }
  const std::string& AsString() const { return string_; }  // "" unless a string
  const std::vector<JsonValue>& items() const { return items_; }  // array elements
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }
  // The member `key` of an object, or a null value.
  const JsonValue& operator[](std::string_view key) const;
  bool Has(std::string_view key) const;

 private:
  friend class JsonParser;
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses `text` (one whole JSON value, whitespace around it allowed) into *value. On failure
// returns false and sets *error to "offset N: what was expected".
bool ParseJson(std::string_view text, JsonValue* value, std::string* error);

}  // namespace lsm::demo
