#!/usr/bin/env bash
# scripts/exercise.sh end to end, on every step, in one work tree: step1 is started in a
# temporary directory and each later step is reached with `next` (which keeps the build, so a
# step compiles only its own files and tests). For each step: the tree's chapters pass
# scripts/check_chapter_refs.py and every reference into a stubbed file lands on the same line
# of code as in the checkout (or on its task's marker, inside a region); check sees every task
# fail, each "[FAIL]" line naming its task as still the stub; the step's markers pass `lint`
# against the tree's test binaries (every filter selects a test); the tasks are solved one at a
# time in the listed order and after each `solve` exactly one more task passes; `solve stepN
# all` and a last check see every task pass (step 1's also runs the step's whole suite).
#
# Also: bad input exits 2 and lists the valid steps and tasks; check outside a tree says how to
# start one; `--help`, `-h` and `help` print help for every command and run nothing; start
# into an existing empty directory works, into a non-empty one is refused and changes nothing,
# on an existing tree keeps the learner's work; a filter that selects no test fails its task,
# naming it and the filter; a failing test no task lists is reported with the likely tasks;
# check's output lines and total are capped. Prints each step's time and the total.
#
#   bash tests/exercise/exercise_test.sh     # JOBS=N: the builds' parallel jobs (default 2)
#   EXERCISE_STEPS="step1 step2" bash tests/exercise/exercise_test.sh   # some steps only
#   EXERCISE_TSAN=1 ...   # also: a relaxed store in step3.insert fails `check --tsan`
#   EXERCISE_STRICT=0 ... # a task count right only on a second check (FLAKY) does not fail
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
ex="$repo/scripts/exercise.sh"
export JOBS=${JOBS:-2}
steps=${EXERCISE_STEPS:-"step1 step2 step3 step4 step5"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
start=$(date +%s)
times=""
line_cap=200
total_cap=8000

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
  [ "$rc" = "$want" ] || fail "$name: exit status $rc, want $want; output:"$'\n'"$(tail -40 <<<"$out")"
}
has() {  # has NAME TEXT: the last output contains TEXT
  grep -qF -- "$2" <<<"$out" || fail "$1: output lacks \"$2\"; output:"$'\n'"$(tail -40 <<<"$out")"
}
lacks() {  # lacks NAME TEXT: the last output does not contain TEXT
  ! grep -qF -- "$2" <<<"$out" || fail "$1: output has \"$2\""
}
capped() {  # capped NAME: check's output respects the line and total caps
  local longest
  longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' <<<"$out")
  [ "$longest" -le $((line_cap + 24)) ] || fail "$1: a line of $longest characters"
  [ "${#out}" -le $((total_cap + 300)) ] || fail "$1: ${#out} bytes of output"
}
passing() {  # the N of "N of M tasks pass" in the last output
  sed -nE 's/^([0-9]+) of [0-9]+ tasks pass.*/\1/p' <<<"$out" | tail -1
}
tasks_of() {  # tasks_of TREE: the task names in order
  python3 -c "import json,sys; print(' '.join(t['name'] for t in json.load(open(sys.argv[1]))['tasks']))" \
    "$1/.exercise/state.json"
}

# --- bad input, help -------------------------------------------------------------------------
run 0 "list" bash "$ex" list
has "list" "step1"
run 0 "list step1" bash "$ex" list step1
run 2 "unknown step" bash "$ex" start step9 "$tmp/nine"
has "unknown step" "step1, step2"
[ ! -e "$tmp/nine" ] || fail "unknown step: created $tmp/nine"
run 2 "unknown task" bash "$ex" solution step1 no-such-task
has "unknown task" "step1.put"
run 2 "check outside a tree" bash -c "cd '$tmp' && bash '$ex' check step1"
has "check outside a tree" "exercise.sh start step1"
for cmd in list start next check solution solve lint help; do
  for flag in --help -h; do
    run 0 "$cmd $flag" bash -c "cd '$tmp' && bash '$ex' $cmd $flag"
    has "$cmd $flag" "usage: scripts/exercise.sh $cmd"
    lacks "$cmd $flag" "configuring"
  done
