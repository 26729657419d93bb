#!/usr/bin/env bash
# Builds the release preset, runs the cross-step benchmark, and writes
#   bench/results/cross_step.md    a Markdown table (ops/s and micros/op per step and workload)
#   bench/results/cross_step.svg   a grouped bar chart of the same numbers
#
#   bash bench/run_cross_step.sh              # N = 100000 entries per workload
#   LSM_BENCH_NUM=1000 bash bench/run_cross_step.sh   # a quick smoke run
# Extra arguments go to Google Benchmark, e.g. --benchmark_filter=step1. A run with extra
# arguments covers only part of the table, so it writes to build/release/bench/cross_step_partial.*
# and leaves the tracked bench/results/cross_step.{md,svg} (the full run) alone.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target cross_step_bench
export LSM_BENCH_NUM=${LSM_BENCH_NUM:-100000}
out=bench/results/cross_step
if [ "$#" -gt 0 ] || [ "$LSM_BENCH_NUM" != 100000 ]; then
  out=build/release/bench/cross_step_partial
  echo "partial run (arguments or a non-default N): results go to $out.*"
fi
mkdir -p "$(dirname "$out")"
echo "cross-step benchmark, N=$LSM_BENCH_NUM entries per workload (16-byte keys, 100-byte values)"
build/release/bench/cross_step_bench \
  --benchmark_out="$out.json" --benchmark_out_format=json \
  --benchmark_counters_tabular=true "$@"
python3 bench/report.py "$out.json" "$out"
