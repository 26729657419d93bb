// Narrator: the demo's voice — a progress bar for the bulk load, and the engine's flushes and
// compactions printed live as the EventListener (step5_lsm/event_listener.h) reports them.
//
//   [################............]  57%  114,000 / 200,000 keys
//   ~ flush      #12 -> L0, 1.1 MiB in 38 ms          files[ 3 0 0 0 0 0 0 ]
//   ~ compaction L0 #7 #9 + L1 #4 -> L1 #12 #13 ...   files[ 0 2 0 0 0 0 0 ]
//
// On a terminal the bar redraws in place and an event line is printed above it; otherwise
// (a pipe, a test) the bar prints a line every 10% so logs stay short.
// Thread-safety: callbacks come from the DB's background thread while main() draws the bar;
// a mutex orders all printing. The callbacks only format and print (they run under the DB
// mutex: never call the DB from them).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "step5_lsm/event_listener.h"

namespace lsm::demo {

class Narrator final : public EventListener {
 public:
  explicit Narrator(bool terminal) : terminal_(terminal) {}

  void OnFlush(const FlushInfo& info) override;
  void OnCompaction(const CompactionInfo& info) override;

  // Shows done/total; cheap to call often (redraws only when the bar changes).
  void Progress(uint64_t done, uint64_t total);
  // Ends the bar's line (after the last Progress call).
  void EndProgress();
  // Prints one line (newline added), above the bar when one is showing.
  void Say(const std::string& line);
  // Turns the live event lines on or off (counting continues).
  void set_live(bool live) { live_ = live; }

  uint64_t flushes() const { return flushes_.load(); }
  uint64_t compactions() const { return compactions_.load(); }
  uint64_t trivial_moves() const { return trivial_moves_.load(); }

 private:
  void DrawBarLocked();

  const bool terminal_;
  std::atomic<bool> live_{true};
  std::atomic<uint64_t> flushes_{0};
  std::atomic<uint64_t> compactions_{0};
  std::atomic<uint64_t> trivial_moves_{0};

  std::mutex mu_;  // guards everything below and all printing
  bool bar_showing_ = false;
  uint64_t done_ = 0, total_ = 0;
  int last_percent_ = -1;
};

// "1.5 MiB", "320 KiB", "87 B".
std::string HumanBytes(uint64_t bytes);

}  // namespace lsm::demo
