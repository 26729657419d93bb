#!/usr/bin/env python3
"""Exercise mode: write a step's key functions yourself, with the step's own tests as the judge.

  scripts/exercise.sh list [stepN]               the steps, or one step's tasks
  scripts/exercise.sh start stepN [DIR]          a work tree with the step's tasks stubbed out
  scripts/exercise.sh check [stepN] [DIR]        build + run the step's tests: "3 of 5 tasks pass"
  scripts/exercise.sh solution stepN TASK        print the reference code of one task
  scripts/exercise.sh solve stepN TASK|all [DIR] put the reference code back in the work tree

`start` copies the checkout's files (git ls-files: tracked and untracked-but-not-ignored; never
build/ or .git) to DIR (default $HOME/lsm-exercises/stepN, which must be outside the checkout),
replaces every region of that step marked in the code with its stub, writes
common/exercise_todo.h (what the stubs call) and DIR/.exercise/ (state.json marks the tree as an
exercise tree; reference/ keeps the original regions for `solution` and `solve`), and prints the
tasks in order, each with the chapter section that explains it. The checkout is only read.

`check` runs inside a work tree (or names it with DIR): it configures DIR/build/exercise (Ninja,
Debug, no benchmarks), builds only the step's test binaries (the lsm_add_test targets of
tests/stepN/CMakeLists.txt) with JOBS parallel jobs (default: all cores), runs each binary once
(EXERCISE_TIMEOUT seconds each, default 900), and maps the results to tasks: a task passes when
every test its `tests:` filter selects passes. It prints one line per task, "N of M tasks pass",
and the first failing test of the first failing task with its message.

The marker syntax (comment lines only, so the real code compiles and reads unchanged):

    // exercise stepN.TASK: what to write, in one line (continued on plain comment lines)
    //   tests: GTEST_FILTER     the tests that exercise it (gtest --gtest_filter syntax; several
    //                           tests: lines are joined with ':')
    //   read: FILE.md § SECTION the chapter section to read first (default: the step's chapter
    //                           § Walk the code)
    //   stub: C++ LINE          what `start` puts in place of the region (one or more lines). A
    //                           Status-returning region returns Status::NotSupported("exercise
    //                           stepN.TASK: ..."); others call lsm_exercise::Todo("stepN.TASK")
    //                           (throws: gtest names the task in the failure), or, where the code
    //                           runs on a background thread and a throw would end the process, a
    //                           safe placeholder plus lsm_exercise::Note("stepN.TASK") (says so
    //                           once on stderr)
    ...the reference code: the region, usually a whole function body...
    // end exercise

Exit status: 0 on success (check: every task and every test passes); 1 when check finds a
failing task or the build fails, or when start finds DIR already exists (it never overwrites:
the learner's work is kept, and the message says how to start over); 2 for bad input (an
unknown step or task, which lists the valid ones; check outside an exercise tree, which says how
to start one).
"""
import datetime
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATE_DIR = '.exercise'
BUILD_SUBDIR = os.path.join('build', 'exercise')
HELPER = 'common/exercise_todo.h'

# Each step: its chapter, and the order the tasks are best done in (others follow in file order).
STEPS = {
    'step1': dict(title='the in-memory store', chapter='step1_memory/README.md',
                  order=['put', 'get', 'delete', 'scan']),
    'step2': dict(title='the write-ahead log', chapter='step2_wal/README.md',
                  order=['fragment', 'header', 'unmask', 'physical', 'reassemble']),
    'step3': dict(title='the skip list and the MemTable', chapter='step3_memtable/README.md',
                  order=['compare', 'height', 'seek', 'insert', 'add', 'get']),
    'step4': dict(title='SSTables', chapter='step4_sstable/README.md',
                  order=['add', 'finish', 'parse', 'seek', 'bloom-add', 'bloom-match']),
    'step5': dict(title='the leveled LSM tree', chapter='step5_lsm/README.md',
                  order=['score', 'pick', 'drop', 'base-level', 'get']),
}
SOURCE_DIRS = ['common', 'step1_memory', 'step2_wal', 'step3_memtable', 'step4_sstable',
               'step5_lsm']

