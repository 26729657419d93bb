#!/usr/bin/env bash
# scripts/exercise.sh end to end on step1, the smallest step (its tree builds only common, step1
# and step1_tests): start a work tree in a temporary directory, check sees every task fail, solve
# puts the reference back, check sees every task pass. Also the bad input: an unknown step or
# task exits 2 and lists the valid ones, check outside a work tree exits 2 and says how to start
# one, and start on an existing tree keeps the learner's work. Takes ~30 s on 2 cores.
#
#   bash tests/exercise/exercise_test.sh        # JOBS=N sets the build's parallel jobs (default 2)
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
ex="$repo/scripts/exercise.sh"
export JOBS=${JOBS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree="$tmp/step1"
failures=0
start=$(date +%s)

fail() {
  echo "exercise_test: FAIL: $*"
  failures=$((failures + 1))
}
# run WANT_RC NAME CMD...: runs CMD (output in $out), checks its exit status.
run() {
  local want=$1 name=$2
  shift 2
  out=$("$@" 2>&1)
  local rc=$?
  [ "$rc" = "$want" ] || fail "$name: exit status $rc, want $want; output:"$'\n'"$out"
}
has() {  # has NAME TEXT: the last output contains TEXT
  grep -qF -- "$2" <<<"$out" || fail "$1: output lacks \"$2\"; output:"$'\n'"$out"
}

run 0 "list" bash "$ex" list
has "list" "step1"
run 0 "list step1" bash "$ex" list step1
n=$(sed -nE 's/^step1 .*: ([0-9]+) tasks$/\1/p' <<<"$out")
[ -n "$n" ] && [ "$n" -ge 3 ] || fail "list step1: no task count of 3 or more in: $out"

run 2 "unknown step" bash "$ex" start step9 "$tmp/nine"
has "unknown step" "step1, step2"
[ ! -e "$tmp/nine" ] || fail "unknown step: created $tmp/nine"
run 2 "unknown task" bash "$ex" solution step1 no-such-task
has "unknown task" "step1.put"
run 2 "check outside a tree" bash -c "cd '$tmp' && bash '$ex' check step1"
has "check outside a tree" "exercise.sh start step1"

run 0 "start" bash "$ex" start step1 "$tree"
has "start" "step1.put"
has "start" "§ Walk the code"
[ -f "$tree/.exercise/state.json" ] || fail "start: no $tree/.exercise/state.json"
grep -q '^  return Status::NotSupported("exercise step1' "$repo/step1_memory/memory_store.cc" &&
  fail "start: the checkout's step1_memory/memory_store.cc has a stub"
grep -q '^  return Status::NotSupported("exercise step1.put' "$tree/step1_memory/memory_store.cc" ||
  fail "start: the tree's step1_memory/memory_store.cc has no stub for step1.put"

run 1 "check (stubs)" bash -c "cd '$tree/step1_memory' && bash '$ex' check step1"
has "check (stubs)" "0 of $n tasks pass"
has "check (stubs)" "first failing test:"

echo "// the learner's work" >>"$tree/step1_memory/memory_store.cc"
run 1 "start again" bash "$ex" start step1 "$tree"
has "start again" "your work is kept"
grep -q "the learner's work" "$tree/step1_memory/memory_store.cc" ||
  fail "start again: the learner's work is gone"

run 0 "solution" bash "$ex" solution step1 put
has "solution" "map_.find(key)"
run 0 "solve" bash "$ex" solve step1 all "$tree"
run 0 "check (solved)" bash "$ex" check step1 "$tree"
has "check (solved)" "$n of $n tasks pass"

if [ "$failures" -eq 0 ]; then
  echo "exercise_test: ok: step1's $n tasks fail as stubs and pass as the reference; bad input" \
    "exits 2 ($(($(date +%s) - start))s)"
  exit 0
fi
echo "exercise_test: $failures failures"
exit 1
