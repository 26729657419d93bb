#include "common/plural.h"

#include <gtest/gtest.h>

namespace lsm {
namespace {

TEST(Plural, OneIsSingularEverythingElsePlural) {
  EXPECT_EQ("0 files", Plural(0, "file"));
  EXPECT_EQ("1 file", Plural(1, "file"));
  EXPECT_EQ("2 files", Plural(2, "file"));
  EXPECT_EQ("1 entry", Plural(1, "entry", "entries"));
  EXPECT_EQ("0 entries", Plural(0, "entry", "entries"));
  EXPECT_EQ("18446744073709551615 blocks", Plural(UINT64_MAX, "block"));
}

}  // namespace
}  // namespace lsm
