#!/usr/bin/env python3
"""Mutation testing: seed each bug of tests/mutation/catalogue.json into a scratch copy of the
tree, rebuild only the test binaries the bug maps to, run them, and record whether the tests
noticed (KILLED), did not (SURVIVED), the mutant did not compile (BUILD-FAILED: a catalogue bug),
or the tests hung (TIMEOUT: counted as killed). The mutants go into the scratch copy only: in
this checkout the one file written is tests/mutation/RESULTS.md (a full run or --merge).

  scripts/mutate.sh                      # every mutant; writes tests/mutation/RESULTS.md
  scripts/mutate.sh step4.bloom_probe_off_by_one step2.crc_not_masked   # some mutants
  scripts/mutate.sh --sample             # the catalogue's small fast subset (scripts/test.sh)
  scripts/mutate.sh --merge ID...        # re-run some mutants, replace their RESULTS.md rows
  scripts/mutate.sh --list               # the ids

Environment: MUTATE_DIR (scratch dir, default /tmp/lsm-mutate: src/ is the copy, build/ the
debug build, logs/ one log per mutant), JOBS (ninja -j, default nproc), MUTATE_TIMEOUT (seconds
per test binary; default 4x its unmutated run time + 60, or 300 without a baseline),
MUTATE_NO_BASELINE=1 (skip running the unmutated binaries first).

Exit status: 0 when every mutant run was killed, 1 otherwise, 2 for bad arguments.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = REPO / "tests" / "mutation" / "catalogue.json"
RESULTS = REPO / "tests" / "mutation" / "RESULTS.md"

KILLED, SURVIVED, BUILD_FAILED, TIMEOUT, STALE = (
    "KILLED", "SURVIVED", "BUILD-FAILED", "TIMEOUT", "STALE")


def log(msg: str) -> None:
    print(msg, flush=True)


def load_catalogue() -> dict:
    with open(CATALOGUE, encoding="utf-8") as f:
        cat = json.load(f)
    ids = [m["id"] for m in cat["mutants"]]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        sys.exit(f"catalogue: duplicate ids {sorted(dup)}")
    for m in cat["mutants"]:
        for key in ("id", "step", "file", "breaks", "search", "replace", "tests"):
            if key not in m:
                sys.exit(f"catalogue: mutant {m.get('id', '?')} has no '{key}'")
    return cat


def tracked_files() -> list[str]:
    """The tracked tree plus untracked, not-ignored files (new tests not yet committed)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            check=True, capture_output=True).stdout
        return [p for p in out.decode().split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for root, dirs, names in os.walk(REPO):
            dirs[:] = [d for d in dirs if d not in (".git", "build")]
            files += [os.path.relpath(os.path.join(root, n), REPO) for n in names]
        return files


def sync_tree(src: Path) -> int:
    """Copies every file whose content differs into src (so unchanged files keep their mtime
    and the build stays incremental; a mutant left behind by a killed run is overwritten)."""
    copied = 0
    for rel in tracked_files():
        a = REPO / rel
        if not a.is_file():
            continue  # deleted in the working tree
        b = src / rel
        data = a.read_bytes()
        if b.is_file() and b.read_bytes() == data:
            continue
        b.parent.mkdir(parents=True, exist_ok=True)
        b.write_bytes(data)
        shutil.copymode(a, b)
        copied += 1
    return copied


def run(cmd: list[str], cwd: Path, logfile: Path, timeout: float | None = None) -> tuple[int, float]:
    """Runs cmd with output appended to logfile; returns (rc, seconds); rc 124 on timeout."""
    start = time.monotonic()
    with open(logfile, "ab") as out:
        out.write(("$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True)
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)  # the test binary and anything it started
            p.wait()
            rc = 124
    return rc, time.monotonic() - start


def binary_path(build: Path, target: str) -> Path | None:
    hits = sorted(build.glob(f"tests/*/{target}"))
    return hits[0] if hits else None


def first_failure(output: str) -> str:
    """The first failed test, or the test that was running when the binary died."""
    m = re.search(r"^\[  FAILED  \] ([\w/.]+)", output, re.M)
    if m:
        return m.group(1)
    running = re.findall(r"^\[ RUN      \] ([\w/.]+)", output, re.M)
    done = set(re.findall(r"^\[       OK \] ([\w/.]+)", output, re.M))
    for name in reversed(running):
        if name not in done:
            return name
    return "(before any test)"


def apply(path: Path, search: str, replace: str) -> tuple[str | None, str]:
    """Returns (original text or None, problem)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    if text is None:
        return None, f"file {path} does not exist"
    n = text.count(search)
    if n != 1:
        return None, (f"search text occurs {n} times in the file (must be exactly once): "
                      f"the mutant is stale, update its search text")
    path.write_text(text.replace(search, replace, 1), encoding="utf-8")
    return text, ""


def main() -> int:
    cat = load_catalogue()
    mutants = {m["id"]: m for m in cat["mutants"]}
    args = sys.argv[1:]
    if args in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    if args == ["--list"]:
        for m in cat["mutants"]:
            print(m["id"])
        return 0
    sample = "--sample" in args
    merge = "--merge" in args
    ids = [a for a in args if a not in ("--sample", "--merge")]
    bad = [a for a in ids if a not in mutants]
    if bad or (sample and (ids or merge)) or (merge and not ids):
        if bad:
            print(f"unknown mutant id(s): {', '.join(bad)}", file=sys.stderr)
        elif sample:
            print("--sample takes no ids and no --merge", file=sys.stderr)
        else:
            print("--merge needs the ids to re-run", file=sys.stderr)
        print("valid ids:\n  " + "\n  ".join(mutants), file=sys.stderr)
        return 2
    if sample:
        ids = list(cat["sample"])
    full = not ids
    selected = [mutants[i] for i in ids] if ids else list(cat["mutants"])

    work = Path(os.environ.get("MUTATE_DIR", "/tmp/lsm-mutate"))
    work.mkdir(parents=True, exist_ok=True)
    lock = open(work / ".lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        if sample:
            # A long run holds the scratch copy: the sample uses (and keeps) its own.
            log(f"{work} is in use by another mutate run; the sample uses {work}-sample")
            work = work.with_name(work.name + "-sample")
            work.mkdir(parents=True, exist_ok=True)
            lock = open(work / ".lock", "w")
        else:
            log(f"{work} is in use by another mutate run; waiting for it")
        fcntl.flock(lock, fcntl.LOCK_EX)
    src, build, logs = work / "src", work / "build", work / "logs"
    for d in (src, logs):
        d.mkdir(parents=True, exist_ok=True)
    jobs = os.environ.get("JOBS", str(os.cpu_count() or 2))

    t0 = time.monotonic()
    copied = sync_tree(src)
    log(f"=== scratch copy {src}: {copied} file(s) updated from {REPO}")
    setup_log = logs / "setup.log"
    setup_log.write_text("")
    if not (build / "build.ninja").is_file():
        log(f"=== configure {build} (Debug, Ninja)")
        rc, _ = run(["cmake", "-S", str(src), "-B", str(build), "-G", "Ninja",
                     "-DCMAKE_BUILD_TYPE=Debug"], work, setup_log)
        if rc != 0:
            log(f"configure failed, see {setup_log}")
            return 1
    targets = sorted({t for m in selected for t in m["tests"]})
    log(f"=== build {' '.join(targets)}")
    rc, secs = run(["ninja", "-C", str(build), f"-j{jobs}", *targets], work, setup_log)
    if rc != 0:
        log(f"the unmutated tree does not build, see {setup_log}")
        return 1
    log(f"    built in {secs:.0f} s")

    timeouts: dict[str, float] = {}
    if os.environ.get("MUTATE_NO_BASELINE") != "1":
        log("=== baseline: the unmutated test binaries must pass")
        for t in targets:
            exe = binary_path(build, t)
            if exe is None:
                log(f"    no binary for {t}")
                return 1
            blog = logs / f"baseline.{t}.log"
            blog.write_text("")
            rc, secs = run([str(exe), "--gtest_brief=1"], exe.parent, blog, timeout=1800)
            if rc != 0:
                log(f"    {t} FAILS on the unmutated tree (see {blog}); fix that first")
                return 1
            timeouts[t] = 4 * secs + 60
            log(f"    {t}: passed in {secs:.1f} s")
    default_timeout = float(os.environ.get("MUTATE_TIMEOUT", "0")) or None

    results = []
    total = len(selected)
    try:
        for n, m in enumerate(selected, 1):
            mid = m["id"]
            mlog = logs / f"{mid}.log"
            mlog.write_text(f"mutant {mid}: {m['file']}\n--- search\n{m['search']}\n--- replace\n"
                            f"{m['replace']}\n")
            print(f"[{n}/{total}] {mid} ... ", end="", flush=True)
            start = time.monotonic()
            path = src / m["file"]
            original, problem = apply(path, m["search"], m["replace"])
            outcome, killer, note = None, "", ""
            if original is None:
                outcome, note = STALE, problem
            else:
                try:
                    rc, _ = run(["ninja", "-C", str(build), f"-j{jobs}", *m["tests"]], work, mlog)
                    if rc != 0:
                        outcome, note = BUILD_FAILED, f"see {mlog}"
                    else:
                        outcome = SURVIVED
                        for t in m["tests"]:
                            exe = binary_path(build, t)
                            limit = default_timeout or timeouts.get(t, 300)
                            before = mlog.stat().st_size
                            rc, _ = run([str(exe), "--gtest_fail_fast", "--gtest_color=no"],
                                        exe.parent, mlog, timeout=limit)
                            with open(mlog, "rb") as f:
                                f.seek(before)
                                out = f.read().decode(errors="replace")
                            if rc == 124:
                                outcome, killer = TIMEOUT, f"{t}: {first_failure(out)}"
                                note = f"no result within {limit:.0f} s"
                                break
                            if rc != 0:
                                outcome, killer = KILLED, f"{t}: {first_failure(out)}"
                                if rc < 0 or rc > 128:
                                    note = "crashed (signal {})".format(-rc if rc < 0 else rc - 128)
                                break
                finally:
                    path.write_text(original, encoding="utf-8")  # revert
            secs = time.monotonic() - start
            results.append(dict(m, outcome=outcome, killer=killer, note=note, secs=secs))
            if outcome in (KILLED, TIMEOUT):
                what = "killed" if outcome == KILLED else "TIMEOUT (counted as killed)"
                log(f"{what} by {killer.split(': ', 1)[1]} [{killer.split(':')[0]}]"
                    f"{' ' + note if note else ''} ({secs:.0f} s)")
            else:
                log(f"{outcome}{': ' + note if note else ''} ({secs:.0f} s)")
    except KeyboardInterrupt:
        log("\ninterrupted (the scratch file was reverted)")
        return 1

    killed = sum(r["outcome"] in (KILLED, TIMEOUT) for r in results)
    rate = f"kill rate: {killed}/{len(results)} = {100.0 * killed / len(results):.0f}%"
    elapsed = time.monotonic() - t0
    stamp = time.strftime("%Y-%m-%d %H:%M %Z")
    summary = (f"- {stamp}: {'the full catalogue' if full else 'mutants ' + ', '.join(ids)}"
               f" ({len(results)}), {elapsed / 60:.0f} min: {rate}")
    survivors = [r["id"] for r in results if r["outcome"] not in (KILLED, TIMEOUT)]
    if survivors:
        summary += f"; not killed: {', '.join(survivors)}"
    if full:
        _, history = read_results()
        out = RESULTS
        out.write_text(render([row(r) for r in results], history + [summary]), encoding="utf-8")
    elif merge:
        old_rows, history = read_results()
        new_rows = {r["id"]: row(r) for r in results}
        rows = [new_rows.get(m["id"], old_rows.get(m["id"])) for m in cat["mutants"]]
        rows = [r for r in rows if r is not None]
        out = RESULTS
        out.write_text(render(rows, history + [summary]), encoding="utf-8")
    else:
        out = work / ("sample-results.md" if sample else "results.md")
        out.write_text(render([row(r) for r in results], [summary]), encoding="utf-8")
    log(f"=== {rate} in {elapsed / 60:.1f} min; table: {out}")
    for r in results:
        if r["outcome"] not in (KILLED, TIMEOUT):
            log(f"    {r['outcome']}: {r['id']} ({r['file']}) {r['note']}")
    return 0 if killed == len(results) else 1


def cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def row(r: dict) -> str:
    killer = f"`{r['killer']}`" if r["killer"] else ""
    if r["note"]:
        killer += f" ({r['note']})" if killer else r["note"]
    return (f"| `{r['id']}` | {r['step']} | {cell(r['breaks'])} | {r['outcome']} | "
            f"{cell(killer)} | {r['secs']:.0f} s |")


def outcome_of(line: str) -> str:
    cols = [c.strip() for c in re.split(r"(?<!\\)\|", line)]
    return cols[4] if len(cols) > 5 else ""


def render(rows: list[str], history: list[str]) -> str:
    killed = sum(outcome_of(r) in (KILLED, TIMEOUT) for r in rows)
    lines = [
        "# Mutation testing results",
        "",
        "Written by `scripts/mutate.sh` (the whole catalogue) and updated by "
        "`scripts/mutate.sh --merge ID...` (re-runs some mutants and replaces their rows). Each "
        "run copies the tree to a scratch directory, builds it once (Debug), then per mutant "
        "applies one search/replace from `tests/mutation/catalogue.json`, rebuilds only the "
        "mapped test binaries and runs them with `--gtest_fail_fast`.",
        "",
        f"**kill rate: {killed}/{len(rows)} = {100.0 * killed / max(len(rows), 1):.0f}%** "
        "(TIMEOUT counts as killed; BUILD-FAILED and STALE are catalogue bugs).",
        "",
        "## Runs",
        "",
        *history,
        "",
        "## Mutants",
        "",
        "| id | step | what it breaks | outcome | killing test | time |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
    return "\n".join(lines) + "\n"


def read_results() -> tuple[dict[str, str], list[str]]:
    rows: dict[str, str] = {}
    history: list[str] = []
    if not RESULTS.is_file():
        return rows, history
    section = ""
    for line in RESULTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line
        elif section == "## Runs" and line.startswith("- "):
            history.append(line)
        elif line.startswith("Run of the full catalogue"):  # the first version of this file
            history.append("- " + line)
        elif line.startswith("**kill rate") and not section and history:
            history[-1] += " " + line
        m = re.match(r"\| `([^`]+)` \|", line)
        if m:
            rows[m.group(1)] = line
    return rows, history


if __name__ == "__main__":
    sys.exit(main())
