#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds the release preset's four demo
# executables and runs the complete demo (demo/demo_main.cc), then writes the run's lsmviz page.
# Extra arguments are passed to the demo (try --help).
#
# It builds only what it runs (demo, lsmviz) and the two tools the demo's last line and the
# README point at (kvsh, lsmdump) — with the libraries they link — not the tests or the
# benchmarks (scripts/test.sh builds those).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build build/release -j "$(nproc)" --target demo lsmviz kvsh lsmdump

DEMO=build/release/demo/demo
TRACE=build/release/demo/tree.jsonl
PAGE=build/release/demo/tree.html
rm -f "$TRACE"
echo
"$DEMO" --trace "$TRACE" "$@"
# The run just shown, as a page to replay in a browser (one offline HTML file).
if [ -s "$TRACE" ] && build/release/demo/lsmviz "$TRACE" -o "$PAGE"; then
  echo "the LSM tree of this run, replayed: open file://$(pwd)/$PAGE"
fi