HEADER = re.compile(r'^(\s*)// exercise (step\d)\.([A-Za-z0-9_-]+): (.*)$')
FIELD = re.compile(r'^\s*//\s+(tests|read|stub):(?: (.*))?$')
END = re.compile(r'^\s*// end exercise\s*$')
COMMENT = re.compile(r'^\s*//(?: (.*))?$')

HELPER_TEXT = '''\
// Written by scripts/exercise.sh into an exercise work tree only (it is not part of the
// tutorial's code): what the stubs of the exercise tasks call.
#pragma once

#include <cstdio>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

namespace lsm_exercise {

// For code a test calls directly: gtest reports the exception, so the failure names the task.
[[noreturn]] inline void Todo(const char* task) {
  throw std::logic_error(std::string("exercise ") + task +
                         ": not written yet (scripts/exercise.sh list shows the task)");
}

// For code on a background thread, where a throw would end the process: the stub runs a safe
// placeholder instead, and this says so once per task on stderr.
inline void Note(const char* task) {
  static std::mutex mu;
  static std::set<std::string> said;
  std::lock_guard<std::mutex> lock(mu);
  if (said.insert(task).second) {
    std::fprintf(stderr, "exercise %s: not written yet, a placeholder runs instead\\n", task);
  }
}

}  // namespace lsm_exercise
'''


class Bad(Exception):
    """Bad input: printed, exit status 2."""


def die(msg, code=1):
    print(msg, file=sys.stderr)
    sys.exit(code)


# --- markers -------------------------------------------------------------------------------

def parse_file(root, rel):
    """Returns the exercise tasks marked in one file (dicts), in file order."""
    with open(os.path.join(root, rel), encoding='utf-8') as f:
        lines = f.read().split('\n')
    tasks = []
    i = 0
    while i < len(lines):
        m = HEADER.match(lines[i])
        if not m:
            if END.match(lines[i]):
                raise SystemExit(f'{rel}:{i + 1}: "// end exercise" without its "// exercise"')
            i += 1
            continue
        t = dict(step=m.group(2), name=m.group(3), id=f'{m.group(2)}.{m.group(3)}',
                 indent=m.group(1), text=m.group(4).strip(), file=rel, header=i, tests=[],
                 read=None, stub=[])
        j = i + 1
        seen_field = False
        while j < len(lines):
            fm = FIELD.match(lines[j])
            if fm:
                seen_field = True
                key, value = fm.group(1), fm.group(2) or ''
                if key == 'tests':
                    t['tests'] += [p for p in value.strip().split(':') if p]
                elif key == 'read':
                    t['read'] = value.strip()
                else:
                    t['stub'].append(value.rstrip())
                j += 1
                continue
            cm = COMMENT.match(lines[j])
            if cm and not seen_field and not END.match(lines[j]):
                t['text'] += ' ' + (cm.group(1) or '').strip()  # the task text goes on
                j += 1
                continue
            break
        t['body'] = j
        k = j
        while k < len(lines) and not END.match(lines[k]):
            if HEADER.match(lines[k]):
                raise SystemExit(f'{rel}:{k + 1}: exercise inside {t["id"]} (no nesting)')
            k += 1
        if k == len(lines):
            raise SystemExit(f'{rel}:{i + 1}: {t["id"]} has no "// end exercise"')
        t['end'] = k
        t['reference'] = lines[j:k]
        if not t['tests']:
            raise SystemExit(f'{rel}:{i + 1}: {t["id"]} has no "tests:" line')
        if not t['stub']:
            raise SystemExit(f'{rel}:{i + 1}: {t["id"]} has no "stub:" line')
        tasks.append(t)
        i = k + 1
    return tasks


def source_files(root):
    out = []
    for d in SOURCE_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for name in files:
                if name.endswith(('.h', '.cc')):
                    out.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(out)


