"""Tables of chapter 10's sample-quality measures, for one run and over seeds.

``tools/seeds_ch10.py`` re-runs the chapter's trace GAN, without and with spectral
normalisation, for seeds 0–4 and writes ``data/ch10_seeds.csv`` (columns seed, model,
measure, value; one row per seed, model and measure of :data:`SEED_MEASURES`). The chapter
reads it with :func:`read_seed_study` and prints :func:`seed_summary`.
"""
import csv
from pathlib import Path

import numpy as np

from geonn.domain.datasets.porosity import DATA_DIR

from .gan_metrics import METRICS

__all__ = ["MODELS", "SEED_MEASURES", "TARGETS", "FORMATS", "SEEDS_CSV", "score_table", "closer",
           "write_seed_study", "read_seed_study", "seed_summary"]

MODELS = ("real vs real", "Gaussian", "plain GAN", "SN GAN")
# the measures of gan_metrics.report, then memorisation()'s ratio and share (q = 0.05) and
# closer_to_train() against the first 1,000 training samples
SEED_MEASURES = METRICS + ("copy ratio", "copy share", "nearer train")
# what a new draw of the data scores on a measure, where that does not depend on the seed
TARGETS = {"spread f_dom": 1.0, "spread RMS": 1.0, "copy ratio": 1.0, "copy share": 0.05,
           "nearer train": 0.5}
FORMATS = {"W1": ".3f", "spectrum": ".3f", "spread f_dom": ".2f", "spread RMS": ".2f",
           "1-NN": ".3f", "FD": ".3f", "copy ratio": ".2f", "copy share": ".3f",
           "nearer train": ".3f"}
SEEDS_CSV = Path(DATA_DIR) / "ch10_seeds.csv"


def score_table(scores, measures=METRICS):
    """One row per model, one column per measure: ``scores`` is {model: {measure: value}}."""
    lines = [f"{'model':<14}" + "".join(f"{m:>14}" for m in measures)]
    for model, row in scores.items():
        lines.append(f"{model:<14}" + "".join(f"{row[m]:>14{FORMATS[m]}}" for m in measures))
    return "\n".join(lines)


def closer(row, ref, m):
    """How far a score is from real: from :data:`TARGETS` where a new draw of the data has
    a known score, from the same seed's real-vs-real value ``ref`` for the others."""
    target = TARGETS.get(m, ref[m])
    return abs(row[m] - target)


def write_seed_study(path, all_scores):
    """Write {seed: {model: {measure: value}}} as CSV rows (17 significant digits)."""
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["seed", "model", "measure", "value"])
        for seed, scores in all_scores.items():
            for model, row in scores.items():
                for m in SEED_MEASURES:
                    w.writerow([seed, model, m, f"{row[m]:.17g}"])


def read_seed_study(path=None):
    """{seed: {model: {measure: value}}} from the CSV of :func:`write_seed_study`; checks that
    every seed has every model and measure."""
    path = Path(SEEDS_CSV if path is None else path)
    if not path.exists():
        raise FileNotFoundError(f"{path} not found; run `python tools/seeds_ch10.py --save`")
    out = {}
    with open(path, newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(int(r["seed"]), {}).setdefault(r["model"], {})[r["measure"]] = \
                float(r["value"])
    for seed, scores in out.items():
        if set(scores) != set(MODELS) or any(set(v) != set(SEED_MEASURES) for v in scores.values()):
            raise ValueError(f"{path}: seed {seed} does not have every model {MODELS} and "
                             f"measure {SEED_MEASURES}")
    return out


def seed_summary(all_scores, measures=SEED_MEASURES):
    """Per measure: median [lowest, highest] over seeds for each model, and in how many
    seeds the SN GAN is closer to real than the plain GAN (see :func:`closer`)."""
    lines = [f"{'measure':<14}" + "".join(f"{m:>22}" for m in MODELS) + f"{'SN closer':>11}"]
    for m in measures:
        cells = []
        for model in MODELS:
            v = np.array([s[model][m] for s in all_scores.values()])
            f = FORMATS[m]
            cells.append(f"{np.median(v):{f}} [{v.min():{f}}, {v.max():{f}}]")
        wins = sum(closer(s["SN GAN"], s["real vs real"], m)
                   < closer(s["plain GAN"], s["real vs real"], m) for s in all_scores.values())
        lines.append(f"{m:<14}" + "".join(f"{c:>22}" for c in cells)
                     + f"{f'{wins} of {len(all_scores)}':>11}")
    return "\n".join(lines)
