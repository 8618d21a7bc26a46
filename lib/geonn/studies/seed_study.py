"""Stored seed studies: one row of numbers per seed, in a small CSV file in ``data/``.

A chapter trains on one seed. Its seed study is the chapter itself, run again with other
seeds by ``tools/seeds.py`` (``make seeds``): a cell of the chapter gathers the numbers
the study keeps in one dict and prints it with :func:`print_seed_row`; the tool reads
that printed row back (:func:`parse_seed_rows`) for every seed and stores the rows with
:func:`write_seed_study`. The chapter then prints the spread over the seeds from the
file (:func:`read_seed_study`, :func:`seed_table`, :func:`grouped_seed_table`).

The file: a header, ``seed`` first, then one column per number; one line per seed;
floats as ``repr`` (the shortest string that reads back to the same float), so a
stored study is exact and the same run writes the same bytes.
"""

import csv
import json
import re
from pathlib import Path

import numpy as np

from geonn.domain.datasets.porosity import DATA_DIR

__all__ = [
    "CH6B_SEEDS_CSV",
    "CH7_SEEDS_CSV",
    "grouped_seed_table",
    "parse_seed_rows",
    "print_seed_row",
    "read_seed_study",
    "seed_table",
    "write_seed_study",
]

CH6B_SEEDS_CSV = Path(DATA_DIR) / "ch6b_seeds.csv"
CH7_SEEDS_CSV = Path(DATA_DIR) / "ch7_seeds.csv"
_HEADER = re.compile(r"^row of (\S+\.csv):$", re.MULTILINE)


def _study_path(path):
    """A bare file name is a study in ``data/``."""
    path = Path(path)
    return Path(DATA_DIR) / path if path.parent == Path() else path


def _as_row(row):
    """{"seed": int, column: float}, ``seed`` first; a ValueError names the problem."""
    if not isinstance(row, dict) or not row or list(row)[0] != "seed":
        raise ValueError(
            "a seed-study row must be a non-empty dict with 'seed' its "
            f"first key; got {row!r:.80}"
        )
    return {c: int(v) if c == "seed" else float(v) for c, v in row.items()}


def print_seed_row(name, row):
    """Print one seed's row of the study ``name`` (e.g. ``"ch9_seeds.csv"``) as JSON.

    row: {"seed": int, column: number}, in the order of the file's columns. JSON writes
    every float exactly, so :func:`parse_seed_rows` gives back the same numbers.
    """
    if not re.fullmatch(r"\S+\.csv", str(name)):
        raise ValueError(f"name must be a CSV file name without spaces; got {name!r}")
    print(f"row of {name}:\n{json.dumps(_as_row(row), indent=1)}")


def parse_seed_rows(text):
    """{name: row} of every row :func:`print_seed_row` printed in ``text``."""
    parts = _HEADER.split(text)
    return {
        name: _as_row(json.loads(body)) for name, body in zip(parts[1::2], parts[2::2])
    }


def write_seed_study(path, rows):
    """Write ``rows``, a list of dicts with the same keys (``seed`` first), to ``path``
    (a bare file name: under ``data/``)."""
    rows = [_as_row(r) for r in rows]
    if not rows:
        raise ValueError("rows must hold at least one seed's row")
    columns = list(rows[0])
    for r in rows:
        if list(r) != columns:
            raise ValueError(f"every row needs the columns {columns}; got {list(r)}")
    with open(_study_path(path), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([r["seed"]] + [repr(r[c]) for c in columns[1:]])


def read_seed_study(path):
    """{column: (n_seeds,) float array} of a stored study (``seed`` as ints); ``path`` a
    bare file name reads ``data/<path>``."""
    path = _study_path(path)
    if not path.exists():
        raise FileNotFoundError(f"no stored seed study at {path}: run `make seeds`")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    columns, values = rows[0], np.array(rows[1:], dtype=float)
    if columns[0] != "seed" or values.ndim != 2 or values.shape[1] != len(columns):
        raise ValueError(f"{path} needs a header starting with 'seed' and full rows")
    study = {c: values[:, j] for j, c in enumerate(columns)}
    study["seed"] = study["seed"].astype(int)
    return study


def seed_table(study, formats):
    """A stored study as a text table: a header, one line per seed, then the lowest and
    the highest value of each column over the seeds.

    study: as :func:`read_seed_study` returns it; formats: {column: format spec}, in
    the order to print, e.g. ``{"cv": ".4f", "ens 1": ".0f"}``. Columns are
    right-aligned and at least two spaces apart, so a header splits on two spaces.
    """
    missing = [c for c in formats if c not in study]
    if missing:
        raise KeyError(
            f"formats names columns the study does not have: {missing}; "
            f"it has {list(study)}"
        )
    columns = [["seed", *map(str, study["seed"]), "min", "max"]]
    for c, spec in formats.items():
        values = [*study[c], np.min(study[c]), np.max(study[c])]
        columns.append([c, *(format(v, spec) for v in values)])
    widths = [max(map(len, col)) + (2 if j else 0) for j, col in enumerate(columns)]
    return "\n".join(
        "".join(col[i].rjust(w) for col, w in zip(columns, widths))
        for i in range(len(columns[0]))
    )


def grouped_seed_table(study, groups, fmt=".2f", width=8):
    """:func:`seed_table` with short labels under group titles, one format for all.

    groups: [(title, {label: column})], printed side by side, each title centred over
    its columns (chapter 8's tables, whose column names are long); every value is
    formatted with ``fmt`` in a field ``width`` characters wide.
    """
    columns = [c for _, cols in groups for c in cols.values()]
    missing = [c for c in columns if c not in study]
    if missing:
        raise KeyError(
            f"groups name columns the study does not have: {missing}; "
            f"it has {list(study)}"
        )
    labels = [label for _, cols in groups for label in cols]
    lines = [
        " " * 4 + "".join(f"{title:^{width * len(cols)}}" for title, cols in groups),
        f"{'seed':>4}" + "".join(f"{label:>{width}}" for label in labels),
    ]
    rows = [(s, [study[c][k] for c in columns]) for k, s in enumerate(study["seed"])]
    rows += [
        (name, [f(study[c]) for c in columns])
        for name, f in (("min", np.min), ("max", np.max))
    ]
    lines += [
        f"{name:>4}" + "".join(f"{v:>{width}{fmt}}" for v in values)
        for name, values in rows
    ]
    return "\n".join(lines)
