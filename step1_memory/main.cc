// step1_memory: narrates a short session with the in-memory store — what a learner runs first.
#include <fmt/format.h>

#include "common/flags.h"
#include "common/main_guard.h"
#include "step1_memory/memory_store.h"

namespace {

void Show(const lsm::MemoryStore& store, std::string_view key) {
  std::string value;
  lsm::Status s = store.Get(key, &value);
  if (s.ok()) {
    fmt::print("  get({:<8}) -> \"{}\"\n", key, value);
  } else {
    fmt::print("  get({:<8}) -> {}\n", key, s.IsNotFound() ? "not found" : s.ToString());
  }
}

}  // namespace

static int Main(int argc, char** argv) {
  lsm::Flags flags("step1_memory",
                   "Step 1: an in-memory key-value store (a hash map). Narrates writes, reads,\n"
                   "an overwrite, a delete, a scan, and what a restart loses.");
  int64_t extra = 5;
  flags.Int("extra_keys", &extra, 0, 1000, "how many numbered keys to add before the scan");
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;

  lsm::MemoryStore store;
  fmt::print("Step 1 — the in-memory store: a std::unordered_map<std::string, std::string>.\n\n");

  fmt::print("1. Three writes. Each put is one hash-table insert: O(1) on average.\n");
  for (auto [k, v] : {std::pair{"apple", "red"}, {"banana", "yellow"}, {"cherry", "dark red"}}) {
    (void)store.Put(k, v);
    fmt::print("  put({:<8}, \"{}\")\n", k, v);
  }

  fmt::print("\n2. Reads: hash the key, look in one bucket.\n");
  Show(store, "apple");
  Show(store, "durian");

  fmt::print("\n3. Overwrite: the old value is simply replaced; no history is kept.\n");
  (void)store.Put("apple", "green");
  fmt::print("  put(apple   , \"green\")\n");
  Show(store, "apple");

  fmt::print("\n4. Delete: the entry leaves the table.\n");
  (void)store.Delete("banana");
  fmt::print("  delete(banana)\n");
  Show(store, "banana");

  for (int64_t i = 0; i < extra; ++i) {
    (void)store.Put(fmt::format("key{:03d}", (i * 7) % (extra == 0 ? 1 : extra)), "v");
  }
  fmt::print("\n5. Scan: a hash map has no order, so Scan copies the keys out and sorts them\n"
             "   — O(n log n) for every scan. ({} keys in the store now.)\n", store.size());
  (void)store.Scan("", "", [](std::string_view k, std::string_view v) {
    fmt::print("  {} = {}\n", k, v);
    return true;
  });

  fmt::print("\n6. Restart: the process exits and the map is freed. Simulating it:\n");
  store = lsm::MemoryStore();
  Show(store, "apple");
  fmt::print("\nEverything is gone. Step 2 adds a write-ahead log so a restart loses nothing.\n");
  return 0;
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
