"""Chapter 12's few-label transfer grid over seeds: the rows of
:func:`geonn.studies.image_transfer_run.run_fault_transfer` (and of
:func:`~geonn.studies.image_transfer_run.fault_ceiling`, arm "ceiling") of any
number of seeds, summarised per (N, arm) and paired against scratch.

A paired comparison holds the seed and N fixed, so the two runs share the labelled
sections, the test sections, the head's initial weights and the batches: the
difference arm − scratch is what the encoder's start (and its learning rate) did.
"""

import numpy as np

from .image_transfer_run import ARMS

__all__ = ["transfer_cells", "paired_wins", "fault_transfer_table"]

CEILING = "ceiling"
SCORES = ("f1", "precision", "recall", "iou")


def _rows(rows, key):
    if not isinstance(key, str) or key not in SCORES:
        raise ValueError(f"key must be one of {', '.join(SCORES)}; got {key!r}")
    if not isinstance(rows, (list, tuple)) or not rows:
        raise ValueError("rows must be a non-empty list of run_fault_transfer rows")
    need = {"seed", "n_labels", "arm", key}
    for r in rows:
        if not isinstance(r, dict) or not need <= set(r):
            raise ValueError(
                f"each of rows must be a dict with {sorted(need)}; got {r!r}"
            )
    return rows


def transfer_cells(rows, key="f1"):
    """{(N, arm): {seed: score}} of the grid's rows (the ceiling left out)."""
    out = {}
    for r in _rows(rows, key):
        if r["arm"] != CEILING:
            out.setdefault((int(r["n_labels"]), r["arm"]), {})[int(r["seed"])] = float(
                r[key]
            )
    return out


def paired_wins(rows, key="f1"):
    """{(N, arm): (wins, seeds, differences)} for every arm but scratch: on how many
    of the seeds run with both it scored higher than scratch (same seed, same N),
    and the differences arm − scratch (array, by seed)."""
    cells, out = transfer_cells(rows, key), {}
    for (n, arm), v in cells.items():
        s = cells.get((n, "scratch"))
        if arm == "scratch" or not s:
            continue
        seeds = sorted(set(v) & set(s))
        d = np.array([v[k] - s[k] for k in seeds])
        out[n, arm] = (int(np.sum(d > 0)), len(seeds), d)
    return out


def fault_transfer_table(rows, key="f1"):
    """The grid as text: per arm and N, the median [min, max] over seeds; then, paired
    with scratch, the seeds won and the median difference; then the ceiling."""
    cells, wins = transfer_cells(rows, key), paired_wins(rows, key)
    ns = sorted({n for n, _ in cells})
    arms = [a for a in ARMS if any((n, a) in cells for n in ns)]
    arms += sorted({a for _, a in cells} - set(arms))
    seeds = sorted({int(r["seed"]) for r in rows})

    def line(label, values):
        return f"{label:<10}" + "".join(f"{v:>19}" for v in values)

    name = "F1" if key == "f1" else "IoU" if key == "iou" else key
    lines = [
        f"{name} on the test sections, seeds {seeds}: median [min, max] over seeds",
        line("sections", ns),
    ]
    for a in arms:
        stats = []
        for n in ns:
            v = np.array(list(cells.get((n, a), {}).values()))
            stats.append(
                f"{np.median(v):.2f} [{v.min():.2f}, {v.max():.2f}]" if v.size else "–"
            )
        lines.append(line(a, stats))

    def won(n, a):
        if (n, a) not in wins:
            return "–"
        k, m, d = wins[n, a]
        return f"{k}/{m} {round(float(np.median(d)), 2) + 0.0:+.2f}"  # not -0.00

    if wins:
        lines.append("against scratch, same seed: seeds won, median difference")
        lines += [line(a, [won(n, a) for n in ns]) for a in arms if a != "scratch"]
    top = [r for r in rows if r["arm"] == CEILING]
    if top:
        v = np.array([float(r[key]) for r in top])
        pool = sorted({int(r["n_labels"]) for r in top})
        lines.append(
            f"ceiling (chapter 11's recipe, {'/'.join(map(str, pool))} sections): "
            f"{np.median(v):.2f} [{v.min():.2f}, {v.max():.2f}]"
        )
    return "\n".join(lines)
