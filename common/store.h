// The shape every step's store has, written as C++20 concepts, so one test suite and one
// benchmark run unchanged on step 1's hash map, step 2's logged map, and so on up to the LSM.
//
//   KvStore         Put / Get / Delete
//   OrderedKvStore  also Scan(from, to, fn): every live key in [from, to) in ascending
//                   bytewise order; an empty `to` means "to the end". fn returns false to stop.
//
// Get returns OK and fills *value, NotFound when the key is absent (or deleted), or an error.
// Delete of an absent key is OK (like LevelDB). Keys and values are arbitrary bytes, NUL
// included; the empty key is a valid key.
//
// Example:
//   template <KvStore S> void Fill(S& store) { (void)store.Put("k", "v"); }
#pragma once

#include <concepts>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace lsm {

// Called once per key by Scan; return false to stop early.
using ScanCallback = std::function<bool(std::string_view key, std::string_view value)>;

template <typename S>
concept KvStore = requires(S& s, std::string_view k, std::string_view v, std::string* out) {
  { s.Put(k, v) } -> std::same_as<Status>;
  { s.Get(k, out) } -> std::same_as<Status>;
  { s.Delete(k) } -> std::same_as<Status>;
};

template <typename S>
concept OrderedKvStore = KvStore<S> && requires(S& s, std::string_view k, ScanCallback fn) {
  { s.Scan(k, k, fn) } -> std::same_as<Status>;
};

}  // namespace lsm
