#!/usr/bin/env bash
# The long crash loop: builds crash_writer and the crash test (debug, build/crash), then runs
# CRASH_CYCLES SIGKILL cycles (default 500) on one database: each cycle starts crash_writer
# (sync=true writes, each acknowledgement reported through a pipe), kills it after a random
# delay — during recovery, writes, flushes or compactions — reopens the DB and checks that
# every acknowledged write is there and no write is half there, once per compaction style
# (leveled, tiered, lazy-leveled). CI runs 20 cycles per style through
# `ctest -L crash`.
#
#   scripts/crash_loop.sh                          # 500 cycles, seed 1
#   CRASH_CYCLES=2000 CRASH_SEED=7 scripts/crash_loop.sh
#   CRASH_BUILD_DIR=build/x scripts/crash_loop.sh   # another build directory
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD="${CRASH_BUILD_DIR:-build/crash}"
export CRASH_CYCLES="${CRASH_CYCLES:-500}"
export CRASH_SEED="${CRASH_SEED:-1}"

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLSM_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j2 --target crash_tests crash_writer
echo "crash loop: $CRASH_CYCLES cycles, seed $CRASH_SEED"
"$BUILD/tests/crash/crash_tests" --gtest_filter='*CrashLoop.*'
