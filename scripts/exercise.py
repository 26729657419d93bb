#!/usr/bin/env python3
"""Exercise mode: write a step's key functions yourself, with the step's own tests as the judge.

  scripts/exercise.sh list [stepN]               the steps, or one step's tasks
  scripts/exercise.sh start stepN [DIR]          a work tree with the step's tasks stubbed out
  scripts/exercise.sh next [DIR]                 go on to the next step in the same tree
  scripts/exercise.sh check [stepN] [DIR] [--tasks-only|--all] [--tsan]
                                                 build + run the step's tests: "3 of 5 tasks pass"
  scripts/exercise.sh solution stepN TASK        print the reference code of one task
  scripts/exercise.sh solve stepN TASK|all [DIR] put the reference code back in the work tree
  scripts/exercise.sh lint [--build DIR] [stepN...]  every task's filters match tests (checkout)
  scripts/exercise.sh help [COMMAND]             this text, or one command's (also COMMAND -h)

`start` copies the checkout's files (git ls-files: tracked and untracked-but-not-ignored; never
build/ or .git) to DIR (default $HOME/lsm-exercises/stepN, which must be outside the checkout;
DIR may exist if it is an empty directory, a non-empty one is refused), replaces every region
of that step marked in the code with its stub, writes common/exercise_todo.h (what the stubs
call), one more test binary, stepN_exercise_tests, built from only the test files that hold the
tasks' tests (appended to the tree's tests/stepN/CMakeLists.txt), and DIR/.exercise/
(state.json marks the tree as an exercise tree; reference/ keeps the original regions for
`solution` and `solve`; original/ the files as they were, so that the chapters' `path:LINE`
references into a stubbed file are moved onto the same code in the tree: by `start`, `solve`
and every `check`). It prints the tasks in order, each with the chapter section that
explains it. The checkout is only read.

The tasks of a step are ordered so that each one can pass once it and the ones before it are
written: a task's tests need only those. Where a task's code calls a later task's (step3.insert
calls step3.height and step3.seek), the later task's stub is a placeholder that works (seek's
is correct but slow, height's draws 1 to 4 levels uniformly), so the earlier one can pass.

`next` moves a tree on to the next step in place once every task of its step has passed a check
(state.json's all_pass): the old step's code stays as written and the build directory is kept,
so only the new step's stubbed files and test files are compiled again.

`check` runs inside a work tree (or names it with DIR): it configures DIR/build/exercise (Ninja,
Debug, no benchmarks), builds stepN_exercise_tests with JOBS parallel jobs (default: all
cores) and runs the tasks' tests (EXERCISE_TIMEOUT seconds per binary, default 300). A task
passes when every test its `tests:` lines select passes; a filter that selects no test is an
error, never a pass (the line names the task and the filter). It prints one line per task,
"N of M tasks pass" and the first failing test of the first failing task. Once every task
passes it builds the step's own test binaries and runs all of them: a failing test no task
lists is reported with the tasks likely to have caused it. --tasks-only stops after the tasks;
--all runs the step's whole suite at once. --tsan builds the step's concurrency tests (label
"concurrency") under ThreadSanitizer in DIR/build/exercise-tsan and runs them: a data race
fails the task whose region is in its stack (a relaxed store where a release is needed passes
the plain check, not this one). The output is capped (EXERCISE_LINE_CAP characters a line,
default 200; EXERCISE_OUTPUT_CAP bytes in all, default 8000); .exercise/logs/check.txt has it
whole.

`lint` checks the checkout's markers against built test binaries (default build/debug: the
binaries of tests/stepN/CMakeLists.txt): every filter of every task matches at least one test,
every step's order names its tasks, every `read:` names a section of a chapter.

The marker syntax (comment lines only, so the real code compiles and reads unchanged):

    // exercise stepN.TASK: what to write, in one line (continued on plain comment lines)
    //   tests: GTEST_FILTER     the tests that judge it (gtest --gtest_filter syntax, a
    //                           -NEGATIVE part applies to its own line; several lines add up)
    //   read: FILE.md § SECTION the chapter section to read first (default: the step's chapter
    //                           § Walk the code)
    //   stub: C++ LINE          what `start` puts in place of the region (one or more lines). A
    //                           Status-returning region returns Status::NotSupported("exercise
    //                           stepN.TASK: ..."); others call lsm_exercise::Todo("stepN.TASK")
    //                           (throws: gtest names the task in the failure), or, where the code
    //                           runs on a background thread or a later task's code needs it, a
    //                           placeholder plus lsm_exercise::Note("stepN.TASK") (says so once
    //                           on stderr)
    ...the reference code: the region, usually a whole function body...
    // end exercise

Exit status: 0 on success (check: every task and every test passes); 1 when check finds a
failing task or the build fails, when lint finds a problem, or when start finds DIR is an
exercise tree already or a non-empty directory (it never overwrites: the learner's work is
kept, and the message says how to start over); 2 for bad input (an unknown step or task, which
lists the valid ones; check outside an exercise tree, which says how to start one; lint without
built binaries).
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
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
import check_chapter_refs  # noqa: E402  (the chapters and their `path:LINE` references)
import remap_chapter_refs  # noqa: E402  (moving references along with the code)

STATE_DIR = '.exercise'
BUILD_SUBDIR = os.path.join('build', 'exercise')
TSAN_SUBDIR = os.path.join('build', 'exercise-tsan')
HELPER = 'common/exercise_todo.h'
CMAKE_MARK = '# exercise mode:'

# Each step: its chapter, the order its tasks are done in (each task's tests need only the
# tasks before it), and `calls`: a task whose code calls a LATER task's code (so a bug there
# also fails the earlier task's tests; check says so once the later task is written).
STEPS = {
    'step1': dict(title='the in-memory store', chapter='step1_memory/README.md',
                  order=['put', 'get', 'delete', 'scan']),
    'step2': dict(title='the write-ahead log', chapter='step2_wal/README.md',
                  order=['unmask', 'header', 'fragment', 'physical', 'reassemble']),
    'step3': dict(title='the skip list and the MemTable', chapter='step3_memtable/README.md',
                  order=['compare', 'insert', 'height', 'seek', 'add', 'get'],
                  calls={'insert': ['height', 'seek']}),
    'step4': dict(title='SSTables', chapter='step4_sstable/README.md',
                  order=['finish', 'add', 'parse', 'seek', 'bloom-add', 'bloom-match']),
    'step5': dict(title='the leveled LSM tree', chapter='step5_lsm/README.md',
                  order=['get', 'score', 'pick', 'base-level', 'drop']),
}
SOURCE_DIRS = ['common', 'step1_memory', 'step2_wal', 'step3_memtable', 'step4_sstable',
               'step5_lsm']
TSAN_FLAGS = ['-DCMAKE_CXX_FLAGS=-O1 -fsanitize=thread -fno-omit-frame-pointer',
              '-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread']

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

// For code on a background thread (where a throw would end the process) or code a later task
// needs: the stub runs a placeholder instead, and this says so once per task on stderr.
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

USAGE = {
    'list': 'usage: scripts/exercise.sh list [stepN]\n  the steps and their tasks, or one step\'s '
            'tasks with the tests that judge each',
    'start': 'usage: scripts/exercise.sh start stepN [DIR]\n  copies the checkout to DIR (default '
             '~/lsm-exercises/stepN; an existing DIR must be empty) with the step\'s tasks '
             'replaced by stubs',
    'check': 'usage: scripts/exercise.sh check [stepN] [DIR] [--tasks-only | --all] [--tsan]\n'
             '  builds and runs the tasks\' tests ("3 of 5 tasks pass"); once every task passes,\n'
             '  the step\'s whole suite. --tasks-only: the tasks\' tests only; --all: the whole '
             'suite at once;\n  --tsan: the step\'s concurrency tests under ThreadSanitizer '
             '(memory ordering). JOBS=N parallel jobs.',
    'next': 'usage: scripts/exercise.sh next [DIR]\n  moves a work tree whose every task passed its '
            'last check on to the next step, in place\n  (your code and the build stay: only '
            'what changed is compiled again)',
    'solution': 'usage: scripts/exercise.sh solution stepN TASK\n  prints the reference code of '
                'one task',
    'solve': 'usage: scripts/exercise.sh solve stepN TASK|all [DIR]\n  puts the reference code '
             'of one task (or all) back in the work tree',
    'lint': 'usage: scripts/exercise.sh lint [--build DIR] [stepN...]\n  checks the checkout\'s '
            'markers: every filter matches a test of the built binaries (default build/debug),\n'
            '  every step\'s order names its tasks, every read: names a chapter section',
    'help': 'usage: scripts/exercise.sh help [COMMAND]',
}


class Bad(Exception):
    """Bad input: printed, exit status 2."""


def die(msg, code=1):
    print(msg, file=sys.stderr)
    sys.exit(code)


# --- capped output -------------------------------------------------------------------------

class Out:
    """Prints lines capped in width and in total; keeps every line for the log file."""

    def __init__(self):
        self.line_cap = int(os.environ.get('EXERCISE_LINE_CAP', '200'))
        self.total_cap = int(os.environ.get('EXERCISE_OUTPUT_CAP', '8000'))
        self.printed = 0
        self.capped = 0
        self.all = []

    def __call__(self, text=''):
        for line in str(text).split('\n'):
            self.all.append(line)
            if len(line) > self.line_cap:
                rest = len(line.encode('utf-8')) - len(line[:self.line_cap].encode('utf-8'))
                line = f'{line[:self.line_cap]}… ({rest} more bytes)'
            size = len(line.encode('utf-8')) + 1
            if self.capped or self.printed + size > self.total_cap:
                self.capped += 1
                continue
            self.printed += size
            print(line, flush=True)

    def finish(self, log):
        os.makedirs(os.path.dirname(log), exist_ok=True)
        with open(log, 'w', encoding='utf-8') as f:
            f.write('\n'.join(self.all) + '\n')
        if self.capped:
            print(f'… output capped at {self.total_cap} bytes ({self.capped} more lines): '
                  f'{log} has all of it')


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
                    if value.strip():
                        t['tests'].append(value.strip())  # one gtest filter per line
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


# --- gtest filters and test names ------------------------------------------------------------

def matches(name, filt):
    """gtest --gtest_filter semantics: POSITIVE[:POSITIVE...][-NEGATIVE[:NEGATIVE...]]."""
    pos, _, neg = filt.partition('-')

    def any_of(pats):
        return any(fnmatch.fnmatchcase(name, p) for p in pats.split(':') if p)
    return (any_of(pos) if pos else True) and not any_of(neg)


def selects(name, filters):
    """A task's tests: the union of its `tests:` lines."""
    return any(matches(name, f) for f in filters)


