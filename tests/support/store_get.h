// GetAsString: a store lookup as one string a test can compare — the value, "NOT_FOUND", or
// the error's text — so `EXPECT_EQ("v1", Get("k"))` reads like the story it tells.
//
// Example:
//   EXPECT_EQ("NOT_FOUND", testutil::GetAsString(*store, "missing"));
//
// Works on any store with `Status Get(std::string_view, std::string*)`, const or not (every
// step's store, step 5's DB).
// Simplifications: a value that is literally "NOT_FOUND" cannot be told apart; tests avoid it.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace lsm::testutil {

template <typename Store>
std::string GetAsString(Store& store, std::string_view key) {
  std::string value;
  Status s = store.Get(key, &value);
  if (s.IsNotFound()) return "NOT_FOUND";
  if (!s.ok()) return s.ToString();
  return value;
}

}  // namespace lsm::testutil
