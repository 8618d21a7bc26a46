"""Instructor assignments (assignments/*.ipynb, built and graded by
tools/assignments.py).

Every master is built with otter assign into a temporary folder outside the repository
and graded there by the course's grader (each submission in its own sandbox, its answers
checked in the grader's process), as an instructor would: its own solutions must score
full marks on every auto-graded question with no cell raising, the unanswered student
notebook must score 0, and a copy with one deliberately wrong answer must lose exactly
that question's points.  Chapter 6 also gets a syntax error, a file that is no notebook
and two answers with no trained network, graded through the command's own function (the
CSV).  About 40 sandboxes, two at a time; the attacks are in test_grading_attacks.py.
"""

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import assignments as A  # noqa: E402  (tools/assignments.py)
from grading import build as B  # noqa: E402
from grading import grade as G  # noqa: E402
from grading import masters as M  # noqa: E402
from grading.sandbox import missing_tools  # noqa: E402

MASTERS = M.masters()
STEMS = [m.stem for m in MASTERS]
NUMBERED = [s for s in STEMS if re.match(r"\d\d_", s)]
# per master: (question, text of the solution, the same line made wrong)
WRONG = {
    "01_neurons": ("q4", "O6_new = float(", "O6_new = 0.1 + float("),
    "02_activations": ("q2", "np.sqrt(0.99)", "np.sqrt(0.9)"),
    "03_backprop": ("q1", "dL_dlam46 = H4 * dL_dO6", "dL_dlam46 = H5 * dL_dO6"),
    "04_optimizers": ("q3", "kappa = float(", "kappa = 2 * float("),
    "05_mantle_stability": (
        "q3",
        "baseline = float(Y.mean(axis=0).max())",
        "baseline = float(np.median(Y))",
    ),
    "06_porosity": ("q1", "inverse_rmse = float(", "inverse_rmse = 0.5 * float("),
    "07_reflectivity": (
        "q1",
        "np.arcsin(2600.0 / 4000.0)",
        "np.arccos(2600.0 / 4000.0)",
    ),
    "08_convolution": (
        "q2",
        "rf_samples = 1 + sum(k - 1 for k in kernels)",
        "rf_samples = sum(k - 1 for k in kernels)",
    ),
    "09_autoencoders": (
        "q3",
        "np.arccos(np.clip(s, -1.0, 1.0))",
        "np.arcsin(np.clip(s, -1.0, 1.0))",
    ),
    "10_gans": (
        "q2",
        "return -np.exp(-np.logaddexp(0.0, np.asarray(s, dtype=float)))",
        "return np.exp(-np.logaddexp(0.0, np.asarray(s, dtype=float)))",
    ),
    "11_seismic_images": (
        "q3",
        "d2 = np.diff(np.asarray(x, dtype=float), axis=1) ** 2",
        "d2 = np.abs(np.diff(np.asarray(x, dtype=float), axis=1))",
    ),
    "12_seismic_dreams": (
        "q1",  # the straight line instead of the great circle
        "np.sin((1 - t) * theta) * z0 + np.sin(t * theta) * z1) / np.sin(theta)",
        "(1 - t) * z0 + t * z1)",
    ),
    # the appendix on frameworks (not numbered): assignments/frameworks.ipynb
    "frameworks": (
        "q4",
        "kappa = float(lam[-1] / lam[0])",
        "kappa = float(lam[-1] / lam[1])",
    ),
}
REPRESENTATIVE = "06_porosity"
# chapter 6's q2 answered by the Bayes estimator itself, with no network, or beside one
NO_NETWORK = (
    "    scaled = net.predict(x_scaler.transform(ai.reshape(-1, 1)))\n"
    "    return y_scaler.inverse_transform(scaled).reshape(ai.shape)",
    "    return porosity_reference.posterior_mean_porosity(ai)",
)

needs_sandbox = pytest.mark.skipif(
    bool(missing_tools()) and not os.environ.get("CI"),
    reason="grading needs bubblewrap (apt-get install bubblewrap)",
)


def _cells(path):
    return nbformat.read(path, as_version=4).cells


