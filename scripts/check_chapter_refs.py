#!/usr/bin/env python3
"""Checks the code references in the chapters: every `path/to/file.ext:LINE` or
`path/to/file.ext:LINE-LINE` (also with an en dash) in the chapters must name a
file of this repository (the path is from the repository root); chapters are every *.md at
any depth outside build/ and .git, and each line it names must
exist and not be blank. Prints each bad reference with its chapter and line; exit status 1 if
there is one. scripts/test.sh runs it; scripts/remap_chapter_refs.py moves references along
with the code.

usage: scripts/check_chapter_refs.py [REPO_ROOT]
"""
import os
import re
import sys

# The lookbehind keeps URLs and longer words (http://host:80, a.b.c:1) from matching mid-way.
REF = re.compile(r'(?<![\w./:-])([\w./-]*\w\.[A-Za-z][A-Za-z0-9]*):(\d+)(?:[-–](\d+))?(?![\w])')


def chapters(root):
    # Every *.md at any depth: README.md, each folder's chapter and its parts
    # (step5_lsm/1-write-path.md), and pages deeper down (bench/results/README.md). Build trees,
    # .git and an exercise tree's saved state are not chapters.
    found = []
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        dirs[:] = sorted(x for x in dirs
                         if not (rel == '.' and x == 'build') and x not in ('.git', '.exercise'))
        found += [os.path.join(d, f) for f in sorted(files) if f.endswith('.md')]
    return found


def check_ref(root, path, first, last, cache):
    """Returns what is wrong with path:first[-last], or None."""
    full = os.path.join(root, path)
    if not os.path.isfile(full):
        return 'no such file'
    if full not in cache:
        with open(full, encoding='utf-8', errors='replace') as f:
            cache[full] = f.read().splitlines()
    lines = cache[full]
    if first < 1 or last < first:
        return f'bad line range {first}-{last}'
    if last > len(lines):
        return f'past the end (the file has {len(lines)} lines)'
    for n in sorted({first, last}):
        if not lines[n - 1].strip():
            return f'line {n} is blank'
    return None


def main():
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1] in ('-h', '--help')):
        sys.exit(__doc__)
    root = sys.argv[1] if len(sys.argv) == 2 else os.path.join(os.path.dirname(__file__), '..')
    root = os.path.abspath(root)
    cache = {}
    total = bad = 0
    docs = chapters(root)
    for chapter in docs:
        name = os.path.relpath(chapter, root)
        with open(chapter, encoding='utf-8') as f:
            for number, text in enumerate(f, start=1):
                for m in REF.finditer(text):
                    total += 1
                    first = int(m.group(2))
                    last = int(m.group(3)) if m.group(3) else first
                    why = check_ref(root, m.group(1), first, last, cache)
                    if why:
                        bad += 1
                        print(f'{name}:{number}: {m.group(0)}: {why}')
    print(f'chapter refs: {total} checked in {len(docs)} chapters, {bad} bad')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