def all_tasks(root):
    """{step: [task, ...]} in the order of STEPS[step]['order'], then file order."""
    by_step = {s: [] for s in STEPS}
    seen = {}
    for rel in source_files(root):
        for t in parse_file(root, rel):
            if t['step'] not in STEPS:
                raise SystemExit(f'{rel}:{t["header"] + 1}: unknown step {t["step"]}')
            if t['id'] in seen:
                raise SystemExit(f'{rel}:{t["header"] + 1}: {t["id"]} also marked in {seen[t["id"]]}')
            seen[t['id']] = rel
            t['read'] = t['read'] or f'{STEPS[t["step"]]["chapter"]} § Walk the code'
            by_step[t['step']].append(t)
    for step, tasks in by_step.items():
        order = STEPS[step]['order']
        tasks.sort(key=lambda t: (order.index(t['name']) if t['name'] in order else len(order)))
    return by_step


def check_step(step):
    if step not in STEPS:
        valid = ', '.join(STEPS)
        raise Bad(f'unknown step "{step}": the steps are {valid}')
    return step


def find_task(tasks, step, name):
    for t in tasks:
        if name in (t['name'], t['id']):
            return t
    width = max(len(t['id']) for t in tasks)
    valid = '\n'.join(f'  {t["id"]:<{width}}  {t["text"]}' for t in tasks)
    raise Bad(f'unknown task "{name}" for {step}; its tasks are:\n{valid}')


# --- work trees ----------------------------------------------------------------------------

def tree_state(tree):
    path = os.path.join(tree, STATE_DIR, 'state.json')
    if not os.path.isfile(path):
        return None
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def find_tree(start):
    d = os.path.abspath(start)
    while True:
        if tree_state(d) is not None:
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


def source_root():
    """The checkout the tasks come from: this script's repository, or, when the script runs
    from inside an exercise tree, the checkout that tree was made from."""
    st = tree_state(ROOT)
    if st is None:
        return ROOT
    src = st.get('source')
    if src and os.path.isdir(src) and tree_state(src) is None:
        return src
    return None


def default_dir(step):
    return os.path.join(os.path.expanduser('~'), 'lsm-exercises', step)


def inside(path, root):
    path, root = os.path.realpath(path), os.path.realpath(root)
    return path == root or path.startswith(root + os.sep)


def files_to_copy(src):
    try:
        out = subprocess.run(['git', '-C', src, 'ls-files', '-z', '--cached', '--others',
                              '--exclude-standard'], capture_output=True, check=True).stdout
        names = [n for n in out.decode().split('\0') if n]
    except (OSError, subprocess.CalledProcessError):
        names = []
        for dirpath, dirs, files in os.walk(src):
            rel = os.path.relpath(dirpath, src)
            dirs[:] = [d for d in dirs if not (rel == '.' and d in ('build', '.git', STATE_DIR))
                       and not d.startswith('build')]
            names += [os.path.normpath(os.path.join(rel, f)) for f in files]
    return [n for n in names
            if not n.startswith(('build/', '.git/', STATE_DIR + '/')) and
            os.path.isfile(os.path.join(src, n)) and not os.path.islink(os.path.join(src, n))]


def stub_file(tree, rel, tasks):
    """Replaces each task's region in tree/rel by its stub (markers stay, so `solve` can put
    the reference back); adds the helper's #include when a stub calls it."""
    path = os.path.join(tree, rel)
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    for t in sorted(tasks, key=lambda t: t['header'], reverse=True):
        lines[t['body']:t['end']] = [t['indent'] + s for s in t['stub']]
    if any('lsm_exercise::' in s for t in tasks for s in t['stub']):
        first = min(t['header'] for t in tasks)
        last_include = max((n for n in range(first) if lines[n].startswith('#include')),
                           default=None)
        if last_include is None:
            raise SystemExit(f'{rel}: no #include before the first exercise to add the helper after')
        lines.insert(last_include + 1, f'#include "{HELPER}"  // exercise mode: the stubs\' helper')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))


