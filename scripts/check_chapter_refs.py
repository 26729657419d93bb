#!/usr/bin/env python3
"""Checks the code references in the chapters: every `path/to/file.ext:LINE` or
`path/to/file.ext:LINE-LINE` (also with an en dash) in README.md and */README.md must name a
file of this repository (the path is from the repository root); chapters are README.md and
every folder's *.md, and each line it names must
exist and not be blank. Prints each bad reference with its chapter and line; exit status 1 if
there is one. scripts/test.sh runs it; scripts/remap_chapter_refs.py moves references along
with the code.

usage: scripts/check_chapter_refs.py [REPO_ROOT]
"""
import glob
import os
import re
import sys

# The lookbehind keeps URLs and longer words (http://host:80, a.b.c:1) from matching mid-way.
REF = re.compile(r'(?<![\w./:-])([\w./-]*\w\.[A-Za-z][A-Za-z0-9]*):(\d+)(?:[-–](\d+))?(?![\w])')


def chapters(root):
    # README.md, each folder's README.md and its chapter parts (e.g. step5_lsm/1-write-path.md).
    found = [os.path.join(root, 'README.md')] + sorted(glob.glob(os.path.join(root, '*', '*.md')))
    # Build trees are not chapters.
    return [c for c in found if os.path.isfile(c) and not os.path.relpath(c, root).startswith('build')]


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
