#!/usr/bin/env python3
"""Turns a Google Benchmark JSON file from cross_step_bench into a Markdown table and an SVG
bar chart. Benchmark names are "<workload>/<store>"; the mean of the repetitions is used.

usage: report.py RESULTS.json OUT_PREFIX   -> OUT_PREFIX.md, OUT_PREFIX.svg
"""
import json
import os
import sys
from collections import OrderedDict

from charts import fmt_num, grouped_bars_svg, provenance

WORKLOADS = ["fillseq", "fillrandom", "overwrite", "readrandom", "readmissing", "scan"]
# The sync store runs on N/100 entries (bench/store_workloads.h, kNumDivisor): its writes are
# comparable per operation, its reads (of a 100x smaller store) are not, so they are left blank.
SMALL_STORE_READS = {("step2_wal_sync", w) for w in ("readrandom", "readmissing", "scan")}


def load(path):
    with open(path) as f:
        data = json.load(f)
    results = OrderedDict()  # store -> {workload: items/s}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "mean":
            continue
        name = b.get("run_name", b["name"]).split("/")
        if len(name) < 2 or "items_per_second" not in b:
            continue
        results.setdefault(name[1], {})[name[0]] = b["items_per_second"]
    return data.get("context", {}), results


def markdown(context, results):
    stores = list(results)
    lines = ["# Cross-step benchmark", "",
             "Operations per second (higher is better) and microseconds per operation; "
             f"N = {os.environ.get('LSM_BENCH_NUM', '?')} entries, 16-byte keys, 100-byte values, "
             f"mean of the repetitions. Machine: {context.get('num_cpus', '?')} CPUs, "
             f"{context.get('mhz_per_cpu', '?')} MHz; release preset (-O2). "
             f"Run of {provenance(context.get('date'))}. step2_wal_sync runs on N/100 "
             "entries (every put fsyncs), so its read cells are blank.", "",
             "| workload | " + " | ".join(stores) + " |",
             "|---|" + "---:|" * len(stores)]
    for w in WORKLOADS:
        cells = []
        for s in stores:
            v = None if (s, w) in SMALL_STORE_READS else results[s].get(w)
            cells.append("—" if v is None else f"{fmt_num(v)}/s ({1e6 / v:.2f} µs)")
        if any(c != "—" for c in cells):
            lines.append(f"| {w} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    context, results = load(sys.argv[1])
    if not results:
        sys.exit(f"report.py: no benchmark results in {sys.argv[1]}")
    workloads = [w for w in WORKLOADS if any(w in r for r in results.values())]
    with open(sys.argv[2] + ".md", "w") as f:
        f.write(markdown(context, results))
    with open(sys.argv[2] + ".svg", "w") as f:
        f.write(grouped_bars_svg(
            "Cross-step benchmark: operations per second (log scale, higher is better)",
            workloads, list(results),
            lambda w, s: None if (s, w) in SMALL_STORE_READS else results[s].get(w)))
    print(f"wrote {sys.argv[2]}.md and {sys.argv[2]}.svg")
    print(markdown(context, results))


if __name__ == "__main__":
    main()
