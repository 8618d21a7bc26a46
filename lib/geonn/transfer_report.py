"""The stored transfer-learning grid of chapter 9, section 5: read it, summarise it, plot
it, and re-run part of it live with a saved encoder (:mod:`geonn.transfer` trains).

``tools/transfer_ch9.py`` writes ``data/ch9_transfer.csv`` (columns seed, n_labels,
method, rms_ms, n_params, n_trainable; N counts labelled traces) and one encoder per
seed, ``data/ch9_encoder_seed<seed>.npz`` (``Sequential.save``: arrays, no pickle).
"""
import csv
from pathlib import Path

import numpy as np

from .datasets.porosity import DATA_DIR
from .transfer import METHODS, run_transfer

__all__ = ["CEILING", "TRANSFER_CSV", "encoder_path", "read_transfer", "summarise",
           "transfer_table", "plot_transfer", "live_transfer"]

CEILING = "supervised (ch8 CNN)"
TRANSFER_CSV = Path(DATA_DIR) / "ch9_transfer.csv"


def encoder_path(seed):
    """Where the script saved the pretrained encoder of ``seed``."""
    return Path(DATA_DIR) / f"ch9_encoder_seed{seed}.npz"


def read_transfer(path=None):
    """The rows of the stored grid as dicts (rms_ms a float, counts ints)."""
    path = Path(TRANSFER_CSV if path is None else path)
    if not path.exists():
        raise FileNotFoundError(f"{path} not found; run `python tools/transfer_ch9.py` to make it")
    with open(path, newline="") as fh:
        return [dict(r, seed=int(r["seed"]), n_labels=int(r["n_labels"]), rms_ms=float(r["rms_ms"]),
                     n_params=int(r["n_params"]), n_trainable=int(r["n_trainable"]))
                for r in csv.DictReader(fh)]


def summarise(rows):
    """{method: (N array, median, min, max, n_seeds)} of the RMS error (ms) over seeds;
    the ceiling's N is the median number of its labelled traces."""
    out = {}
    for m in dict.fromkeys(r["method"] for r in rows):
        mine = [r for r in rows if r["method"] == m]
        ns = sorted({r["n_labels"] for r in mine}) if m != CEILING else [None]
        stats = []
        for n in ns:
            v = np.array([r["rms_ms"] for r in mine if n is None or r["n_labels"] == n])
            stats.append((np.median([r["n_labels"] for r in mine]) if n is None else n,
                          np.median(v), v.min(), v.max(), v.size))
        out[m] = tuple(np.array(c) for c in zip(*stats))
    return out


def transfer_table(rows):
    """Median [min, max] RMS pick error (ms) per N and method, 0.1 ms; finetune < scratch
    counts the seeds where fine-tuning beat training from scratch; then the ceiling."""
    seeds = sorted({r["seed"] for r in rows})
    methods = [m for m in METHODS if any(r["method"] == m for r in rows)]
    rms = {}
    for r in rows:
        rms.setdefault((r["n_labels"], r["method"]), {})[r["seed"]] = r["rms_ms"]
    ns = sorted({r["n_labels"] for r in rows if r["method"] in METHODS})
    both = "finetune" in methods and "scratch" in methods
    lines = [f"RMS pick error (ms) over seeds {seeds}: median [min, max]",
             f"{'N traces':>8}" + "".join(f"{m:>20}" for m in methods)
             + (f"{'finetune < scratch':>20}" if both else "")]
    for n in ns:
        cells = [np.array(list(rms[(n, m)].values())) for m in methods]
        line = f"{n:>8}" + "".join(f"{np.median(c):>7.1f} [{c.min():4.1f}, {c.max():4.1f}]"
                                   for c in cells)
        if both:
            f, s = rms[(n, "finetune")], rms[(n, "scratch")]
            line += f"{sum(f[k] < s[k] for k in f):>14} of {len(f)}"
        lines.append(line)
    c = [r for r in rows if r["method"] == CEILING]
    if c:
        v, n = np.array([r["rms_ms"] for r in c]), [r["n_labels"] for r in c]
        lines.append(f"{CEILING}, {min(n)}–{max(n)} traces: {np.median(v):.1f} "
                     f"[{v.min():.1f}, {v.max():.1f}]")
    return "\n".join(lines)


def plot_transfer(rows, ax=None):
    """RMS pick error against N (log–log): median over seeds, min–max band, one line per
    method; the fully supervised ceiling as a horizontal line and band."""
    from matplotlib.ticker import NullFormatter

    from .plotting.style import new_ax
    ax = new_ax(ax)
    stats = summarise(rows)
    for m, marker in zip(METHODS, "os^"):
        if m in stats:
            n, med, lo, hi, k = stats[m]
            line, = ax.plot(n, med, marker=marker, label=m)
            ax.fill_between(n, lo, hi, color=line.get_color(), alpha=0.15, lw=0)
    if CEILING in stats:
        n, med, lo, hi, _ = stats[CEILING]
        ax.axhline(med[0], color="k", ls="--", lw=1,
                   label=f"{CEILING}, {int(n[0]):,} traces")
        ax.axhspan(lo[0], hi[0], color="k", alpha=0.08, lw=0)
    ax.set(xscale="log", yscale="log", xlabel="labelled traces N", ylabel="RMS pick error (ms)",
           title="First breaks with few labels", ylim=(1.5, 300))
    ns = stats[next(m for m in METHODS if m in stats)][0]
    ticks = [v for v in (2, 5, 10, 20, 50, 100) if 1.5 <= v <= 300]
    ax.set_xticks(ns, [str(int(n)) for n in ns])
    ax.set_yticks(ticks, [str(v) for v in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.legend(frameon=False, ncol=2, loc="upper center")
    return ax


def live_transfer(seed=0, n_labels=(30, 300), methods=METHODS):
    """Re-run part of the stored grid with the saved encoder of ``seed`` (no pretraining):
    the rows of :func:`geonn.transfer.run_transfer`, equal to the stored ones."""
    rows, _ = run_transfer(seed, n_labels, methods, encoder=encoder_path(seed))
    return rows