done
run 0 "check help" bash -c "cd '$tmp' && bash '$ex' check help"
has "check help" "--tsan"
run 0 "help check" bash "$ex" help check
has "help check" "--tasks-only"
run 0 "--help" bash "$ex" --help
has "--help" "scripts/exercise.sh lint"
run 0 "start step1 DIR --help" bash "$ex" start step1 "$tmp/helped" --help
[ ! -e "$tmp/helped" ] || fail "start step1 DIR --help: created $tmp/helped"

# --- start: empty and non-empty directories ---------------------------------------------------
mkdir "$tmp/empty"
run 0 "start into an empty dir" bash "$ex" start step1 "$tmp/empty"
[ -f "$tmp/empty/.exercise/state.json" ] || fail "start into an empty dir: no state.json"
mkdir "$tmp/full" && echo mine >"$tmp/full/notes.txt"
run 1 "start into a non-empty dir" bash "$ex" start step1 "$tmp/full"
has "start into a non-empty dir" "not an empty directory"
[ "$(ls -A "$tmp/full")" = "notes.txt" ] || fail "start into a non-empty dir: changed it"
rm -rf "$tmp/empty" "$tmp/full"

# --- chapter references in a tree --------------------------------------------------------------
# refs_follow TREE: the tree's chapters pass check_chapter_refs.py, and each reference into a
# stubbed file names the line the checkout's reference names (its task's marker line when the
# checkout's line is inside a region, which the tree replaced).
refs_follow() {
  local tree=$1
  run 0 "chapter refs ($tree)" python3 "$repo/scripts/check_chapter_refs.py" "$tree"
  run 0 "refs land on the same code ($tree)" python3 - "$repo" "$tree" <<'EOF'
import json, os, re, sys
sys.path.insert(0, os.path.join(sys.argv[1], 'scripts'))
import check_chapter_refs, exercise
repo, tree = sys.argv[1], sys.argv[2]
st = json.load(open(os.path.join(tree, '.exercise', 'state.json')))
files = {t['file'] for t in st['tasks']}
def lines(root, rel):
    return open(os.path.join(root, rel), encoding='utf-8').read().split('\n')
regions = {rel: exercise.parse_file(repo, rel) for rel in files}
stubbed = {rel: {t['id']: t for t in exercise.parse_file(tree, rel)} for rel in files}
checked = bad = 0
for chapter in check_chapter_refs.chapters(repo):
    rel_ch = os.path.relpath(chapter, repo)
    a = [m for m in check_chapter_refs.REF.finditer(open(chapter).read()) if m.group(1) in files]
    b = [m for m in check_chapter_refs.REF.finditer(open(os.path.join(tree, rel_ch)).read())
         if m.group(1) in files]
    if len(a) != len(b):
        print(f'{rel_ch}: {len(a)} refs into stubbed files in the checkout, {len(b)} in the tree')
        bad += 1
        continue
    for ma, mb in zip(a, b):
        rel = ma.group(1)
        for ga, gb in ((2, 2), (3, 3)):
            if ma.group(ga) is None:
                continue
            n, m = int(ma.group(ga)), int(mb.group(gb))
            inside = [t for t in regions[rel] if t['body'] + 1 <= n <= t['end']]
            want = (lines(tree, rel)[stubbed[rel][inside[0]['id']]['header']] if inside
                    else lines(repo, rel)[n - 1])
            got = lines(tree, rel)[m - 1]
            checked += 1
            if got != want:
                bad += 1
                print(f'{rel_ch}: {ma.group(0)} -> {mb.group(0)}: {got.strip()!r}, want {want.strip()!r}')
print(f'{checked} references into stubbed files checked, {bad} wrong')
sys.exit(1 if bad or not checked else 0)
EOF
  has "refs land on the same code ($tree)" "references into stubbed files checked, 0 wrong"
}

