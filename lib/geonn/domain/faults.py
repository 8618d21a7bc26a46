"""Faults on seismic sections, the classical way: a coherence attribute, its threshold
tuned on training sections, and the scores of a fault mask (chapter 11).

Sections are (n, H, W) or (H, W): time down, traces across. :func:`coherence` is
1 − semblance over a small window, scanned over the local dip of the layers
(Marfurt et al., 1998): where the reflections continue from trace to trace it is
near 0, where a fault breaks them it rises towards 1.

Thin labels (a fault is one or two pixels wide) are scored with a tolerance of
``t`` pixels, as is usual for edges: a predicted pixel is a hit if a true fault
pixel lies within t pixels (in both directions: a (2t+1) × (2t+1) square), a true
pixel is found if a predicted pixel lies within t of it. Then

    precision P = hits / predicted,   recall R = found / true,
    F1 = 2PR / (P + R),   IoU = PR / (P + R − PR)

(with t = 0, IoU = |pred ∩ true| / |pred ∪ true| and F1 = 2 IoU / (1 + IoU)), and
the false-alarm rate is the fraction of background pixels (farther than t from
every fault pixel) that are predicted. Counts are pooled over all the sections.
"""

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from geonn.core import _checks

from .processing import bandpass

__all__ = [
    "FaultScores",
    "Tuned",
    "bandpass_sections",
    "coherence",
    "fault_scores",
    "fault_hits",
    "tune_threshold",
    "threshold_at_false_alarm",
]


class FaultScores(NamedTuple):
    """Scores of a predicted fault mask against the true one (module docstring)."""

    precision: float
    recall: float
    f1: float
    iou: float
    false_alarm: float  # fraction of the background pixels predicted as fault


def _sections(name, x):
    x = _checks.finite(name, _checks.array(name, x))
    if x.ndim not in (2, 3):
        raise ValueError(f"{name} must be (n, H, W) or (H, W) sections; got {x.shape}")
    return x


def _odd(name, value, low):
    k = _checks.integer(name, value, low=low)
    if k % 2 == 0:
        raise ValueError(f"{name} must be odd (a window centred on its pixel); got {k}")
    return k


