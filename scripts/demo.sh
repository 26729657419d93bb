#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds the release preset and runs the
# complete demo (demo/demo_main.cc), then writes the run's lsmviz page. Extra arguments are
# passed to the demo (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

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
