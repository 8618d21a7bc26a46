"""The stored transfer-learning grid of chapter 9, section 5: read it, summarise it,
plot it, and re-run part of it live with a saved encoder
(:mod:`geonn.studies.transfer_run`).

``tools/transfer_ch9.py`` writes ``data/ch9_transfer.csv`` (columns seed, n_labels,
n_gathers, method, rms_ms, median_ms, n_params, n_trainable; N counts labelled
traces, n_gathers the labelled gathers they come from) and, per seed, the pretrained
encoders ``data/ch9_encoder_seed<seed>.npz`` and ``data/ch9_encoder_bn_seed<seed>.npz``
(the bottlenecked autoencoder's; ``Sequential.save``: arrays, no pickle).
"""

import csv
from pathlib import Path

import numpy as np

from geonn.domain.datasets.porosity import DATA_DIR

from .transfer import METHODS, RECIPES
from .transfer_run import run_transfer

__all__ = [
    "CEILING",
    "TRANSFER_CSV",
    "GATHER",
    "encoder_path",
    "read_transfer",
    "summarise",
    "transfer_table",
    "error_table",
    "plot_transfer",
    "plot_against_scratch",
    "live_transfer",
]

CEILING = "supervised (ch8 CNN)"
TRANSFER_CSV = Path(DATA_DIR) / "ch9_transfer.csv"
GATHER = 32  # traces per gather: N / GATHER is N in whole gathers
_INTS = ("seed", "n_labels", "n_gathers", "n_params", "n_trainable")


def encoder_path(seed, kind="plain"):
    """Where the script saved the encoder of ``seed`` pretrained by the plain
    (``kind="plain"``) or the bottlenecked (``"bottleneck"``) autoencoder."""
    if kind not in ("plain", "bottleneck"):
        raise ValueError(f"kind must be 'plain' or 'bottleneck'; got {kind!r}")
    bn = "_bn" if kind == "bottleneck" else ""
    return Path(DATA_DIR) / f"ch9_encoder{bn}_seed{seed}.npz"


def read_transfer(path=None):
    """The rows of the stored grid as dicts (errors in ms as floats, counts as ints)."""
    path = Path(TRANSFER_CSV if path is None else path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found; run `python tools/transfer_ch9.py` to make it"
        )
    with open(path, newline="") as fh:
        return [
            dict(
                r,
                **{k: int(r[k]) for k in _INTS},
                **{k: float(r[k]) for k in ("rms_ms", "median_ms")},
            )
            for r in csv.DictReader(fh)
        ]


def _cells(rows, key="rms_ms"):
    """{(N, method): {seed: value}} of the picker rows (the ceiling left out)."""
    out = {}
    for r in rows:
        if r["method"] != CEILING:
            out.setdefault((r["n_labels"], r["method"]), {})[r["seed"]] = r[key]
    return out


def _methods(rows):
    return [m for m in RECIPES if any(r["method"] == m for r in rows)]


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
            stats.append(
                (
                    np.median([r["n_labels"] for r in mine]) if n is None else n,
                    np.median(v),
                    v.min(),
                    v.max(),
                    v.size,
                )
            )
        out[m] = tuple(np.array(c) for c in zip(*stats))
    return out


def transfer_table(rows, methods=None):
    """RMS pick error (ms) per method and N: the median over seeds with, for every
    method but scratch, on how many seeds it beat scratch (same seed, same N); then
    the range over seeds; N also counted in gathers; then the ceiling."""
    methods = methods or _methods(rows)
    rms, seeds = _cells(rows), sorted({r["seed"] for r in rows})
    ns = sorted({n for n, _ in rms})
    gathers = {
        n: [
            r["n_gathers"]
            for r in rows
            if r["n_labels"] == n and r["method"] != CEILING
        ]
        for n in ns
    }
    lines = [
        f"RMS pick error (ms) over seeds {seeds}: median (seeds on which it beat "
        "scratch)",
        f"{'labelled traces N':<20}" + "".join(f"{n:>12}" for n in ns),
        f"{'  = whole gathers':<20}" + "".join(f"{n / GATHER:>12.1f}" for n in ns),
        f"{'  from gathers':<20}"
        + "".join(
            f"{f'{min(g)}–{max(g)}' if min(g) < max(g) else str(g[0]):>12}"
            for g in gathers.values()
        ),
    ]
    for m in methods:
        cells = []
        for n in ns:
            v, s = rms[n, m], rms.get((n, "scratch"), {})
            wins = (
                f" ({sum(v[k] < s[k] for k in v)}/{len(v)})"
                if s and m != "scratch"
                else ""
            )
            cells.append(f"{np.median(list(v.values())):.1f}{wins}")
        lines.append(f"{m:<20}" + "".join(f"{c:>12}" for c in cells))
    lines.append("range over seeds (min–max)")
    for m in methods:
        lines.append(
            f"{m:<20}"
            + "".join(
                f"{f'{min(rms[n, m].values()):.1f}–{max(rms[n, m].values()):.1f}':>12}"
                for n in ns
            )
        )
    c = [r for r in rows if r["method"] == CEILING]
    if c:
        v, n = np.array([r["rms_ms"] for r in c]), [r["n_labels"] for r in c]
        lines.append(
            f"{CEILING}, {min(n)}–{max(n)} traces of {c[0]['n_gathers']} "
            "gathers: "
            f"{np.median(v):.1f} [{v.min():.1f}, {v.max():.1f}]"
        )
    return "\n".join(lines)


