"""The score sheet: one CSV row per submission, with flags for copies.

Columns: ``submission``, ``student_id`` (the notebook's own ``student_id`` answer, when
the master declares one), the points of each auto-graded question, ``total``,
``possible``, an empty column per written answer (for the instructor), ``error`` (the
first error of the submission's cells, or why it was not graded) and ``flags``:

- ``same student_id as X``: two notebooks claim the same student;
- ``same answers as X``: identical answers to every question (to the last bit), when
  each student has their own data (the master declares ``student_id``), unless they are
  the master's own answers or all missing;
- ``same code as X``: identical code in every cell the student changed or added.

A flag names at most five other submissions ("and 12 others").
"""

import csv
import hashlib
import re
from collections import defaultdict

import numpy as np

from .answers import Refused, RemoteFunction


def _token(value):
    if isinstance(value, Refused):
        return "refused"
    if isinstance(value, RemoteFunction):
        return "function"
    if isinstance(value, np.ndarray):
        digest = hashlib.sha256(value.tobytes()).hexdigest()
        return f"{value.dtype}{value.shape}{digest}"
    if hasattr(value, "params"):  # a network: its weights
        return "net" + "".join(_token(np.asarray(p)) for p in value.params())
    if isinstance(value, float):
        return value.hex()
    return repr(value)


def answers_fingerprint(result):
    """A hash of the data answers, or None when none of them was given."""
    values = {
        k: v for k, v in result.answers.items() if not isinstance(v, RemoteFunction)
    }
    if not values or all(isinstance(v, Refused) for v in values.values()):
        return None
    text = "\n".join(f"{k}={_token(values[k])}" for k in sorted(values))
    return hashlib.sha256(text.encode()).hexdigest()


def _normal(source):
    lines = source.strip().splitlines()
    return "\n".join(line.rstrip() for line in lines if line.strip())


def code_fingerprint(result, handout_cells):
    """A hash of the code cells that differ from the handout's; None if none does."""
    handout = {_normal(c) for c in handout_cells}
    own = [_normal(c) for c in result.cells if _normal(c) and _normal(c) not in handout]
    return hashlib.sha256("\n\0".join(own).encode()).hexdigest() if own else None


def flags(results, reference=None, handout_cells=()):
    """{submission name: "flag; flag"} for the copies among ``results``."""
    groups = defaultdict(lambda: defaultdict(list))
    for r in results:
        sid = r.answers.get("student_id")
        given = sid is not None and not isinstance(sid, Refused)
        own_data = "student_id" in r.answers  # otherwise equal answers are expected
        keys = {
            "student_id": repr(sid) if given else None,
            "answers": answers_fingerprint(r) if own_data else None,
            "code": code_fingerprint(r, handout_cells),
        }
        if keys["answers"] is not None and keys["answers"] == reference:
            keys["answers"] = None
        for what, key in keys.items():
            if key is not None:
                groups[what][key].append(r.name)
    out = defaultdict(list)
    for what in ("student_id", "answers", "code"):
        for names in groups[what].values():
            for name in names if len(names) > 1 else ():
                others = [n for n in names if n != name]
                more = f" and {len(others) - 5} others" if len(others) > 5 else ""
                out[name].append(f"same {what} as {' '.join(others[:5])}{more}")
    return {name: "; ".join(f) for name, f in out.items()}


def _cell(text):
    """A CSV cell that a spreadsheet will not read as a formula."""
    text = str(text)
    return "'" + text if re.match(r"[=+\-@\t\r]", text) else text


def write(path, questions, results, reference=None, handout_cells=()):
    """Write the CSV of ``results`` to ``path``."""
    auto = [q for q in questions if not q.manual]
    manual = [f"{q.name} (manual, {q.points:g} pts)" for q in questions if q.manual]
    possible = sum(q.points for q in auto)
    flagged = flags(results, reference, handout_cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "submission",
                "student_id",
                *(q.name for q in auto),
                "total",
                "possible",
                *manual,
                "error",
                "flags",
            ]
        )
        for r in results:
            sid = r.answers.get("student_id")
            sid = "" if sid is None or isinstance(sid, Refused) else sid
            scores = [f"{r.scores[q.name]:g}" for q in auto]
            writer.writerow(
                [
                    _cell(r.name),
                    sid,
                    *scores,
                    f"{sum(r.scores.values()):g}",
                    f"{possible:g}",
                    *[""] * len(manual),
                    _cell(r.error),
                    _cell(flagged.get(r.name, "")),
                ]
            )
    return path