def positives(filters):
    """Each positive pattern of a task's filters (each must select a test)."""
    return [p for f in filters for p in f.partition('-')[0].split(':') if p]


def suite_of(name):
    return name.split('.', 1)[0]


def list_tests(binary):
    out = subprocess.run([binary, '--gtest_list_tests'], capture_output=True, text=True,
                         timeout=120).stdout
    names, suite = [], ''
    for line in out.splitlines():
        if not line.strip() or line.startswith('Running main()'):
            continue
        if not line.startswith(' '):
            suite = line.split('#')[0].strip()
        else:
            names.append(suite + line.split('#')[0].strip())
    return names


def cmake_tests(tree, step):
    """The lsm_add_test targets of tests/stepN/CMakeLists.txt: [(name, sources, libs, labels)]."""
    path = os.path.join(tree, 'tests', step, 'CMakeLists.txt')
    with open(path, encoding='utf-8') as f:
        text = f.read()
    out = []
    for name, body in re.findall(r'lsm_add_test\(\s*(\w+)([^)]*)\)', text):
        part, fields = None, dict(SOURCES=[], LIBS=[], LABELS=[])
        for word in body.split():
            if word in fields:
                part = word
            elif part:
                fields[part].append(word)
        out.append((name, fields['SOURCES'], fields['LIBS'], fields['LABELS']))
    return out


TEST_MACRO = re.compile(r'^\s*(TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)\(\s*(\w+)\s*,\s*(\w+)',
                        re.M)
INSTANTIATE = re.compile(r'INSTANTIATE_(TYPED_)?TEST_SUITE_P\(\s*(\w+)\s*,\s*(\w+)')
INCLUDE = re.compile(r'^#include "(tests/[^"]+)"', re.M)


