#!/usr/bin/env bash
# Builds the release preset and runs the compaction lab — one workload under each compaction
# style of our engine (leveled, tiered, lazy-leveled) and RocksDB's (leveled, universal) — then
# writes bench/results/compaction_lab.md (table, settings, how each number is measured) and
# compaction_lab.svg (write/space/read amplification per style).
#
#   bash bench/run_compaction_lab.sh               # the full run: --num=1000000 (a few minutes)
#   NUM=20000 bash bench/run_compaction_lab.sh     # a quick smoke run
#   BUILD_DIR=/tmp/build bash bench/run_compaction_lab.sh   # an already configured build tree
# Extra arguments go to compaction_lab (e.g. --styles=ours:tiered,rocksdb:universal).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${BUILD_DIR:-}" ]; then
  cmake --build "$BUILD_DIR" -j "$(nproc)" --target compaction_lab
  build=$BUILD_DIR
else
  bash scripts/setup.sh
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target compaction_lab
  build=build/release
fi
mkdir -p bench/results
out=bench/results/compaction_lab
rm -f "$out.jsonl"
"$build/bench/compaction_lab/compaction_lab" --num="${NUM:-1000000}" --results="$out.jsonl" "$@"
python3 bench/lab_report.py "$out.jsonl" "$out"
