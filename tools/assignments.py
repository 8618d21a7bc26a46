"""Instructor assignments with otter-grader: build them, then grade a folder of submissions.

    python tools/assignments.py build [06 ...]
        otter assign on every master in assignments/ (or the ones named) into
        _build/assignments/<master>/student/     the notebook to hand out (plus geonn/)
        _build/assignments/<master>/autograder/  the solutions and <master>-autograder.zip

    python tools/assignments.py grade 06 submissions/ [--csv scores.csv]
        otter run (no Docker) on every .ipynb or .zip in submissions/, and one CSV with a
        row per submission: the score of each auto-graded question, the total, an empty
        column per manually graded question, and the error of a submission that did not run.

The autograder zip carries what grading needs outside this repository: the tests, a
copy of lib/geonn (in its files/, copied next to the notebook at grading time) and the
pinned versions of geonn's dependencies (requirements.txt, for `otter grade` and
Gradescope, which build their own environment). `otter run` uses the current one.
"""
import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import nbformat
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
MASTERS = ROOT / "assignments"
BUILD = ROOT / "_build" / "assignments"
TIMEOUT = 600.0  # s per submission; a chapter runs in under 60 s


def masters():
    """The master notebooks, assignments/NN_slug.ipynb, in chapter order."""
    return sorted(MASTERS.glob("[0-9][0-9]_*.ipynb"))


def find_master(key):
    """The master called ``key`` or ``key_*`` (e.g. "06" or "06_porosity")."""
    found = [m for m in masters() if m.stem == key or m.stem.startswith(f"{key}_")]
    if len(found) != 1:
        names = ", ".join(m.stem for m in masters())
        raise SystemExit(f"no single assignment matches {key!r}; the masters are: {names}")
    return found[0]


def questions(master):
    """[(name, points, manual)] from the master's ``# BEGIN QUESTION`` cells, in order."""
    out = []
    for cell in nbformat.read(master, as_version=4).cells:
        lines = cell.source.strip().splitlines()
        if cell.cell_type == "raw" and lines and lines[0].strip() == "# BEGIN QUESTION":
            config = yaml.safe_load("\n".join(lines[1:]))
            out.append((config["name"], config.get("points", 1), bool(config.get("manual", False))))
    return out


