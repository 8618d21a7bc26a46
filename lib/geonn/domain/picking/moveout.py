"""A robust straight line through the picks of each gather: the classical fix for
lateral continuity (chapter 11).

A first arrival with linear moveout comes at t = t₀ + offset / v on every trace of a
gather. A per-trace picker errs on noisy traces and picks nothing on dead ones; a
practitioner fits the line to the picks of the whole gather, robustly, so that the
bad picks do not drag it, and reads the first break off the line:

1. start: Theil–Sen, the slope b = 1/v the median of the slopes between every
   pair of picked traces, t₀ the median of t − b·offset (robust to ~29 % bad picks);
2. iteratively reweighted least squares: weights w(r/(cσ)) of the residuals r,
   σ = 1.4826 · median |r| (the MAD, floored at ``min_scale``), then weighted least
   squares for (t₀, b), ``n_iter`` times. Tukey's biweight w(u) = (1 − u²)² for
   |u| < 1, else 0 (c = 4.685: a pick farther than cσ is ignored); Huber's
   w(u) = min(1, 1/|u|) (c = 1.345: far picks only count less).

Times in s, offsets in m (any consistent units work); NaN picks (dead traces) are
left out of the fit.
"""

import contextlib
import warnings
from typing import NamedTuple

import numpy as np

from geonn.core import _checks

__all__ = ["MoveoutFit", "fit_linear_moveout"]

_C = {"tukey": 4.685, "huber": 1.345}  # 95 % efficiency on Gaussian residuals


class MoveoutFit(NamedTuple):
    """The line of each gather and the picks read off it; (n, n_traces) or (n,)."""

    picks: np.ndarray  # t₀ + b·offset on every trace, dead ones included
    cleaned: np.ndarray  # the pick where its weight is > 0, else the line's
    t0: np.ndarray  # (n,) intercept, s
    slowness: np.ndarray  # (n,) b = 1/v, s/m
    v: np.ndarray  # (n,) 1/b, m/s (inf or negative if the picks say so)
    weights: np.ndarray  # final IRLS weights, 0 on NaN picks and rejected ones
    scale: np.ndarray  # (n,) σ, the robust spread of the residuals, s


def _weights(u, loss):
    a = np.abs(u)
    if loss == "tukey":
        return np.where(a < 1.0, (1.0 - np.minimum(a, 1.0) ** 2) ** 2, 0.0)
    return 1.0 / np.maximum(a, 1.0)


def _wls(t, x, w):
    """Weighted least squares of t = t₀ + b x per row; NaN where < 2 distinct x."""
    sw = w.sum(-1)
    xm = (w * x).sum(-1) / sw
    tm = (w * t).sum(-1) / sw
    dx = x - xm[:, None]
    b = (w * dx * (t - tm[:, None])).sum(-1) / (w * dx**2).sum(-1)
    return tm - b * xm, b


def _mad(r):
    """1.4826 · median |r| over the live picks (r NaN on the dead ones): over all of
    them, so that rejecting picks does not shrink σ and reject more."""
    return 1.4826 * np.nanmedian(np.abs(r), axis=-1)


@contextlib.contextmanager
def _quiet():
    """A gather without two picks is NaN throughout: no warning for its NaN medians
    and 0/0."""
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def fit_linear_moveout(
    picks, offset, *, loss="tukey", c=None, n_iter=20, min_scale=0.0005
):
    """Fit t = t₀ + offset / v robustly to the picks of each gather.

    picks : (n, n_traces) s, NaN where nothing was picked; offset : (n_traces,) or
    (n, n_traces) m. ``loss`` "tukey" (default) or "huber", ``c`` its constant in
    units of σ (default 4.685 or 1.345), ``min_scale`` the floor of σ in s (0.5
    ms: a few exact picks must not make every other pick an outlier). A gather
    with fewer than two picks at distinct offsets gets NaN; offsets that do not
    vary along a gather are refused. Returns a
    :class:`MoveoutFit` (equations in the module docstring).
    """
    t = _checks.rows("picks", _checks.array("picks", picks, ndim=2))
    if t.shape[1] < 2:
        raise ValueError(
            f"picks must hold at least 2 traces per gather (a line needs two "
            f"picks); got shape {t.shape}"
        )
    if np.any(np.isinf(t)):
        raise ValueError("picks must be finite times or NaN (no pick); got inf")
    x = _checks.finite("offset", _checks.array("offset", offset))
    if x.shape not in (t.shape[-1:], t.shape):
        raise ValueError(
            f"offset must be (n_traces,) = {t.shape[-1:]} or (n, n_traces) = "
            f"{t.shape}, like picks; got {x.shape}"
        )
    x = np.broadcast_to(x, t.shape)
    same = np.flatnonzero(np.ptp(x, axis=-1) == 0)
    if same.size:
        raise ValueError(
            f"offset must vary along each gather (a line needs two distinct "
            f"offsets); gather {same[0]} has every offset {x[same[0], 0]:g}"
        )
    # offsets of 1e200 m: the products b·x and x² are formed at unit scale, exactly
    (x,), e = _checks.unit_scale(x)
    if not isinstance(loss, str) or loss not in _C:
        raise ValueError(f'loss must be "tukey" or "huber"; got {loss!r}')
    c = _C[loss] if c is None else _checks.positive("c", c)
    n_iter = _checks.integer("n_iter", n_iter, low=0)
    min_scale = _checks.positive("min_scale", min_scale)
    live = np.isfinite(t)

    # Theil–Sen start: pairs (i < j) of live traces at distinct offsets
    d_t, d_x = t[:, None, :] - t[:, :, None], x[:, None, :] - x[:, :, None]
    pair = np.triu(np.ones(t.shape[-1:] * 2, bool), 1) & (d_x != 0)
    pair &= live[:, None, :] & live[:, :, None]
    with _quiet():
        b = np.nanmedian(np.where(pair, d_t / d_x, np.nan).reshape(len(t), -1), -1)
        t0 = np.nanmedian(t - b[:, None] * x, axis=-1)
        w = live.astype(float)
        for _ in range(n_iter):
            r = t - (t0[:, None] + b[:, None] * x)
            scale = np.maximum(_mad(r), min_scale)
            w = np.where(
                live, _weights(np.nan_to_num(r) / (c * scale[:, None]), loss), 0
            )
            t0, b = _wls(np.nan_to_num(t), x, w)
        r = t - (t0[:, None] + b[:, None] * x)
        scale = np.maximum(_mad(r), min_scale)
        line = t0[:, None] + b[:, None] * x
        b = np.ldexp(b, -e)  # the slowness of the offsets as given
        v = 1.0 / b
    cleaned = np.where(w > 0, t, line)
    return MoveoutFit(line, cleaned, t0, b, v, w, scale)
