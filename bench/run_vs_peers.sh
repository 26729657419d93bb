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
mkdir -p bench/results
out=bench/results/vs_peers
rm -f "$out.jsonl"
build/release/bench/db_bench --num="${NUM:-1000000}" --results="$out.jsonl" "$@"
python3 bench/peer_report.py "$out.jsonl" "$out"
