#!/usr/bin/env bash
# The install test: installs an existing build of this project to a temporary prefix, then
# configures, builds and runs tests/install/consumer (a separate project) against it with
# find_package(lsm-tutorial). Prints "install test: passed" or "install test: FAILED (...)".
#
#   bash scripts/install_test.sh [BUILD_DIR]    # default build/debug (scripts/test.sh's tree)
#
# Only the libraries are (re)built, and only if out of date; the consumer is one small file.
set -uo pipefail
cd "$(dirname "$0")/.."

build=${1:-${LSM_INSTALL_TEST_BUILD_DIR:-build/debug}}
jobs=${JOBS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "install test: FAILED ($1)"
  [ -f "$tmp/log" ] && tail -n 40 "$tmp/log"
  exit 1
}

[ -f "$build/CMakeCache.txt" ] || fail "$build is not a configured build tree"
start=$(date +%s)
cmake --build "$build" --target lsm_step5 -j "$jobs" >"$tmp/log" 2>&1 || fail "building the libraries"
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/log" 2>&1 || fail "cmake --install"

# Warnings and this checkout's paths stay out of what a consumer reads.
package=$(find "$tmp/prefix" -name lsm-tutorialConfig.cmake -printf '%h\n' | head -1)
[ -n "$package" ] || fail "no lsm-tutorialConfig.cmake under the prefix"
if grep -n -e '-W' -e "$PWD" "$package"/*.cmake >"$tmp/log"; then
  fail "the installed package names warning flags or the source tree"
fi

cmake -S tests/install/consumer -B "$tmp/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/log" 2>&1 || fail "configuring the consumer"
cmake --build "$tmp/consumer" -j "$jobs" >"$tmp/log" 2>&1 || fail "building the consumer"
"$tmp/consumer/consumer" >"$tmp/log" 2>&1 || fail "running the consumer"
grep -q '^consumer: ok$' "$tmp/log" || fail "the consumer did not say ok"
echo "install test: passed in $(( $(date +%s) - start ))s"
