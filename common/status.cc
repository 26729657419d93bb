#include "common/status.h"

#include <cstring>

namespace lsm {

Status Status::FromErrno(std::string_view context, int err) {
  return Status(Code::kIOError, fmt::format("{}: {}", context, std::strerror(err)));
}

std::string Status::ToString() const {
  std::string_view name;
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kNotFound: name = "NotFound"; break;
    case Code::kCorruption: name = "Corruption"; break;
    case Code::kNotSupported: name = "Not supported"; break;
    case Code::kInvalidArgument: name = "Invalid argument"; break;
    case Code::kIOError: name = "IO error"; break;
  }
  if (message_.empty()) return std::string(name);
  return fmt::format("{}: {}", name, message_);
}

Status Status::WithContext(std::string_view prefix) const {
  if (ok()) return *this;
  return Status(code_, fmt::format("{}: {}", prefix, message_));
}

}  // namespace lsm
