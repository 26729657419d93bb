#!/usr/bin/env bash
# The tree in a real browser: a small demo run writes a trace, lsmviz draws the page, headless
# Chromium opens it with ?at=last (the page clicks its own "last" button) and dumps the DOM;
# the file numbers per level read from the DOM (<rect data-file-number data-level>) must equal
# the database's final layout as `lsmdump` prints its MANIFEST (edits replayed). A screenshot
# PNG must not be blank (several distinct colours). Fails with the reason if Chromium is
# missing or cannot start — never passes silently.
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
import re, struct, sys, zlib
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
print(f"browser test PASS: DOM layout = MANIFEST ({fmt(shown)}), event {last_seq}; "
      f"screenshot {w}x{h} with {len(colours)} colours")
PY