def _blocks(master):
    """Code and markdown cells of the master inside # BEGIN SOLUTION / TESTS blocks."""
    solution, tests, block = [], [], None
    for cell in _cells(master):
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "raw":
            match = re.match(r"# (BEGIN|END) (SOLUTION|TESTS)$", first)
            if match:
                block = match.group(2) if match.group(1) == "BEGIN" else None
            continue
        if block == "SOLUTION":
            solution.append(cell)
        elif block == "TESTS":
            tests.append(cell)
    return solution, tests


def _solution_snippets(master):
    """(code, prose) that only the solutions contain: `# SOLUTION` lines without their
    comment, lines inside `# BEGIN SOLUTION` blocks, and the lines of written model
    answers."""
    snippets, prose = [], []
    for cell in _blocks(master)[0]:
        if cell.cell_type == "markdown":
            prose += [line for line in cell.source.splitlines() if len(line) > 30]
            continue
        inside = False
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped == "# BEGIN SOLUTION":
                inside = True
            elif stripped == "# END SOLUTION":
                inside = False
            elif inside and len(stripped) > 8:
                snippets.append(stripped)
            elif stripped.endswith("# SOLUTION"):
                snippets.append(stripped.rsplit("#", 1)[0].strip())  # e.g. "m_min = 34"
    return snippets, prose


def _hidden_test_names(master):
    return [t.name for q in M.read(master) for t in q.tests if t.hidden]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every master built by the course's own tool, outside the repository."""
    out = tmp_path_factory.mktemp("assignments_build")
    return {m.stem: B.build(m, out) for m in MASTERS}, out


@pytest.fixture(scope="session")
def graded(built, tmp_path_factory):
    """{master: {submission: Result}}: the solutions, the unanswered notebook and one
    wrong answer of every master, two at a time; chapter 6's folder through A.grade
    (its CSV)."""
    results, out = built
    rows, folders = {}, {}
    for master in MASTERS:
        folder = folders[master.stem] = tmp_path_factory.mktemp(
            f"submissions_{master.stem}"
        )
        result = results[master.stem]
        text = (result / "autograder" / master.name).read_text()
        (folder / "solution.ipynb").write_text(text)
        (folder / "unanswered.ipynb").write_text(
            (result / "student" / master.name).read_text()
        )
        if master.stem not in WRONG:  # an appendix master: solutions and blank only
            continue
        question, right, wrong = WRONG[master.stem]
        right, wrong = (
            json.dumps(right)[1:-1],
            json.dumps(wrong)[1:-1],
        )  # as stored in JSON
        assert text.count(right) == 1, f"{master.stem}: {right!r} must occur once"
        (folder / f"wrong_{question}.ipynb").write_text(text.replace(right, wrong))
    rep = folders[REPRESENTATIVE]
    text = (rep / "solution.ipynb").read_text()
    assert text.count("test_rmse = float(") == 1
    (rep / "syntax_error.ipynb").write_text(
        text.replace("test_rmse = float(", "test_rmse = float((")
    )
    (rep / "not_a_notebook.ipynb").write_text('{"cells": [')
    nb = nbformat.read(rep / "solution.ipynb", as_version=4)
    training = next(c for c in nb.cells if "for restart" in c.source)
    assert training.source.count(NO_NETWORK[0]) == 1
    training.source = training.source.replace(*NO_NETWORK)
    nbformat.write(nb, rep / "no_network.ipynb")
    training.source = re.sub(
        r"x_scaler = .*# lowest training loss\n", "", training.source, flags=re.S
    )
    assert "net" not in training.source.replace("network", "")
    nbformat.write(nb, rep / "bayes_estimator.ipynb")

    # every other master's folder at once, two sandboxes at a time
    jobs = [
        (p, m.stem)
        for m in MASTERS
        if m.stem != REPRESENTATIVE
        for p in sorted(folders[m.stem].iterdir())
    ]
    qs = {m.stem: M.read(m) for m in MASTERS}
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(
            lambda ij: G.grade_one(ij[1][0], qs[ij[1][1]], slot=ij[0] % 2, timeout=240),
            enumerate(jobs),
        )
        for (path, stem), result in zip(jobs, done):
            rows.setdefault(stem, {})[path.name] = result
    log = []
    csv_path = A.grade(
        M.find_master(REPRESENTATIVE),
        rep,
        rep / "scores.csv",
        out,
        timeout=240,
        workers=2,
        log=log.append,
    )
    text = csv_path.read_text()
    print(f"\n{csv_path.name} for {REPRESENTATIVE}:\n{text}")  # the guide's example
    rows[REPRESENTATIVE] = {
        r["submission"]: r for r in csv.DictReader(io.StringIO(text))
    }
    rows["log"] = log
    return rows


