#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds the release preset and runs the
# complete demo (demo/demo_main.cc). Extra arguments are passed to the demo (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

DEMO=build/release/demo/demo
echo
exec "$DEMO" "$@"
