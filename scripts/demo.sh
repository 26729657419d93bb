#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds the release preset and runs the
# most complete demo. Extra arguments are passed to the demo (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

DEMO=build/release/step1_memory/step1_memory   # the most complete step so far
echo
exec "$DEMO" "$@"