def coherence(x, window=(9, 5), dips=(0.0,)):
    """Discontinuity attribute 1 − semblance, (n, H, W) → (n, H, W) in [0, 1].

    For each pixel, a window of K samples × J traces (``window`` = (K, J), both odd)
    centred on it, each trace j (offset o = j − J//2) read along a dip p samples
    per trace, u_o(k) = x(z + k + p o, x + o) (linear interpolation in time):

        S_p = Σ_k (Σ_o u_o(k))² / (J Σ_k Σ_o u_o(k)²),   coherence = 1 − max_p S_p,

    p in ``dips`` (Marfurt et al., 1998). Edges repeat the border trace/sample; a
    window without signal (all zero) counts as coherent (0). A scan over dips keeps
    steeply dipping layers coherent, but it can also line the window up across a
    fault whose throw looks like a dip: choose ``window`` and ``dips`` on training
    sections, like the threshold (:func:`tune_threshold`).
    """
    x = _sections("x", x)
    (x,), _ = _checks.unit_scale(x)  # a ratio of squares: 1e200² would overflow
    if not (isinstance(window, (tuple, list)) and len(window) == 2):
        raise ValueError(f"window must be a pair (samples, traces); got {window!r}")
    K, J = _odd("window[0]", window[0], 1), _odd("window[1]", window[1], 3)
    dips = _checks.finite("dips", _checks.array("dips", dips, ndim=1))
    if dips.size == 0:
        raise ValueError("dips must list at least one dip (samples per trace)")
    H = x.shape[-2]
    if np.abs(dips).max() > H:  # the window would read far outside the section
        raise ValueError(
            f"dips must lie within ±{H} samples per trace (the sections' height); "
            f"got {np.abs(dips).max():g}"
        )
    one = x.ndim == 2
    x = x[None] if one else x
    n, H, W = x.shape
    h = J // 2
    pad_z = K // 2 + int(np.ceil(np.abs(dips).max() * h)) + 1
    xp = np.pad(x, ((0, 0), (pad_z, pad_z), (h, h)), mode="edge")
    z = np.arange(H + K - 1) + pad_z - K // 2  # the rows the window sums run over
    best = np.zeros((n, H, W))
    for p in dips:
        total = np.zeros((n, z.size, W))
        power = np.zeros_like(total)
        for o in range(-h, h + 1):
            zo = z + p * o  # a dip read as a fractional shift of trace o
            i = np.floor(zo).astype(int)
            w = (zo - i)[None, :, None]
            trace = xp[:, :, h + o : h + o + W]
            u = (1 - w) * trace[:, i] + w * trace[:, i + 1]
            total += u
            power += u**2
        num = sliding_window_view(total**2, K, axis=1).sum(-1)
        den = J * sliding_window_view(power, K, axis=1).sum(-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.where(den > 0, num / den, 1.0)
        best = np.maximum(best, s)
    c = 1.0 - np.clip(best, 0.0, 1.0)
    return c[0] if one else c


def bandpass_sections(x, dt, corners=(5.0, 10.0, 60.0, 80.0)):
    """Band-pass every trace (column) of sections (n, H, W) with
    :func:`geonn.domain.processing.bandpass` (trapezoid ``corners`` in Hz): noise
    outside the wavelet's band only lowers the semblance of the layers."""
    x = _sections("x", x)
    flat = np.moveaxis(x, -1, -2).reshape(-1, x.shape[-2])
    out = bandpass(flat, dt, corners).reshape(*x.shape[:-2], x.shape[-1], x.shape[-2])
    return np.moveaxis(out, -1, -2)


def _masks(pred, truth, name="pred"):
    pred = _checks.finite(name, _checks.array(name, pred))
    truth = _checks.array("truth", truth)
    for who, a in ((name, pred), ("truth", truth)):
        if a.ndim not in (2, 3):
            raise ValueError(f"{who} must be (n, H, W) or (H, W); got {a.shape}")
    if pred.shape != truth.shape:
        raise ValueError(
            f"{name} and truth must have the same shape; got {pred.shape} and "
            f"{truth.shape}"
        )
    if not np.all((truth == 0) | (truth == 1)):
        raise ValueError("truth must be a mask of 0/1 or False/True values")
    return pred, truth.astype(bool)


def _dilate(a, t):
    """Maximum of ``a`` over the (2t+1) × (2t+1) square around each pixel
    (the last two axes)."""
    if t == 0:
        return a
    lowest = False if a.dtype == bool else -np.inf
    for axis in (-2, -1):
        pad = [(0, 0)] * a.ndim
        pad[axis] = (t, t)
        a = np.pad(a, pad, constant_values=lowest)
        a = sliding_window_view(a, 2 * t + 1, axis=axis).max(-1)
    return a


def _ratio(a, b, empty):
    return a / b if b > 0 else empty


def _scores(hits, n_pred, found, n_true, alarms, n_background):
    P = _ratio(hits, n_pred, float(n_true == 0))
    R = _ratio(found, n_true, float(n_pred == 0))
    f1 = 2 * P * R / (P + R) if P + R > 0 else 0.0
    iou = P * R / (P + R - P * R) if P * R > 0 else 0.0
    return FaultScores(P, R, f1, iou, _ratio(alarms, n_background, 0.0))


def _pred_mask(pred, truth, tolerance):
    pred, truth = _masks(pred, truth)
    if not np.all((pred == 0) | (pred == 1)):
        bad = pred[(pred != 0) & (pred != 1)].flat[0]
        raise ValueError(
            f"pred must be a mask of 0/1 or False/True values (threshold a score "
            f"first: score > θ); found {bad:g}"
        )
    return pred != 0, truth, _checks.integer("tolerance", tolerance, low=0)


def fault_hits(pred, truth, tolerance=1):
    """The pixels :func:`fault_scores` counts, as boolean masks shaped like ``pred``:
    "hit" (predicted within ``tolerance`` pixels of a true fault pixel), "miss" (true
    fault pixels with no prediction within ``tolerance``) and "false alarm" (the
    other predictions). Arguments as for :func:`fault_scores`.
    """
    pred, truth, t = _pred_mask(pred, truth, tolerance)
    near = _dilate(truth, t)
    return {
        "hit": pred & near,
        "miss": truth & ~_dilate(pred, t),
        "false alarm": pred & ~near,
    }


def fault_scores(pred, truth, tolerance=1):
    """Precision, recall, F1, IoU and false-alarm rate of a fault mask.

    pred, truth : (n, H, W) or (H, W) masks, boolean (or 0/1): a score is refused,
    threshold it first (``score > θ``); ``tolerance`` t ≥ 0 in pixels (module
    docstring). With nothing to find
    (no true pixel), recall is 1 if nothing is predicted and 0 otherwise; with
    nothing predicted, precision is 1 if there is nothing to find, 0 otherwise.
    """
    pred, truth, t = _pred_mask(pred, truth, tolerance)
    near = _dilate(truth, t)
    return _scores(
        int(np.sum(pred & near)),
        int(pred.sum()),
        int(np.sum(truth & _dilate(pred, t))),
        int(truth.sum()),
        int(np.sum(pred & ~near)),
        int(np.sum(~near)),
    )


class Tuned(NamedTuple):
    """The threshold of the best F1, its scores, and the F1 of every candidate."""

    threshold: float
    scores: FaultScores
    thresholds: np.ndarray  # (m,) candidates
    f1: np.ndarray  # (m,)


def tune_threshold(score, truth, tolerance=1, n_thresholds=200):
    """The threshold θ maximising F1 of the mask ``score > θ`` on these sections.

    Call it on TRAINING sections, then apply θ to held-out ones. Candidates: the
    ``n_thresholds`` quantiles of ``score`` at levels 0.5 … 0.9995 (faults are a
    few % of the pixels). All are scored at once: a pixel is a hit when
    score > θ and it lies within t of a fault; a true pixel is found when the
    largest score within t of it exceeds θ.
    """
    score, truth = _masks(score, truth, "score")
    t = _checks.integer("tolerance", tolerance, low=0)
    m = _checks.integer("n_thresholds", n_thresholds)
    if not truth.any():
        raise ValueError(
            "truth holds no fault pixel: every threshold has F1 = 0, so there is "
            "nothing to tune; tune on sections with faults"
        )
    near = _dilate(truth, t)
    levels = np.linspace(0.5, 0.9995, m)
    theta = np.unique(np.quantile(score, levels, method="lower"))  # actual scores

    def above(values):  # how many of values exceed each θ
        return values.size - np.searchsorted(np.sort(values), theta, side="right")

    hits, n_pred = above(score[near]), above(score.ravel())
    found = above(_dilate(score, t)[truth])
    alarms = above(score[~near])
    rows = [
        _scores(*c, int(truth.sum()), alarms[i], int(np.sum(~near)))
        for i, c in enumerate(zip(hits, n_pred, found, strict=True))
    ]
    f1 = np.array([r.f1 for r in rows])
    best = int(np.argmax(f1))
    return Tuned(float(theta[best]), rows[best], theta, f1)


def threshold_at_false_alarm(score, truth, rate, tolerance=1):
    """The threshold θ at which ``score > θ`` flags a fraction ``rate`` of the
    background pixels (farther than ``tolerance`` from every fault pixel).

    Thresholding two methods at the same rate compares their recall (and F1) at a
    matched false-alarm rate, whatever the scale of their scores.
    """
    score, truth = _masks(score, truth, "score")
    rate = _checks.number("rate", rate, low=0.0, high=1.0, low_open=True)
    t = _checks.integer("tolerance", tolerance, low=0)
    background = score[~_dilate(truth, t)]
    if background.size == 0:
        raise ValueError("truth leaves no background pixel to measure false alarms on")
    return float(np.quantile(background, 1.0 - rate))