def error_table(rows, n_labels, methods=None):
    """At one N: RMS and median |error| (ms) of each method, median [min, max] over
    seeds."""
    methods = methods or _methods(rows)
    lines = [
        f"N = {n_labels} labelled traces: median over seeds [min, max], ms",
        f"{'':<14}{'RMS error':>20}{'median |error|':>22}",
    ]
    for m in methods + ([CEILING] if any(r["method"] == CEILING for r in rows) else []):
        mine = [
            r
            for r in rows
            if r["method"] == m and (m == CEILING or r["n_labels"] == n_labels)
        ]
        cells = [np.array([r[k] for r in mine]) for k in ("rms_ms", "median_ms")]
        lines.append(
            f"{m if m != CEILING else 'supervised':<14}"
            + "".join(
                f"{np.median(v):>{w}.1f} [{v.min():4.1f}, {v.max():4.1f}]"
                for v, w in zip(cells, (8, 10))
            )
        )
    return "\n".join(lines)


def plot_transfer(rows, ax=None, methods=METHODS):
    """RMS pick error against N (log–log): median over seeds, min–max band, one line per
    method; the fully supervised ceiling as a horizontal line and band."""
    from matplotlib.ticker import NullFormatter

    from .plotting.style import new_ax

    ax = new_ax(ax)
    stats = summarise(rows)
    for m, marker in zip(methods, "os^Dv<>p"):
        if m in stats:
            n, med, lo, hi, k = stats[m]
            (line,) = ax.plot(n, med, marker=marker, label=m)
            ax.fill_between(n, lo, hi, color=line.get_color(), alpha=0.15, lw=0)
    if CEILING in stats:
        n, med, lo, hi, _ = stats[CEILING]
        ax.axhline(
            med[0], color="k", ls="--", lw=1, label=f"{CEILING}, {int(n[0]):,} traces"
        )
        ax.axhspan(lo[0], hi[0], color="k", alpha=0.08, lw=0)
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="labelled traces N",
        ylabel="RMS pick error (ms)",
        title="First breaks with few labels",
        ylim=(1.5, 300),
    )
    ns = stats[next(m for m in methods if m in stats)][0]
    ticks = [v for v in (2, 5, 10, 20, 50, 100) if 1.5 <= v <= 300]
    ax.set_xticks(ns, [str(int(n)) for n in ns])
    ax.set_yticks(ticks, [str(v) for v in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.legend(frameon=False, ncol=2, loc="upper center")
    return ax


def plot_against_scratch(rows, methods, ax=None):
    """Each method's RMS error divided by scratch's on the same seed and N (log scale):
    one small marker per seed, the median over seeds as a line; below 1, it beat
    scratch."""
    from matplotlib.ticker import NullFormatter

    from .plotting.style import new_ax

    ax = new_ax(ax)
    rms = _cells(rows)
    ns = np.array(sorted({n for n, _ in rms}))
    for i, (m, marker) in enumerate(zip(methods, "os^Dv<>p")):
        ratio = np.array(
            [
                [rms[n, m][k] / rms[n, "scratch"][k] for k in sorted(rms[n, m])]
                for n in ns
            ]
        )  # (N, seeds)
        x = ns * 1.06 ** (i - (len(methods) - 1) / 2)  # side by side
        (line,) = ax.plot(x, np.median(ratio, axis=1), marker=marker, label=m)
        ax.plot(
            np.repeat(x, ratio.shape[1]),
            ratio.ravel(),
            ls="none",
            marker=marker,
            ms=3,
            alpha=0.5,
            color=line.get_color(),
        )
    ax.axhline(1.0, color="k", lw=1)
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="labelled traces N",
        ylabel="RMS error / scratch's (same seed)",
        title="Against training from scratch",
    )
    ax.set_xticks(ns, [str(int(n)) for n in ns])
    ticks = [0.25, 0.5, 1, 2, 4]
    ax.set_yticks(ticks, [f"{v:g}" for v in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.legend(frameon=False, ncol=2, loc="upper center")
    return ax


def live_transfer(seed=0, n_labels=(30, 300), methods=METHODS):
    """Re-run part of the stored grid with the saved encoders of ``seed`` (no
    pretraining): the rows of :func:`geonn.studies.transfer_run.run_transfer`, equal to
    the stored ones."""
    kinds = {RECIPES[m][0] for m in methods}
    rows, _ = run_transfer(
        seed, n_labels, methods, encoders={k: encoder_path(seed, k) for k in kinds}
    )
    return rows
