"""Time `make grade` on a generated class: N submissions of one assignment.

    .venv/bin/python benchmarks/bench_grading.py 06 --students 300 [--workers 2]

The class is made from the master's own solutions: 70 % correct, 15 % with one wrong
answer, 10 % unanswered, 5 % with a cell that raises (and full marks); in chapter 6 every
student has their own student number (and so their own field and wells).  It prints the wall-clock
time of the whole run, per submission, and the machine's load.
"""
import argparse
import csv
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import assignments as A  # noqa: E402
from grading import build as B  # noqa: E402
from grading import masters as M  # noqa: E402

# a line of each master's solutions, and the same line made wrong
WRONG = {"06": ("inverse_rmse = float(", "inverse_rmse = 0.5 * float("),
         "10": ("return -np.exp(-np.logaddexp(0.0, np.asarray(s, dtype=float)))",
                "return np.exp(-np.logaddexp(0.0, np.asarray(s, dtype=float)))")}


def make_class(key, n, folder, out):
    master = M.find_master(key)
    result = B.ensure_built(master, out)
    solution = (result / "autograder" / master.name).read_text()
    blank = (result / "student" / master.name).read_text()
    right, wrong = (json.dumps(s)[1:-1] for s in WRONG[key[:2]])
    for i in range(n):
        kind = ("correct", "wrong", "blank", "raises")[int(i % 20 >= 14) + int(i % 20 >= 17)
                                                      + int(i % 20 >= 19)]
        text = {"blank": blank, "wrong": solution.replace(right, wrong)}.get(kind, solution)
        nb = nbformat.reads(text.replace("student_id = 20260601", f"student_id = {20260000 + i}"),
                            as_version=4)
        if kind == "raises":
            bug = nbformat.v4.new_code_cell("raise RuntimeError('a bug')")
            nb.cells.insert(len(nb.cells) // 2, bug)
        nbformat.write(nb, folder / f"s{i:04d}_{kind}.ipynb")
    return master


def _cpu():
    """CPU seconds of this process and of its finished children (the sandboxes)."""
    own, children = (resource.getrusage(who)
                     for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _progress(line, start):
    """Every 25th submission: how many are done, after how long."""
    done = line.split("/", 1)[0].lstrip("[")
    if line.startswith("[") and done.isdigit() and int(done) % 25 == 0:
        print(f"{done} graded after {time.monotonic() - start:.0f} s, load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignment", choices=sorted(WRONG))
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--workers", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        master = make_class(args.assignment, args.students, folder, Path(tmp) / "build")
        start, load = time.monotonic(), os.getloadavg()[0]
        cpu = _cpu()
        csv_path = A.grade(master, folder, Path(tmp) / "scores.csv", Path(tmp) / "build",
                           workers=args.workers, log=lambda line: _progress(line, start))
        wall, cpu = time.monotonic() - start, _cpu() - cpu
        with open(csv_path, newline="") as f:
            totals = Counter(row["total"] for row in csv.DictReader(f))
    print(f"{master.stem}: {args.students} submissions in {wall:.0f} s "
          f"({wall / args.students:.2f} s each) with {args.workers or os.cpu_count()} workers; "
          f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print(f"CPU time (grader and sandboxes): {cpu:.0f} s, {cpu / args.students:.2f} s per "
          f"submission; on two idle cores that is about {cpu / 2:.0f} s of wall clock")
    print("totals:", dict(sorted(totals.items())))


if __name__ == "__main__":
    main()