# --- the round trip, every step -----------------------------------------------------------------
# roundtrip STEP TREE T0: TREE is a fresh tree of STEP (start) or was moved on to it (next).
roundtrip() {
  local step=$1 tree=$2 t0=$3 n k want name names
  [ -f "$tree/.exercise/state.json" ] || { fail "$step: no state.json in $tree"; return 1; }
  names=$(tasks_of "$tree")
  n=$(wc -w <<<"$names")
  refs_follow "$tree"

  run 1 "$step: check (stubs)" bash -c "cd '$tree' && bash '$ex' check $step"
  has "$step: check (stubs)" "0 of $n tasks pass"
  has "$step: check (stubs)" "first failing test:"
  capped "$step: check (stubs)"
  for name in $names; do
    grep -qE "^  \[FAIL\] $step\.$name +.*still the stub" <<<"$out" ||
      fail "$step: check (stubs): no \"[FAIL] $step.$name ... (still the stub\" line"
  done
  lacks "$step: check (stubs)" "selects no test"
  run 0 "$step: lint" bash "$ex" lint --build "$tree/build/exercise" "$step"
  has "$step: lint" ": 0 problems"

  # One task at a time, in the listed order: each solve makes exactly one more task pass.
  k=0
  for name in $names; do
    bash "$ex" solve "$step" "$name" "$tree" >/dev/null || fail "$step: solve $name"
    k=$((k + 1))
    want=1
    [ "$k" = "$n" ] && want=0
    run $want "$step: check after solving $name" bash "$ex" check "$step" "$tree" --tasks-only
    if [ "$(passing)" != "$k" ]; then
      # Show everything check said (its first failing test and message), then check once more
      # to tell a flaky test (right the second time: FLAKY) from a wrong one. Both fail the
      # test unless EXERCISE_STRICT=0, which lets a FLAKY pass while one is hunted down.
      local first=$out
      echo "exercise_test: $step: after solving $name (task $k of $n), $(passing) tasks pass, want $k; check said:"
      head -c 6000 <<<"$first"
      run $want "$step: check after solving $name (again)" bash "$ex" check "$step" "$tree" --tasks-only
      if [ "$(passing)" = "$k" ]; then
        echo "exercise_test: FLAKY: $step: after solving $name the second check counted $k passing tasks"
        [ "${EXERCISE_STRICT:-1}" = 1 ] && fail "$step: flaky check after solving $name"
      else
        fail "$step: after solving $name (task $k of $n), $(passing) tasks pass twice, want $k:"$'\n'"$(grep -E '^\s+\[(pass|FAIL)\]' <<<"$out")"
      fi
    fi
    capped "$step: check after solving $name"
  done
  run 0 "$step: solve all" bash "$ex" solve "$step" all "$tree"
  if [ "$step" = step1 ]; then  # the whole suite once (the engine's own run tests the rest)
    run 0 "$step: check (solved, whole suite)" bash "$ex" check "$step" "$tree"
    has "$step: check (solved, whole suite)" "$step done: every task and every test of the step passes"
  else
    run 0 "$step: check (solved)" bash "$ex" check "$step" "$tree" --tasks-only
  fi
  has "$step: check (solved)" "$n of $n tasks pass"
  local secs=$(($(date +%s) - t0))
  times="$times $step ${secs}s"
  echo "exercise_test: $step: $n tasks, stubs fail, one more passes per solve, all pass (${secs}s)"
}

