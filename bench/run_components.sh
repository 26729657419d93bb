#!/usr/bin/env bash
# Builds the release preset, runs the component benchmarks of steps 3 and 4 — the skip list vs
# std::set and the memtable (step3_bench), table build / lookups / scan (step4_bench) — and
# writes bench/results/components.md, the table the step 3 and step 4 chapters quote.
# Run it on an idle machine: the figures are CPU-bound and other work skews them.
#
#   bash bench/run_components.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target step3_bench step4_bench
mkdir -p bench/results
export LSM_BENCH_NUM=${LSM_BENCH_NUM:-100000}
for b in step3_bench step4_bench; do
  echo "== $b (N=$LSM_BENCH_NUM)"
  build/release/bench/$b --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_out="bench/results/$b.json" --benchmark_out_format=json
done
python3 bench/components_report.py bench/results/components.md \
  bench/results/step3_bench.json bench/results/step4_bench.json
