// Status: the result of an operation that can fail — OK, or an error code plus a message.
//
// Every I/O or decoding function in this project returns a Status instead of throwing, as in
// LevelDB. The class is [[nodiscard]], so a dropped error is a compiler warning.
//
// Example:
//   Status s = file->Append(header);
//   if (s.ok()) s = file->Append(payload);   // chain: stop at the first error
//   if (!s.ok()) return s;
//   ...
//   return Status::Corruption("{}: bad checksum at offset {}", path, offset);
//
// Messages are built with fmt; an error should name the file and the offset it is about.
// Thread-safety: a Status is a value; intentionally copyable and movable.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace lsm {

class [[nodiscard]] Status {
 public:
  enum class Code : unsigned char {
    kOk = 0,
    kNotFound = 1,
    kCorruption = 2,
    kNotSupported = 3,
    kInvalidArgument = 4,
    kIOError = 5,
  };

  // An OK status; carries no message and allocates nothing.
  Status() noexcept = default;

  static Status OK() { return Status(); }
  // A bare NotFound: the hot "key is absent" answer, built without formatting or allocation.
  static Status NotFound() { return Status(Code::kNotFound, std::string()); }

  template <typename... Args>
  static Status NotFound(fmt::format_string<Args...> f, Args&&... args) {
    return Status(Code::kNotFound, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status Corruption(fmt::format_string<Args...> f, Args&&... args) {
    return Status(Code::kCorruption, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status NotSupported(fmt::format_string<Args...> f, Args&&... args) {
    return Status(Code::kNotSupported, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status InvalidArgument(fmt::format_string<Args...> f, Args&&... args) {
    return Status(Code::kInvalidArgument, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  static Status IOError(fmt::format_string<Args...> f, Args&&... args) {
    return Status(Code::kIOError, fmt::format(f, std::forward<Args>(args)...));
  }
  // An I/O error from a failed system call: "<context>: <strerror(err)>".
  static Status FromErrno(std::string_view context, int err);

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsNotSupported() const { return code_ == Code::kNotSupported; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsIOError() const { return code_ == Code::kIOError; }

  Code code() const { return code_; }
  // The message alone, without the code's name ("" for OK).
  const std::string& message() const { return message_; }
  // "OK", or "<Code name>: <message>", e.g. "Corruption: 000003.log: bad checksum at offset 7".
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>"; OK stays OK.
  Status WithContext(std::string_view prefix) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace lsm

// Lets fmt print a Status directly: fmt::print("{}\n", s);
template <>
struct fmt::formatter<lsm::Status> : fmt::formatter<std::string_view> {
  auto format(const lsm::Status& s, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(s.ToString(), ctx);
  }
};
