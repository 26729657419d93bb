#!/usr/bin/env bash
# The tree in a real browser: a small demo run writes a trace, lsmviz draws the page, headless
# Chromium opens it with ?at=last (the page clicks its own "last" button) and dumps the DOM;
# the file numbers per level read from the DOM (<rect data-file-number data-level>) must equal
# the database's final layout as `lsmdump` prints its MANIFEST (edits replayed). The labels a
# learner reads without help must be there: the key axis with the trace's first and last user
# key, the level axis, a legend entry per level (and for the compaction outlines), each level's
# score as the trace's last event gives it (every level, "—" where none), every compaction's
# reason in words (the trace's "why"), and both axes with units on each chart. The page must be
# offline (no URL but the SVG namespace) and at most 2 MiB. A screenshot PNG must not be blank
# (several distinct colours). Fails with the reason if Chromium is missing or cannot start —
# never passes silently.
#
#   bash scripts/browser_test.sh [BUILD_DIR]     # default build/debug; prints PASS or FAIL: ...
#   STYLE=tiered bash scripts/browser_test.sh    # the run under another compaction style
set -uo pipefail
BUILD=${1:-build/debug}
fail() { echo "browser test FAIL: $*"; exit 1; }

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || fail "chromium is not installed (scripts/setup.sh installs Debian's chromium)"
for tool in demo lsmviz lsmdump; do
  [ -x "$BUILD/demo/$tool" ] || fail "$BUILD/demo/$tool not built"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$BUILD/demo/demo" --quick --style "${STYLE:-leveled}" --db "$work/db" --trace "$work/t.jsonl" \
  >"$work/demo.out" 2>&1 ||
  fail "demo --quick failed: $(tail -3 "$work/demo.out")"
"$BUILD/demo/lsmviz" "$work/t.jsonl" -o "$work/tree.html" || fail "lsmviz failed"
"$BUILD/demo/lsmdump" --noentries "$work"/db/MANIFEST-* >"$work/manifest.txt" || fail "lsmdump failed"

chrome() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d -p "$work")" \
    --run-all-compositor-stages-before-draw --virtual-time-budget=3000 --window-size=1200,800 "$@" \
    2>>"$work/chrome.err"
}
chrome --dump-dom "file://$work/tree.html?at=last" >"$work/dom.html" ||
  fail "chromium could not start or load the page: $(grep -v -i dbus "$work/chrome.err" | tail -3)"
chrome --screenshot="$work/shot.png" "file://$work/tree.html?at=last" >/dev/null ||
  fail "chromium could not take a screenshot: $(grep -v -i dbus "$work/chrome.err" | tail -3)"
[ -s "$work/shot.png" ] || fail "no screenshot written"

python3 - "$work" <<'PY' || exit 1
import html, json, os, re, struct, sys, zlib
work = sys.argv[1]
def fail(msg):
    print("browser test FAIL: " + msg); sys.exit(1)

dom = open(f"{work}/dom.html").read()
if 'data-ready="1"' not in dom: fail("the page's script did not finish (no data-ready on <body>)")
shown = {}
for m in re.finditer(r'<rect class="file[^"]*" data-file-number="(\d+)" data-level="(\d+)"', dom):
    shown.setdefault(int(m.group(2)), set()).add(int(m.group(1)))
last_seq = max(int(s) for s in re.findall(r'^\{"seq":(\d+)', open(f"{work}/t.jsonl").read(), re.M))
st = re.search(r'<div id="status" data-seq="(\d+)"', dom)
if not st or int(st.group(1)) != last_seq: fail(f"page is not at the last event {last_seq}: {st and st.group(1)}")

manifest = {}
for line in open(f"{work}/manifest.txt"):
    m = re.search(r'(add|delete) file\s+L(\d+) #(\d+)', line)
    if not m: continue
    level, number = int(m.group(2)), int(m.group(3))
    if m.group(1) == "add": manifest.setdefault(level, set()).add(number)
    else: manifest.get(level, set()).discard(number)
manifest = {l: s for l, s in manifest.items() if s}
fmt = lambda d: " | ".join(f"L{l}: {' '.join(map(str, sorted(s)))}" for l, s in sorted(d.items()))
if shown != manifest: fail(f"DOM layout {fmt(shown)} != MANIFEST {fmt(manifest)}")

# The page is offline and small.
page = open(f"{work}/tree.html").read()
size = os.path.getsize(f"{work}/tree.html")
if size > 2 * 1048576: fail(f"the page is {size} bytes, over 2 MiB")
urls = set(re.findall(r'https?://[^\s"\'<>)]+', page)) - {"http://www.w3.org/2000/svg"}
if urls: fail(f"the page names URLs (it must open offline): {sorted(urls)[:3]}")

