"""Reading the course's small data files with errors that name the file, the row
and the expected value (shared by the loaders in :mod:`geonn.domain.datasets`)."""

import csv
from pathlib import Path

import numpy as np

__all__ = ["read_csv", "check_range", "load_map"]


def read_csv(path, columns, default):
    """``(path, {column: float64 array})`` from a CSV with a header row; ``default``
    is the path used when ``path`` is None.  Blank lines and a UTF-8 byte-order
    mark are skipped; a short row, text in a number column, NaN or inf raise."""
    path = Path(default if path is None else path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found; run `python data/make_data.py` to make it"
        )
    # utf-8-sig: a byte-order mark (Excel's UTF-8 export) is not part of the header
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = [
                r for r in csv.reader(f) if any(c.strip() for c in r)
            ]  # skip blank lines
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{path} is not UTF-8 text (byte {err.start}: {err.reason}); "
            "save it as UTF-8 CSV"
        ) from None
    if not rows:
        raise ValueError(f"{path} is empty; expected the columns {', '.join(columns)}")
    header = [h.strip() for h in rows[0]]
    if len(rows) == 1:
        raise ValueError(
            f"{path} has a header but no data rows; expected rows of "
            f"{', '.join(columns)}"
        )
    for i, r in enumerate(rows[1:], start=1):
        if len(r) != len(header):
            raise ValueError(
                f"{path}: data row {i} has {len(r)} field(s) but the header has "
                f"{len(header)} ({', '.join(header)})"
            )
    out = {}
    for name in columns:
        if name not in header:
            raise ValueError(
                f"{path}: missing column '{name}' (found {', '.join(header)}; "
                f"expected {', '.join(columns)})"
            )
        j = header.index(name)
        try:
            values = np.array([float(r[j]) for r in rows[1:]], dtype=float)
        except ValueError:
            i = next(i for i, r in enumerate(rows[1:], 1) if not _is_number(r[j]))
            raise TypeError(
                f"{path}: column '{name}' must hold numbers (float); data row {i} "
                f"has {rows[i][j]!r}"
            ) from None
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise ValueError(
                f"{path}: column '{name}' has {bad.size} NaN or inf value(s), "
                f"the first in data row {bad[0] + 1}"
            )
        out[name] = values
    return path, out


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def check_range(path, name, values, lo, hi, hint):
    if values.min() < lo or values.max() > hi:
        raise ValueError(
            f"{path}: column '{name}' spans {values.min():g} to {values.max():g}, "
            f"outside [{lo:g}, {hi:g}]; {hint}"
        )


def load_map(path, default, what):
    """``(path, 2-D float64 array)`` from an ``np.save`` file, checked: not pickled,
    not an .npz, float, 2-D, finite.  ``what`` names the map in the errors."""
    path = Path(default if path is None else path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found; run `python data/make_data.py` to make it"
        )
    try:
        a = np.load(path, allow_pickle=False)
    except (OSError, EOFError, ValueError) as err:  # truncated, garbage, pickled
        raise ValueError(
            f"{path} is not a readable .npy array ({err}); re-make it with "
            "`python data/make_data.py`"
        ) from err
    if not isinstance(a, np.ndarray):
        a.close()
        raise ValueError(
            f"{path} is an .npz archive; the {what} map is one .npy array "
            "(np.save), as data/make_data.py writes it"
        )
    if a.dtype.kind != "f":
        raise TypeError(f"{path}: the {what} map must be float; got dtype {a.dtype}")
    if a.ndim != 2:
        raise ValueError(
            f"{path}: the {what} map must be 2-D (ny, nx); got shape {a.shape}"
        )
    bad = np.argwhere(~np.isfinite(a))
    if bad.size:
        raise ValueError(
            f"{path}: the {what} map has {len(bad)} NaN or inf cell(s), the first "
            f"at [iy, ix] = {tuple(int(i) for i in bad[0])}"
        )
    return path, a.astype(float, copy=False)
