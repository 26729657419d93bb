#!/usr/bin/env python3
"""Turns db_bench's JSON lines (--results) into a Markdown table (micros/op per engine and the
ratio ours/peer) and an SVG chart (ops/s per workload and engine).

usage: peer_report.py RESULTS.jsonl OUT_PREFIX   -> OUT_PREFIX.md, OUT_PREFIX.svg
"""
import json
import sys
from collections import OrderedDict

from charts import grouped_bars_svg, provenance

EXTRA = {"write_amplification": "write amplification (×)", "peak_rss_mib": "peak RSS (MiB)"}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    table = OrderedDict()  # benchmark -> engine -> value
    engines = []
    with open(sys.argv[1]) as f:
        for line in f:
            r = json.loads(line)
            table.setdefault(r["benchmark"], {})[r["engine"]] = r["micros_per_op"]
            if r["engine"] not in engines:
                engines.append(r["engine"])
    if not table:
        sys.exit(f"peer_report.py: no results in {sys.argv[1]}")
    peers = [e for e in engines if e != "ours"] if "ours" in engines else []
    head = "| workload | " + " | ".join(engines) + "".join(f" | ours/{p}" for p in peers) + " |"
    lines = ["# Our engine vs LevelDB 1.23 vs RocksDB", "",
             "micros/op (lower is better); last rows: write amplification and peak RSS. Ratio "
             "< 1 means ours is faster or smaller. Settings matched: no compression, 4 MiB write "
             "buffer, 10 bloom bits/key, 8 MiB block cache, 16-byte keys, 100-byte values, 1 thread. "
             f"Run of {provenance()}.",
             "", head, "|---|" + "---:|" * (len(engines) + len(peers))]
    for b, row in table.items():
        cells = [f"{row[e]:.3f}" if e in row else "—" for e in engines]
        for p in peers:
            cells.append(f"{row['ours'] / row[p]:.2f}" if "ours" in row and row.get(p) else "—")
        lines.append(f"| {EXTRA.get(b, b)} | " + " | ".join(cells) + " |")
    with open(sys.argv[2] + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    workloads = [b for b in table if b not in EXTRA]
    svg = grouped_bars_svg("Operations per second by engine (log scale, higher is better)",
                           workloads, engines,
                           lambda w, e: 1e6 / table[w][e] if table[w].get(e) else None)
    with open(sys.argv[2] + ".svg", "w") as f:
        f.write(svg)
    print("\n".join(lines))
    print(f"wrote {sys.argv[2]}.md and {sys.argv[2]}.svg")


if __name__ == "__main__":
    main()
