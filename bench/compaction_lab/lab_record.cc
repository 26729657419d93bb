#include "bench/compaction_lab/lab_record.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>

#include <fmt/format.h>

namespace lsm::bench {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Reads a quoted string at s[*pos] (which is '"'); advances *pos past it.
std::optional<std::string> Unquote(std::string_view s, size_t* pos) {
  std::string out;
  for (size_t i = *pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out += s[++i];
    } else if (s[i] == '"') {
      *pos = i + 1;
      return out;
    } else {
      out += s[i];
    }
  }
  return std::nullopt;
}

}  // namespace

LabRecord::Field* LabRecord::Find(const std::string& name) {
  for (auto& f : fields_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const LabRecord::Field* LabRecord::Find(const std::string& name) const {
  return const_cast<LabRecord*>(this)->Find(name);
}

void LabRecord::Set(const std::string& name, std::optional<double> value) {
  if (value && !std::isfinite(*value)) value.reset();
  Field* f = Find(name);
  if (f == nullptr) f = &fields_.emplace_back(Field{.name = name});
  f->is_text = false;
  f->number = value;
}

void LabRecord::SetText(const std::string& name, const std::string& text) {
  Field* f = Find(name);
  if (f == nullptr) f = &fields_.emplace_back(Field{.name = name});
  f->is_text = true;
  f->text = text;
}

std::optional<double> LabRecord::Get(const std::string& name) const {
  const Field* f = Find(name);
  return f == nullptr || f->is_text ? std::nullopt : f->number;
}

std::string LabRecord::GetText(const std::string& name) const {
  const Field* f = Find(name);
  return f == nullptr || !f->is_text ? "" : f->text;
}

std::string LabRecord::ToJson() const {
  std::string out = "{";
  for (const auto& f : fields_) {
    if (out.size() > 1) out += ',';
    out += Quote(f.name) + ':';
    if (f.is_text) out += Quote(f.text);
    else if (f.number && *f.number == std::floor(*f.number) && std::fabs(*f.number) < 1e15)
      out += fmt::format("{}", static_cast<int64_t>(*f.number));  // exact, e.g. byte counts
    else if (f.number) out += fmt::format("{:.6g}", *f.number);
    else out += "null";
  }
  return out + "}";
}

std::optional<LabRecord> LabRecord::FromJson(std::string_view s) {
  LabRecord r;
  size_t i = 0;
  auto skip = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  };
  skip();
  if (i >= s.size() || s[i++] != '{') return std::nullopt;
  for (skip(); i < s.size() && s[i] != '}';) {
    if (s[i] != '"') return std::nullopt;
    auto name = Unquote(s, &i);
    skip();
    if (!name || i >= s.size() || s[i++] != ':') return std::nullopt;
    skip();
    if (i < s.size() && s[i] == '"') {
      auto text = Unquote(s, &i);
      if (!text) return std::nullopt;
      r.SetText(*name, *text);
    } else if (s.substr(i, 4) == "null") {
      r.Set(*name, std::nullopt);
      i += 4;
    } else {
      const std::string rest(s.substr(i, 40));
      char* end = nullptr;
      const double v = std::strtod(rest.c_str(), &end);
      if (end == rest.c_str()) return std::nullopt;
      r.Set(*name, v);
      i += static_cast<size_t>(end - rest.c_str());
    }
    skip();
    if (i < s.size() && s[i] == ',') ++i;
    skip();
  }
  if (i >= s.size()) return std::nullopt;
  return r;
}

}  // namespace lsm::bench
