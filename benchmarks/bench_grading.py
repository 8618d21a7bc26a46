"""Time `make grade` on a generated class: N submissions of one assignment.

    .venv/bin/python benchmarks/bench_grading.py 06 --students 300 [--workers 2]

The class is made from the master's own solutions: 70 % correct, 15 % with one wrong
answer, 10 % unanswered, 5 % with a cell that raises (and full marks); in chapter 6
every student has their own student number (and so their own field and wells).  It
prints the wall-clock time of the whole run, per submission, and the machine's load,
and the CPU time of the grader and of the sandboxes.
"""

import argparse
import csv
import json
import os
import resource
import sys
import tempfile
import threading
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
WRONG = {
    "06": ("inverse_rmse = float(", "inverse_rmse = 0.5 * float("),
    "10": (
        "return -np.exp(-np.logaddexp(0.0, np.asarray(s, dtype=float)))",
        "return np.exp(-np.logaddexp(0.0, np.asarray(s, dtype=float)))",
    ),
}


def make_class(key, n, folder, out):
    master = M.find_master(key)
    result = B.ensure_built(master, out)
    solution = (result / "autograder" / master.name).read_text()
    blank = (result / "student" / master.name).read_text()
    right, wrong = (json.dumps(s)[1:-1] for s in WRONG[key[:2]])
    for i in range(n):
        k = i % 20
        kind = ("correct", "wrong", "blank", "raises")[(k > 13) + (k > 16) + (k > 18)]
        made = {"blank": blank, "wrong": solution.replace(right, wrong)}
        text = made.get(kind, solution)
        text = text.replace("student_id = 20260601", f"student_id = {20260000 + i}")
        nb = nbformat.reads(text, as_version=4)
        if kind == "raises":
            bug = nbformat.v4.new_code_cell("raise RuntimeError('a bug')")
            nb.cells.insert(len(nb.cells) // 2, bug)
        nbformat.write(nb, folder / f"s{i:04d}_{kind}.ipynb")
    return master


class SandboxCPU(threading.Thread):
    """CPU seconds of the sandboxed harnesses, read from /proc every 0.1 s (bubblewrap
    does not pass its children's CPU time on to the grader's rusage)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.seen, self.running = {}, True

    def run(self):
        tick = os.sysconf("SC_CLK_TCK")
        while self.running:
            for proc in Path("/proc").iterdir():
                try:
                    if b"/grader/harness.py" in (proc / "cmdline").read_bytes():
                        fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                        self.seen[proc.name] = sum(int(v) for v in fields[11:15]) / tick
                except (OSError, ValueError):
                    pass
            time.sleep(0.1)

    def total(self):
        self.running = False
        return sum(self.seen.values())


def _cpu():
    """CPU seconds of this process (the grader: reading, converting, the tests)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _progress(line, start):
    """Every 25th submission: how many are done, after how long."""
    done = line.split("/", 1)[0].lstrip("[")
    if line.startswith("[") and done.isdigit() and int(done) % 25 == 0:
        print(
            f"{done} graded after {time.monotonic() - start:.0f} s, load average "
            f"{os.getloadavg()[0]:.1f}",
            flush=True,
        )


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
        cpu, sandboxes = _cpu(), SandboxCPU()
        sandboxes.start()
        csv_path = A.grade(
            master,
            folder,
            Path(tmp) / "scores.csv",
            Path(tmp) / "build",
            workers=args.workers,
            log=lambda line: _progress(line, start),
        )
        wall, cpu = time.monotonic() - start, _cpu() - cpu
        sandbox_cpu = sandboxes.total()
        with open(csv_path, newline="") as f:
            totals = Counter(row["total"] for row in csv.DictReader(f))
    n, cores = args.students, os.cpu_count()
    print(
        f"{master.stem}: {n} submissions in {wall:.0f} s ({wall / n:.2f} s each) "
        f"with {args.workers or cores} workers; load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    total = cpu + sandbox_cpu
    print(
        f"CPU time: grader {cpu:.0f} s, sandboxes {sandbox_cpu:.0f} s (at least), "
        f"{total / n:.2f} s per submission; on {cores} idle cores about "
        f"{total / cores:.0f} s of wall clock"
    )
    print("totals:", dict(sorted(totals.items())))


if __name__ == "__main__":
    main()
