#!/usr/bin/env python3
"""Turns a Google Benchmark JSON file from cross_step_bench into a Markdown table and an SVG
bar chart. Benchmark names are "<workload>/<store>"; the mean of the repetitions is used.

usage: report.py RESULTS.json OUT_PREFIX   -> OUT_PREFIX.md, OUT_PREFIX.svg
"""
import json
import math
import sys
from collections import OrderedDict

WORKLOADS = ["fillseq", "fillrandom", "overwrite", "readrandom", "readmissing", "scan"]
COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
          "#ff9da7", "#9c755f", "#bab0ac"]


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
        workload, store = name[0], name[1]
        results.setdefault(store, {})[workload] = b["items_per_second"]
    return data.get("context", {}), results


def fmt_ops(x):
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k"
    return f"{x:.0f}"


def markdown(context, results):
    stores = list(results)
    lines = ["# Cross-step benchmark", "",
             f"Operations per second (higher is better) and microseconds per operation; "
             f"N = {context.get('lsm_num', '?')} entries, 16-byte keys, 100-byte values, "
             f"mean of the repetitions. Machine: {context.get('num_cpus', '?')} CPUs, "
             f"{context.get('mhz_per_cpu', '?')} MHz; release preset (-O2).", "",
             "| workload | " + " | ".join(stores) + " |",
             "|---|" + "---:|" * len(stores)]
    for w in WORKLOADS:
        cells = []
        for s in stores:
            v = results[s].get(w)
            cells.append("—" if v is None else f"{fmt_ops(v)}/s ({1e6 / v:.2f} µs)")
        if any(c != "—" for c in cells):
            lines.append(f"| {w} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def svg(results):
    stores = list(results)
    workloads = [w for w in WORKLOADS if any(w in results[s] for s in stores)]
    vals = [v for s in stores for v in results[s].values() if v > 0]
    if not vals:
        return "<svg xmlns='http://www.w3.org/2000/svg'/>"
    lo = 10 ** math.floor(math.log10(min(vals)))
    hi = 10 ** math.ceil(math.log10(max(vals)))
    if hi <= lo:
        hi = lo * 10
    W, H, left, top, bottom = 900, 420, 80, 40, 80
    plot_w, plot_h = W - left - 20, H - top - bottom
    group_w = plot_w / max(1, len(workloads))
    bar_w = group_w * 0.8 / max(1, len(stores))

    def y(v):
        return top + plot_h * (1 - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)))

    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{W}' height='{H}' "
           f"font-family='sans-serif' font-size='12'>",
           f"<rect width='{W}' height='{H}' fill='white'/>",
           f"<text x='{W / 2}' y='20' text-anchor='middle' font-size='15'>"
           f"Cross-step benchmark: operations per second (log scale, higher is better)</text>"]
    d = lo
    while d <= hi * 1.0001:
        out.append(f"<line x1='{left}' x2='{W - 20}' y1='{y(d):.1f}' y2='{y(d):.1f}' stroke='#ddd'/>")
        out.append(f"<text x='{left - 6}' y='{y(d) + 4:.1f}' text-anchor='end'>{fmt_ops(d)}</text>")
        d *= 10
    for gi, w in enumerate(workloads):
        gx = left + gi * group_w + group_w * 0.1
        for si, s in enumerate(stores):
            v = results[s].get(w)
            if not v:
                continue
            x = gx + si * bar_w
            out.append(f"<rect x='{x:.1f}' y='{y(v):.1f}' width='{bar_w - 2:.1f}' "
                       f"height='{top + plot_h - y(v):.1f}' fill='{COLORS[si % len(COLORS)]}'>"
                       f"<title>{s} {w}: {fmt_ops(v)} ops/s</title></rect>")
        out.append(f"<text x='{left + gi * group_w + group_w / 2:.1f}' y='{top + plot_h + 18}' "
                   f"text-anchor='middle'>{w}</text>")
    for si, s in enumerate(stores):
        lx = left + si * 160
        out.append(f"<rect x='{lx}' y='{H - 30}' width='12' height='12' fill='{COLORS[si % len(COLORS)]}'/>")
        out.append(f"<text x='{lx + 16}' y='{H - 20}'>{s}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    context, results = load(sys.argv[1])
    if not results:
        sys.exit(f"report.py: no benchmark results in {sys.argv[1]}")
    import os
    context["lsm_num"] = os.environ.get("LSM_BENCH_NUM", "?")
    with open(sys.argv[2] + ".md", "w") as f:
        f.write(markdown(context, results))
    with open(sys.argv[2] + ".svg", "w") as f:
        f.write(svg(results))
    print(f"wrote {sys.argv[2]}.md and {sys.argv[2]}.svg")
    print(markdown(context, results))


if __name__ == "__main__":
    main()