def print_tasks(tasks, with_tests=False):
    width = max(len(t['id']) for t in tasks)
    for n, t in enumerate(tasks, 1):
        print(f'  {n}. {t["id"]:<{width}}  {t["text"]}')
        print(f'     {"":<{width}}  read: {t["read"]}   ({t["file"]})')
        if with_tests:
            print(f'     {"":<{width}}  tests: {":".join(t["tests"])}')


def cmd_list(args):
    src = source_root() or ROOT
    tasks = all_tasks(src)
    if args:
        step = check_step(args[0])
        print(f'{step} — {STEPS[step]["title"]} ({STEPS[step]["chapter"]}): '
              f'{len(tasks[step])} tasks')
        print_tasks(tasks[step], with_tests=True)
        return 0
    for step, info in STEPS.items():
        ids = ' '.join(t['name'] for t in tasks[step])
        print(f'{step}  {info["title"]:<32} {len(tasks[step])} tasks: {ids}')
    print('\nscripts/exercise.sh list stepN shows one step\'s tasks; '
          'scripts/exercise.sh start stepN [DIR] begins one.')
    return 0


def cmd_start(args):
    if not args:
        raise Bad('usage: scripts/exercise.sh start stepN [DIR]')
    step = check_step(args[0])
    src = source_root()
    if src is None:
        die('this copy of the script is inside an exercise tree whose checkout is gone: run '
            'scripts/exercise.sh from the checkout')
    tree = os.path.abspath(args[1] if len(args) > 1 else default_dir(step))
    if inside(tree, src) or inside(src, tree):
        raise Bad(f'{tree} is inside the checkout {src} (or holds it): choose a directory '
                  f'outside, e.g. {default_dir(step)}')
    st = tree_state(tree)
    if st is not None:
        die(f'{tree} is already an exercise tree for {st["step"]}: nothing was changed, your work '
            f'is kept.\n  continue: cd {tree} && scripts/exercise.sh check {st["step"]}\n'
            f'  start over: rm -rf {tree} && scripts/exercise.sh start {step} {tree}')
    if os.path.exists(tree) and (not os.path.isdir(tree) or os.listdir(tree)):
        die(f'{tree} exists and is not empty: nothing was changed. Choose another DIR, or remove '
            f'it first.')
    tasks = all_tasks(src)[step]
    names = files_to_copy(src)
    os.makedirs(tree, exist_ok=True)
    for n in names:
        dst = os.path.join(tree, n)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(src, n), dst)
    by_file = {}
    for t in tasks:
        by_file.setdefault(t['file'], []).append(t)
    for rel, ts in by_file.items():
        stub_file(tree, rel, ts)
    with open(os.path.join(tree, HELPER), 'w', encoding='utf-8') as f:
        f.write(HELPER_TEXT)
    state_dir = os.path.join(tree, STATE_DIR)
    os.makedirs(os.path.join(state_dir, 'reference'), exist_ok=True)
    for t in tasks:
        with open(os.path.join(state_dir, 'reference', t['id'] + '.txt'), 'w',
                  encoding='utf-8') as f:
            f.write('\n'.join(t['reference']) + '\n')
    state = dict(
        step=step, source=src, created=datetime.datetime.now().isoformat(timespec='seconds'),
        tasks=[{k: t[k] for k in ('id', 'name', 'text', 'read', 'tests', 'file')} for t in tasks])
    with open(os.path.join(state_dir, 'state.json'), 'w', encoding='utf-8') as f:
        json.dump(state, f, indent=1)
        f.write('\n')
    print(f'{step} — {STEPS[step]["title"]}: an exercise tree in {tree}')
    print(f'({len(names)} files copied from {src}; {len(tasks)} regions replaced by stubs that '
          f'compile and fail, naming their task)\n')
    print('Your tasks, in order:')
    print_tasks(tasks)
    print(f'\nNext:\n  cd {tree}\n  scripts/exercise.sh check {step}     # builds the step\'s '
          f'tests, says which tasks pass\n  scripts/exercise.sh solution {step} '
          f'{tasks[0]["name"]}   # the reference, when stuck')
    return 0


