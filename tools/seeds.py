"""Run a chapter's seed study: the chapter itself, once per seed; one stored row a seed.

    python tools/seeds.py 09              # chapter 9's study -> data/ch9_seeds.csv
    python tools/seeds.py 06b 08 10       # several chapters
    python tools/seeds.py all             # every study (`make seeds`)
    python tools/seeds.py 12 --retrain    # chapter 12, its networks trained again
    python tools/seeds.py 12 --retrain --seeds 0 1   # some seeds, no study file written

A chapter's seed is set on one line, ``SEED = 9``, of its cell tagged ``parameters``;
every random draw of the chapter derives from it. For every seed of the chapter's study
(``STUDIES``), the notebook is executed with that line set to the seed (papermill's
idea), and without the cells tagged ``seed-skip`` (the spread over the stored seeds, and
work the study does not need). Each cell tagged ``seed-row`` prints the numbers the
chapter keeps for the study, one row per study file
(``geonn.studies.seed_study.print_seed_row``); the rows of all seeds are written to
``data/<file>`` by ``geonn.studies.seed_study.write_seed_study``.

A chapter whose networks take minutes to train (chapter 12) stores them in ``data/``
and loads them; its parameters cell also has ``RETRAIN = False``, which ``--retrain``
sets to True: the chapter then trains them with its own code and stores them again.
``--seeds`` runs some of the study's seeds only (e.g. two processes on two cores); the
study file is written only by a run of all of them.

The chapter's ``assert`` statements check the numbers of its own seed, which another
seed need not meet: the kernel runs with ``PYTHONOPTIMIZE=1``, which skips them.
One BLAS thread, as ``make`` sets, so that the same seeds write the same bytes.
"""

import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from geonn.studies.seed_study import parse_seed_rows, write_seed_study

BOOK = Path(__file__).resolve().parents[1] / "book"
# chapter: (notebook, the seeds of its study; the chapter's own seed among them)
STUDIES = {
    "06b": ("06b_design_and_uncertainty", (0, 1, 2, 3, 4, 5, 6)),
    "07": ("07_reflectivity", (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2018)),
    "08": ("08_convolution", (0, 1, 2, 3, 4, 8)),
    "09": ("09_autoencoders", (0, 1, 2, 3, 4, 9)),
    "10": ("10_gans", (0, 1, 2, 3, 4)),
    "11": ("11_seismic_images", (0, 1, 2, 3, 4, 8)),
    "12": ("12_seismic_dreams", (0, 1, 2, 3, 4)),
}
SEED_LINE = re.compile(r"^SEED = \d+", re.MULTILINE)
RETRAIN_LINE = re.compile(r"^RETRAIN = (True|False)", re.MULTILINE)


def tagged(cell, tag):
    return tag in cell.get("metadata", {}).get("tags", [])


def for_seed(nb, seed, retrain=False):
    """A copy of ``nb`` with ``SEED = seed`` and without the ``seed-skip`` cells; with
    ``retrain``, also ``RETRAIN = True``."""
    copy = nbformat.from_dict(nb)
    copy.cells = [c for c in copy.cells if not tagged(c, "seed-skip")]
    params = [c for c in copy.cells if tagged(c, "parameters")]
    if len(params) != 1:
        raise ValueError(
            f"the notebook needs one cell tagged 'parameters'; it has {len(params)}"
        )
    params[0].source, n = SEED_LINE.subn(f"SEED = {seed}", params[0].source)
    if n != 1:
        raise ValueError("the 'parameters' cell needs one line 'SEED = <integer>'")
    if retrain:
        params[0].source, n = RETRAIN_LINE.subn("RETRAIN = True", params[0].source)
        if n != 1:
            raise ValueError(
                "--retrain needs one line 'RETRAIN = False' in the 'parameters' cell; "
                "this chapter stores no trained networks"
            )
    return copy


def run_seed(path, seed, retrain=False):
    """{file name: row} printed by the ``seed-row`` cells of the chapter, run with
    ``seed`` (and ``retrain``, see :func:`for_seed`)."""
    nb = for_seed(nbformat.read(path, as_version=4), seed, retrain)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    printed = "".join(
        out.get("text", "")
        for cell in nb.cells
        if tagged(cell, "seed-row")
        for out in cell.get("outputs", [])
        if out.get("name") == "stdout"
    )
    rows = parse_seed_rows(printed)
    if not rows:
        raise ValueError(f"{path.name} has no cell tagged 'seed-row' that prints a row")
    wrong = {name: row["seed"] for name, row in rows.items() if row["seed"] != seed}
    if wrong:
        raise ValueError(f"{path.name}, seed {seed}: rows printed for seeds {wrong}")
    return rows


def run_study(chapter, retrain=False, only=None):
    """Run one chapter for every seed of its study (or the seeds ``only``) and write
    its study files (only when every seed ran)."""
    name, seeds = STUDIES[chapter]
    path = BOOK / f"{name}.ipynb"
    unknown = sorted(set(only or ()) - set(seeds))
    if unknown:
        sys.exit(f"seeds {unknown} are not in chapter {chapter}'s study {seeds}")
    rows = {}
    for seed in seeds if only is None else [s for s in seeds if s in only]:
        start = time.perf_counter()
        for study, row in run_seed(path, seed, retrain).items():
            rows.setdefault(study, []).append(row)
        seconds = time.perf_counter() - start
        print(f"{path.name}, seed {seed}: {seconds:.0f} s", flush=True)
    if only is not None and set(only) != set(seeds):
        print(f"not written: the study files of {path.name} (some seeds only)")
        return
    for study, study_rows in rows.items():
        write_seed_study(study, study_rows)
        print(f"written: data/{study}", flush=True)


def main(argv):
    retrain = "--retrain" in argv
    argv = [a for a in argv if a != "--retrain"]
    only = None
    if "--seeds" in argv:
        at = argv.index("--seeds")
        try:
            only = [int(a) for a in argv[at + 1 :]]
        except ValueError:
            sys.exit("--seeds comes last, followed by integer seeds")
        argv = argv[:at]
    chapters = list(STUDIES) if argv == ["all"] else argv
    unknown = [c for c in chapters if c not in STUDIES]
    if not chapters or unknown or only == []:
        sys.exit(f"{__doc__}\nchapters with a seed study: {', '.join(STUDIES)}")
    # skip the chapter's asserts (see above); one BLAS thread, as `make` sets
    os.environ["PYTHONOPTIMIZE"] = "1"
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    for chapter in chapters:
        run_study(chapter, retrain, only)


if __name__ == "__main__":
    main(sys.argv[1:])
