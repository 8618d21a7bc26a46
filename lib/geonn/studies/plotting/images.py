"""Seismic images (chapter 11): sections with fault masks, hits and misses of a fault
detector, 2-D kernels, pick errors by class of trace, recall against false alarms."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb

from geonn.domain.faults import fault_hits

from .style import TEXT_WIDTH, WIDE, new_ax

__all__ = [
    "plot_section",
    "plot_fault_hits",
    "plot_kernels_2d",
    "plot_class_errors",
    "plot_recall_curves",
]

# hits, misses and false alarms: colours that stay apart for colour-blind readers
HIT, MISS, ALARM = "#1b9e77", "#d95f02", "#7570b3"


def _image(x, name="x"):
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"{name} must be one image (H, W); got shape {x.shape}")
    return x


def plot_section(x, ax=None, dt=0.002, title=None, mask=None, clip=None):
    """A section (H, W), time (ms) down, traces across, in red and blue (symmetric
    about 0, clipped at ``clip`` or the largest |x|); ``mask`` (H, W) bool is drawn
    on top in black (a fault label)."""
    x = _image(x)
    ax = new_ax(ax, figsize=(3.4, 3.4))
    lim = clip or np.abs(x).max() or 1.0
    extent = (-0.5, x.shape[1] - 0.5, 1e3 * dt * (x.shape[0] - 0.5), -1e3 * dt / 2)
    ax.imshow(x, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto", extent=extent)
    if mask is not None:
        mask = _image(mask, "mask") > 0
        overlay = np.zeros((*mask.shape, 4))
        overlay[mask] = (0, 0, 0, 1)
        ax.imshow(overlay, aspect="auto", extent=extent, interpolation="nearest")
    ax.set(xlabel="trace", ylabel="time (ms)", title=title)
    return ax


def plot_fault_hits(x, truth, pred, ax=None, dt=0.002, tolerance=1, title=None):
    """A section in grey with a fault detector's result on top: hits (predicted
    within ``tolerance`` pixels of a true fault), misses (true fault pixels with no
    prediction within ``tolerance``) and false alarms (the other predictions)."""
    x, truth, pred = _image(x), _image(truth, "truth") > 0, _image(pred, "pred") > 0
    ax = new_ax(ax, figsize=(3.4, 3.4))
    lim = np.abs(x).max() or 1.0
    extent = (-0.5, x.shape[1] - 0.5, 1e3 * dt * (x.shape[0] - 0.5), -1e3 * dt / 2)
    ax.imshow(x, cmap="gray", vmin=-lim, vmax=lim, aspect="auto", extent=extent)

    colours = {"hit": HIT, "miss": MISS, "false alarm": ALARM}
    for label, mask in fault_hits(pred, truth, tolerance).items():
        colour = colours[label]
        overlay = np.zeros((*mask.shape, 4))
        overlay[mask] = (*to_rgb(colour), 1.0)
        ax.imshow(overlay, aspect="auto", extent=extent, interpolation="nearest")
        ax.plot([], [], "s", color=colour, label=label)  # a legend entry
    ax.set(xlabel="trace", ylabel="time (ms)", title=title)
    return ax


def plot_kernels_2d(W, axes=None, titles=None, xlabel=None):
    """Kernels W (k, kh, kw) as images in a row of axes, each in red and blue
    symmetric about 0 at its own scale; returns the axes."""
    W = np.asarray(W, dtype=float)
    if W.ndim != 3:
        raise ValueError(f"W must be (kernels, kh, kw); got shape {W.shape}")
    if axes is None:
        _, axes = plt.subplots(1, len(W), figsize=(TEXT_WIDTH, 1.6), squeeze=False)
        axes = axes[0]
    if len(axes) != len(W):
        raise ValueError(f"{len(W)} kernels need {len(W)} axes; got {len(axes)}")
    for k, (ax, w) in enumerate(zip(axes, W)):
        lim = np.abs(w).max() or 1.0
        ax.imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
        ax.set(xticks=[], yticks=[])
        if titles is not None:
            ax.set_title(titles[k], fontsize=10)
    if xlabel:
        axes[len(axes) // 2].set_xlabel(xlabel)
    return axes


def plot_class_errors(scores, ax=None, styles=None):
    """Grouped bars of the RMS pick error (ms, log scale) by class of trace.

    scores: {method: {class: (RMS, median, % gross)}} (``pick_scores``); a method
    with no pick in a class (NaN) gets no bar there. styles: {method: colour}.
    """
    ax = new_ax(ax, figsize=WIDE)
    methods = list(scores)
    classes = list(next(iter(scores.values())))
    width = 0.8 / len(methods)
    for m, method in enumerate(methods):
        rms = np.array([scores[method][c][0] for c in classes], dtype=float)
        x = np.arange(len(classes)) - 0.4 + width * (m + 0.5)
        colour = (styles or {}).get(method, f"C{m}")
        ax.bar(x, np.nan_to_num(rms), width, color=colour, label=method)
    ax.set_yscale("log")
    ax.set_xticks(np.arange(len(classes)), classes)
    ax.set(ylabel="RMS pick error (ms)")
    ax.grid(alpha=0.3, axis="y", which="both")
    return ax


def plot_recall_curves(curves, ax=None, marks=None):
    """Recall against false-alarm rate, one curve per method.

    curves: {method: (false-alarm rates, recalls)}; marks: {label: (rate, recall)}
    drawn as points (the thresholds chosen on the training sections).
    """
    ax = new_ax(ax, figsize=WIDE)
    for k, (method, (fa, recall)) in enumerate(curves.items()):
        ax.plot(100 * np.asarray(fa), recall, "o-", ms=3, color=f"C{k}", label=method)
    for k, (label, (fa, recall)) in enumerate((marks or {}).items()):
        ax.plot(100 * fa, recall, "*", ms=12, color=f"C{k + len(curves)}", label=label)
    ax.set(xlabel="false alarms (% of background pixels)", ylabel="recall")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return ax
