"""Chapter 12's figures: rows of image patches side by side (real, reconstructed,
generated), F1 against the number of labels for each way of training, and a walk
through a generator's latent space with what changes along it."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

from .style import TEXT_WIDTH, new_ax

__all__ = ["plot_patch_rows", "plot_f1_curves", "plot_walk"]


def _stack(images, name):
    images = np.asarray(images, dtype=float)
    if images.ndim == 4 and images.shape[1] == 1:  # (k, 1, H, W) network images
        images = images[:, 0]
    if images.ndim != 3 or not len(images):
        raise ValueError(
            f"{name} must be images (k, H, W) or (k, 1, H, W); got shape {images.shape}"
        )
    return images


def _show(ax, image, lim):
    ax.imshow(image, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
    ax.set(xticks=[], yticks=[])


def plot_patch_rows(rows, clip=None, height=1.05):
    """A grid of patches, one row per entry of ``rows`` ({label: images (k, H, W) or
    (k, 1, H, W)}), every row on one red-and-blue scale (symmetric about 0, ±``clip``,
    by default three times the RMS of the first row) so amplitudes compare; the
    label is written left of its row. Returns the axes (rows, k)."""
    if not isinstance(rows, dict) or not rows:
        raise ValueError("rows must be a non-empty dict {label: images}")
    stacks = {label: _stack(v, f"rows[{label!r}]") for label, v in rows.items()}
    k = max(len(v) for v in stacks.values())
    first = next(iter(stacks.values()))
    lim = clip or 3 * float(np.sqrt(np.mean(first**2))) or 1.0
    fig, axes = plt.subplots(
        len(stacks),
        k,
        figsize=(TEXT_WIDTH, height * len(stacks) + 0.2),
        squeeze=False,
        layout="constrained",
    )
    for r, (label, images) in enumerate(stacks.items()):
        for c in range(k):
            if c < len(images):
                _show(axes[r, c], images[c], lim)
            else:
                axes[r, c].axis("off")
        axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center")
    return axes


def plot_f1_curves(summary, ceiling=None, ax=None, styles=None):
    """F1 against the number of labelled sections N (log axis): the median over
    seeds as a line and the seeds' range as a band, one per way of training.

    summary: {arm: (N, median, low, high)} arrays over N; ceiling: (median, low,
    high) of the fully supervised network, drawn as a dashed line and band;
    styles: {arm: colour}.
    """
    if not isinstance(summary, dict) or not summary:
        raise ValueError("summary must be a non-empty dict {arm: (N, med, lo, hi)}")
    ax = new_ax(ax, figsize=(TEXT_WIDTH, 3.6))
    for k, (arm, (n, med, lo, hi)) in enumerate(summary.items()):
        colour = (styles or {}).get(arm, f"C{k}")
        ax.plot(n, med, marker="os^Dv"[k % 5], color=colour, label=arm)
        ax.fill_between(n, lo, hi, color=colour, alpha=0.15, lw=0)
    if ceiling is not None:
        med, lo, hi = ceiling
        ax.axhline(med, color="k", ls="--", lw=1, label="fully supervised")
        ax.axhspan(lo, hi, color="k", alpha=0.08, lw=0)
    n = next(iter(summary.values()))[0]
    ax.set_xscale("log")
    ax.set_xticks(n, [str(int(v)) for v in n])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set(xlabel="labelled sections N", ylabel="F1 on the test sections")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, ncols=2, loc="lower right")
    return ax


def plot_walk(images, measures, every=1):
    """A walk through latent space: the decoded images in a strip (every
    ``every``-th of them), and below, one panel per measured property against the
    step along the walk.

    images: (k, H, W) or (k, 1, H, W); measures: {label: values (k,)}. Returns
    (strip axes, measure axes).
    """
    images = _stack(images, "images")
    if not isinstance(measures, dict) or not measures:
        raise ValueError("measures must be a non-empty dict {label: values}")
    k = len(images)
    for label, v in measures.items():
        if np.shape(v) != (k,):
            raise ValueError(
                f"measures[{label!r}] must have one value per image ({k},); got "
                f"shape {np.shape(v)}"
            )
    shown = np.arange(0, k, every)
    fig = plt.figure(
        figsize=(TEXT_WIDTH, 1.2 + 1.1 * len(measures)), layout="constrained"
    )
    top, bottom = fig.subfigures(2, 1, height_ratios=(1.2, 1.1 * len(measures)))
    strip = top.subplots(1, len(shown), squeeze=False)[0]
    lim = 3 * float(np.sqrt(np.mean(images**2))) or 1.0
    for ax, j in zip(strip, shown):
        _show(ax, images[j], lim)
        ax.set_title(str(j), fontsize=9)
    panels = bottom.subplots(len(measures), 1, sharex=True, squeeze=False)[:, 0]
    for ax, (label, v) in zip(panels, measures.items()):
        ax.plot(np.arange(k), v, "o-", ms=3, color="k")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    panels[-1].set_xlabel("step along the walk")
    return strip, panels
