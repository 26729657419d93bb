#include "common/flags.h"

#include <gtest/gtest.h>

namespace lsm {
namespace {

class FlagsTest : public ::testing::Test {
 protected:
  Status Parse(std::vector<std::string> args) {
    args.insert(args.begin(), "prog");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return flags_.Parse(static_cast<int>(argv.size()), argv.data());
  }
  void SetUp() override {
    flags_.Int("num", &num_, "count");
    flags_.String("db", &db_, "path");
    flags_.Bool("sync", &sync_, "fsync");
    flags_.Double("ratio", &ratio_, "ratio");
  }
  Flags flags_{"prog", "test"};
  int64_t num_ = 10;
  std::string db_ = "/tmp/x";
  bool sync_ = false;
  double ratio_ = 0.5;
};

TEST_F(FlagsTest, ParsesAllForms) {
  ASSERT_TRUE(Parse({"--num=5", "--db", "/d", "--sync", "--ratio=0.25"}).ok());
  EXPECT_EQ(5, num_);
  EXPECT_EQ("/d", db_);
  EXPECT_TRUE(sync_);
  EXPECT_DOUBLE_EQ(0.25, ratio_);
  ASSERT_TRUE(Parse({"--nosync"}).ok());
  EXPECT_FALSE(sync_);
}

TEST_F(FlagsTest, RejectsBadInput) {
  EXPECT_TRUE(Parse({"--bogus=1"}).IsInvalidArgument());
  EXPECT_TRUE(Parse({"--num=abc"}).IsInvalidArgument());
  EXPECT_TRUE(Parse({"--num"}).IsInvalidArgument());
  EXPECT_TRUE(Parse({"stray"}).IsInvalidArgument());
  EXPECT_TRUE(Parse({"--sync=maybe"}).IsInvalidArgument());
  EXPECT_EQ(10, num_);
}

TEST_F(FlagsTest, UsageListsFlagsWithDefaults) {
  const std::string usage = flags_.Usage();
  EXPECT_NE(std::string::npos, usage.find("--num"));
  EXPECT_NE(std::string::npos, usage.find("(default: 10)"));
  EXPECT_NE(std::string::npos, usage.find("(default: \"/tmp/x\")"));
}

}  // namespace
}  // namespace lsm
