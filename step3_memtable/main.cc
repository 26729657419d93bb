// step3_memtable: narrates inserts into a memtable, draws its skip list's towers, and shows
// versions: a tombstone shadowing an older value and a read at an older snapshot.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/coding.h"
#include "common/comparator.h"
#include "common/flags.h"
#include "common/hexdump.h"
#include "common/main_guard.h"
#include "common/random.h"
#include "step3_memtable/internal_key.h"
#include "step3_memtable/memtable.h"

namespace {

using lsm::MemTable;
using lsm::SequenceNumber;
using lsm::ValueType;

// "k07@3" for an internal key; "k07@3(del)" for a tombstone.
std::string Label(std::string_view internal_key) {
  lsm::ParsedInternalKey p;
  if (!lsm::ParseInternalKey(internal_key, &p)) return "?";
  return fmt::format("{}@{}{}", lsm::EscapeBytes(p.user_key), p.sequence,
                     p.type == ValueType::kDeletion ? "(del)" : "");
}

int HeightOf(const MemTable& mem, std::string_view internal_key) {
  for (const auto& t : mem.Towers()) {
    if (t.internal_key == internal_key) return t.height;
  }
  return 0;
}

// Draws every level of the skip list, top level first. Each key is a column; on level i a key
// whose tower is at least i+1 tall shows its label, others show the link passing over it.
void DrawTowers(const MemTable& mem) {
  const auto towers = mem.Towers();
  int top = 1;
  size_t width = 3;
  for (const auto& t : towers) {
    top = std::max(top, t.height);
    width = std::max(width, Label(t.internal_key).size());
  }
  for (int level = top - 1; level >= 0; --level) {
    std::string line = fmt::format("  level {:2}  head ", level);
    for (const auto& t : towers) {
      if (t.height > level) {
        line += fmt::format("-> {:<{}} ", Label(t.internal_key), width);
      } else {
        line += std::string(width + 4, '-');
      }
    }
    fmt::print("{}-> nil\n", line);
  }
}

void ShowGet(const MemTable& mem, std::string_view key, SequenceNumber snapshot) {
  std::string value;
  lsm::Status s;
  std::string answer;
  if (!mem.Get(lsm::LookupKey(key, snapshot), &value, &s)) {
    answer = "absent (no version at or below this snapshot; older data would be asked next)";
  } else if (s.IsNotFound()) {
    answer = "deleted (a tombstone answers: stop, do not look in older data)";
  } else {
    answer = fmt::format("\"{}\"", value);
  }
  fmt::print("  get({}, snapshot {:>2}) -> {}\n", key, snapshot, answer);
}

}  // namespace

static int Main(int argc, char** argv) {
  lsm::Flags flags("step3_memtable",
                   "Step 3: the memtable. Inserts keys into a skip list (drawn level by level),\n"
                   "then writes new versions and a tombstone and reads at several snapshots.");
  int64_t keys = 10;
  int64_t seed = 301;
  flags.Int("keys", &keys, 1, 30, "how many keys to insert and draw");
  flags.Int("seed", &seed, 0, 4294967295, "seed for the insertion order");
  if (lsm::Status s = flags.Parse(argc, argv); !s.ok()) return flags.Fail(s);
  if (flags.help()) return 0;

  const lsm::InternalKeyComparator icmp(lsm::BytewiseComparator());
  MemTable mem(icmp);
  fmt::print("Step 3 — the memtable: a skip list of internal keys (user key + sequence + type),\n"
             "allocated in an arena. Branching factor {}, max height {}.\n\n",
             4, 12);

  // 1. Inserts in random order; each gets the next sequence number.
  std::vector<int> order(static_cast<size_t>(keys));
  for (int i = 0; i < keys; ++i) order[static_cast<size_t>(i)] = i;
  lsm::Random rnd(static_cast<uint64_t>(seed));
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rnd.Uniform(i)]);

  fmt::print("1. {} puts in random order. Each becomes one entry; its tower height is random:\n"
             "   height >= 2 with probability 1/4, >= 3 with 1/16, ...\n", keys);
  SequenceNumber seq = 0;
  for (int k : order) {
    const std::string key = fmt::format("k{:02d}", k);
    const std::string value = fmt::format("v{}", seq + 1);
    mem.Add(++seq, ValueType::kValue, key, value);
    std::string ikey;
    lsm::AppendInternalKey(&ikey, key, seq, ValueType::kValue);
    fmt::print("  seq {:>2}: put({}, \"{}\")  -> tower height {}\n", seq, key, value,
               HeightOf(mem, ikey));
  }

  fmt::print("\n2. The skip list, level by level. Level 0 links every entry in order; a search\n"
             "   starts on the top level and drops down whenever the next key would overshoot.\n");
  DrawTowers(mem);

  // 3. Versions and a tombstone.
  const std::string victim = fmt::format("k{:02d}", keys / 2);
  const SequenceNumber original = static_cast<SequenceNumber>(
      std::find(order.begin(), order.end(), keys / 2) - order.begin() + 1);
  fmt::print("\n3. Versions. Nothing is overwritten: a new put and a delete are new entries.\n");
  mem.Add(++seq, ValueType::kValue, victim, "updated");
  fmt::print("  seq {:>2}: put({}, \"updated\")\n", seq, victim);
  mem.Add(++seq, ValueType::kDeletion, victim, "");
  fmt::print("  seq {:>2}: delete({})  -- a tombstone\n", seq, victim);
  std::string tomb;
  lsm::AppendInternalKey(&tomb, victim, seq, ValueType::kDeletion);
  fmt::print("  the tombstone's internal key: {}  (user key, then tag ({} << 8) | 0, "
             "little-endian)\n", lsm::HexBytes(tomb), seq);

  fmt::print("\n  The entries of {} in the iterator's order: newest first.\n", victim);
  auto it = mem.NewIterator();
  for (it->Seek(lsm::LookupKey(victim, lsm::kMaxSequenceNumber).internal_key());
       it->Valid() && lsm::ExtractUserKey(it->key()) == victim; it->Next()) {
    fmt::print("    {:<16} value \"{}\"\n", Label(it->key()), it->value());
  }

  fmt::print("\n  Reads at several snapshots: a read at snapshot s sees the newest entry with\n"
             "  sequence <= s.\n");
  ShowGet(mem, victim, seq);
  ShowGet(mem, victim, seq - 1);
  ShowGet(mem, victim, original);
  ShowGet(mem, victim, original - 1);

  // 4. Ordered scan.
  fmt::print("\n4. A scan is a walk along level 0: already sorted, no sorting step (step 1 paid\n"
             "   O(n log n) per scan). The first entries:\n");
  int shown = 0;
  for (it->SeekToFirst(); it->Valid() && shown < 6; it->Next(), ++shown) {
    fmt::print("    {:<16} value \"{}\"\n", Label(it->key()), it->value());
  }

  fmt::print("\n5. Memory: {} entries use {} bytes of arena (4 KiB blocks, freed all at once).\n",
             seq, mem.ApproximateMemoryUsage());
  fmt::print("\nThe memtable still lives in RAM only. Step 4 writes it out as a sorted table.\n");
  return 0;
}

int main(int argc, char** argv) { return lsm::GuardedMain(argc, argv, Main); }
