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

TEST(FlagsRangeTest, ValueOutsideTheRangeNamesFlagValueAndRange) {
  Flags flags("prog", "test");
  int64_t num = 10;
  flags.Int("num", &num, 8, 1000, "count");
  std::string a0 = "prog", a1 = "--num=9223372036854775807";
  char* argv[] = {a0.data(), a1.data()};
  Status s = flags.Parse(2, argv);
  ASSERT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_EQ("--num: 9223372036854775807 is out of range (allowed: 8..1000)", s.message());
  EXPECT_EQ(10, num);

  std::string low = "--num=7", edge_low = "--num=8", edge_high = "--num", edge_value = "1000";
  char* too_low[] = {a0.data(), low.data()};
  EXPECT_EQ("--num: 7 is out of range (allowed: 8..1000)", flags.Parse(2, too_low).message());
  char* lowest[] = {a0.data(), edge_low.data()};
  ASSERT_TRUE(flags.Parse(2, lowest).ok());
  EXPECT_EQ(8, num);
  char* highest[] = {a0.data(), edge_high.data(), edge_value.data()};
  ASSERT_TRUE(flags.Parse(3, highest).ok());
  EXPECT_EQ(1000, num);
}

TEST_F(FlagsTest, IntegerTooLargeForInt64IsOutOfRangeNotMalformed) {
  Status s = Parse({"--num=99999999999999999999"});
  ASSERT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ("--num: 99999999999999999999 is out of range "
            "(allowed: -9223372036854775808..9223372036854775807)",
            s.message());
}

TEST(FlagsRangeTest, DoubleRangeRejectsOutsideAndNaN) {
  Flags flags("prog", "test");
  double ratio = 0.5;
  flags.Double("ratio", &ratio, 0, 1, "ratio");
  std::string a0 = "prog", big = "--ratio=1.5", nan = "--ratio=nan", ok = "--ratio=0.25";
  char* argv_big[] = {a0.data(), big.data()};
  EXPECT_EQ("--ratio: 1.5 is out of range (allowed: 0..1)", flags.Parse(2, argv_big).message());
  char* argv_nan[] = {a0.data(), nan.data()};
  EXPECT_TRUE(flags.Parse(2, argv_nan).IsInvalidArgument());
  char* argv_ok[] = {a0.data(), ok.data()};
  ASSERT_TRUE(flags.Parse(2, argv_ok).ok());
  EXPECT_DOUBLE_EQ(0.25, ratio);
}

TEST(FlagsRangeTest, UsageShowsEveryRange) {
  Flags flags("prog", "test");
  int64_t num = 10;
  flags.Int("num", &num, 8, 1000, "count");
  EXPECT_NE(std::string::npos, flags.Usage().find("count (range 8..1000, default: 10)"))
      << flags.Usage();
}

// --flag value takes the next word as the value, also when bare words are arguments.
TEST(FlagsArgumentsTest, SeparateValueIsNotAnArgument) {
  Flags flags("lsmdump", "test");
  int64_t max = 32;
  bool entries = true;
  std::vector<std::string> files;
  flags.Int("max_value_bytes", &max, 0, 100, "cut");
  flags.Bool("entries", &entries, "entries");
  flags.Arguments("FILE...", &files);
  std::vector<std::string> args = {"lsmdump", "--max_value_bytes", "5", "A", "--noentries",
                                   "B", "--", "--C"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ASSERT_TRUE(flags.Parse(static_cast<int>(argv.size()), argv.data()).ok());
  EXPECT_EQ(5, max);
  EXPECT_FALSE(entries);
  EXPECT_EQ((std::vector<std::string>{"A", "B", "--C"}), files);
  EXPECT_EQ(0u, flags.Usage().find("Usage: lsmdump [flags] FILE...\n")) << flags.Usage();
}

TEST_F(FlagsTest, UsageListsFlagsWithDefaults) {
  const std::string usage = flags_.Usage();
  EXPECT_NE(std::string::npos, usage.find("--num"));
  EXPECT_NE(std::string::npos, usage.find("(default: 10)"));
  EXPECT_NE(std::string::npos, usage.find("(default: \"/tmp/x\")"));
}

// A Custom flag hands its text to the caller's parse function, in both value forms, and puts
// the flag's name in front of the function's error.
TEST(FlagsCustomTest, ParseFunctionSetsTheValueOrNamesTheFlagInItsError) {
  enum class Color { kRed, kBlue };
  Color color = Color::kRed;
  Flags flags("prog", "test");
  flags.Custom(
      "color",
      [&](std::string_view text) {
        if (text == "red") color = Color::kRed;
        else if (text == "blue") color = Color::kBlue;
        else return Status::InvalidArgument("unknown color '{}' (valid: red, blue)", text);
        return Status::OK();
      },
      "red", "a color");
  std::string a0 = "prog", eq = "--color=blue", name = "--color", red = "red", bad = "--color=x";
  char* with_eq[] = {a0.data(), eq.data()};
  ASSERT_TRUE(flags.Parse(2, with_eq).ok());
  EXPECT_EQ(Color::kBlue, color);
  char* separate[] = {a0.data(), name.data(), red.data()};
  ASSERT_TRUE(flags.Parse(3, separate).ok());
  EXPECT_EQ(Color::kRed, color);
  char* wrong[] = {a0.data(), bad.data()};
  const Status s = flags.Parse(2, wrong);
  ASSERT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_EQ("--color: unknown color 'x' (valid: red, blue)", s.message());
  EXPECT_EQ(Color::kRed, color);
  char* missing[] = {a0.data(), name.data()};
  EXPECT_TRUE(flags.Parse(2, missing).IsInvalidArgument());
  EXPECT_NE(std::string::npos, flags.Usage().find("--color                  a color (default: red)"))
      << flags.Usage();
}

}  // namespace
}  // namespace lsm
