#!/usr/bin/env python3
"""The likeliest mistake in each exercise task must fail that task and be named by check.

For each step: start an exercise tree, solve every task, build; then for each mistake of
tests/exercise/mistakes.json (the solved code edited), run `scripts/exercise.sh check stepN
--tasks-only` (or `--tsan` for a `tsan_only` mistake) and require exit status 1 with the
mistake's task named: as the first failing task ("next: stepN.TASK"), or in a note of the
first failing task ("... calls stepN.TASK ...: the bug may be there", where an earlier task's
code calls a later one's). Prints one line per mistake and a table of what failed; exit 1 if
a mistake is not caught by its own task. Slow (a build and a run of the tasks' tests per
mistake): not part of the README's test command.

  python3 tests/exercise/mistakes_test.py [stepN | stepN.TASK ...] [--tsan]   # JOBS=N jobs
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EX = os.path.join(REPO, 'scripts', 'exercise.sh')


def run(args, cwd=None):
    # A mistake may make a test loop forever: give each test binary two minutes.
    env = dict(os.environ, EXERCISE_TIMEOUT=os.environ.get('EXERCISE_TIMEOUT', '120'))
    p = subprocess.run(['bash', EX] + args, capture_output=True, text=True, cwd=cwd, env=env)
    return p.returncode, p.stdout + p.stderr


def main(argv):
    tsan = '--tsan' in argv
    only = [a for a in argv if '.' in a]  # stepN.TASK: that task's mistakes only
    steps = sorted({a.split('.')[0] for a in argv if a.startswith('step')}) or [
        'step1', 'step2', 'step3', 'step4', 'step5']
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'mistakes.json')) as f:
        mistakes = json.load(f)['mistakes']
    tmp = tempfile.mkdtemp(prefix='exercise-mistakes-')
    bad, rows = 0, []
    try:
        for step in steps:
            mine = [m for m in mistakes if m['task'].startswith(step + '.') and
                    (tsan or not m.get('tsan_only')) and
                    (not only or m['task'] in only)]
            if not mine:
                continue
            tree = os.path.join(tmp, step)
            rc, out = run(['start', step, tree])
            assert rc == 0, out
            run(['solve', step, 'all', tree])
            with open(os.path.join(tree, '.exercise', 'state.json')) as f:
                files = {t['id']: t['file'] for t in json.load(f)['tasks']}
            rc, out = run(['check', step, tree, '--tasks-only'])
            assert rc == 0, f'{step}: the solved tree does not pass:\n{out}'
            for m in mine:
                path = os.path.join(tree, files[m['task']])
                with open(path) as f:
                    original = f.read()
                text = original
                for search, replace in m['edits']:
                    n = text.count(search)
                    assert n == 1, f'{m["task"]} ({m["why"]}): "{search}" occurs {n} times'
                    text = text.replace(search, replace)
                with open(path, 'w') as f:
                    f.write(text)
                t0 = time.time()
                flag = '--tsan' if m.get('tsan_only') else '--tasks-only'
                rc, out = run(['check', step, tree, flag])
                with open(path, 'w') as f:
                    f.write(original)
                nxt = re.search(r'^next: (step\d\.[\w-]+)', out, re.M)
                first = nxt.group(1) if nxt else None
                if flag == '--tsan':
                    fails = re.findall(r'^  \[FAIL\] (step\d\.[\w-]+)', out, re.M)
                    first = fails[0] if fails else None
                noted = re.search(rf'calls {re.escape(m["task"])} \(a later task', out)
                ok = rc == 1 and (first == m['task'] or bool(noted))
                how = ('first failing task' if first == m['task'] else
                       f'named in a note of {first}' if noted else f'blamed: {first}')
                print(f'{"ok  " if ok else "MISS"} {m["task"]:<17} {m["why"]:<58} '
                      f'{how} ({time.time() - t0:.0f}s)', flush=True)
                rows.append((m['task'], m['why'], ok, how))
                if not ok:
                    bad += 1
                    print('\n'.join('      ' + l for l in out.splitlines()[-25:]))
            run(['check', step, tree, '--tasks-only'])  # rebuild the solved tree's objects
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f'\nmistakes: {len(rows)} made, {len(rows) - bad} caught by their own task, {bad} not')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