def static_test_names(tree, step, source):
    """The names gtest will give the tests of one test source (parameters as /0), read from
    the source and the tests/ headers it includes: used to pick the files to build."""
    def read(rel):
        try:
            with open(os.path.join(tree, rel), encoding='utf-8') as f:
                return f.read()
        except OSError:
            return ''
    text = read(os.path.join('tests', step, source))
    headers = ''.join(read(h) for h in INCLUDE.findall(text))
    prefixes = {}
    for typed, prefix, suite in INSTANTIATE.findall(text):
        prefixes.setdefault(suite, []).append((prefix, bool(typed)))
    names = []
    for kind, suite, test in TEST_MACRO.findall(text):
        if kind == 'TEST_P':
            names += [f'{p}/{suite}.{test}/0' for p, _ in prefixes.get(suite, [('*', False)])]
        elif kind in ('TEST', 'TEST_F', 'TYPED_TEST'):
            names.append(f'{suite}.{test}')
    for kind, suite, test in TEST_MACRO.findall(headers):
        if kind == 'TYPED_TEST_P':
            names += [f'{p}/{suite}/0.{test}' for p, _ in prefixes.get(suite, [])]
    return names


def exercise_sources(tree, step, tasks):
    """(sources, libs) of the test files that hold the tasks' tests, or None when a pattern
    matches no test name found by reading the sources (then every test file is used)."""
    targets = cmake_tests(tree, step)
    chosen, libs = [], []
    found = set()
    pats = [p for t in tasks for p in positives(t['tests'])]
    for name, sources, tlibs, _ in targets:
        for src in sources:
            names = static_test_names(tree, step, src)
            hit = {p for p in pats if any(fnmatch.fnmatchcase(n, p) for n in names)}
            if hit and src not in chosen:
                chosen.append(src)
                libs += [lib for lib in tlibs if lib not in libs]
            found |= hit
    if set(pats) - found:
        return None
    return chosen, libs


def exercise_cmake(tree, step, sources, libs):
    target = f'{step}_exercise_tests'
    lines = [f'\n{CMAKE_MARK} the test files that hold the tasks\' tests, as one binary',
             f'# (scripts/exercise.sh check builds it first: less to compile than the whole suite).']

    def add(srcs, lbs):
        return (f'lsm_add_test({target}\n  SOURCES {" ".join(srcs)}\n  LIBS {" ".join(lbs)}\n'
                f'  LABELS {step} exercise)')
    body = add(sources, libs)
    if any(lib.startswith('leveldb::') for lib in libs):
        # Without LevelDB the compatibility test files cannot link: leave them out.
        oracle = {src for name, srcs, lbs, _ in cmake_tests(tree, step)
                  if any(lib.startswith('leveldb::') for lib in lbs) for src in srcs}
        plain = [s for s in sources if s not in oracle]
        body = (f'if(TARGET leveldb::leveldb)\n{body}\nelse()\n'
                f'{add(plain, [lib for lib in libs if not lib.startswith("leveldb::")])}\nendif()')
    return '\n'.join(lines) + '\n' + body + '\n'


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


def read_lines(path):
    with open(path, encoding='utf-8') as f:
        return f.read().split('\n')


def write_lines(path, lines):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))


def stub_file(tree, rel, tasks):
    """Replaces each task's region in tree/rel by its stub (markers stay, so `solve` can put
    the reference back); adds the helper's #include when a stub calls it."""
    path = os.path.join(tree, rel)
    lines = read_lines(path)
    for t in sorted(tasks, key=lambda t: t['header'], reverse=True):
        lines[t['body']:t['end']] = [t['indent'] + s for s in t['stub']]
    if any('lsm_exercise::' in s for t in tasks for s in t['stub']):
        first = min(t['header'] for t in tasks)
        last_include = max((n for n in range(first) if lines[n].startswith('#include')),
                           default=None)
        if last_include is None:
            raise SystemExit(f'{rel}: no #include before the first exercise to add the helper after')
        lines.insert(last_include + 1, f'#include "{HELPER}"  // exercise mode: the stubs\' helper')
    write_lines(path, lines)


def region_is_stub(tree, t):
    """True when the task's region in the tree is still exactly its stub."""
    try:
        marked = [m for m in parse_file(tree, t['file']) if m['id'] == t['id']]
    except (SystemExit, OSError):
        return False
    if not marked:
        return False
    body = [l.strip() for l in marked[0]['reference']]
    return body == [s.strip() for s in t['stub']]


def remap_chapters(tree, st):
    """Moves the chapters' `path:LINE` references into stubbed files onto the same code in the
    tree (as the file is now: stubbed, solved or being written). A reference into a region
    goes to the region's `// exercise` line. Rewrites each chapter from its checkout copy."""
    orig_dir = os.path.join(tree, STATE_DIR, 'original')
    # Every file a step of this tree stubbed (`next` keeps the earlier steps' originals).
    files = sorted({os.path.relpath(os.path.join(d, n), orig_dir)
                    for d, _, names in os.walk(orig_dir) for n in names
                    if n.endswith(('.h', '.cc'))})
    current = {t['id'] for t in st['tasks']}
    where = {}
    for rel in files:
        old_path, new_path = os.path.join(orig_dir, rel), os.path.join(tree, rel)
        if not (os.path.isfile(old_path) and os.path.isfile(new_path)):
            continue
        old, new = read_lines(old_path), read_lines(new_path)
        m = remap_chapter_refs.line_map(old, new)
        try:
            old_regions = [t for t in parse_file(orig_dir, rel)]
            new_regions = {t['id']: t for t in parse_file(tree, rel)}
        except SystemExit:
            old_regions, new_regions = [], {}
        regions = [(t['body'] + 1, t['end'], new_regions[t['id']]['header'] + 1)
                   for t in old_regions if t['id'] in new_regions and t['id'] in current]

        def moved(n, m=m, regions=regions):
            for first, last, header in regions:
                if first <= n <= last:
                    return header
            return remap_chapter_refs.near(m, n)
        where[rel] = moved
    chapter_dir = os.path.join(tree, STATE_DIR, 'chapters')
    for chapter in check_chapter_refs.chapters(tree):
        rel_ch = os.path.relpath(chapter, tree)
        saved = os.path.join(chapter_dir, rel_ch)
        if not os.path.isfile(saved):
            with open(chapter, encoding='utf-8') as f:
                text = f.read()
            if not any(rel + ':' in text for rel in where):
                continue
            os.makedirs(os.path.dirname(saved), exist_ok=True)
            with open(saved, 'w', encoding='utf-8') as f:
                f.write(text)
        with open(saved, encoding='utf-8') as f:
            text = f.read()
        for rel, fn in where.items():
            text = remap_chapter_refs.remap_text(text, rel, fn)
        with open(chapter, encoding='utf-8') as f:
            current = f.read()
        if current != text:
            with open(chapter, 'w', encoding='utf-8') as f:
                f.write(text)


