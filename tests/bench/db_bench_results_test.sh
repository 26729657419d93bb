#!/bin/sh
# db_bench --results: the JSON lines carry the latency percentiles per operation kind, the stall
# figures (ours from the engine, LevelDB from latency spikes), the per-interval throughput
# series and the *whilewriting writer's figures — what bench/peer_report.py reads.
#   db_bench_results_test.sh DB_BENCH
set -eu
db_bench=$1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
"$db_bench" --engine=ours,leveldb --num=2000 --sample_ms=10 --reads=3000 --db="$d/db" \
  --benchmarks=ycsb_load,ycsb_a,readwhilewriting --results="$d/r.jsonl" >/dev/null
check() {
  grep -q "$1" "$d/r.jsonl" || { echo "no line matches: $1"; cat "$d/r.jsonl"; exit 1; }
}
check '"benchmark":"ycsb_a".*"latency":{"read":{"count":[0-9]*,"p50_us":[0-9.]*,"p99_us":[0-9.]*,"p999_us":[0-9.]*,"max_us":'
check '"benchmark":"ycsb_a".*"update":{"count":[0-9]'
check '"engine":"ours","benchmark":"ycsb_a".*"stall_source":"engine".*"stall_micros":[0-9]*,"stall_count":[0-9]'
check '"engine":"leveldb","benchmark":"ycsb_a".*"stall_source":"spikes","spike_count":[0-9]'
check '"benchmark":"ycsb_load".*"sample_ms":10,"ops_per_sec":\['
check '"benchmark":"readwhilewriting".*"write":{"count":[0-9].*"writer_ops":[0-9][0-9]*,"writer_ops_per_sec":[0-9.]*,"writer_series":\['
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$d/r.jsonl"
echo "results ok"