def tree_for(args, step_needed):
    """(tree, state, step) from [stepN] [DIR] or the current directory."""
    step = None
    rest = list(args)
    if rest and re.fullmatch(r'step\w*', rest[0]) and not os.path.isdir(rest[0]):
        step = check_step(rest.pop(0))
    elif step_needed:
        raise Bad('usage: scripts/exercise.sh ' + step_needed)
    tree = find_tree(rest[0] if rest else os.getcwd())
    if tree is None:
        where = rest[0] if rest else os.getcwd()
        hint = ''
        if step and tree_state(default_dir(step)):
            hint = f'\n  ({step} has one already: cd {default_dir(step)})'
        raise Bad(f'{where} is not inside an exercise work tree. Start one with\n'
                  f'  scripts/exercise.sh start {step or "stepN"} [DIR]   (from the checkout)\n'
                  f'and run check inside it, or name it: scripts/exercise.sh check '
                  f'{step or "stepN"} DIR{hint}')
    st = tree_state(tree)
    if step and st['step'] != step:
        raise Bad(f'{tree} is an exercise tree for {st["step"]}, not {step}')
    return tree, st, st['step']


# --- check ---------------------------------------------------------------------------------

def test_targets(tree, step):
    with open(os.path.join(tree, 'tests', step, 'CMakeLists.txt'), encoding='utf-8') as f:
        return re.findall(r'lsm_add_test\((\w+)', f.read())


def run_logged(cmd, log, timeout=None, cwd=None):
    with open(log, 'w') as out:
        try:
            return subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout,
                                  cwd=cwd).returncode
        except subprocess.TimeoutExpired:
            return 'timeout'


def build_errors(log):
    with open(log, errors='replace') as f:
        lines = f.read().splitlines()
    start = next((n for n, l in enumerate(lines) if l.startswith('FAILED:')), None)
    if start is None:
        return lines[-40:]
    errs = [l for l in lines[start:] if ' error: ' in l or 'error:' in l.split(' ')[0:2]]
    return (errs or lines[start:])[:25]


def matches(name, filt):
    """gtest --gtest_filter semantics: POSITIVE[:POSITIVE...][-NEGATIVE[:NEGATIVE...]]."""
    pos, _, neg = filt.partition('-')
    def any_of(pats):
        return any(fnmatch.fnmatchcase(name, p) for p in pats.split(':') if p)
    return (any_of(pos) if pos else True) and not any_of(neg)