def test_there_is_a_master_per_chapter():
    # a master may be written before its chapter notebook is merged: each master is
    # checked against the chapter of its number when that notebook exists
    chapters = {p.stem[:2]: p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.ipynb")}
    numbers = [stem[:2] for stem in NUMBERED]
    assert numbers[:12] == [f"{i:02d}" for i in range(1, 13)], (
        "chapters 1-12 each have a master"
    )
    assert len(set(numbers)) == len(numbers), "one master per chapter"
    assert STEMS[: len(NUMBERED)] == NUMBERED, "numbered masters first, then the others"
    for stem in NUMBERED:
        assert chapters.get(stem[:2], stem) == stem, (
            f"{stem} is not named like chapter {stem[:2]}"
        )


def test_masters_are_found_in_order_numbered_first(tmp_path):
    for name in ("frameworks.ipynb", "02_b.ipynb", "01_a.ipynb", "appendix.ipynb"):
        (tmp_path / name).write_text("{}")
    assert [m.name for m in M.masters(tmp_path)] == [
        "01_a.ipynb",
        "02_b.ipynb",
        "appendix.ipynb",
        "frameworks.ipynb",
    ]
    assert M.find_master("frameworks", tmp_path).name == "frameworks.ipynb"
    assert M.find_master("02", tmp_path).name == "02_b.ipynb"


@pytest.mark.parametrize("master", MASTERS, ids=STEMS)
def test_master_format(master):
    cells = _cells(master)
    first = cells[0].source.splitlines()
    assert cells[0].cell_type == "raw" and first[0] == "# ASSIGNMENT CONFIG"
    config = yaml.safe_load("\n".join(first[1:]))
    assert config["files"] == ["geonn"] and config["requirements"] == "requirements.txt"
    assert config["tests"]["ok_format"] is False and config["name"] == master.stem
    qs = M.read(master)
    assert 4 <= len(qs) <= 6, "3-5 questions beyond the set-up"
    assert sum(q.manual for q in qs) == 1, "one written answer, graded by hand"
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert re.search(r"^from geonn", code, re.MULTILINE), (
        "masters import geonn as chapters do"
    )
    assert "np.random.seed" not in code and not any(
        c.get("outputs") for c in cells if c.cell_type == "code"
    )
    declared = M.declared_answers(qs)
    for q in qs:
        if q.manual:
            continue
        assert q.answers, f"{q.name} declares no answers"
        assert any(t.hidden for t in q.tests), f"{q.name} has no hidden test"
        for test in q.tests:
            params = re.search(rf"def {test.name}\(([^)]*)\)", test.source).group(1)
            for p in (p.strip() for p in params.split(",") if p.strip()):
                assert p in declared, (
                    f"{test.name} reads {p}, which no question declares"
                )


@pytest.mark.parametrize("stem", STEMS)
def test_student_notebook_has_no_solution_and_no_hidden_test(built, stem):
    result = built[0][stem]
    master = ROOT / "assignments" / f"{stem}.ipynb"
    student_nb = nbformat.read(result / "student" / f"{stem}.ipynb", as_version=4)
    # prompts may quote a line of code, so code is looked for in code cells and tests
    # only
    student_code = "\n".join(
        c.source for c in student_nb.cells if c.cell_type == "code"
    )
    student = "\n".join(c.source for c in student_nb.cells) + json.dumps(
        student_nb.metadata
    )
    others = [
        p
        for p in (result / "student").iterdir()
        if p.name not in (f"{stem}.ipynb", "geonn")
    ]
    assert not others, f"unexpected files handed out: {others}"
    autograder = "\n".join(
        c.source for c in _cells(result / "autograder" / f"{stem}.ipynb")
    )
    with zipfile.ZipFile(B.autograder_zip(result)) as z:
        zipped_tests = "\n".join(
            z.read(n).decode() for n in z.namelist() if n.startswith("tests/")
        )
    (snippets, prose), hidden = _solution_snippets(master), _hidden_test_names(master)
    assert snippets and prose and hidden
    for s in snippets + prose:
        assert s in autograder, (
            f"the check is blind: {s!r} is not in the autograder copy"
        )
    for s in snippets:
        assert s not in student_code + json.dumps(student_nb.metadata), (
            f"solution code in the student copy: {s!r}"
        )
    for s in prose:
        assert s not in student, f"model answer in the student copy: {s!r}"
    for name in hidden:
        assert name in zipped_tests, (
            f"hidden test {name} is missing from the autograder zip"
        )
        assert name not in student, f"hidden test {name} is in the student copy"


@pytest.mark.parametrize("stem", STEMS)
def test_autograder_zip_is_for_the_course_python_and_checked_by_hash(
    built, stem, tmp_path
):
    result = built[0][stem]
    ag_zip = B.autograder_zip(result)
    with zipfile.ZipFile(ag_zip) as z:
        names = set(z.namelist())
        env = yaml.safe_load(z.read("environment.yml"))
        z.extractall(tmp_path)
    assert (
        "files/geonn/__init__.py" in names
        and "files/geonn/domain/datasets/porosity.py" in names
    )
    assert not any("__pycache__" in n for n in names)
    assert "python=3.11" in env["dependencies"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    for line in B.autograder_requirements().split():
        assert line in pip, f"{line} is not in the zip's environment.yml"
    assert {"scipy==1.17.1", "setuptools==81.0.0"} <= set(pip)
    # the appendix's master imports JAX and Keras: the zip installs the course's pins
    pinned = {line.split("==")[0]: line for line in B.autograder_requirements().split()}
    assert {pinned[name] for name in ("jax", "jaxlib", "keras")} <= set(pip)
    # otter copies files/ next to the submission: that geonn is the one the notebook
    # imports
    found = subprocess.run(
        [sys.executable, "-c", "import geonn; print(geonn.__file__)"],
        cwd=tmp_path / "files",
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(found.stdout.strip()).is_relative_to(tmp_path)
    assert B.is_current(M.find_master(stem), result)


def test_a_changed_zip_or_master_is_rebuilt(tmp_path):
    master = tmp_path / "tiny.ipynb"
    master.write_bytes((ROOT / "tests" / "assignments" / "tiny.ipynb").read_bytes())
    result = B.build(master, tmp_path / "out")
    ag_zip = B.autograder_zip(result)
    assert B.is_current(master, result)
    stamp = ag_zip.stat().st_mtime
    with zipfile.ZipFile(ag_zip, "a") as z:  # a tampered zip, newer than the master
        z.writestr("tests/q9.py", "points = 100\n")
    assert not B.is_current(master, result)
    assert B.ensure_built(master, tmp_path / "out") == result and B.is_current(
        master, result
    )
    assert ag_zip.stat().st_mtime >= stamp
    master.write_text(master.read_text().replace("points: 2", "points: 3"))
    assert not B.is_current(master, result)


@needs_sandbox
@pytest.mark.parametrize("stem", STEMS)
def test_grading(graded, stem):
    rows = graded[stem]
    master = ROOT / "assignments" / f"{stem}.ipynb"
    auto = {q.name: q.points for q in M.read(master) if not q.manual}
    possible = sum(auto.values())

    def scores(name):
        row = rows[name]
        return {
            q: float(row.scores[q] if hasattr(row, "scores") else row[q]) for q in auto
        }

    def error(name):
        return rows[name].error if hasattr(rows[name], "error") else rows[name]["error"]

    assert scores("solution.ipynb") == {q: float(p) for q, p in auto.items()}, getattr(
        rows["solution.ipynb"], "failures", ""
    )
    assert error("solution.ipynb") == "", (
        f"a cell of the master's solutions raised: {error('solution.ipynb')}"
    )
    assert sum(scores("unanswered.ipynb").values()) == 0 and possible > 0
    if stem in WRONG:
        question = WRONG[stem][0]
        assert scores(f"wrong_{question}.ipynb") == {
            q: (0.0 if q == question else float(p)) for q, p in auto.items()
        }


@needs_sandbox
def test_submissions_that_do_not_run_get_a_row_with_their_error(graded):
    rows = graded[REPRESENTATIVE]
    syntax, broken = rows["syntax_error.ipynb"], rows["not_a_notebook.ipynb"]
    assert (
        syntax["error"].startswith("SyntaxError")
        and 'cell starting "test_rmse' in syntax["error"]
    )
    assert (
        float(syntax["q3"]) == 0
        and float(syntax["total"]) == float(syntax["possible"]) - 1
    )
    assert (
        broken["error"].startswith("not graded: NotJSONError")
        and float(broken["total"]) == 0
    )
    assert list(rows["solution.ipynb"]) == [
        "submission",
        "student_id",
        "q1",
        "q2",
        "q3",
        "total",
        "possible",
        "q4 (manual, 2 pts)",
        "error",
        "flags",
    ]
    assert rows["solution.ipynb"]["student_id"] == "20260601"
    assert any(line.startswith("[1/") for line in graded["log"]), "progress is printed"
    assert "control: the master's own solutions score 5 / 5" in graded["log"]
    assert not any("WARNING" in line for line in graded["log"]), graded["log"]


@needs_sandbox
def test_porosity_needs_a_trained_network(graded):
    rows = graded[REPRESENTATIVE]
    for name in ("no_network.ipynb", "bayes_estimator.ipynb"):
        assert (rows[name]["q1"], rows[name]["q2"]) == ("1", "0"), name
    # copies of one student's notebook share the student_id and the answers
    assert "same student_id as" in rows["solution.ipynb"]["flags"]
    assert "same answers as" not in rows["solution.ipynb"]["flags"], (
        "the master's own answers are not a copy"
    )


@needs_sandbox
def test_a_submission_that_never_finishes_is_stopped(built, tmp_path):
    result = built[0][REPRESENTATIVE]
    nb = nbformat.read(result / "autograder" / f"{REPRESENTATIVE}.ipynb", as_version=4)
    nb.cells.insert(
        1,
        nbformat.v4.new_code_cell(
            "import signal\nfor s in (signal.SIGPROF, signal.SIGALRM):\n"
            "    signal.signal(s, signal.SIG_IGN)\nwhile True:\n    pass"
        ),
    )
    nbformat.write(nb, tmp_path / "endless.ipynb")
    r = G.grade_one(
        tmp_path / "endless.ipynb", M.read(M.find_master(REPRESENTATIVE)), timeout=3
    )
    assert sum(r.scores.values()) == 0
    assert r.error == "not graded: still running at the time limit after 3 s"
    assert r.seconds < 8


def test_command_line(tmp_path, capsys):
    A.main(["build", "06", "--out", str(tmp_path)])
    printed = capsys.readouterr().out
    assert str(tmp_path / "06_porosity" / "student") in printed
    assert (
        str(tmp_path / "06_porosity" / "autograder" / "06_porosity-autograder.zip")
        in printed
    )
    with pytest.raises(SystemExit, match="no single assignment matches '99'"):
        A.main(["build", "99", "--out", str(tmp_path)])
    with pytest.raises(SystemExit, match="no .ipynb or .zip submissions"):
        no_submissions = tmp_path / "06_porosity" / "autograder" / "geonn" / "domain"
        A.main(
            ["grade", "06", str(no_submissions / "datasets"), "--out", str(tmp_path)]
        )


def test_masters_stay_out_of_the_book():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert (
        "assignments/**" in config["exclude_patterns"]
        and config["only_build_toc_files"]
    )
    assert "assignments" not in (ROOT / "_toc.yml").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'norecursedirs = \[[^\]]*"assignments"', pyproject), (
        "pytest --nbval must not collect the masters (nor tests/assignments/) as "
        "notebooks"
    )


def test_porosity_master_judges_against_the_bayes_error():
    # issue 15: the exact inverse on noisy AI is not a floor; the reference is E[φ | AI]
    master = ROOT / "assignments" / "06_porosity.ipynb"
    text = "\n".join(c.source for c in _cells(master))
    assert "noise_floor" not in text and "noise floor" not in text.lower()
    hidden = "\n".join(
        c.source for c in _blocks(master)[1] if "hidden: true" in c.source
    )
    assert (
        hidden.count("porosity_reference.posterior_mean_porosity(") >= 3
    )  # q1, q2, q3
    assert "rmse < 1.25 * bayes" in hidden