# The labels a learner reads, against the trace they came from.
lines = [json.loads(l) for l in open(f"{work}/t.jsonl") if l.strip()]
header, events = lines[0], lines[1:]
keys = set()
for ev in events:
    for f in ev.get("files", []): keys.update((f["smallest"], f["largest"]))
def text_of(element_id):
    m = re.search(r'<[a-z]+ [^>]*id="' + element_id + r'"[^>]*>(.*?)</[a-z]+>', dom, re.S)
    if not m: fail(f"no #{element_id} in the page")
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))
if text_of("key-first") != min(keys) or text_of("key-last") != max(keys):
    fail(f"key axis [{text_of('key-first')} .. {text_of('key-last')}] != the trace's "
         f"[{min(keys)} .. {max(keys)}]")
if "user key" not in text_of("key-axis-label"): fail("the key axis has no label")
if "level" not in text_of("level-axis-label"): fail("the level axis has no label")
deepest = max((f["level"] for ev in events for f in ev.get("files", [])), default=0)
legend = set(int(l) for l in re.findall(r'class="legend-entry" data-level="(\d+)"', dom))
if legend != set(range(max(1, deepest) + 1)): fail(f"legend levels {sorted(legend)}, want L0..L{max(1, deepest)}")
for kind in ("input", "output"):
    if f'class="legend-entry" data-kind="{kind}"' not in dom: fail(f"no legend entry for the {kind} outline")

# Each level's score: the table row per level shows the last event's score ("—" without a target).
counters = events[-1]["counters"]
rows = dict(re.findall(r'<tr data-level="(\d+)"[^>]*>(.*?)</tr>', dom, re.S))
if sorted(map(int, rows)) != list(range(header["levels"])): fail(f"score table rows {sorted(rows)}")
runs = header["style"] != "leveled"
for level in range(header["levels"]):
    m = re.search(r'data-score="([^"]*)"', rows[str(level)])
    if not m: fail(f"L{level}: no score cell")
    target, score = counters["targets"][level], counters["scores"][level]
    none = level > 0 and (target == 0 or (not runs and level == header["levels"] - 1))
    if none != (m.group(1) == "\u2014") or (not none and abs(float(m.group(1)) - score) > 0.006):
        fail(f"L{level}: page score {m.group(1)}, trace score {score} (target {target})")

# Every compaction's reason in words.
whys = [ev["why"].replace(">=", "\u2265") for ev in events if ev["type"] in ("compaction", "trivial_move")]
if not whys: fail("the run made no compaction: nothing to explain")
listed = [html.unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r'<li data-seq="\d+"[^>]*>(.*?)</li>', dom, re.S)]
for why in whys:
    if not any(why in li for li in listed): fail(f"reason {why!r} is not in #compactions")
want_reason = r"L0 has \d+ files \u2265 trigger 4" if not runs else r"runs \u2265 trigger 4|space amplification \d+% \u2265"
if not any(re.search(want_reason, w) for w in whys): fail(f"no reason like {want_reason!r} in {whys}")

# Every chart: both axes labelled, with units.
for chart, unit in (("chart-wa", "WA (\u00d7 user bytes)"), ("chart-bytes", "size (MiB)"),
                    ("chart-stall", "stalled (ms)")):
    m = re.search(r'<svg [^>]*id="' + chart + r'"[^>]*>(.*?)</svg>', dom, re.S)
    if not m: fail(f"no #{chart}")
    labels = {c: html.unescape(t) for c, t in re.findall(r'class="axis-label ([xy])-label"[^>]*>([^<]*)<', m.group(1))}
    if unit != labels.get("y") or "event" not in labels.get("x", ""):
        fail(f"#{chart} axes {labels}, want y {unit!r} and x 'event ...'")

# The screenshot: decode the PNG (zlib + scanline filters) and count distinct colours.
data = open(f"{work}/shot.png", "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n": fail("screenshot is not a PNG")
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b"IHDR": w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT": idat += body
bpp = {2: 3, 6: 4}.get(ctype)
if depth != 8 or bpp is None: fail(f"unexpected PNG format depth {depth} colour type {ctype}")
raw, stride, prev, colours = zlib.decompress(idat), w * bpp, bytearray(w * bpp), set()
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, stride, bpp * 2): colours.add(bytes(line[x:x + 3]))
    prev = line
if len(colours) < 6: fail(f"screenshot looks blank: {len(colours)} distinct colours")
print(f"browser test PASS ({header['style']}): DOM layout = MANIFEST ({fmt(shown)}), event "
      f"{last_seq}; key axis {min(keys)} .. {max(keys)}, legend L0..L{max(legend)}, "
      f"{header['levels']} level scores, {len(whys)} compaction reasons, 3 charts' axes; page "
      f"{size} bytes; screenshot {w}x{h} with {len(colours)} colours")
PY