def print_tasks(tasks, with_tests=False):
    width = max(len(t['id']) for t in tasks)
    for n, t in enumerate(tasks, 1):
        print(f'  {n}. {t["id"]:<{width}}  {t["text"]}')
        print(f'     {"":<{width}}  read: {t["read"]}   ({t["file"]})')
        if with_tests:
            for f in t['tests']:
                print(f'     {"":<{width}}  tests: {f}')


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
        raise Bad(USAGE['start'])
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
        die(f'{tree} exists and is not an empty directory: nothing was changed. Choose another '
            f'DIR, or remove it first.')
    tasks = all_tasks(src)[step]
    names = files_to_copy(src)
    os.makedirs(tree, exist_ok=True)
    for n in names:
        dst = os.path.join(tree, n)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(src, n), dst)
    make_exercise(tree, step, tasks, src)
    print(f'{step} — {STEPS[step]["title"]}: an exercise tree in {tree}')
    print(f'({len(names)} files copied from {src}; {len(tasks)} regions replaced by stubs that '
          f'compile and fail, naming their task)\n')
    print_next(tree, step, tasks)
    return 0


def make_exercise(tree, step, tasks, src):
    """Stubs the tasks' regions in the tree and writes its .exercise/ state."""
    state_dir = os.path.join(tree, STATE_DIR)
    by_file = {}
    for t in tasks:
        by_file.setdefault(t['file'], []).append(t)
    cmakelists = os.path.join('tests', step, 'CMakeLists.txt')
    for rel in list(by_file) + [cmakelists]:
        original = os.path.join(state_dir, 'original', rel)
        os.makedirs(os.path.dirname(original), exist_ok=True)
        if not os.path.isfile(original):  # as the checkout had it (kept by `next`)
            shutil.copy2(os.path.join(tree, rel), original)
    for rel, ts in by_file.items():
        stub_file(tree, rel, ts)
    with open(os.path.join(tree, HELPER), 'w', encoding='utf-8') as f:
        f.write(HELPER_TEXT)
    picked = exercise_sources(tree, step, tasks)
    if picked is not None:
        with open(os.path.join(tree, cmakelists), 'a', encoding='utf-8') as f:
            f.write(exercise_cmake(tree, step, *picked))
    shutil.rmtree(os.path.join(state_dir, 'reference'), ignore_errors=True)
    os.makedirs(os.path.join(state_dir, 'reference'), exist_ok=True)
    for t in tasks:
        with open(os.path.join(state_dir, 'reference', t['id'] + '.txt'), 'w',
                  encoding='utf-8') as f:
            f.write('\n'.join(t['reference']) + '\n')
    state = dict(
        step=step, source=src, created=datetime.datetime.now().isoformat(timespec='seconds'),
        exercise_target=f'{step}_exercise_tests' if picked is not None else None,
        tasks=[{k: t[k] for k in ('id', 'name', 'text', 'read', 'tests', 'file', 'stub')}
               for t in tasks])
    write_state(tree, state)
    remap_chapters(tree, state)


def write_state(tree, state):
    with open(os.path.join(tree, STATE_DIR, 'state.json'), 'w', encoding='utf-8') as f:
        json.dump(state, f, indent=1)
        f.write('\n')


def print_next(tree, step, tasks):
    print('Your tasks, in order (each one\'s tests need only it and the ones before it):')
    print_tasks(tasks)
    print(f'\nNext:\n  cd {tree}\n  scripts/exercise.sh check {step}     # builds the tasks\' '
          f'tests, says which tasks pass\n  scripts/exercise.sh solution {step} '
          f'{tasks[0]["name"]}   # the reference, when stuck')


def cmd_next(args):
    """Moves a tree whose every task passed its last check on to the next step, in place:
    your code stays, the build directory too (only what changed is compiled again)."""
    if len(args) > 1:
        raise Bad(USAGE['next'])
    tree, st, step = tree_for(args, None)
    steps = list(STEPS)
    if step == steps[-1]:
        raise Bad(f'{step} is the last step: there is no next one')
    if not st.get('all_pass'):
        die(f'{tree}: not every task of {step} has passed a check yet (scripts/exercise.sh check '
            f'{step} says which); nothing was changed')
    new = steps[steps.index(step) + 1]
    # The old step's exercise binary goes; its regions stay as you wrote them.
    cmakelists = os.path.join(tree, 'tests', step, 'CMakeLists.txt')
    with open(cmakelists, encoding='utf-8') as f:
        text = f.read()
    if CMAKE_MARK in text:
        with open(cmakelists, 'w', encoding='utf-8') as f:
            f.write(text[:text.index('\n' + CMAKE_MARK)] + '\n')
    chapter_dir = os.path.join(tree, STATE_DIR, 'chapters')
    for dirpath, _, files in os.walk(chapter_dir):
        for name in files:
            saved = os.path.join(dirpath, name)
            shutil.copy2(saved, os.path.join(tree, os.path.relpath(saved, chapter_dir)))
    shutil.rmtree(chapter_dir, ignore_errors=True)
    tasks = all_tasks(tree)[new]
    make_exercise(tree, new, tasks, st.get('source'))
    print(f'{tree}: {step} done; now {new} — {STEPS[new]["title"]} ({len(tasks)} regions '
          f'replaced by stubs; your {step} code and the build directory are kept)\n')
    print_next(tree, new, tasks)
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

def run_logged(cmd, log, timeout=None, cwd=None, env=None):
    with open(log, 'w') as out:
        try:
            return subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout,
                                  cwd=cwd, env=env).returncode
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


def run_binary(binary, names, workdir, timeout, env=None):
    """{test: (passed, message)} for one run of the named tests (all when names is None), or
    (None, why, output tail) when it died; and the whole log."""
    fd, js = tempfile.mkstemp(suffix='.json', dir=workdir)
    os.close(fd)
    os.unlink(js)
    log = js[:-5] + '.log'
    cmd = [binary, f'--gtest_output=json:{js}']
    if names is not None:
        cmd.append('--gtest_filter=' + ':'.join(names))
    rc = run_logged(cmd, log, timeout=timeout, cwd=workdir, env=env)
    with open(log, errors='replace') as f:
        text = f.read()
    tail = text.splitlines()[-12:]
    if rc != 'timeout' and os.path.isfile(js):
        return parse_json(js), None, tail, rc, text
    why = f'timed out after {timeout}s' if rc == 'timeout' else f'exited with status {rc}'
    return None, why, tail, rc, text


