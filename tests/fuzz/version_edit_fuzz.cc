// Fuzz target: VersionEdit::DecodeFrom (a MANIFEST record) over arbitrary bytes.
// Checks: no crash or sanitizer report; an edit that decodes re-encodes to bytes that decode
// to the same edit (encode(decode(x)) is a fixed point).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "step5_lsm/version_edit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  lsm::VersionEdit edit;
  if (!edit.DecodeFrom(input).ok()) return 0;
  (void)edit.DebugString();
  std::string once;
  edit.EncodeTo(&once);
  lsm::VersionEdit again;
  if (!again.DecodeFrom(once).ok()) std::abort();
  std::string twice;
  again.EncodeTo(&twice);
  if (once != twice) std::abort();
  return 0;
}
