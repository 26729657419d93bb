#include "demo/json.h"

#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

namespace lsm::demo {

const JsonValue& JsonValue::operator[](std::string_view key) const {
  static const JsonValue kNull;
  for (const auto& [k, v] : members_) {
    if (k == key) return v;
  }
  return kNull;
}

bool JsonValue::Has(std::string_view key) const {
  for (const auto& m : members_) {
    if (m.first == key) return true;
  }
  return false;
}

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  bool ParseWhole(JsonValue* v, std::string* error) {
    bool ok = Value(v, 0);
    if (ok) {
      SkipSpace();
      if (pos_ != text_.size()) ok = Fail("end of input");
    }
    if (!ok) *error = fmt::format("offset {}: expected {}", pos_, expected_);
    return ok;
  }

 private:
  bool Fail(const char* what) {
    expected_ = what;
    return false;
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return Fail("a value");
    pos_ += word.size();
    return true;
  }

  bool Value(JsonValue* v, int depth) {
    if (depth > 64) return Fail("less nesting");
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("a value");
    const char c = text_[pos_];
    if (c == '{') return Object(v, depth);
    if (c == '[') return Array(v, depth);
    if (c == '"') {
      v->kind_ = JsonValue::Kind::kString;
      return String(&v->string_);
    }
    if (c == 't') { v->kind_ = JsonValue::Kind::kBool; v->bool_ = true; return Literal("true"); }
    if (c == 'f') { v->kind_ = JsonValue::Kind::kBool; return Literal("false"); }
    if (c == 'n') return Literal("null");
    return Number(v);
  }

  bool Number(JsonValue* v) {
    const size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    size_t digits = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_, ++digits;
    if (digits == 0) return Fail("a value");
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      digits = 0;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_, ++digits;
      if (digits == 0) return Fail("a digit");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      digits = 0;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_, ++digits;
      if (digits == 0) return Fail("a digit");
    }
    v->kind_ = JsonValue::Kind::kNumber;
    v->number_ = std::strtod(std::string(text_.substr(start, pos_ - start)).c_str(), nullptr);
    return true;
  }

  bool Hex4(uint32_t* out) {
    if (pos_ + 4 > text_.size()) return Fail("4 hex digits");
    *out = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      *out <<= 4;
      if (h >= '0' && h <= '9') *out |= h - '0';
      else if (h >= 'a' && h <= 'f') *out |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') *out |= h - 'A' + 10;
      else return Fail("4 hex digits");
    }
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) { *out += static_cast<char>(cp); return; }
    if (cp < 0x800) {
      *out += static_cast<char>(0xc0 | (cp >> 6));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xe0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    } else {
      *out += static_cast<char>(0xf0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    }
    *out += static_cast<char>(0x80 | (cp & 0x3f));
  }

  bool String(std::string* out) {
    ++pos_;  // the opening quote
    while (true) {
      if (pos_ >= text_.size()) return Fail("a closing quote");
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return Fail("no control character in a string");
      if (c != '\\') { *out += c; continue; }
      if (pos_ >= text_.size()) return Fail("an escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"': case '\\': case '/': *out += e; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 't': *out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xd800 && cp < 0xdc00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            uint32_t low = 0;
            if (!Hex4(&low)) return false;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          }
          if (cp < 0x100) *out += static_cast<char>(cp); else AppendUtf8(cp, out);
          break;
        }
        default: return Fail("a valid escape");
      }
    }
  }

  bool Array(JsonValue* v, int depth) {
    v->kind_ = JsonValue::Kind::kArray;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') { ++pos_; return true; }
    while (true) {
      v->items_.emplace_back();
      if (!Value(&v->items_.back(), depth + 1)) return false;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("',' or ']'");
      const char c = text_[pos_++];
      if (c == ']') return true;
      if (c != ',') { --pos_; return Fail("',' or ']'"); }
    }
  }

  bool Object(JsonValue* v, int depth) {
    v->kind_ = JsonValue::Kind::kObject;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') { ++pos_; return true; }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("a member name");
      std::string key;
      if (!String(&key)) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Fail("':'");
      ++pos_;
      v->members_.emplace_back(std::move(key), JsonValue{});
      if (!Value(&v->members_.back().second, depth + 1)) return false;
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("',' or '}'");
      const char c = text_[pos_++];
      if (c == '}') return true;
      if (c != ',') { --pos_; return Fail("',' or '}'"); }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  const char* expected_ = "";
};

bool ParseJson(std::string_view text, JsonValue* value, std::string* error) {
  *value = JsonValue{};
  return JsonParser(text).ParseWhole(value, error);
}

}  // namespace lsm::demo
