// Crash test: fork a writer with sync=true, SIGKILL it at random points, reopen, and check
// that every acknowledged batch is there and the one in flight is all-or-nothing.
// Several rounds share one directory, so later rounds also recover from earlier crashes, and
// a small checkpoint threshold makes some kills land in the middle of a checkpoint.
#include "step2_wal/crash_harness.h"

#include <signal.h>

#include <gtest/gtest.h>

#include "common/random.h"
#include "tests/support/temp_dir.h"

namespace lsm {
namespace {

TEST(CrashTest, EveryAcknowledgedWriteSurvivesSigkill) {
  testutil::TempDir dir;
  const uint64_t seed = 2024;
  SCOPED_TRACE(::testing::Message() << "seed=" << seed);
  Random rnd(seed);
  const DurableStoreOptions options{.sync = true, .checkpoint_log_bytes = 16 * 1024};
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE(::testing::Message() << "round=" << round);
    AckedWorkload workload{.prefix = fmt::format("r{}-", round), .value_size = 1 + rnd.Uniform(400)};
    const uint64_t kill_after = 1 + rnd.Uniform(200);
    const uint64_t delay_us = rnd.Uniform(3000);
    CrashRoundResult crash;
    ASSERT_TRUE(RunCrashRound(dir.path(), options, workload, kill_after, delay_us,
                              /*max_batches=*/100000, &crash).ok());
    ASSERT_EQ(SIGKILL, crash.signal) << "child exited with " << crash.exit_code;
    ASSERT_GE(crash.acked, kill_after);

    std::unique_ptr<DurableStore> store;
    Status s = DurableStore::Open({.paranoid_checks = true}, dir.path(), &store);
    ASSERT_TRUE(s.ok()) << s.ToString();  // a kill leaves at most a torn tail, never damage
    EXPECT_EQ(0u, store->recovery_report().dropped_bytes);
    bool in_flight = false;
    s = VerifyAckedWrites(*store, workload, crash.acked, &in_flight);
    EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << store->recovery_report().ToString();
  }
}

}  // namespace
}  // namespace lsm
