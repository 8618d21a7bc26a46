"""A walk through a generator's latent space, and what changes along it (chapter 12).

A walk runs along a great circle, :func:`geonn.studies.gan.slerp`.

:func:`walk_measures` measures three properties of each image of a walk:

- the dominant dip p (samples per trace, > 0: events deepen towards larger x): the
  dip of the scan p ∈ ``dips`` whose mean semblance 1 − coherence
  (:func:`geonn.domain.faults.coherence`, the window read along p) is largest,
  refined by the parabola through the best dip and its two neighbours;
- the dominant frequency (Hz): the median over the image's traces (columns) of
  :func:`geonn.studies.gan_metrics.dominant_frequency`;
- fault presence: the share of pixels where a fault score (e.g. a trained
  U-Net's ``fault_probability``) exceeds ``threshold``.
"""

from typing import NamedTuple

import numpy as np

from geonn.core import _checks
from geonn.domain.faults import coherence

from .gan_metrics import dominant_frequency

__all__ = ["WalkMeasures", "walk_measures", "dominant_dip", "DIPS"]

DIPS = np.linspace(-1.5, 1.5, 31)  # samples per trace, about ±56° on a square grid


class WalkMeasures(NamedTuple):
    """Per image of a walk, arrays (n,)."""

    dip: np.ndarray  # samples per trace, > 0 deepening towards larger x
    f_dom: np.ndarray  # Hz, median over the traces
    fault: np.ndarray  # share of pixels whose fault score exceeds the threshold


def _images(who, images):
    """images (n, 1, H, W) or (n, H, W) → (n, H, W), finite, no all-zero trace."""
    images = _checks.finite(f"{who} images", _checks.array(f"{who} images", images))
    if images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]
    if images.ndim != 3 or min(images.shape[1:]) < 5 or len(images) == 0:
        raise ValueError(
            f"{who} images must be (n, 1, H, W) or (n, H, W), n ≥ 1, H and W ≥ 5; "
            f"got shape {images.shape}"
        )
    if not np.all(np.any(images, axis=1)):
        raise ValueError(
            f"{who} images hold an all-zero trace (column): it has no dip or frequency"
        )
    return images


def dominant_dip(images, dips=DIPS, window=(9, 15)):
    """(n,) samples per trace: the dip of largest mean semblance (module docstring)
    of each image (n, 1, H, W) or (n, H, W); ``window`` (samples, traces) as in
    :func:`geonn.domain.faults.coherence`. The window is wide because reading a trace
    between samples (linear interpolation) smooths its noise, which raises the
    semblance of every dip off the grid: on noisy, flat layers a window of 5 traces
    found dips of ±0.1, one of 15 traces ±0.03."""
    images = _images("dominant_dip", images)
    dips = _checks.finite("dips", _checks.array("dips", dips, ndim=1))
    if dips.size < 3 or np.any(np.diff(dips) <= 0):
        raise ValueError(
            f"dips must be at least 3 increasing dips (samples per trace); got {dips}"
        )
    S = np.stack(
        [1.0 - coherence(images, window, dips=[p]).mean(axis=(1, 2)) for p in dips],
        axis=1,
    )  # (n, len(dips))
    best = np.empty(len(S))
    for i, row in enumerate(S):
        k = int(np.clip(np.argmax(row), 1, len(dips) - 2))
        a, b, _ = np.polyfit(dips[k - 1 : k + 2], row[k - 1 : k + 2], 2)
        # the parabola's peak, when it has one between the neighbours
        peak = -b / (2 * a) if a < 0 else dips[k]
        best[i] = np.clip(peak, dips[k - 1], dips[k + 1])
    return best


def walk_measures(
    images, dt, fault_score=None, threshold=0.5, dips=DIPS, window=(9, 15)
):
    """Dip, dominant frequency and fault presence of each image (n, 1, H, W) of a walk
    (time down, sample interval ``dt`` s; traces across): a :class:`WalkMeasures`.

    ``fault_score(images (n, 1, H, W)) → (n, H, W)`` scores each pixel, e.g. a
    trained U-Net's ``lambda x: fault_probability(net, x)`` (threshold 0.5) or
    coherence with a threshold tuned on labelled sections; without it ``fault`` is
    NaN. ``dips`` and ``window``: as in :func:`dominant_dip`.
    """
    x = _images("walk_measures", images)
    dt = _checks.positive("walk_measures dt (s)", dt)
    if fault_score is not None and not callable(fault_score):
        raise TypeError(
            "walk_measures fault_score must be a function images → (n, H, W) "
            f"scores; got {type(fault_score).__name__}"
        )
    threshold = _checks.number("walk_measures threshold", threshold)
    n, H, W = x.shape
    traces = x.transpose(0, 2, 1).reshape(n * W, H)
    f = np.median(dominant_frequency(traces, dt).reshape(n, W), axis=1)
    if fault_score is None:
        fault = np.full(n, np.nan)
    else:
        score = np.asarray(fault_score(x[:, None]))
        if score.shape != (n, H, W):
            raise ValueError(
                f"walk_measures fault_score must return scores of shape "
                f"{(n, H, W)}; got {score.shape}"
            )
        fault = np.mean(score > threshold, axis=(1, 2))
    return WalkMeasures(dominant_dip(x, dips, window), f, fault)