def configure(tree, build, logdir, out, extra=()):
    if os.path.isfile(os.path.join(build, 'build.ninja')):
        return True
    out(f'configuring {build}')
    log = os.path.join(logdir, 'configure.log')
    rc = run_logged(['cmake', '-S', tree, '-B', build, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Debug',
                     '-DLSM_BUILD_BENCH=OFF'] + list(extra), log)
    if rc != 0:
        out('\n'.join(build_errors(log)))
        out(f'cmake configure failed (log: {log})')
        return False
    return True


def build_targets(build, targets, jobs, log, out, what):
    # A changed CMakeLists.txt (`next` adds the new step's exercise binary) must reach
    # build.ninja before its targets can be listed.
    subprocess.run(['ninja', '-C', build, 'build.ninja'], capture_output=True)
    known = subprocess.run(['ninja', '-C', build, '-t', 'targets', 'all'], capture_output=True,
                           text=True).stdout
    known = {line.split(':')[0] for line in known.splitlines()}
    targets = [t for t in targets if t in known]
    if not targets:
        out(f'no test binary to build in {build} (is it configured for this tree?)')
        return targets, 1
    out(f'building {" ".join(targets)} ({what}, -j{jobs})')
    rc = run_logged(['cmake', '--build', build, '-j', jobs, '--target'] + targets, log)
    return targets, rc


