#include "common/flags.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace lsm {

Flags::Flags(std::string program, std::string description)
    : program_(std::move(program)), description_(std::move(description)) {}

void Flags::Int(const std::string& name, int64_t* value, int64_t min, int64_t max,
                const std::string& help) {
  assert(min <= *value && *value <= max);
  Flag f{name, Kind::kInt, value, help, std::to_string(*value)};
  f.int_min = min;
  f.int_max = max;
  f.range_text = fmt::format("{}..{}", min, max);
  flags_.push_back(std::move(f));
}
void Flags::Double(const std::string& name, double* value, double min, double max,
                   const std::string& help) {
  assert(min <= *value && *value <= max);
  Flag f{name, Kind::kDouble, value, help, fmt::format("{}", *value)};
  f.double_min = min;
  f.double_max = max;
  f.range_text = fmt::format("{}..{}", min, max);
  flags_.push_back(std::move(f));
}
void Flags::Int(const std::string& name, int64_t* value, const std::string& help) {
  flags_.push_back({name, Kind::kInt, value, help, std::to_string(*value)});
}
void Flags::Double(const std::string& name, double* value, const std::string& help) {
  flags_.push_back({name, Kind::kDouble, value, help, fmt::format("{}", *value)});
}
void Flags::String(const std::string& name, std::string* value, const std::string& help) {
  flags_.push_back({name, Kind::kString, value, help, fmt::format("\"{}\"", *value)});
}
void Flags::Bool(const std::string& name, bool* value, const std::string& help) {
  flags_.push_back({name, Kind::kBool, value, help, *value ? "true" : "false"});
}
void Flags::Custom(const std::string& name, std::function<Status(std::string_view)> parse,
                   const std::string& default_text, const std::string& help) {
  Flag f{name, Kind::kCustom, nullptr, help, default_text};
  f.parse = std::move(parse);
  flags_.push_back(std::move(f));
}
void Flags::Arguments(const std::string& name, std::vector<std::string>* args) {
  arguments_name_ = name;
  arguments_ = args;
}

const Flags::Flag* Flags::Find(const std::string& name) const {
  for (const auto& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Status Flags::Set(const Flag& f, const std::string& text) {
  auto out_of_range = [&] {
    return Status::InvalidArgument(
        "--{}: {} is out of range (allowed: {})", f.name, text,
        f.range_text.empty() ? fmt::format("{}..{}", f.int_min, f.int_max) : f.range_text);
  };
  switch (f.kind) {
    case Kind::kInt: {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      const bool all_digits = p == text.data() + text.size();
      if (ec == std::errc::result_out_of_range && all_digits) return out_of_range();
      if (ec != std::errc() || !all_digits) {
        return Status::InvalidArgument("--{}: '{}' is not an integer", f.name, text);
      }
      if (v < f.int_min || v > f.int_max) return out_of_range();
      *static_cast<int64_t*>(f.target) = v;
      return Status::OK();
    }
    case Kind::kDouble: {
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) {
        return Status::InvalidArgument("--{}: '{}' is not a number", f.name, text);
      }
      if (!f.range_text.empty() && !(v >= f.double_min && v <= f.double_max)) {
        return out_of_range();
      }
      *static_cast<double*>(f.target) = v;
      return Status::OK();
    }
    case Kind::kString:
      *static_cast<std::string*>(f.target) = text;
      return Status::OK();
    case Kind::kBool:
      if (text == "true" || text == "1" || text == "yes") {
        *static_cast<bool*>(f.target) = true;
      } else if (text == "false" || text == "0" || text == "no") {
        *static_cast<bool*>(f.target) = false;
      } else {
        return Status::InvalidArgument("--{}: '{}' is not true or false", f.name, text);
      }
      return Status::OK();
    case Kind::kCustom:
      return f.parse(text).WithContext(fmt::format("--{}", f.name));
  }
  return Status::OK();
}

Status Flags::Parse(int argc, char** argv) {
  bool only_arguments = false;  // after "--"
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!only_arguments && (arg == "--help" || arg == "-h")) {
      help_ = true;
      fmt::print("{}", Usage());
      return Status::OK();
    }
    if (!only_arguments && arg == "--" && arguments_ != nullptr) {
      only_arguments = true;
      continue;
    }
    if (only_arguments || !arg.starts_with("--")) {
      if (arguments_ == nullptr) return Status::InvalidArgument("unexpected argument '{}'", arg);
      arguments_->push_back(std::move(arg));
      continue;
    }
    arg.erase(0, 2);
    std::string name = arg;
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    const Flag* f = Find(name);
    if (f == nullptr && !has_value && name.starts_with("no")) {
      const Flag* neg = Find(name.substr(2));
      if (neg != nullptr && neg->kind == Kind::kBool) {
        *static_cast<bool*>(neg->target) = false;
        continue;
      }
    }
    if (f == nullptr) return Status::InvalidArgument("unknown flag '--{}'", name);
    if (!has_value) {
      if (f->kind == Kind::kBool) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return Status::InvalidArgument("--{} needs a value", name);
      }
    }
    Status s = Set(*f, value);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

std::string Flags::Usage() const {
  std::string out = fmt::format("Usage: {} [flags]{}\n{}\n\nFlags:\n", program_,
                                arguments_ == nullptr ? "" : " " + arguments_name_, description_);
  for (const auto& f : flags_) {
    const std::string range = f.range_text.empty() ? "" : fmt::format("range {}, ", f.range_text);
    out += fmt::format("  --{:<22} {} ({}default: {})\n", f.name, f.help, range, f.default_text);
  }
  out += fmt::format("  --{:<22} {}\n", "help", "print this message");
  return out;
}

int Flags::Fail(const Status& s) const {
  fmt::print(stderr, "{}: {}\n\n{}", program_, s.message(), Usage());
  return 2;
}

}  // namespace lsm
