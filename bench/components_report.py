#!/usr/bin/env python3
"""Turns the Google Benchmark JSON of the component benchmarks (step3_bench: skip list vs
std::set and the memtable; step4_bench: table build, lookups, scan) into one Markdown table per
benchmark file, with the run's date and commit, for the step 3 and step 4 chapters to quote.

usage: components_report.py OUT.md RESULTS.json...
"""
import json
import sys

from charts import fmt_num, provenance


def rows(path):
    with open(path) as f:
        data = json.load(f)
    out = []
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "mean":
            continue
        extra = []
        if "bytes_per_second" in b:
            extra.append(f"{b['bytes_per_second'] / 1e6:.0f} MB/s")
        for counter in ("file_MB", "blocks_read_per_op"):
            if counter in b:
                extra.append(f"{counter} {b[counter]:.3g}")
        items = b.get("items_per_second")
        out.append((b.get("run_name", b["name"]),
                    f"{fmt_num(items)}/s" if items else "—",
                    f"{1e9 / items:.0f} ns" if items else "—",
                    ", ".join(extra)))
    return data.get("context", {}), out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    lines = ["# Component benchmarks", ""]
    for path in sys.argv[2:]:
        context, table = rows(path)
        name = path.rsplit("/", 1)[-1].removesuffix(".json")
        lines += [f"## {name}", "",
                  f"Release preset (-O2), {context.get('num_cpus', '?')} CPUs; run of "
                  f"{provenance(context.get('date'))}. Items per second (one item = one key "
                  "inserted, looked up or scanned), CPU time per item, and the benchmark's "
                  "counters.", "",
                  "| benchmark | items/s | per item | counters |", "|---|---:|---:|---|"]
        lines += [f"| {n} | {r} | {t} | {c} |" for n, r, t, c in table]
        lines.append("")
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))
    print(f"wrote {sys.argv[1]}")


if __name__ == "__main__":
    main()
