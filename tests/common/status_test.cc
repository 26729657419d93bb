#include "common/status.h"

#include <gtest/gtest.h>

namespace lsm {
namespace {

TEST(Status, OkIsDefaultAndPrintsOK) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ("OK", s.ToString());
}

TEST(Status, FactoriesSetCodeAndFormattedMessage) {
  Status s = Status::Corruption("{}: bad checksum at offset {}", "000003.log", 7);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_FALSE(s.ok());
  EXPECT_EQ("Corruption: 000003.log: bad checksum at offset 7", s.ToString());
  EXPECT_TRUE(Status::NotFound().IsNotFound());
  EXPECT_EQ("NotFound", Status::NotFound().ToString());
  EXPECT_TRUE(Status::IOError("x").IsIOError());
  EXPECT_TRUE(Status::InvalidArgument("x").IsInvalidArgument());
  EXPECT_TRUE(Status::NotSupported("x").IsNotSupported());
}

TEST(Status, FromErrnoNamesTheContext) {
  Status s = Status::FromErrno("/tmp/x: open", ENOENT);
  EXPECT_TRUE(s.IsIOError());
  EXPECT_EQ("IO error: /tmp/x: open: No such file or directory", s.ToString());
}

TEST(Status, WithContextPrefixesErrorsOnly) {
  EXPECT_TRUE(Status::OK().WithContext("ctx").ok());
  EXPECT_EQ("Corruption: recovering: bad", Status::Corruption("bad").WithContext("recovering").ToString());
}

TEST(Status, FormatsWithFmt) {
  EXPECT_EQ("[IO error: disk full]", fmt::format("[{}]", Status::IOError("disk full")));
}

}  // namespace
}  // namespace lsm
