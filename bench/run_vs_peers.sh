#!/usr/bin/env bash
# Builds the release preset and runs db_bench on our engine, LevelDB 1.23 and RocksDB in one
# run, then writes bench/results/vs_peers.md (table with ratios) and vs_peers.svg (chart).
#
#   bash bench/run_vs_peers.sh                 # the full run: --num=1000000 (several minutes)
#   NUM=20000 bash bench/run_vs_peers.sh       # a quick smoke run
# Extra arguments go to db_bench (e.g. --engine=leveldb,rocksdb --benchmarks=fillseq).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target db_bench
# Only the full, default run replaces the tracked results; a smoke run or one with extra
# arguments goes to build/release/bench/vs_peers_partial.*.
out=bench/results/vs_peers
if [ "$#" -gt 0 ] || [ "${NUM:-1000000}" != 1000000 ]; then
  out=build/release/bench/vs_peers_partial
  echo "partial run (arguments or a non-default NUM): results go to $out.*"
fi
mkdir -p "$(dirname "$out")"
rm -f "$out.jsonl"
build/release/bench/db_bench --num="${NUM:-1000000}" --results="$out.jsonl" "$@"
python3 bench/peer_report.py "$out.jsonl" "$out"