def parse_json(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        data = json.load(f)
    out = {}
    for suite in data.get('testsuites', []):
        for test in suite.get('testsuite', []):
            if test.get('status') == 'NOTRUN':
                continue
            fails = [x.get('failure', '') for x in test.get('failures', [])]
            out[f'{suite["name"]}.{test["name"]}'] = (not fails, '\n'.join(fails))
    return out


def list_tests(binary):
    out = subprocess.run([binary, '--gtest_list_tests'], capture_output=True, text=True,
                         timeout=120).stdout
    names, suite = [], ''
    for line in out.splitlines():
        if not line.strip():
            continue
        if not line.startswith(' '):
            suite = line.split('#')[0].strip()
        else:
            names.append(suite + line.split('#')[0].strip())
    return names


def run_binary(binary, filt, workdir, timeout):
    """{test: (passed, message)} for one run, or (None, why, output tail) when it died."""
    fd, js = tempfile.mkstemp(suffix='.json', dir=workdir)
    os.close(fd)
    os.unlink(js)
    log = js[:-5] + '.log'
    cmd = [binary, f'--gtest_output=json:{js}']
    if filt:
        cmd.append(f'--gtest_filter={filt}')
    rc = run_logged(cmd, log, timeout=timeout, cwd=workdir)
    with open(log, errors='replace') as f:
        tail = f.read().splitlines()[-12:]
    if rc != 'timeout' and os.path.isfile(js):
        return parse_json(js), None, tail
    why = f'timed out after {timeout}s' if rc == 'timeout' else f'exited with status {rc}'
    return None, why, tail


def cmd_check(args):
    tree, st, step = tree_for(args, None)
    tasks = st['tasks']
    jobs = os.environ.get('JOBS') or str(os.cpu_count() or 2)
    timeout = int(os.environ.get('EXERCISE_TIMEOUT', '900'))
    build = os.path.join(tree, BUILD_SUBDIR)
    logdir = os.path.join(tree, STATE_DIR, 'logs')
    os.makedirs(logdir, exist_ok=True)
    t0 = time.time()
    if not os.path.isfile(os.path.join(build, 'build.ninja')):
        print(f'{step}: configuring {build}')
        log = os.path.join(logdir, 'configure.log')
        rc = run_logged(['cmake', '-S', tree, '-B', build, '-G', 'Ninja',
                         '-DCMAKE_BUILD_TYPE=Debug', '-DLSM_BUILD_BENCH=OFF'], log)
        if rc != 0:
            print('\n'.join(build_errors(log)))
            die(f'{step}: cmake configure failed (log: {log})')
    known = subprocess.run(['ninja', '-C', build, '-t', 'targets', 'all'], capture_output=True,
                           text=True).stdout
    known = {line.split(':')[0] for line in known.splitlines()}
    targets = [t for t in test_targets(tree, step) if t in known]
    print(f'{step}: building {" ".join(targets)} (debug, -j{jobs})')
    log = os.path.join(logdir, 'build.log')
    rc = run_logged(['cmake', '--build', build, '-j', jobs, '--target'] + targets, log)
    if rc != 0:
        print('\n'.join(build_errors(log)))
        print(f'\n{step}: the build failed: fix the errors above (full log: {log})')
        print(f'0 of {len(tasks)} tasks pass (it does not compile)')
        return 1
    print(f'{step}: built in {time.time() - t0:.0f}s; running the tests')
    results, died = {}, []
    workdir = tempfile.mkdtemp(prefix='exercise-check-')
    try:
        for target in targets:
            binary = os.path.join(build, 'tests', step, target)
            got, why, tail = run_binary(binary, None, workdir, timeout)
            if got is not None:
                results.update(got)
                continue
            # The binary died (a crash, an abort): run each task's tests on their own, so one
            # crashing task does not hide how the others do.
            died.append((target, why, tail))
            names = list_tests(binary)
            for t in tasks:
                filt = ':'.join(t['tests'])
                mine = [n for n in names if matches(n, filt)]
                if not mine or all(n in results for n in mine) or why.startswith('timed out'):
                    continue
                got2, why2, tail2 = run_binary(binary, filt, workdir, timeout)
                if got2 is not None:
                    results.update(got2)
                for n in mine:
                    results.setdefault(n, (False, f'{target} {why2} while running it:\n' +
                                           '\n'.join(tail2)))
            for n in names:
                results.setdefault(n, (False, f'{target} {why} (not run alone):\n' +
                                       '\n'.join(tail)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    passed_tasks, first_fail = 0, None
    width = max(len(t['id']) for t in tasks)
    for t in tasks:
        filt = ':'.join(t['tests'])
        mine = [n for n in results if matches(n, filt)]
        bad = [n for n in mine if not results[n][0]]
        if mine and not bad:
            passed_tasks += 1
            print(f'  [pass] {t["id"]:<{width}}  {len(mine)} tests')
            continue
        note = f'{len(bad)} of {len(mine)} tests fail' if mine else 'its filter selects no test'
        print(f'  [FAIL] {t["id"]:<{width}}  {note} — {t["text"]}')
        if first_fail is None:
            # Tasks share tests: show one that fails on this task's own stub when there is one.
            own = [n for n in bad if f'exercise {t["id"]}:' in results[n][1]]
            first_fail = (t, (own or bad or [None])[0])
    other_bad = sorted(n for n, (ok, _) in results.items() if not ok and
                       not any(matches(n, ':'.join(t['tests'])) for t in tasks))
    n_ok = sum(1 for ok, _ in results.values() if ok)
    print(f'\n{passed_tasks} of {len(tasks)} tasks pass   (tests: {n_ok} passed, '
          f'{len(results) - n_ok} failed; {time.time() - t0:.0f}s)')
    for target, why, tail in died:
        print(f'note: {target} {why}; its tests were rerun task by task. Its last output:')
        print('\n'.join('    ' + l for l in tail[-6:]))
    if first_fail is not None:
        t, test = first_fail
        if test is not None:
            msg = results[test][1].strip().splitlines()
            print(f'\nfirst failing test: {test}  (task {t["id"]})')
            print('\n'.join('    ' + l for l in msg[:15]))
            if len(msg) > 15:
                print(f'    ... ({len(msg) - 15} more lines)')
        print(f'\nnext: {t["id"]} in {t["file"]}: {t["text"]}\n  read: {t["read"]}\n'
              f'  stuck? scripts/exercise.sh solution {step} {t["name"]}')
        return 1
    if other_bad:
        print(f'\nevery task passes, but {len(other_bad)} other tests fail, e.g. {other_bad[0]}:')
        print('\n'.join('    ' + l for l in results[other_bad[0]][1].splitlines()[:15]))
        return 1
    print(f'\n{step} done: every task and every test of the step passes.')
    return 0


# --- solution / solve ----------------------------------------------------------------------

def reference_of(step, name):
    """(task, reference lines): from the exercise tree's copy when the script runs in a tree of
    that step, else from the checkout's marked code."""
    tree = find_tree(os.getcwd()) or (ROOT if tree_state(ROOT) else None)
    st = tree_state(tree) if tree else None
    if st is not None and st['step'] == step:
        t = find_task(st['tasks'], step, name)
        with open(os.path.join(tree, STATE_DIR, 'reference', t['id'] + '.txt'),
                  encoding='utf-8') as f:
            return t, f.read().rstrip('\n').split('\n')
    src = source_root()
    if src is None:
        die('the checkout this tree came from is gone')
    t = find_task(all_tasks(src)[step], step, name)
    return t, t['reference']


def cmd_solution(args):
    if len(args) != 2:
        raise Bad('usage: scripts/exercise.sh solution stepN TASK')
    step = check_step(args[0])
    t, ref = reference_of(step, args[1])
    print(f'// {t["id"]}: {t["text"]}\n// reference region in {t["file"]} (read: {t["read"]})')
    print('\n'.join(ref))
    return 0


def cmd_solve(args):
    if len(args) < 2:
        raise Bad('usage: scripts/exercise.sh solve stepN TASK|all [DIR]')
    step = check_step(args[0])
    tree, st, _ = tree_for([step] + args[2:], None)
    names = [t['name'] for t in st['tasks']] if args[1] == 'all' else \
        [find_task(st['tasks'], step, args[1])['name']]
    for name in names:
        t = find_task(st['tasks'], step, name)
        with open(os.path.join(tree, STATE_DIR, 'reference', t['id'] + '.txt'),
                  encoding='utf-8') as f:
            ref = f.read().rstrip('\n').split('\n')
        marked = [m for m in parse_file(tree, t['file']) if m['id'] == t['id']]
        if not marked:
            die(f'{t["file"]}: the markers of {t["id"]} are gone; restore them to solve it')
        m = marked[0]
        path = os.path.join(tree, t['file'])
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        lines[m['body']:m['end']] = ref
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines))
        print(f'{t["id"]}: the reference code is back in {t["file"]}')
    return 0


def main(argv):
    cmds = dict(list=cmd_list, start=cmd_start, check=cmd_check, solution=cmd_solution,
                solve=cmd_solve)
    if not argv or argv[0] not in cmds:
        print(__doc__.split('\n\n')[0] + '\n\n' + __doc__.split('\n\n')[1], file=sys.stderr)
        return 0 if argv and argv[0] in ('-h', '--help', 'help') else 2
    try:
        return cmds[argv[0]](argv[1:])
    except Bad as e:
        print(e, file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
