"""Stored seed studies: one row of measured ratios per seed, in a small CSV file.

A chapter trains on one seed; a script in ``tools/`` re-runs its pipeline over other
seeds, too slow for the page, and stores the results here so that the chapter can
print the spread its text quotes.  Chapter 7's study, ``tools/seeds_ch7.py --save``,
writes ``data/ch7_seeds.csv`` (columns: ``seed`` and the ratios named in the script).
"""
import csv
from pathlib import Path

import numpy as np

from .datasets.porosity import DATA_DIR

__all__ = ["CH7_SEEDS_CSV", "read_seed_study", "write_seed_study"]

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
