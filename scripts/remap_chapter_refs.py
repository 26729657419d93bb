#!/usr/bin/env python3
"""Moves chapter references (`path/file.cc:LINE` or LINE-LINE) along with the code after the
file changed since OLD_REV: each line number follows its line through a diff of the two
versions (unchanged lines keep their identity). Prints every reference it moved.

usage: scripts/remap_chapter_refs.py OLD_REV SOURCE_PATH CHAPTER.md...
"""
import difflib
import re
import subprocess
import sys

if len(sys.argv) < 4:
    sys.exit(__doc__)
rev, src, chapters = sys.argv[1], sys.argv[2], sys.argv[3:]
old = subprocess.run(['git','show',f'{rev}:{src}'],capture_output=True,text=True).stdout.splitlines()
new = open(src).read().splitlines()
m = {}
sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
for tag,i1,i2,j1,j2 in sm.get_opcodes():
    if tag=='equal':
        for k in range(i2-i1): m[i1+k+1]=j1+k+1
def near(n):
    for d in range(0,50):
        if n+d in m: return m[n+d]
        if n-d in m: return m[n-d]
    return n
for ch in chapters:
    s=open(ch).read()
    pat=re.compile(re.escape(src)+r':(\d+)(?:([-–])(\d+))?')
    def f(mo):
        a=near(int(mo.group(1))); out=f"{src}:{a}"
        if mo.group(3): out+=f"{mo.group(2)}{near(int(mo.group(3)))}"
        if out!=mo.group(0): print(ch, mo.group(0),'->',out)
        return out
    open(ch,'w').write(pat.sub(f,s))
