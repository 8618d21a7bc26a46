"""Instructor assignments: build them with otter-grader, grade a folder of submissions.

    python tools/assignments.py build [06 ...]
        otter assign on every master in assignments/ (or the ones named) into
        _build/assignments/<master>/student/     the notebook to hand out (plus geonn/)
        _build/assignments/<master>/autograder/  solutions, <master>-autograder.zip

    python tools/assignments.py grade 06 submissions/ [--csv scores.csv] [--workers N]
        every .ipynb or .zip in submissions/, each run in its own sandbox (bubblewrap),
        its answers checked against the master's tests in this process; one CSV with a
        row per submission (see tools/grading/report.py for its columns).

Run it with the course venv's Python (.venv/bin/python), or through `make assignments` /
`make grade`.  How grading is protected, and from what, is in book/instructor_guide.md
and tools/grading/__init__.py.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from grading import build as B  # noqa: E402
from grading import grade as G  # noqa: E402
from grading import masters as M  # noqa: E402
from grading import report  # noqa: E402
from grading.sandbox import missing_tools  # noqa: E402
from grading.submissions import code_cells, files  # noqa: E402


def _shown(path):
    """``path`` relative to the working directory when it lies below it."""
    path = Path(path).resolve()
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def grade(
    master,
    submissions,
    csv_path=None,
    out=B.BUILD,
    timeout=G.TIMEOUT,
    cell_timeout=G.CELL_TIMEOUT,
    workers=None,
    log=print,
):
    """Grade every .ipynb/.zip in ``submissions``; write the CSV and return its path."""
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise SystemExit(f"SUBMISSIONS={submissions} is not a folder of submissions")
    paths = files(submissions)
    if not paths:
        raise SystemExit(f"no .ipynb or .zip submissions in {submissions}")
    missing = missing_tools()
    if missing:
        raise SystemExit(
            f"grading runs each submission in a sandbox and needs "
            f"{', '.join(missing)}: apt-get install bubblewrap util-linux "
            "(see book/instructor_guide.md)"
        )
    try:
        G.preflight()
    except G.SandboxError as e:
        raise SystemExit(f"cannot grade: {e} (see book/instructor_guide.md)") from None
    result = B.ensure_built(master, out)
    questions = M.read(master)
    possible = sum(q.points for q in questions if not q.manual)
    workers = workers or G.workers_default()
    solution = result / "autograder" / master.name
    # the master's own solutions first: a broken environment shows before 300 runs do
    control = G.grade_one(solution, questions, 0, timeout, cell_timeout)
    scored = sum(control.scores.values())
    log(f"control: the master's own solutions score {scored:g} / {possible:g}")
    if scored != possible:
        log(f"WARNING: {control.error or control.failures}: check the environment")
    log(
        f"grading {len(paths)} submissions of {master.stem}, {workers} at a time "
        f"(time limit {timeout:g} s each)"
    )
    start = time.monotonic()

    def progress(i, n, r):
        total = sum(r.scores.values())
        log(
            f"[{i}/{n}] {r.name}: {total:g} / {possible:g}  ({r.seconds:.1f} s)"
            + (f"  {r.error}" if r.error else "")
        )

    results = G.grade_all(paths, questions, workers, timeout, cell_timeout, progress)
    handout = code_cells(result / "student" / master.name)
    csv_path = Path(csv_path) if csv_path else result / "scores.csv"
    reference = report.answers_fingerprint(control)
    report.write(csv_path, questions, results, reference, handout)
    log(f"{len(results)} submissions in {time.monotonic() - start:.0f} s")
    return csv_path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="otter assign every master (or the ones named)")
    b.add_argument(
        "assignments",
        nargs="*",
        help="e.g. 06, 06_porosity or frameworks; default: all",
    )
    b.add_argument("--out", default=B.BUILD, type=Path)
    g = sub.add_parser("grade", help="grade a folder of submissions into one CSV")
    g.add_argument("assignment", help="e.g. 06")
    g.add_argument("submissions", type=Path)
    g.add_argument(
        "--csv", type=Path, help="default: _build/assignments/<master>/scores.csv"
    )
    g.add_argument("--out", default=B.BUILD, type=Path)
    g.add_argument(
        "--timeout",
        default=G.TIMEOUT,
        type=float,
        help=f"s of wall clock per submission (default {G.TIMEOUT:g})",
    )
    g.add_argument(
        "--cell-timeout",
        default=G.CELL_TIMEOUT,
        type=float,
        help="s of CPU per cell, and per call of a student's function "
        f"(default {G.CELL_TIMEOUT:g})",
    )
    g.add_argument(
        "--workers",
        type=int,
        help="submissions graded at a time (default: one per core)",
    )
    args = parser.parse_args(argv)

    if args.command == "build":
        chosen = [M.find_master(k) for k in args.assignments] or M.masters()
        for master in chosen:
            result = B.build(master, args.out)
            print(
                f"{master.stem}:\n  hand out  {_shown(result / 'student')}/ "
                "(the notebook and its geonn/)"
                f"\n  grade     {_shown(B.autograder_zip(result))}"
            )
    else:
        path = grade(
            M.find_master(args.assignment),
            args.submissions,
            args.csv,
            args.out,
            args.timeout,
            args.cell_timeout,
            args.workers,
        )
        print(f"scores: {_shown(path)}")


if __name__ == "__main__":
    sys.exit(main())
