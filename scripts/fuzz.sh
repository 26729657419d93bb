#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage) in build/fuzz and runs each
# for a bounded time over its seed corpus (tests/fuzz/corpus/<target>/), printing how many
# inputs each executed. Exits non-zero if any target finds a crash (the reproducer is left in
# build/fuzz/artifacts/<target>/).
#
#   scripts/fuzz.sh                      # every target, 60 s each
#   FUZZ_SECONDS=10 scripts/fuzz.sh      # CI: a short run
#   scripts/fuzz.sh log_reader_fuzz      # one target
#   FUZZ_BUILD_DIR=build/x scripts/fuzz.sh   # another build directory (default build/fuzz)
#
# LSM_WERROR=ON (scripts/test.sh sets it) makes clang's warnings errors, as in the presets.
# New inputs the fuzzer finds go to build/fuzz/corpus/<target>/ (not into the repo); the
# committed seeds are regenerated with build/fuzz/tests/fuzz/fuzz_seed_corpus.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
BUILD="${FUZZ_BUILD_DIR:-build/fuzz}"
TARGETS=("$@")
if [[ $# -eq 0 ]]; then
  TARGETS=(log_reader_fuzz table_reader_fuzz version_edit_fuzz write_batch_fuzz db_ops_fuzz)
fi

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi

CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja \
  -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DLSM_BUILD_FUZZ=ON -DLSM_BUILD_TESTS=ON -DLSM_BUILD_BENCH=OFF \
  -DLSM_WERROR="${LSM_WERROR:-OFF}" >/dev/null
cmake --build "$BUILD" -j2 --target "${TARGETS[@]}"

# Per-target libFuzzer flags. db_ops_fuzz: each execution runs a whole DB (open, flushes,
# compactions, reopens), touching ~26,000 coverage features; with the default entropic power
# schedule libFuzzer spent 64% of the run updating their frequencies (perf), so the target ran
# a third as many inputs. -entropic=0 falls back to the vanilla schedule.
extra_flags() {
  case "$1" in
    db_ops_fuzz) echo "-entropic=0" ;;
  esac
}

status=0
summary=()
for target in "${TARGETS[@]}"; do
  corpus="$BUILD/corpus/$target"
  artifacts="$BUILD/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  log="$BUILD/$target.log"
  echo "== $target: ${SECONDS_PER_TARGET}s"
  set +e
  # shellcheck disable=SC2046  # extra_flags prints whole flags, split on spaces
  "$BUILD/tests/fuzz/$target" "$corpus" "tests/fuzz/corpus/$target" \
    -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -timeout=20 -rss_limit_mb=4096 \
    -artifact_prefix="$artifacts/" $(extra_flags "$target") >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
  if [[ $rc -ne 0 ]]; then
    status=1
    summary+=("$target: FAILED after $execs executions (see $log, $artifacts)")
    tail -n 30 "$log"
  else
    summary+=("$target: $execs executions, no crash")
  fi
done

echo
printf '%s\n' "${summary[@]}"
exit $status