def run_tests(build, step, targets, wanted, timeout, tasks, env=None):
    """Runs the targets' tests (only those `wanted` selects, when given). Returns (results,
    died, logs): results {test: (ok, message)}; died [(target, why, tail)]."""
    results, died, logs = {}, [], []
    workdir = tempfile.mkdtemp(prefix='exercise-check-')
    try:
        for target in targets:
            binary = os.path.join(build, 'tests', step, target)
            names = list_tests(binary)
            if wanted is not None:
                names = [n for n in names if wanted(n)]
                if not names:
                    continue
            got, why, tail, _, text = run_binary(binary, names if wanted else None, workdir,
                                                 timeout, env)
            logs.append((target, text))
            if got is not None:
                results.update(got)
                continue
            # The binary died (a crash, an abort, a hang): run each task's tests on their own,
            # without the test it died in, so that one broken test does not hide the others.
            died.append((target, why, tail))
            stuck = {}
            s0 = stuck_test(text)
            if s0:
                stuck[s0] = f'{target} {why} while running this test' + (
                    ' (a deadlock or an endless loop?)' if why.startswith('timed out') else '')
            groups = [[n for n in names if selects(n, t['tests'])] for t in tasks] + [names]
            for group in groups:  # each task's tests, then whatever is left
                mine = [n for n in group if n not in results and n not in stuck]
                for _ in range(3):
                    if not mine:
                        break
                    got2, why2, tail2, _, text2 = run_binary(binary, mine, workdir, timeout, env)
                    logs.append((target, text2))
                    if got2 is not None:
                        results.update(got2)
                        break
                    s2 = stuck_test(text2)
                    if s2 is None or s2 in stuck:
                        for n in mine:
                            results.setdefault(n, (False, f'{target} {why2} while running it:\n' +
                                                   '\n'.join(tail2)))
                        break
                    stuck[s2] = f'{target} {why2} while running this test'
                    mine = [n for n in mine if n != s2]
            for n, msg in stuck.items():
                results[n] = (False, msg + ':\n' + '\n'.join(tail))
            for n in names:
                results.setdefault(n, (False, f'{target} {why} (not run again):\n' +
                                       '\n'.join(tail)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results, died, logs


def stuck_test(text):
    """The test a gtest log was running when it stopped (started, never finished), or None."""
    running = None
    for line in text.splitlines():
        m = re.match(r'^\[ RUN      \] (\S+)', line)
        if m:
            running = m.group(1)
            continue
        m = re.match(r'^\[\s*(OK|FAILED|SKIPPED)\s*\] (\S+)', line)
        if m and m.group(2) == running:
            running = None
    return running


def notes_in(logs):
    """The tasks whose placeholder ran ("exercise stepN.TASK: not written yet, a placeholder")."""
    return set(re.findall(r'exercise (step\d\.[\w-]+): not written yet, a placeholder',
                          '\n'.join(text for _, text in logs)))


def bad_filters(tasks, names):
    """[(task, pattern)] for each positive pattern that selects none of names."""
    out = []
    for t in tasks:
        for p in positives(t['tests']):
            if not any(fnmatch.fnmatchcase(n, p) for n in names):
                out.append((t, p))
    return out


def similar(pattern, names):
    """A test name that looks like what the pattern meant (for the error message)."""
    core = [w for w in re.split(r'[*?./]+', pattern) if len(w) > 3]
    for n in names:
        if core and all(w in n for w in core):
            return n
    return None


def summary(message, task_id):
    """The line of a failure message that says most: the one naming the task's stub, else the
    first that is not a file:line location."""
    lines = [l.strip() for l in message.splitlines() if l.strip()]
    own = [l for l in lines if f'exercise {task_id}:' in l]
    rest = [l for l in lines if not re.match(r'^(unknown file|/\S+:\d+|\S+\.(cc|h):\d+)$', l)]
    if own:
        return own[0]
    # The first assertion whole ("Expected equality of these values: a b Which is: c").
    first = []
    for l in lines[1:] if lines and re.match(r'^(/\S+|\S+\.(cc|h)):\d+$', lines[0]) else lines:
        if re.match(r'^(unknown file|/\S+:\d+|\S+\.(cc|h):\d+)$', l):
            break
        first.append(l)
    return ' '.join(first) or (rest or [''])[0]


def judge(out, tree, st, results, notes, filter_errors, width):
    """Prints one line per task; returns (number passed, first failing task or None)."""
    tasks = st['tasks']
    step = st['step']
    calls = STEPS[step].get('calls', {})
    passed, first_fail = 0, None
    for t in tasks:
        mine = [n for n in results if selects(n, t['tests'])]
        bad = [n for n in mine if not results[n][0]]
        errors = [p for task, p in filter_errors if task['id'] == t['id']]
        stub = region_is_stub(tree, t)
        if errors:
            out(f'  [FAIL] {t["id"]:<{width}}  a filter selects no test: ' +
                ', '.join(f'"{p}"' for p in errors) + f' ({t["file"]}, tests: line)')
            first_fail = first_fail or (t, None)
            continue
        if mine and not bad:
            passed += 1
            out(f'  [pass] {t["id"]:<{width}}  {len(mine)} tests')
            continue
        state = ' (still the stub)' if stub else ''
        if t['id'] in notes and stub:
            state = ' (still the stub: its placeholder ran)'
        out(f'  [FAIL] {t["id"]:<{width}}  {len(bad)} of {len(mine)} tests fail{state} — '
            f'{t["text"]}')
        own = [n for n in bad if f'exercise {t["id"]}:' in results[n][1]]
        example = (own or bad or [None])[0]
        if example is not None:
            first_line = summary(results[example][1], t['id'])
            out(f'         {"":<{width}}  e.g. {example}: {first_line}')
        later = [c for c in calls.get(t['name'], [])
                 if not region_is_stub(tree, find_task(tasks, step, c))]
        for c in later:
            out(f'         {"":<{width}}  note: {t["id"]}\'s code calls {step}.{c} (a later '
                f'task you have written): the bug may be there')
        if first_fail is None:
            first_fail = (t, example)
    return passed, first_fail


def likely_tasks(tree, st, test, results):
    """The tasks likely to break a test no task lists: those that list tests of its suite,
    else those whose region is not the reference any more (your code, or still the stub)."""
    tasks = st['tasks']
    suite = suite_of(test)
    same = [t['id'] for t in tasks
            if any(suite_of(n) == suite for n in results if selects(n, t['tests']))]
    if same:
        return same, f'they list other tests of {suite}'
    changed = []
    for t in tasks:
        with open(os.path.join(tree, STATE_DIR, 'reference', t['id'] + '.txt'),
                  encoding='utf-8') as f:
            reference = f.read().rstrip('\n').split('\n')
        marked = [m for m in parse_file(tree, t['file']) if m['id'] == t['id']]
        if not marked or marked[0]['reference'] != reference:
            changed.append(t['id'])
    return changed or [t['id'] for t in tasks], 'their regions are your code'


def cmd_check(args):
    flags = [a for a in args if a.startswith('--')]
    args = [a for a in args if not a.startswith('--')]
    unknown = set(flags) - {'--tasks-only', '--all', '--tsan'}
    if unknown:
        raise Bad(f'unknown option {sorted(unknown)[0]}\n' + USAGE['check'])
    tree, st, step = tree_for(args, None)
    out = Out()
    try:
        if '--tsan' in flags:
            return check_tsan(tree, st, step, out)
        return check_plain(tree, st, step, out, tasks_only='--tasks-only' in flags,
                           whole='--all' in flags)
    finally:
        out.finish(os.path.join(tree, STATE_DIR, 'logs', 'check.txt'))


def check_settings(tree, subdir):
    """(jobs, timeout, build dir, log dir) of a check: JOBS and EXERCISE_TIMEOUT from the
    environment, the build under the tree's `subdir`, the logs in .exercise/logs (created)."""
    jobs = os.environ.get('JOBS') or str(os.cpu_count() or 2)
    timeout = int(os.environ.get('EXERCISE_TIMEOUT', '300'))
    logdir = os.path.join(tree, STATE_DIR, 'logs')
    os.makedirs(logdir, exist_ok=True)
    return jobs, timeout, os.path.join(tree, subdir), logdir


def check_plain(tree, st, step, out, tasks_only, whole):
    tasks = st['tasks']
    jobs, timeout, build, logdir = check_settings(tree, BUILD_SUBDIR)
    remap_chapters(tree, st)
    t0 = time.time()
    if not configure(tree, build, logdir, out):
        return 1
    full = [name for name, _, _, _ in cmake_tests(tree, step) if name != st.get('exercise_target')]
    first = [st['exercise_target']] if st.get('exercise_target') and not whole else full
    log = os.path.join(logdir, 'build.log')
    targets, rc = build_targets(build, first, jobs, log, out, 'debug')
    width = max(len(t['id']) for t in tasks)
    if rc != 0:
        out('\n'.join(build_errors(log)))
        out(f'\n{step}: the build failed: fix the errors above (full log: {log})')
        out(f'0 of {len(tasks)} tasks pass (it does not compile)')
        return 1
    out(f'{step}: built in {time.time() - t0:.0f}s; running the tasks\' tests')
    names = [n for target in targets for n in list_tests(os.path.join(build, 'tests', step, target))]
    filter_errors = bad_filters(tasks, names)
    wanted = None if whole else (lambda n: any(selects(n, t['tests']) for t in tasks))
    results, died, logs = run_tests(build, step, targets, wanted, timeout, tasks)
    notes = notes_in(logs)
    passed, first_fail = judge(out, tree, st, results, notes, filter_errors, width)
    st['all_pass'] = first_fail is None
    write_state(tree, st)
    n_ok = sum(1 for ok, _ in results.values() if ok)
    out(f'\n{passed} of {len(tasks)} tasks pass   (tests: {n_ok} passed, '
        f'{len(results) - n_ok} failed; {time.time() - t0:.0f}s)')
    for target, why, tail in died:
        out(f'note: {target} {why}; its tests were rerun task by task, without the one it '
            f'stopped in. Its last output:')
        out('\n'.join('    ' + l for l in tail[-6:]))
    for t, p in filter_errors:
        hint = similar(p, names)
        out(f'error: {t["id"]}: the filter "{p}" ({t["file"]}) selects no test of '
            f'{", ".join(targets)}' + (f'; did it mean "{hint}"?' if hint else '') +
            ' (a parameterised test is named Prefix/Suite.Name/Param)')
    if first_fail is not None:
        t, test = first_fail
        if test is not None:
            msg = results[test][1].strip().splitlines()
            out(f'\nfirst failing test: {test}  (task {t["id"]})')
            out('\n'.join('    ' + l for l in msg[:15]))
            if len(msg) > 15:
                out(f'    ... ({len(msg) - 15} more lines)')
        out(f'\nnext: {t["id"]} in {t["file"]}: {t["text"]}\n  read: {t["read"]}\n'
            f'  stuck? scripts/exercise.sh solution {step} {t["name"]}')
        return 1
    if tasks_only:
        out(f'\n{step}: every task passes (--tasks-only: the step\'s other tests were not run).')
        return 0
    if not whole:
        # Every task passes: now the step's whole suite, which may find what the tasks' tests
        # did not.
        t1 = time.time()
        targets, rc = build_targets(build, full, jobs, log, out, 'debug, the step\'s whole suite')
        if rc != 0:
            out('\n'.join(build_errors(log)))
            out(f'\n{step}: the build of the whole suite failed (full log: {log})')
            return 1
        results, died, _ = run_tests(build, step, targets, None, timeout, tasks)
        n_ok = sum(1 for ok, _ in results.values() if ok)
        out(f'{step}: the whole suite: {n_ok} of {len(results)} tests pass '
            f'({time.time() - t1:.0f}s)')
        for target, why, tail in died:
            out(f'note: {target} {why}. Its last output:')
            out('\n'.join('    ' + l for l in tail[-6:]))
    task_bad = sorted(n for n, (ok, _) in results.items() if not ok and
                      any(selects(n, t['tests']) for t in tasks))
    if task_bad:  # only after the whole suite ran (a task's test that failed there)
        out(f'\n{len(task_bad)} of the tasks\' tests fail in the whole suite, e.g. {task_bad[0]}:')
        out('\n'.join('    ' + l for l in results[task_bad[0]][1].splitlines()[:15]))
        return 1
    other_bad = sorted(n for n, (ok, _) in results.items() if not ok)
    if other_bad:
        out(f'\nevery task passes, but {len(other_bad)} tests that no task lists fail:')
        for n in other_bad[:8]:
            ids, why = likely_tasks(tree, st, n, results)
            out(f'  {n}: likely {", ".join(ids)} ({why})')
        if len(other_bad) > 8:
            out(f'  ... and {len(other_bad) - 8} more')
        first_line = results[other_bad[0]][1].strip().splitlines()
        out(f'\n{other_bad[0]}:')
        out('\n'.join('    ' + l for l in first_line[:15]))
        return 1
    out(f'\n{step} done: every task and every test of the step passes '
        f'({len(results)} tests; {time.time() - t0:.0f}s).')
    return 0


TSAN_FRAME = re.compile(r'^\s*#\d+ (.*?) (/\S+?):(\d+)(?::\d+)? \(|^\s*#\d+ (.*?) <null> \(', re.M)
KEYWORDS = {'if', 'for', 'while', 'switch', 'return', 'sizeof', 'static_cast', 'assert'}


def task_regions(tree, st):
    """[(task id, file, real path, first line, last line, enclosing function name)]."""
    out = []
    for rel in sorted({t['file'] for t in st['tasks']}):
        lines = read_lines(os.path.join(tree, rel))
        for m in parse_file(tree, rel):
            func = None
            for k in range(m['header'] - 1, max(-1, m['header'] - 12), -1):
                code = lines[k].split('//')[0]
                names = [n for n in re.findall(r'(~?\w+)\s*\(', code) if n not in KEYWORDS]
                if names:
                    func = names[-1]
                    break
            out.append((m['id'], rel, os.path.realpath(os.path.join(tree, rel)),
                        m['header'] + 1, m['end'] + 1, func))
    return out


def race_tasks(tree, st, report):
    """(tasks in the racing write's stack, tasks in any of its stacks): a task is in a stack
    when its region holds a frame's file:line, or, for a frame without one, its function's
    name is the frame's."""
    regions = task_regions(tree, st)

    def tasks_in(text):
        found = []
        for m in TSAN_FRAME.finditer(text):
            func, path, line, func2 = m.group(1), m.group(2), m.group(3), m.group(4)
            hits = []
            if path:
                real = os.path.realpath(path)
                hits = [(tid, rel, line) for tid, rel, rpath, first, last, _ in regions
                        if real == rpath and first <= int(line) <= last]
            else:
                name = (func2 or '').split('(')[0].split('::')[-1]
                hits = [(tid, rel, '?') for tid, rel, _, _, _, fn in regions if fn and fn == name]
            for h in hits:
                if h[0] not in [f[0] for f in found]:
                    found.append(h)
        return found
    blocks = re.split(r'\n\s*\n', report)
    writes = [b for b in blocks if re.match(r'\s*(Previous )?(atomic )?write of size', b, re.I)]
    return tasks_in('\n'.join(writes)), tasks_in(report)


def check_tsan(tree, st, step, out):
    tasks = st['tasks']
    jobs, timeout, build, logdir = check_settings(tree, TSAN_SUBDIR)
    t0 = time.time()
    targets = [name for name, _, _, labels in cmake_tests(tree, step) if 'concurrency' in labels]
    if not targets:
        out(f'{step} has no concurrency tests: --tsan has nothing to run')
        return 0
    if not configure(tree, build, logdir, out, TSAN_FLAGS):
        return 1
    log = os.path.join(logdir, 'build-tsan.log')
    targets, rc = build_targets(build, targets, jobs, log, out, 'ThreadSanitizer')
    if rc != 0:
        out('\n'.join(build_errors(log)))
        out(f'\n{step}: the ThreadSanitizer build failed (full log: {log})')
        return 1
    out(f'{step}: built in {time.time() - t0:.0f}s; running the concurrency tests under '
        f'ThreadSanitizer')
    env = dict(os.environ, TSAN_OPTIONS='exitcode=66 ' + os.environ.get('TSAN_OPTIONS', ''))
    results, died, logs = run_tests(build, step, targets, None, timeout, tasks, env)
    reports = []
    for _, text in logs:
        reports += re.findall(r'WARNING: ThreadSanitizer:.*?(?=\n={10,}|\Z)', text, re.S)
    # Blame the code that wrote without publishing (the racing write's stack); only when no
    # report has such a frame (a stack TSan could not restore), every task in the stacks.
    blamed, anywhere = {}, {}
    for r in reports:
        writes, every = race_tasks(tree, st, r)
        for tid, rel, line in writes:
            blamed.setdefault(tid, (rel, line, r.splitlines()[0]))
        for tid, rel, line in every:
            anywhere.setdefault(tid, (rel, line, r.splitlines()[0]))
    blamed = blamed or anywhere
    width = max(len(t['id']) for t in tasks)
    failed = 0
    for t in tasks:
        mine = [n for n in results if selects(n, t['tests'])]
        bad = [n for n in mine if not results[n][0]]
        if t['id'] in blamed:
            rel, line, head = blamed[t['id']]
            failed += 1
            where = f'{rel}:{line}' if line != '?' else rel
            out(f'  [FAIL] {t["id"]:<{width}}  {head.replace("WARNING: ", "")}: its code ({where}) '
                f'wrote what another thread read with no release/acquire pair between them')
        elif bad:
            failed += 1
            out(f'  [FAIL] {t["id"]:<{width}}  {len(bad)} of {len(mine)} concurrency tests fail, '
                f'e.g. {bad[0]}')
        elif mine:
            out(f'  [pass] {t["id"]:<{width}}  {len(mine)} concurrency tests, no data race')
    unblamed = [r for r in reports if not race_tasks(tree, st, r)[1]]
    for target, why, tail in died:
        if not why.endswith('status 66'):
            out(f'note: {target} {why}. Its last output:')
            out('\n'.join('    ' + l for l in tail[-6:]))
    if reports:
        out(f'\n{len(reports)} ThreadSanitizer reports; the first:')
        out('\n'.join('    ' + l for l in reports[0].splitlines()[:20]))
        if unblamed and not blamed:
            out('(no frame of it is in a task\'s region: the race is outside the tasks, or in '
                'code they call)')
    n_ok = sum(1 for ok, _ in results.values() if ok)
    out(f'\n--tsan: {n_ok} of {len(results)} concurrency tests pass, {len(reports)} data races '
        f'({time.time() - t0:.0f}s)')
    first = next((t for t in tasks if t['id'] in blamed), None)
    if first is not None:
        out(f'next: {first["id"]} in {first["file"]} (the first task in order with code in a '
            f'race; later ones may only share its data): {first["text"]}')
    return 1 if failed or reports or any(not ok for ok, _ in results.values()) else 0


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
        raise Bad(USAGE['solution'])
    step = check_step(args[0])
    t, ref = reference_of(step, args[1])
    print(f'// {t["id"]}: {t["text"]}\n// reference region in {t["file"]} (read: {t["read"]})')
    print('\n'.join(ref))
    return 0


def cmd_solve(args):
    if len(args) < 2:
        raise Bad(USAGE['solve'])
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
        lines = read_lines(path)
        lines[m['body']:m['end']] = ref
        write_lines(path, lines)
        print(f'{t["id"]}: the reference code is back in {t["file"]}')
    remap_chapters(tree, st)
    return 0


# --- lint ----------------------------------------------------------------------------------

def sections(chapter_path):
    try:
        with open(chapter_path, encoding='utf-8') as f:
            return {re.sub(r'^#+\s*', '', l).strip() for l in f if l.startswith('#')}
    except OSError:
        return None


def cmd_lint(args):
    build = os.path.join(ROOT, 'build', 'debug')
    steps = []
    rest = list(args)
    while rest:
        a = rest.pop(0)
        if a == '--build':
            if not rest:
                raise Bad(USAGE['lint'])
            build = os.path.abspath(rest.pop(0))
        else:
            steps.append(check_step(a))
    steps = steps or list(STEPS)
    src = source_root() or ROOT
    tasks = all_tasks(src)
    problems, checked = [], 0
    for step in steps:
        names_in_order = STEPS[step]['order']
        marked = [t['name'] for t in tasks[step]]
        for n in names_in_order:
            if n not in marked:
                problems.append(f'{step}: the order names "{n}", which no marker defines')
        for n in marked:
            if n not in names_in_order:
                problems.append(f'{step}: {step}.{n} is missing from STEPS["{step}"]["order"]')
        binaries = []
        for name, _, _, _ in cmake_tests(src, step) + [(f'{step}_exercise_tests', 0, 0, 0)]:
            path = os.path.join(build, 'tests', step, name)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                binaries.append(path)
        if not binaries:
            raise Bad(f'lint: no test binary of {step} in {build}/tests/{step}: build them first '
                      f'(cmake --build {build} --target ' +
                      ' '.join(n for n, _, _, _ in cmake_tests(src, step)) + ')')
        names = [n for b in binaries for n in list_tests(b)]
        for t in tasks[step]:
            for p in positives(t['tests']):
                checked += 1
                if not any(fnmatch.fnmatchcase(n, p) for n in names):
                    hint = similar(p, names)
                    problems.append(f'{t["file"]}: {t["id"]}: the filter "{p}" selects no test '
                                    f'of {", ".join(os.path.basename(b) for b in binaries)}' +
                                    (f' (did it mean "{hint}"?)' if hint else ''))
            chapter, _, section = t['read'].partition(' § ')
            have = sections(os.path.join(src, chapter))
            if have is None:
                problems.append(f'{t["file"]}: {t["id"]}: read: {chapter} does not exist')
            elif section and section not in have:
                problems.append(f'{t["file"]}: {t["id"]}: read: {chapter} has no section '
                                f'"{section}"')
    for p in problems:
        print(p)
    print(f'exercise lint: {sum(len(tasks[s]) for s in steps)} tasks of {", ".join(steps)}, '
          f'{checked} filters checked against {build}: {len(problems)} problems')
    return 1 if problems else 0


def cmd_help(args):
    if args and args[0] in USAGE:
        print(USAGE[args[0]])
    elif args and args[0] in ('-h', '--help'):
        print(USAGE['help'] + '\n  the commands, or one command\'s usage')
    else:
        print('\n\n'.join(__doc__.split('\n\n')[:2]))
        print('\nscripts/exercise.sh help COMMAND (or COMMAND --help) shows one command; the '
              'details: scripts/exercise.py\'s header.')
    return 0


def main(argv):
    cmds = dict(list=cmd_list, start=cmd_start, next=cmd_next, check=cmd_check,
                solution=cmd_solution, solve=cmd_solve, lint=cmd_lint, help=cmd_help)
    if not argv or argv[0] in ('-h', '--help'):
        cmd_help([])
        return 0 if argv else 2
    if argv[0] not in cmds:
        print(f'unknown command "{argv[0]}"\n', file=sys.stderr)
        print('\n\n'.join(__doc__.split('\n\n')[:2]), file=sys.stderr)
        return 2
    if any(a in ('-h', '--help', 'help') for a in argv[1:]) and argv[0] != 'help':
        print(USAGE[argv[0]])
        return 0
    try:
        return cmds[argv[0]](argv[1:])
    except Bad as e:
        print(e, file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
