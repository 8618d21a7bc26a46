"""Stored seed studies: one row of measured ratios per seed, in a small CSV file.

A chapter trains on one seed; a script in ``tools/`` re-runs its pipeline over other
seeds, too slow for the page, and stores the results here so that the chapter can
print the spread its text quotes.  Chapter 7's study, ``tools/seeds_ch7.py --save``,
writes ``data/ch7_seeds.csv`` (columns: ``seed`` and the ratios named in the script);
chapter 6b's, ``tools/seeds_ch6b.py --save``, writes ``data/ch6b_seeds.csv``.
"""
import csv
from pathlib import Path

import numpy as np

from geonn.domain.datasets.porosity import DATA_DIR

__all__ = ["CH6B_SEEDS_CSV", "CH7_SEEDS_CSV", "grouped_seed_table", "read_seed_study",
           "seed_table", "write_seed_study"]

CH6B_SEEDS_CSV = Path(DATA_DIR) / "ch6b_seeds.csv"
CH7_SEEDS_CSV = Path(DATA_DIR) / "ch7_seeds.csv"


def write_seed_study(path, rows):
    """Write ``rows``, a list of dicts with the same keys (``seed`` first), to ``path``.

    Floats are written with 17 significant digits, so reading them back is exact.
    """
    if not rows or list(rows[0])[0] != "seed":
        raise ValueError("rows must be a non-empty list of dicts, 'seed' the first key")
    columns = list(rows[0])
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for r in rows:
            if list(r) != columns:
                raise ValueError(f"every row needs the columns {columns}; "
                                 f"got {list(r)}")
            writer.writerow([int(r["seed"])] + [repr(float(r[c])) for c in columns[1:]])


def read_seed_study(path):
    """{column: (n_seeds,) float array} of a stored study; ``seed`` as ints."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no stored seed study at {path}: "
                                "run the script in tools/")
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
        raise KeyError(f"formats names columns the study does not have: {missing}; "
                       f"it has {list(study)}")
    columns = [["seed", *map(str, study["seed"]), "min", "max"]]
    for c, spec in formats.items():
        values = [*study[c], np.min(study[c]), np.max(study[c])]
        columns.append([c, *(format(v, spec) for v in values)])
    widths = [max(map(len, col)) + (2 if j else 0) for j, col in enumerate(columns)]
    return "\n".join("".join(col[i].rjust(w) for col, w in zip(columns, widths))
                     for i in range(len(columns[0])))


def grouped_seed_table(study, groups, fmt=".2f", width=8):
    """:func:`seed_table` with short labels under group titles, one format for all.

    groups: [(title, {label: column})], printed side by side, each title centred over
    its columns (chapter 8's tables, whose column names are long); every value is
    formatted with ``fmt`` in a field ``width`` characters wide.
    """
    columns = [c for _, cols in groups for c in cols.values()]
    missing = [c for c in columns if c not in study]
    if missing:
        raise KeyError(f"groups name columns the study does not have: {missing}; "
                       f"it has {list(study)}")
    labels = [label for _, cols in groups for label in cols]
    lines = [" " * 4 + "".join(f"{title:^{width * len(cols)}}" for title, cols in groups),
             f"{'seed':>4}" + "".join(f"{label:>{width}}" for label in labels)]
    rows = [(s, [study[c][k] for c in columns]) for k, s in enumerate(study["seed"])]
    rows += [(name, [f(study[c]) for c in columns])
             for name, f in (("min", np.min), ("max", np.max))]
    lines += [f"{name:>4}" + "".join(f"{v:>{width}{fmt}}" for v in values)
              for name, values in rows]
    return "\n".join(lines)