def autograder_requirements():
    """geonn's dependencies, pinned as in requirements.txt (the one source of versions)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            pins[Requirement(line).name.lower()] = line
    return "\n".join(pins[Requirement(d).name.lower()] for d in project["dependencies"]) + "\n"


def autograder_zip(result):
    return result / "autograder" / f"{result.name}-autograder.zip"


def build(master, out=BUILD):
    """otter assign ``master`` into ``out/<stem>/{student,autograder}``; returns that folder."""
    from otter.assign import main as otter_assign

    result = Path(out).resolve() / master.stem
    shutil.rmtree(result, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        # otter assign copies the `files` of the config from the master's folder
        stage = Path(tmp)
        shutil.copy(master, stage)
        shutil.copytree(ROOT / "lib" / "geonn", stage / "geonn",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        (stage / "requirements.txt").write_text(autograder_requirements())
        otter_assign(str(stage / master.name), str(result), no_pdfs=True, no_run_tests=True)
    stamped = sorted((result / "autograder").glob(f"{master.stem}-autograder_*.zip"))
    if len(stamped) != 1:
        raise RuntimeError(f"otter assign wrote {len(stamped)} autograder zips for {master.name}")
    stamped[0].rename(autograder_zip(result))  # a stable name, without otter's time stamp
    return result


def first_error(nb):
    """'Error: message (in the cell starting "...")' for the first of the submission's own
    code cells that raised, else ''.  otter's set-up and check cells are skipped: their
    errors (e.g. a renamed notebook) do not change the scores."""
    if nb is None:
        return ""
    for cell in nb.cells:
        source = cell.source.strip() if cell.cell_type == "code" else ""
        if not source or "otter" in source.splitlines()[0].lower() or source.startswith("grader."):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                start = source.splitlines()[0][:60]
                return f'{out["ename"]}: {out["evalue"]} (in the cell starting "{start}")'
    return ""


def _grade_here(ag_zip, path, auto):
    """(scores, error) from otter run, in this process; any failure becomes the error."""
    from otter.api import grade_submission

    try:
        if path.suffix == ".ipynb":
            nbformat.read(path, as_version=4)  # a clear message for a file that is no notebook
        results = grade_submission(str(path), str(ag_zip), quiet=True)
    except Exception as e:  # noqa: BLE001  (any failure becomes this submission's row)
        return dict.fromkeys(auto, 0), f"not graded: {type(e).__name__}: {e}".replace("\n", " ")
    if results.catastrophic_error is not None:
        return dict.fromkeys(auto, 0), f"not graded: {results.catastrophic_error!r}"
    scores = {q: (results.get_score(q) if q in results.results else 0) for q in auto}
    return scores, first_error(results.notebook)


def grade_one(path, ag_zip, auto, timeout=TIMEOUT):
    """({question: score}, error) for one submission, graded in a child process so that a
    submission that never finishes is stopped after ``timeout`` s (with its kernel); a
    submission that cannot be graded scores 0 with the reason, and the run goes on."""
    cmd = [sys.executable, __file__, "_one", str(ag_zip), str(path), *auto]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its kernel notices its parent's end and exits
        proc.communicate()
        return dict.fromkeys(auto, 0), f"not graded: still running after {timeout:g} s"
    except BaseException:  # e.g. Ctrl-C: do not leave the child grading on its own
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    if proc.returncode != 0:
        last = (err.strip().splitlines() or ["no message"])[-1]
        return dict.fromkeys(auto, 0), f"not graded: the grader failed: {last}"
    answer = json.loads(out.strip().splitlines()[-1])
    return answer["scores"], answer["error"]


def grade(master, submissions, csv_path=None, out=BUILD, timeout=TIMEOUT):
    """Grade every .ipynb/.zip in ``submissions``; write and return the CSV path."""
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise SystemExit(f"SUBMISSIONS={submissions} is not a folder of submissions")
    files = sorted(p for p in submissions.iterdir()
                   if p.suffix in (".ipynb", ".zip") and not p.name.startswith("."))
    if not files:
        raise SystemExit(f"no .ipynb or .zip submissions in {submissions}")
    result = Path(out).resolve() / master.stem
    ag_zip = autograder_zip(result)
    if not ag_zip.exists() or ag_zip.stat().st_mtime < master.stat().st_mtime:
        build(master, out)
    qs = questions(master)
    auto = [name for name, _, manual in qs if not manual]
    possible = sum(points for _, points, manual in qs if not manual)
    manual = [f"{name} (manual, {points} pts)" for name, points, is_manual in qs if is_manual]
    csv_path = Path(csv_path) if csv_path else result / "scores.csv"
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with open(csv_path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", *auto, "total", "possible", *manual, "error"])
        for path in files:
            scores, error = grade_one(path, ag_zip, auto, timeout)
            writer.writerow([path.name, *(f"{scores[q]:g}" for q in auto),
                             f"{sum(scores.values()):g}", f"{possible:g}", *[""] * len(manual), error])
            print(f"{path.name}: {sum(scores.values()):g} / {possible:g}" + (f"  ({error})" if error else ""))
    return csv_path


def _shown(path):
    """``path`` relative to the working directory when it lies below it."""
    path = Path(path).resolve()
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="otter assign every master (or the ones named)")
    b.add_argument("assignments", nargs="*", help='e.g. 06 or 06_porosity; default: all')
    b.add_argument("--out", default=BUILD, type=Path)
    g = sub.add_parser("grade", help="otter run on a folder of submissions, one CSV")
    g.add_argument("assignment", help="e.g. 06")
    g.add_argument("submissions", type=Path)
    g.add_argument("--csv", type=Path, help="default: _build/assignments/<master>/scores.csv")
    g.add_argument("--out", default=BUILD, type=Path)
    g.add_argument("--timeout", default=TIMEOUT, type=float, help="s per submission (default 600)")
    one = sub.add_parser("_one")  # internal: grade_one's child process
    one.add_argument("ag_zip", type=Path)
    one.add_argument("path", type=Path)
    one.add_argument("auto", nargs="*")
    args = parser.parse_args(argv)

    if args.command == "_one":
        scores, error = _grade_here(args.ag_zip, args.path, args.auto)
        print(json.dumps({"scores": scores, "error": error}))
        return

    if args.command == "build":
        chosen = [find_master(k) for k in args.assignments] or masters()
        for master in chosen:
            result = build(master, args.out)
            print(f"{master.stem}:\n  hand out  {_shown(result / 'student')}/ (the notebook and its geonn/)"
                  f"\n  grade     {_shown(autograder_zip(result))}")
    else:
        path = grade(find_master(args.assignment), args.submissions, args.csv, args.out, args.timeout)
        print(f"scores: {_shown(path)}")


if __name__ == "__main__":
    sys.exit(main())
