#!/usr/bin/env python3
"""Moves chapter references (`path/file.cc:LINE` or LINE-LINE) along with the code after the
file changed since OLD_REV: each line number follows its line through a diff of the two
versions (unchanged lines keep their identity). Prints every reference it moved.

usage: scripts/remap_chapter_refs.py OLD_REV SOURCE_PATH CHAPTER.md...

scripts/exercise.py imports line_map and remap_text to keep an exercise tree's chapter
references on the code after `start` replaced regions by stubs.
"""
import difflib
import os
import re
import subprocess
import sys


def line_map(old, new):
    """{old line number: new line number} (1-based) for the lines the diff keeps equal."""
    m = {}
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, _, in sm.get_opcodes():
        if tag == 'equal':
            for k in range(i2 - i1):
                m[i1 + k + 1] = j1 + k + 1
    return m


def near(m, n):
    """Where line n went: its own new number, else the nearest kept line's (50 lines around)."""
    for d in range(0, 50):
        if n + d in m:
            return m[n + d]
        if n - d in m:
            return m[n - d]
    return n


def remap_text(text, src, where, moved=None):
    """text with every `src:A[-B]` moved by where(line) -> line; each change is appended to
    moved as (old ref, new ref) when moved is a list."""
    pat = re.compile(re.escape(src) + r':(\d+)(?:([-–])(\d+))?')

    def f(mo):
        out = f"{src}:{where(int(mo.group(1)))}"
        if mo.group(3):
            out += f"{mo.group(2)}{where(int(mo.group(3)))}"
        if out != mo.group(0) and moved is not None:
            moved.append((mo.group(0), out))
        return out
    return pat.sub(f, text)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    rev, src, chapters = argv[0], argv[1], argv[2:]
    old = subprocess.run(['git', 'show', f'{rev}:{src}'], capture_output=True,
                         text=True).stdout.splitlines()
    with open(src) as f:
        new = f.read().splitlines()
    m = line_map(old, new)
    for ch in chapters:
        if not os.path.isfile(ch):  # an unmatched glob (no bench/*.md)
            continue
        with open(ch) as f:
            s = f.read()
        moved = []
        s = remap_text(s, src, lambda n: near(m, n), moved)
        for a, b in moved:
            print(ch, a, '->', b)
        with open(ch, 'w') as f:
            f.write(s)


if __name__ == '__main__':
    main(sys.argv[1:])
