"""Instructor assignments (assignments/*.ipynb, built and graded by tools/assignments.py).

Every master is built with otter assign into a temporary folder outside the repository and
graded there with otter run, as an instructor would: its own solutions must score full
marks on every auto-graded question with no cell raising, the unanswered student notebook
must score 0, and a copy with one deliberately wrong answer must lose exactly that
question's points. Chapter 6 also gets a submission with a syntax error and a file that is
no notebook. That is 29 otter runs of about 4 s of CPU each, two at a time: the costly
part of this file (about 115 s of CPU in all).
"""
import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import importlib.util

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("assignments_tool", ROOT / "tools" / "assignments.py")
A = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(A)

MASTERS = A.masters()
STEMS = [m.stem for m in MASTERS]
# per master: (question, text of the solution, the same line made wrong)
WRONG = {
    "01_neurons": ("q4", "O6_new = float(", "O6_new = 0.1 + float("),
    "02_activations": ("q2", "np.sqrt(0.99)", "np.sqrt(0.9)"),
    "03_backprop": ("q1", "dL_dlam46 = H4 * dL_dO6", "dL_dlam46 = H5 * dL_dO6"),
    "04_optimizers": ("q3", "kappa = float(", "kappa = 2 * float("),
    "05_mantle_stability": ("q3", "baseline = float(Y.mean(axis=0).max())",
                            "baseline = float(np.median(Y))"),
    "06_porosity": ("q1", "inverse_rmse = float(", "inverse_rmse = 0.5 * float("),
    "07_reflectivity": ("q1", "np.arcsin(2600.0 / 4000.0)", "np.arccos(2600.0 / 4000.0)"),
    "08_convolution": ("q2", "rf_samples = 1 + sum(k - 1 for k in kernels)",
                       "rf_samples = sum(k - 1 for k in kernels)"),
    "09_autoencoders": ("q3", "np.arccos(np.clip(s, -1.0, 1.0))", "np.arcsin(np.clip(s, -1.0, 1.0))"),
    "10_gans": ("q2", "return -np.exp(-np.logaddexp(0.0, np.asarray(s, dtype=float)))",
                "return np.exp(-np.logaddexp(0.0, np.asarray(s, dtype=float)))"),
    # the appendix on frameworks (not numbered): assignments/frameworks.ipynb
    "frameworks": ("q4", "kappa = float(lam[-1] / lam[0])", "kappa = float(lam[-1] / lam[1])"),
}
REPRESENTATIVE = "06_porosity"


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
    comment, lines inside `# BEGIN SOLUTION` blocks, and the lines of written model answers."""
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
    names = []
    for cell in _blocks(master)[1]:
        if re.search(r"^hidden:\s*true", cell.source, re.MULTILINE):
            names += re.findall(r"^def (\w+)\(", cell.source, re.MULTILINE)
    return names


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every master built by the course's own tool, outside the repository."""
    out = tmp_path_factory.mktemp("assignments_build")
    return {m.stem: A.build(m, out) for m in MASTERS}, out


@pytest.fixture(scope="session")
def graded(built, tmp_path_factory):
    """CSV rows {master: {submission: row}} from `tools/assignments.py grade`, run on a
    folder of submissions per master in a temporary folder outside the repository. Each
    submission is graded in its own process, so two folders are graded at a time."""
    results, out = built
    folders = {}
    for master in MASTERS:
        folder = folders[master] = tmp_path_factory.mktemp(f"submissions_{master.stem}")
        result = results[master.stem]
        text = (result / "autograder" / master.name).read_text()
        (folder / "solution.ipynb").write_text(text)
        (folder / "unanswered.ipynb").write_text((result / "student" / master.name).read_text())
        question, right, wrong = WRONG[master.stem]
        right, wrong = json.dumps(right)[1:-1], json.dumps(wrong)[1:-1]  # as stored in JSON
        assert text.count(right) == 1, f"{master.stem}: {right!r} must occur once"
        (folder / f"wrong_{question}.ipynb").write_text(text.replace(right, wrong))
        if master.stem == REPRESENTATIVE:
            assert text.count("test_rmse = float(") == 1
            (folder / "syntax_error.ipynb").write_text(text.replace("test_rmse = float(", "test_rmse = float(("))
            (folder / "not_a_notebook.ipynb").write_text('{"cells": [')
    with ThreadPoolExecutor(max_workers=2) as pool:
        csvs = dict(zip(MASTERS, pool.map(lambda m: A.grade(m, folders[m], folders[m] / "scores.csv", out),
                                          MASTERS)))
    rows = {}
    for master, csv_path in csvs.items():
        text = csv_path.read_text()
        if master.stem == REPRESENTATIVE:
            print(f"\n{csv_path.name} for {master.stem}:\n{text}")  # the guide's example
        rows[master.stem] = {r["submission"]: r for r in csv.DictReader(io.StringIO(text))}
    return rows


