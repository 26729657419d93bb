#!/usr/bin/env bash
# Builds the release preset and runs db_bench on our engine, LevelDB 1.23 and RocksDB in one
# run, then writes the tables and charts under bench/results/ (bench/peer_report.py).
#
#   bash bench/run_vs_peers.sh                      # LevelDB's workloads at --num=1000000:
#                                                   #   vs_peers.{md,svg,jsonl} (several minutes)
#   NUM=10000000 bash bench/run_vs_peers.sh         # the same at 10M keys (1M reads per read
#                                                   #   workload, plus readwhilewriting):
#                                                   #   vs_peers_10m.*, readwhilewriting_10m.*
#   MODE=ycsb bash bench/run_vs_peers.sh            # YCSB load + A, B, C, F, D, E on 1M records,
#                                                   #   1M operations each: ycsb.{md,svg,jsonl}
#                                                   #   + ycsb.latency_<workload>.svg
#   MODE=rww bash bench/run_vs_peers.sh             # fillrandom, then readwhilewriting and
#                                                   #   seekwhilewriting (1 reader, 1 writer at
#                                                   #   10,000 writes/s): readwhilewriting.*
#   NUM=20000 MODE=ycsb bash bench/run_vs_peers.sh  # any other NUM: a quick smoke run
# Extra arguments go to db_bench (e.g. --engine=leveldb,rocksdb --benchmarks=fillseq).
# BUILD_DIR=dir uses that (already configured) build directory instead of the release preset.
# Only a full run (a mode's default NUM, or 10000000 for the default mode, and no extra
# arguments) replaces the tracked results; any other goes to $BUILD_DIR/bench/<name>_partial.*.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${MODE:-peers}
NUM=${NUM:-1000000}
if [ -z "${BUILD_DIR:-}" ]; then
  BUILD_DIR=build/release
  bash scripts/setup.sh
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target db_bench
else
  cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target db_bench
fi
case "$MODE" in
  peers)
    name=vs_peers
    [ "$NUM" = 10000000 ] && name=vs_peers_10m
    full=$([ "$NUM" = 1000000 ] || [ "$NUM" = 10000000 ] && echo yes || echo no)
    bench_args=()
    if [ "$NUM" = 10000000 ]; then
      # At 10M: every read workload reads READS keys (1M), not 10M; readwhilewriting (1 reader,
      # 1 writer at 10,000 writes/s) runs on the 10M-key database the writes left;
      # deleterandom and readreverse are left out (an hour of deletes, readseq's mirror).
      bench_args=(--reads="${READS:-1000000}" --writes_per_sec="${WRITES_PER_SEC:-10000}"
                  --benchmarks=fillseq,fillsync,fillrandom,overwrite,readrandom,readmissing,readseq,seekrandom,readwhilewriting)
    fi
    ;;
  ycsb)
    name=ycsb
    full=$([ "$NUM" = 1000000 ] && echo yes || echo no)
    bench_args=(--benchmarks=ycsb_load,ycsb_a,ycsb_b,ycsb_c,ycsb_f,ycsb_d,ycsb_e
                --ycsb_ops="$NUM")
    ;;
  rww)
    name=readwhilewriting
    full=$([ "$NUM" = 1000000 ] && echo yes || echo no)
    bench_args=(--benchmarks=fillrandom,readwhilewriting,seekwhilewriting --threads=1
                --writes_per_sec="${WRITES_PER_SEC:-10000}")
    ;;
  *)
    echo "run_vs_peers.sh: unknown MODE '$MODE' (valid: peers, ycsb, rww)" >&2
    exit 2
    ;;
esac
out=bench/results/$name
if [ "$#" -gt 0 ] || [ "$full" != yes ]; then
  out=$BUILD_DIR/bench/${name}_partial
  echo "partial run (arguments or a non-default NUM): results go to $out.*"
fi
mkdir -p "$(dirname "$out")"
rm -f "$out.jsonl"
echo "db_bench --num=$NUM ${bench_args[*]} $* (progress on stderr)"
"$BUILD_DIR/bench/db_bench" --num="$NUM" --results="$out.jsonl" "${bench_args[@]}" "$@"
python3 bench/peer_report.py --kind="$MODE" "$out.jsonl" "$out"
if [ "$name" = vs_peers_10m ]; then
  # The 10M run's readwhilewriting: reader and writer latency, throughput over time.
  rww_out="$(dirname "$out")/readwhilewriting_10m${out##*vs_peers_10m}"  # keeps a "_partial"
  python3 bench/peer_report.py --kind=rww "$out.jsonl" "$rww_out"
fi