# step1's tree also checks: kept work, solution, a filter that selects nothing, an unlisted
# failing test (each undone afterwards, so that the tree can go on to step2).
step1_extras() {
  local tree=$1 extra="$1/tests/step1/memory_store_tasks_test.cc"
  echo "// the learner's work" >>"$tree/step1_memory/memory_store.cc"
  run 1 "start again" bash "$ex" start step1 "$tree"
  has "start again" "your work is kept"
  grep -q "the learner's work" "$tree/step1_memory/memory_store.cc" ||
    fail "start again: the learner's work is gone"
  run 0 "solution" bash "$ex" solution step1 put
  has "solution" "map_.find(key)"

  # A filter in the form gtest does not use for a typed test: an error naming task and filter.
  cp "$tree/.exercise/state.json" "$tmp/state.json"
  python3 -c '
import json, sys
st = json.load(open(sys.argv[1]))
[t["tests"].append("StoreConformanceTest.PutThenGet") for t in st["tasks"] if t["name"] == "get"]
json.dump(st, open(sys.argv[1], "w"), indent=1)' "$tree/.exercise/state.json"
  run 1 "a filter that selects no test" bash "$ex" check step1 "$tree" --tasks-only
  has "a filter that selects no test" "[FAIL] step1.get"
  has "a filter that selects no test" '"StoreConformanceTest.PutThenGet"'
  has "a filter that selects no test" "selects no test"
  has "a filter that selects no test" "Step1/StoreConformanceTest/0.PutThenGet"
  cp "$tmp/state.json" "$tree/.exercise/state.json"

  # A failing test that no task lists: named, with the tasks likely to have broken it.
  cp "$extra" "$tmp/extra.cc"
  printf '%s\n' 'namespace lsm {' \
    'TEST(MemoryStore, AnUnlistedTestThatFails) { FAIL() << "an unlisted failure"; }' \
    '}  // namespace lsm' >>"$extra"
  run 1 "an unlisted failing test" bash "$ex" check step1 "$tree"
  has "an unlisted failing test" "4 of 4 tasks pass"
  has "an unlisted failing test" "tests that no task lists fail"
  has "an unlisted failing test" "MemoryStore.AnUnlistedTestThatFails: likely step1."
  lacks "an unlisted failing test" "other tests fail"
  cp "$tmp/extra.cc" "$extra"
}

# One tree for consecutive steps: `next` moves a solved tree on in place, keeping its build
# (only the new step's files and test files are compiled again).
tree="$tmp/tree"
prev=""
for step in $steps; do
  t0=$(date +%s)
  num=${step#step}
  if [ -n "$prev" ] && [ "${prev#step}" = $((num - 1)) ] && [ -d "$tree" ]; then
    run 0 "$step: next" bash "$ex" next "$tree"
    has "$step: next" "now $step"
  else
    rm -rf "$tree"
    run 0 "$step: start" bash "$ex" start "$step" "$tree"
    has "$step: start" "$step."
  fi
  roundtrip "$step" "$tree" "$t0"
  [ "$step" = step1 ] && step1_extras "$tree"
  prev=$step
done
[ "$prev" = step5 ] && run 2 "next after the last step" bash "$ex" next "$tree"

# --- memory ordering: a relaxed store in step3.insert fails check --tsan -------------------------
if [ "${EXERCISE_TSAN:-0}" = 1 ]; then
  t0=$(date +%s)
  tree="$tmp/tsan"
  bash "$ex" start step3 "$tree" >/dev/null && bash "$ex" solve step3 all "$tree" >/dev/null
  run 0 "check --tsan (reference)" bash "$ex" check step3 "$tree" --tsan
  has "check --tsan (reference)" "no data race"
  sed -i 's|    prev\[i\]->SetNext(i, x);|    prev[i]->NoBarrierSetNext(i, x);|' "$tree/step3_memtable/skiplist.h"
  grep -q 'prev\[i\]->NoBarrierSetNext(i, x);' "$tree/step3_memtable/skiplist.h" ||
    fail "check --tsan: could not make the store relaxed"
  run 1 "check --tsan (relaxed store)" bash "$ex" check step3 "$tree" --tsan
  has "check --tsan (relaxed store)" "[FAIL] step3.insert"
  has "check --tsan (relaxed store)" "data race"
  run 0 "check (relaxed store, no tsan)" bash "$ex" check step3 "$tree" --tasks-only
  times="$times tsan $(($(date +%s) - t0))s"
fi

total=$(($(date +%s) - start))
if [ "$failures" -eq 0 ]; then
  echo "exercise_test: ok: every step's tasks fail as stubs, pass one by one in order and all" \
    "as the reference; lint, help, refs, filters, caps (times:$times; total ${total}s)"
  exit 0
fi
echo "exercise_test: $failures failures (times:$times; total ${total}s)"
exit 1
