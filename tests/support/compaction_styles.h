// The three compaction styles as GoogleTest parameters, for suites that must hold under every
// policy (step 5's model, recovery and crash tests, the compaction model's tests).
//
// Example:
//   class MySuite : public ::testing::TestWithParam<CompactionStyle> {};
//   INSTANTIATE_TEST_SUITE_P(Styles, MySuite, ::testing::ValuesIn(testutil::kAllStyles),
//                            testutil::StyleParamName);   // MySuite.Test/leveled, /tiered, ...
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "step5_lsm/options.h"

namespace lsm::testutil {

inline constexpr CompactionStyle kAllStyles[] = {
    CompactionStyle::kLeveled, CompactionStyle::kTiered, CompactionStyle::kLazyLeveled};

// "leveled", "tiered", "lazyleveled" (a test name may not hold '-').
inline std::string StyleParamName(const ::testing::TestParamInfo<CompactionStyle>& info) {
  std::string name(CompactionStyleName(info.param));
  std::erase(name, '-');
  return name;
}

}  // namespace lsm::testutil
