"""The assignment masters (otter-grader's notebook format) as the grader reads them.

A master's questions, points and tests are the only source of scores: the grader reads
them from ``assignments/<master>.ipynb`` in its own process, never from anything a
submission could have touched.  Each auto-graded question declares, in its
``# BEGIN QUESTION`` config, the answers it reads from the student's notebook and their
kind (otter ignores the key)::

    answers: {student_id: int, inverse_rmse: float, predict_porosity: function}

Kinds: ``int``, ``float``, ``bool``, ``str``, ``array`` (a float array), ``function``
(called in the sandbox on the tests' inputs) and ``network`` (a geonn Sequential, read
as its layers and weights).  A test may use the answers of any question.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[2]
MASTERS = ROOT / "assignments"
KINDS = ("int", "float", "bool", "str", "array", "function", "network")


@dataclass
class Test:
    name: str
    source: str  # the cell that defines the test function
    hidden: bool


@dataclass
class Question:
    name: str
    points: float
    manual: bool
    all_or_nothing: bool
    answers: dict = field(default_factory=dict)  # {name: kind}
    tests: list = field(default_factory=list)  # [Test]


def masters(folder=MASTERS):
    """The masters: NN_slug.ipynb in chapter order, then any others (an appendix's)."""
    numbered = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    return numbered + sorted(set(folder.glob("*.ipynb")) - set(numbered))


def find_master(key, folder=MASTERS):
    """The master called ``key`` or ``key_*`` ("06", "06_porosity" or "frameworks")."""
    found = [
        m for m in masters(folder) if m.stem == key or m.stem.startswith(f"{key}_")
    ]
    if len(found) != 1:
        names = ", ".join(m.stem for m in masters(folder))
        raise SystemExit(
            f"no single assignment matches {key!r}; the masters are: {names}"
        )
    return found[0]


def _directive(cell):
    """('BEGIN'|'END', 'QUESTION'|'SOLUTION'|'TESTS', rest) for otter's raw cells."""
    lines = cell.source.strip().splitlines()
    if cell.cell_type != "raw" or not lines:
        return None
    match = re.fullmatch(r"# (BEGIN|END) (QUESTION|SOLUTION|TESTS)", lines[0].strip())
    return (match.group(1), match.group(2), "\n".join(lines[1:])) if match else None


def _test_names(source):
    return re.findall(r"^def (test_\w+)\(", source, re.MULTILINE)


def read(master):
    """[Question] of ``master``, in order, with their tests and declared answers."""
    questions, question, block = [], None, None
    for cell in nbformat.read(master, as_version=4).cells:
        directive = _directive(cell)
        if directive:
            begin, what, rest = directive
            if what == "QUESTION" and begin == "BEGIN":
                config = yaml.safe_load(rest) or {}
                question = Question(
                    config["name"],
                    config.get("points", 1),
                    bool(config.get("manual", False)),
                    bool(config.get("all_or_nothing", False)),
                    dict(config.get("answers") or {}),
                )
                bad = {k: v for k, v in question.answers.items() if v not in KINDS}
                if bad:
                    raise ValueError(
                        f"{master.name} {question.name}: unknown answer "
                        f"kinds {bad}; the kinds are {', '.join(KINDS)}"
                    )
                questions.append(question)
            elif what == "QUESTION":
                question = None
            block = what if begin == "BEGIN" and what != "QUESTION" else None
            continue
        if block == "TESTS" and cell.cell_type == "code" and question is not None:
            hidden = bool(re.search(r"^hidden:\s*true", cell.source, re.MULTILINE))
            for name in _test_names(cell.source):
                question.tests.append(Test(name, cell.source, hidden))
    return questions


def declared_answers(questions):
    """{name: kind} over all questions; a name declared twice must keep its kind."""
    kinds = {}
    for q in questions:
        for name, kind in q.answers.items():
            if kinds.setdefault(name, kind) != kind:
                raise ValueError(
                    f"answer {name} is declared as {kinds[name]} and as {kind}"
                )
    return kinds