def test_there_is_a_master_per_chapter():
    # a master may be written before its chapter notebook is merged: each master is checked
    # against the chapter of its number when that notebook exists
    chapters = {p.stem[:2]: p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.ipynb")}
    numbers = [stem[:2] for stem in STEMS]
    assert numbers[:10] == [f"{i:02d}" for i in range(1, 11)], "chapters 1-10 each have a master"
    assert len(set(numbers)) == len(numbers), "one master per chapter"
    for stem in STEMS:
        assert chapters.get(stem[:2], stem) == stem, f"{stem} is not named like chapter {stem[:2]}"


@pytest.mark.parametrize("master", MASTERS, ids=STEMS)
def test_master_format(master):
    cells = _cells(master)
    first = cells[0].source.splitlines()
    assert cells[0].cell_type == "raw" and first[0] == "# ASSIGNMENT CONFIG"
    config = yaml.safe_load("\n".join(first[1:]))
    assert config["files"] == ["geonn"] and config["requirements"] == "requirements.txt"
    assert config["tests"]["ok_format"] is False and config["name"] == master.stem
    qs = A.questions(master)
    assert 4 <= len(qs) <= 6, "3-5 questions beyond the set-up"
    assert sum(manual for _, _, manual in qs) == 1, "one written answer, graded by hand"
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert re.search(r"^from geonn", code, re.MULTILINE), "masters import geonn as chapters do"
    assert "np.random.seed" not in code and not any(c.get("outputs") for c in cells
                                                    if c.cell_type == "code")
    hidden = _hidden_test_names(master)
    for name, _, manual in qs:
        if not manual:
            assert any(h.startswith(f"test_{name}_") for h in hidden), f"{name} has no hidden test"


@pytest.mark.parametrize("stem", STEMS)
def test_student_notebook_has_no_solution_and_no_hidden_test(built, stem):
    result = built[0][stem]
    master = ROOT / "assignments" / f"{stem}.ipynb"
    student_nb = nbformat.read(result / "student" / f"{stem}.ipynb", as_version=4)
    # prompts may quote a line of code, so code is looked for in code cells and tests only
    student_code = "\n".join(c.source for c in student_nb.cells if c.cell_type == "code")
    student = "\n".join(c.source for c in student_nb.cells) + json.dumps(student_nb.metadata)
    others = [p for p in (result / "student").iterdir() if p.name not in (f"{stem}.ipynb", "geonn")]
    assert not others, f"unexpected files handed out: {others}"
    autograder = "\n".join(c.source for c in _cells(result / "autograder" / f"{stem}.ipynb"))
    with zipfile.ZipFile(A.autograder_zip(result)) as z:
        zipped_tests = "\n".join(z.read(n).decode() for n in z.namelist() if n.startswith("tests/"))
    (snippets, prose), hidden = _solution_snippets(master), _hidden_test_names(master)
    assert snippets and prose and hidden
    for s in snippets + prose:
        assert s in autograder, f"the check is blind: {s!r} is not in the autograder copy"
    for s in snippets:
        assert s not in student_code + json.dumps(student_nb.metadata), f"solution code in the student copy: {s!r}"
    for s in prose:
        assert s not in student, f"model answer in the student copy: {s!r}"
    for name in hidden:
        assert name in zipped_tests, f"hidden test {name} is missing from the autograder zip"
        assert name not in student, f"hidden test {name} is in the student copy"


@pytest.mark.parametrize("stem", STEMS)
def test_autograder_zip_grades_outside_the_repository(built, stem, tmp_path):
    ag_zip = A.autograder_zip(built[0][stem])
    with zipfile.ZipFile(ag_zip) as z:
        names = set(z.namelist())
        env = z.read("environment.yml").decode()
        z.extractall(tmp_path)
    assert "files/geonn/__init__.py" in names and "files/geonn/datasets/porosity.py" in names
    assert not any("__pycache__" in n for n in names)
    for line in A.autograder_requirements().split():
        assert line in env, f"{line} is not in the zip's environment.yml"
    # otter copies files/ next to the submission: that geonn is the one the notebook imports
    found = subprocess.run([sys.executable, "-c", "import geonn; print(geonn.__file__)"],
                           cwd=tmp_path / "files", capture_output=True, text=True, check=True)
    assert Path(found.stdout.strip()).is_relative_to(tmp_path)


@pytest.mark.parametrize("stem", STEMS)
def test_grading(graded, stem):
    rows = graded[stem]
    master = ROOT / "assignments" / f"{stem}.ipynb"
    auto = {name: points for name, points, manual in A.questions(master) if not manual}
    possible = sum(auto.values())
    solution, blank = rows["solution.ipynb"], rows["unanswered.ipynb"]
    assert {q: float(solution[q]) for q in auto} == {q: float(p) for q, p in auto.items()}
    assert float(solution["total"]) == float(solution["possible"]) == possible
    assert solution["error"] == "", f"a cell of the master's solutions raised: {solution['error']}"
    assert all(float(blank[q]) == 0 for q in auto) and float(blank["total"]) == 0
    question = WRONG[stem][0]
    wrong = rows[f"wrong_{question}.ipynb"]
    assert {q: float(wrong[q]) for q in auto} == {q: (0.0 if q == question else float(p))
                                                  for q, p in auto.items()}


def test_submissions_that_do_not_run_get_a_row_with_their_error(graded):
    rows = graded[REPRESENTATIVE]
    syntax, broken = rows["syntax_error.ipynb"], rows["not_a_notebook.ipynb"]
    assert syntax["error"].startswith("SyntaxError") and 'cell starting "test_rmse' in syntax["error"]
    assert float(syntax["q3"]) == 0 and float(syntax["total"]) == float(syntax["possible"]) - 1
    assert broken["error"].startswith("not graded: NotJSONError") and float(broken["total"]) == 0
    assert list(rows["solution.ipynb"]) == ["submission", "q1", "q2", "q3", "total", "possible",
                                            "q4 (manual, 2 pts)", "error"]


def test_a_submission_that_never_finishes_is_stopped(built, tmp_path):
    result = built[0][REPRESENTATIVE]
    nb = nbformat.read(result / "autograder" / f"{REPRESENTATIVE}.ipynb", as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("while True:\n    pass"))
    nbformat.write(nb, tmp_path / "endless.ipynb")
    scores, error = A.grade_one(tmp_path / "endless.ipynb", A.autograder_zip(result), ["q1"], timeout=3)
    assert scores == {"q1": 0} and error == "not graded: still running after 3 s"


def test_command_line(tmp_path, capsys):
    A.main(["build", "06", "--out", str(tmp_path)])
    printed = capsys.readouterr().out
    assert str(tmp_path / "06_porosity" / "student") in printed
    assert str(tmp_path / "06_porosity" / "autograder" / "06_porosity-autograder.zip") in printed
    with pytest.raises(SystemExit, match="no single assignment matches '99'"):
        A.main(["build", "99", "--out", str(tmp_path)])
    with pytest.raises(SystemExit, match="no .ipynb or .zip submissions"):
        A.main(["grade", "06", str(tmp_path / "06_porosity" / "autograder" / "geonn" / "datasets"),
                "--out", str(tmp_path)])


def test_masters_stay_out_of_the_book():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "assignments/**" in config["exclude_patterns"] and config["only_build_toc_files"]
    assert "assignments" not in (ROOT / "_toc.yml").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'norecursedirs = \[[^\]]*"assignments"', pyproject), \
        "pytest --nbval must not collect the masters as notebooks"


def test_porosity_master_judges_against_the_bayes_error():
    # issue 15: the exact inverse on noisy AI is not a floor; the reference is E[φ | AI]
    master = ROOT / "assignments" / "06_porosity.ipynb"
    text = "\n".join(c.source for c in _cells(master))
    assert "noise_floor" not in text and "noise floor" not in text.lower()
    hidden = "\n".join(c.source for c in _blocks(master)[1] if "hidden: true" in c.source)
    assert hidden.count("porosity_reference.posterior_mean_porosity(") >= 3   # q1, q2, q3
    assert "rmse < 1.25 * bayes" in hidden
