"""Make the course's data files from the seeded generators in ``geonn.domain.datasets``.

    python data/make_data.py                    # every data set, into data/
    python data/make_data.py --only porosity    # one data set
    python data/make_data.py --out /tmp/check   # somewhere else (the tests do this)

Floats are written with 17 significant digits (CSV) or as raw float64 (.npy),
so reading a file back gives exactly the generated numbers.
"""

import argparse
import csv
from pathlib import Path

import numpy as np

from geonn.domain.datasets import porosity

SEEDS = {"porosity": 6}  # one seed per data set: the chapter number


def write_csv(path, columns):
    """Write ``{name: 1-D array}`` as a CSV with a header row."""
    names = list(columns)
    with open(path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(names)
        for row in zip(*(columns[n] for n in names)):
            out.writerow([f"{float(v):.17g}" for v in row])


def write_porosity(out):
    """Chapter 6: wells, AI map, true porosity map, 1-D porosity-depth series."""
    d = porosity.generate_porosity_data(seed=SEEDS["porosity"])
    write_csv(out / "porosity_wells.csv", d["wells"])
    np.save(out / "ai_map.npy", d["ai_map"])
    np.save(out / "porosity_map.npy", d["porosity_map"])
    write_csv(out / "porosity_depth_1d.csv", d["depth"])
    return [
        "porosity_wells.csv",
        "ai_map.npy",
        "porosity_map.npy",
        "porosity_depth_1d.csv",
    ]


WRITERS = {"porosity": write_porosity}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="output folder (default: data/)",
    )
    parser.add_argument(
        "--only",
        choices=sorted(WRITERS),
        action="append",
        help="make only this data set (repeatable)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.only or sorted(WRITERS):
        for file in WRITERS[name](args.out):
            print(f"{name}: wrote {args.out / file}")


if __name__ == "__main__":
    main()
