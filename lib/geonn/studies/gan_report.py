"""Tables of chapter 10's sample-quality measures, for one run and over seeds.

``make seeds`` runs chapter 10 for seeds 0–4 and stores, per seed, every measure of
:data:`SEED_MEASURES` for every model of :data:`MODELS` in ``data/ch10_seeds.csv``
(``geonn.studies.seed_study``; columns ``"<model> <measure>"``). The chapter reads it
with ``read_seed_study`` and prints :func:`seed_summary`.
"""

import numpy as np

from .gan_metrics import METRICS

__all__ = [
    "MODELS",
    "SEED_MEASURES",
    "TARGETS",
    "FORMATS",
    "score_table",
    "closer",
    "seed_summary",
]

MODELS = ("real vs real", "Gaussian", "plain GAN", "SN GAN")
# the measures of gan_metrics.report, then memorisation()'s ratio and share (q = 0.05)
# and closer_to_train() against the first 1,000 training samples
SEED_MEASURES = METRICS + ("copy ratio", "copy share", "nearer train")
# what a new draw of the data scores on a measure, where that does not depend on the
# seed
TARGETS = {
    "spread f_dom": 1.0,
    "spread RMS": 1.0,
    "copy ratio": 1.0,
    "copy share": 0.05,
    "nearer train": 0.5,
}
FORMATS = {
    "W1": ".3f",
    "spectrum": ".3f",
    "spread f_dom": ".2f",
    "spread RMS": ".2f",
    "1-NN": ".3f",
    "FD": ".3f",
    "copy ratio": ".2f",
    "copy share": ".3f",
    "nearer train": ".3f",
}


def score_table(scores, measures=METRICS):
    """One row per model, one column per measure: ``scores`` is
    {model: {measure: value}}."""
    lines = [f"{'model':<14}" + "".join(f"{m:>14}" for m in measures)]
    for model, row in scores.items():
        lines.append(
            f"{model:<14}" + "".join(f"{row[m]:>14{FORMATS[m]}}" for m in measures)
        )
    return "\n".join(lines)


def closer(row, ref, m):
    """How far a score is from real: from :data:`TARGETS` where a new draw of the data
    has a known score, from the same seed's real-vs-real value ``ref`` for the
    others."""
    target = TARGETS.get(m, ref[m])
    return abs(row[m] - target)


def seed_summary(study, measures=SEED_MEASURES):
    """Per measure: median [lowest, highest] over seeds for each model, and in how many
    seeds the SN GAN is closer to real than the plain GAN (see :func:`closer`).

    study: {"seed": (n,), "<model> <measure>": (n,)}, as ``read_seed_study`` returns
    data/ch10_seeds.csv."""
    missing = [
        f"{model} {m}"
        for model in MODELS
        for m in measures
        if f"{model} {m}" not in study
    ]
    if missing:
        raise KeyError(
            f"study has no column {missing[0]!r} (columns are '<model> <measure>')"
        )
    n = len(study["seed"])
    rows = []
    for m in measures:
        cells = []
        for model in MODELS:
            v, f = np.asarray(study[f"{model} {m}"]), FORMATS[m]
            cells.append(f"{np.median(v):{f}} [{v.min():{f}}, {v.max():{f}}]")
        per_seed = [
            {model: {m: study[f"{model} {m}"][k]} for model in MODELS} for k in range(n)
        ]
        wins = sum(
            closer(s["SN GAN"], s["real vs real"], m)
            < closer(s["plain GAN"], s["real vs real"], m)
            for s in per_seed
        )
        rows.append((m, cells, wins))
    # 22 characters a column, wider if a range needs it (large Fréchet distances)
    w = max([22] + [len(c) + 2 for _, cells, _ in rows for c in cells])
    lines = [
        f"{'measure':<14}" + "".join(f"{m:>{w}}" for m in MODELS) + f"{'SN closer':>11}"
    ]
    lines += [
        f"{m:<14}" + "".join(f"{c:>{w}}" for c in cells) + f"{f'{wins} of {n}':>11}"
        for m, cells, wins in rows
    ]
    return "\n".join(lines)
