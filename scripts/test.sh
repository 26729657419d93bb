#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and runs every test in the
# debug preset, again under AddressSanitizer+UBSan (asan), and the concurrency tests under
# ThreadSanitizer (tsan). The last line is the total over all presets: "total: N passed, N failed".
#
# Warnings are errors here: every preset is configured with LSM_WERROR=ON (cmake/warnings.cmake;
# LSM_WERROR=OFF in the environment turns it off), and the release-check preset builds every
# library and executable with the release flags (-O2 finds what -O0 cannot, such as
# -Wrestrict), not the tests, counted as one test (RELEASE_CHECK=0 skips it).
#
# Before the builds, scripts/check_chapter_refs.py checks every `path:LINE` in the chapters (one
# test). After the debug build, scripts/install_test.sh installs it to a temporary prefix and
# builds and runs tests/install/consumer against it (one test; INSTALL_TEST=0 skips), and
# scripts/browser_test.sh opens a demo run's lsmviz page in headless Chromium (one test).
# Then each libFuzzer target runs for FUZZ_SECONDS (default 10; 0 skips) through scripts/fuzz.sh,
# counted as one test per target.
#
#   bash scripts/test.sh            # debug + asan + tsan + release-check + install + fuzz (CI)
#   PRESETS="debug" FUZZ_SECONDS=0 INSTALL_TEST=0 RELEASE_CHECK=0 bash scripts/test.sh   # quick
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "setup failed"; exit 1; }

PRESETS=${PRESETS:-"debug asan tsan"}
JOBS=${JOBS:-$(nproc)}
export LSM_WERROR=${LSM_WERROR:-ON}  # scripts/fuzz.sh reads it too
passed=0
failed=0
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# count NAME CMD...: runs a one-test step and counts it as passed or failed.
count() {
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "=== [$name] FAILED"
    failed=$((failed + 1))
    status=1
  fi
}

echo "=== [chapter refs] every path:LINE in the chapters names a non-blank line"
count "chapter refs" python3 scripts/check_chapter_refs.py

debug_built=0
for preset in $PRESETS; do
  echo "=== [$preset] configure + build"
  start=$(date +%s)
  if ! cmake --preset "$preset" -DLSM_WERROR="$LSM_WERROR" >/dev/null ||
     ! cmake --build --preset "$preset" -j "$JOBS"; then
    echo "=== [$preset] BUILD FAILED"
    status=1
    failed=$((failed + 1))
    continue
  fi
  echo "=== [$preset] built in $(( $(date +%s) - start ))s; running tests"
  [ "$preset" = debug ] && debug_built=1
  ctest --preset "$preset" -j "$JOBS" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || status=1
  # ctest's summary: "100% tests passed, 0 tests failed out of 45"
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  if [ -n "$line" ]; then
    f=$(sed -E 's/.*passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    t=$(sed -E 's/.*failed out of ([0-9]+).*/\1/' <<<"$line")
    passed=$((passed + t - f))
    failed=$((failed + f))
  else
    failed=$((failed + 1))
    status=1
  fi
done

if [ "${RELEASE_CHECK:-1}" != "0" ]; then
  echo "=== [release-check] every library and executable at -O2, warnings as errors"
  start=$(date +%s)
  count "release-check" bash -c 'cmake --preset release-check -DLSM_WERROR="$1" >/dev/null &&
    cmake --build --preset release-check -j "$2"' _ "$LSM_WERROR" "$JOBS"
  echo "=== [release-check] done in $(( $(date +%s) - start ))s"
fi

if [ "${INSTALL_TEST:-1}" != "0" ]; then
  if [ "$debug_built" = 1 ]; then
    echo "=== [install] cmake --install build/debug, then a consumer project"
    count install env JOBS="$JOBS" bash scripts/install_test.sh build/debug
  else
    echo "=== [install] skipped: needs the debug preset built"
  fi
fi

if [ "$debug_built" = 1 ]; then
  for style in leveled tiered; do
    echo "=== [browser] lsmviz page ($style) in headless Chromium vs the MANIFEST"
    count "browser $style" env STYLE=$style bash scripts/browser_test.sh build/debug
  done
fi

echo "=== [exercise] every step's exercise tree: stubs fail, one more task passes per solve, lint, bad input exits 2"
count exercise env JOBS="$JOBS" bash tests/exercise/exercise_test.sh

# Mutation sample: three seeded bugs (tests/mutation/catalogue.json) must each fail a test.
echo "=== [mutation] sample: scripts/mutate.sh --sample (step1, step2, step4 mutants killed)"
count "mutation sample" env JOBS="$JOBS" bash scripts/mutate.sh --sample

FUZZ_SECONDS=${FUZZ_SECONDS:-10}
if [ "$FUZZ_SECONDS" != "0" ]; then
  if command -v clang++ >/dev/null && ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    echo "=== [fuzz] ${FUZZ_SECONDS}s per target"
    FUZZ_SECONDS=$FUZZ_SECONDS bash scripts/fuzz.sh 2>&1 | tee "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    ok=$(grep -c ': [0-9?]* executions, no crash$' "$log")
    bad=$(grep -c ': FAILED after' "$log")
    passed=$((passed + ok))
    failed=$((failed + bad))
    if [ $((ok + bad)) -eq 0 ]; then failed=$((failed + 1)); status=1; fi
  else
    echo "=== [fuzz] skipped: clang++ with libFuzzer (libclang-rt-dev) is not installed"
  fi
fi

echo "total: $passed passed, $failed failed"
exit $status
