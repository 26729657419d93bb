// ReverseComparator: orders keys backwards ("c" < "b" < "a"), for tests that check a bound or
// an order follows Options::comparator rather than byte order.
// Thread-safety: stateless. Not for tables that need short separators (they are no-ops here).
#pragma once

#include <string>
#include <string_view>

#include "common/comparator.h"

namespace lsm::testutil {

class ReverseComparator final : public Comparator {
 public:
  int Compare(std::string_view a, std::string_view b) const override { return b.compare(a); }
  const char* Name() const override { return "test.ReverseComparator"; }
  void FindShortestSeparator(std::string*, std::string_view) const override {}
  void FindShortSuccessor(std::string*) const override {}
};

}  // namespace lsm::testutil
