"""Small helpers shared by the benchmark report scripts: number formatting, a grouped bar chart
and a line chart, written as plain SVG (no plotting library needed)."""
import math

COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
          "#ff9da7", "#9c755f", "#bab0ac"]


def fmt_num(x):
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k"
    if x >= 10:
        return f"{x:.0f}"
    return f"{x:.3g}"


def grouped_bars_svg(title, groups, series, value, log_scale=True):
    """groups: x-axis categories; series: one bar per group each; value(group, series) -> float
    or None. Returns the SVG text."""
    vals = [v for g in groups for s in series if (v := value(g, s))]
    if not vals:
        return "<svg xmlns='http://www.w3.org/2000/svg'/>\n"
    if log_scale:
        lo = 10 ** math.floor(math.log10(min(vals)))
        hi = 10 ** math.ceil(math.log10(max(vals)))
        hi = hi if hi > lo else lo * 10
        scale = lambda v: (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        ticks, d = [], lo
        while d <= hi * 1.0001:
            ticks.append(d)
            d *= 10
    else:
        lo, hi = 0.0, max(vals) * 1.1
        scale = lambda v: v / hi
        ticks = [hi * i / 5 for i in range(6)]
    W, left, top = max(640, 110 * len(groups) + 100), 80, 40
    per_row = max(1, (W - left) // 170)  # legend entries per line
    legend_rows = math.ceil(len(series) / per_row)
    bottom = 50 + 20 * legend_rows
    H = 340 + bottom
    plot_w, plot_h = W - left - 20, H - top - bottom
    group_w = plot_w / max(1, len(groups))
    bar_w = group_w * 0.8 / max(1, len(series))
    y = lambda v: top + plot_h * (1 - scale(v))
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{W}' height='{H}' "
           f"font-family='sans-serif' font-size='12'>",
           f"<rect width='{W}' height='{H}' fill='white'/>",
           f"<text x='{W / 2}' y='20' text-anchor='middle' font-size='15'>{title}</text>"]
    for t in ticks:
        out.append(f"<line x1='{left}' x2='{W - 20}' y1='{y(t):.1f}' y2='{y(t):.1f}' stroke='#ddd'/>")
        out.append(f"<text x='{left - 6}' y='{y(t) + 4:.1f}' text-anchor='end'>{fmt_num(t)}</text>")
    for gi, g in enumerate(groups):
        gx = left + gi * group_w + group_w * 0.1
        for si, s in enumerate(series):
            v = value(g, s)
            if not v:
                continue
            x = gx + si * bar_w
            out.append(f"<rect x='{x:.1f}' y='{y(v):.1f}' width='{max(1, bar_w - 2):.1f}' "
                       f"height='{top + plot_h - y(v):.1f}' fill='{COLORS[si % len(COLORS)]}'>"
                       f"<title>{s} {g}: {fmt_num(v)}</title></rect>")
        out.append(f"<text x='{left + gi * group_w + group_w / 2:.1f}' y='{top + plot_h + 18}' "
                   f"text-anchor='middle'>{g}</text>")
    for si, s in enumerate(series):
        lx = left + (si % per_row) * 170
        ly = H - 20 * (legend_rows - si // per_row) - 10
        out.append(f"<rect x='{lx}' y='{ly}' width='12' height='12' "
                   f"fill='{COLORS[si % len(COLORS)]}'/>")
        out.append(f"<text x='{lx + 16}' y='{ly + 10}'>{s}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def provenance(date=None):
    """'2026-11-25, commit 4f18f4b': when a result was measured and on which checkout, for the
    line every results file carries. date: an ISO date(time) string, default today."""
    import datetime
    import subprocess
    day = (date or datetime.date.today().isoformat())[:10]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        if dirty:
            commit += " + local changes"
    except (OSError, subprocess.CalledProcessError):
        commit = "?"
    return f"{day}, commit {commit}"


def line_chart_svg(title, series, x_label="seconds", y_label="ops/s"):
    """series: [(name, [(x, y), ...]), ...], one line each, on linear axes from 0. Returns the
    SVG text (an empty picture when no series has a point)."""
    pts = [p for _, line in series for p in line]
    if not pts:
        return "<svg xmlns='http://www.w3.org/2000/svg'/>\n"
    x_hi = max(x for x, _ in pts) or 1
    y_hi = (max(y for _, y in pts) or 1) * 1.1
    W, H, left, top = 760, 420, 80, 40
    per_row = max(1, (W - left) // 170)
    legend_rows = math.ceil(len(series) / per_row)
    bottom = 60 + 20 * legend_rows
    H += 20 * legend_rows
    plot_w, plot_h = W - left - 20, H - top - bottom
    sx = lambda x: left + plot_w * x / x_hi
    sy = lambda y: top + plot_h * (1 - y / y_hi)
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{W}' height='{H}' "
           f"font-family='sans-serif' font-size='12'>",
           f"<rect width='{W}' height='{H}' fill='white'/>",
           f"<text x='{W / 2}' y='20' text-anchor='middle' font-size='15'>{title}</text>"]
    for i in range(6):
        t = y_hi * i / 5
        out.append(f"<line x1='{left}' x2='{W - 20}' y1='{sy(t):.1f}' y2='{sy(t):.1f}' stroke='#ddd'/>")
        out.append(f"<text x='{left - 6}' y='{sy(t) + 4:.1f}' text-anchor='end'>{fmt_num(t)}</text>")
        tx = x_hi * i / 5
        out.append(f"<text x='{sx(tx):.1f}' y='{top + plot_h + 16}' text-anchor='middle'>"
                   f"{tx:.3g}</text>")
    out.append(f"<text x='{left + plot_w / 2}' y='{top + plot_h + 34}' text-anchor='middle'>"
               f"{x_label}</text>")
    out.append(f"<text x='14' y='{top + plot_h / 2}' text-anchor='middle' "
               f"transform='rotate(-90 14 {top + plot_h / 2})'>{y_label}</text>")
    for si, (name, line) in enumerate(series):
        color = COLORS[si % len(COLORS)]
        if line:
            path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in line)
            out.append(f"<polyline fill='none' stroke='{color}' stroke-width='2' points='{path}'>"
                       f"<title>{name}</title></polyline>")
        lx = left + (si % per_row) * 170
        ly = H - 20 * (legend_rows - si // per_row) - 10
        out.append(f"<rect x='{lx}' y='{ly}' width='12' height='12' fill='{color}'/>")
        out.append(f"<text x='{lx + 16}' y='{ly + 10}'>{name}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
