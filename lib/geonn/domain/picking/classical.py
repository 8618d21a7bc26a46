"""Classical first-break pickers and pick errors: STA/LTA (Allen 1978), the energy ratio
(Coppens 1985), per-trace normalisation, a grid-search calibration, RMS and median
errors (ms).

Traces are (..., nt), time last, sampled every ``dt`` s; picks are times in s shaped
like the traces without their last axis, NaN on an all-zero (dead) trace.
"""

import numpy as np

from geonn.core import _checks

from .window import _search

__all__ = [
    "normalise_traces",
    "sta_lta",
    "pick_sta_lta",
    "energy_ratio",
    "pick_energy_ratio",
    "calibrate",
    "rms_ms",
    "median_abs_ms",
]


def _traces(x, who, name="x"):
    """Finite traces (..., nt ≥ 2); at an extreme scale (1e200) divided by a power of
    two, exactly, since every function here is blind to the traces' gain."""
    (x,), _ = _checks.unit_scale(_checks.traces(f"{who}: {name}", x, min_length=2))
    return x


def _samples(name, seconds, dt, nt):
    """A window length in seconds → a whole number of samples in 1..nt."""
    n = int(round(_checks.positive(name, seconds) / dt))
    if not 1 <= n <= nt:
        raise ValueError(
            f"{name} = {seconds:g} s is {n} samples at dt = {dt:g} s; it must be "
            f"between 1 sample and the trace length ({nt} samples)"
        )
    return n


def _trailing_sum(e, n):
    """Σ e over the n samples ending at each sample (fewer at the start), along the
    last axis."""
    c = np.cumsum(e, axis=-1)
    out = c.copy()
    out[..., n:] -= c[..., :-n]
    return out


def _dead(x):
    return ~np.any(x != 0, axis=-1)


def normalise_traces(x):
    """x / RMS(x) per trace, over the last (time) axis; all-zero traces stay zero.

    Shapes (..., nt) → (..., nt). Trace balancing: a network then sees the
    shape of an arrival, not the gain of the trace or its distance from the source.
    """
    x = _traces(x, "normalise_traces")
    rms = np.sqrt(np.mean(x**2, axis=-1, keepdims=True))
    return np.divide(x, rms, out=np.zeros_like(x), where=rms > 0)


def sta_lta(x, dt, sta, lta):
    """Allen's (1978) ratio of short-term to long-term average energy, per sample.

    R[i] = (1/n_s Σ_{j=i−n_s+1..i} x_j²) / (1/n_l Σ_{j=i−n_l+1..i} x_j²), with
    n_s = sta/dt and n_l = lta/dt samples: both windows end at sample i (causal, as on a
    recorder), and both are shorter at the start of the trace, where they hold
    only the samples recorded so far.  x (..., nt) → R (..., nt), dimensionless;
    R = 0 where the long window holds no energy (a dead trace).  Allen's
    characteristic function adds a weighted derivative to x²; we keep x².
    """
    x = _traces(x, "sta_lta")
    dt = _checks.positive("dt", dt)
    nt = x.shape[-1]
    n_s, n_l = _samples("sta", sta, dt, nt), _samples("lta", lta, dt, nt)
    if n_s >= n_l:
        raise ValueError(f"sta ({sta:g} s) must be shorter than lta ({lta:g} s)")
    e = x**2
    count = np.arange(1, nt + 1)
    short = _trailing_sum(e, n_s) / np.minimum(count, n_s)
    long_ = _trailing_sum(e, n_l) / np.minimum(count, n_l)
    return np.divide(
        short, long_, out=np.zeros_like(short), where=long_ > 1e-30 * e.max(initial=0)
    )


def pick_sta_lta(x, dt, sta, lta, threshold, search=None):
    """Time (s) of the first sample whose STA/LTA reaches ``threshold``.

    x (..., nt) → picks (...). A trace whose ratio never reaches the threshold
    is picked at the maximum of its ratio; a dead trace gets NaN. The first
    crossing marks the onset of energy, the event a trigger is built to catch;
    the maximum would come later, once the short window is full of the
    arrival, and can jump to a stronger later reflection. ``search``: a boolean
    mask broadcastable to x (:func:`search_window`), True where the pick may lie;
    the ratio is still computed on the whole trace, so the LTA holds what came before.
    """
    threshold = _checks.number("threshold", threshold, low=1.0, low_open=True)
    x = _traces(x, "pick_sta_lta")
    R = sta_lta(x, dt, sta, lta)
    above = R >= threshold
    if search is not None:
        search = _search(search, x.shape, "pick_sta_lta")
        above, R = above & search, np.where(search, R, -np.inf)
    k = np.where(above.any(axis=-1), np.argmax(above, axis=-1), np.argmax(R, axis=-1))
    return np.where(_dead(x), np.nan, k * dt)


def energy_ratio(x, dt, window, beta=0.01):
    """Coppens' (1985) energy ratio E₁/(E₂ + β) per sample.

    E₁[i] = Σ_{j=i−n+1..i} x_j² over the ``window`` (s) ending at sample i, E₂[i] =
    Σ_{j≤i} x_j² all the energy recorded so far, and the stabilising constant
    β = ``beta`` · Σ_j x_j² (a fraction of the trace's energy, so the ratio does
    not depend on its gain) keeps the first few noisy samples from giving large
    ratios. x (..., nt) → ratio (..., nt) in [0, 1]; 0 on a dead trace.
    """
    x = _traces(x, "energy_ratio")
    dt = _checks.positive("dt", dt)
    beta = _checks.number("beta", beta, low=0.0, low_open=True)
    n = _samples("window", window, dt, x.shape[-1])
    e = x**2
    E2 = np.cumsum(e, axis=-1)
    denom = E2 + beta * E2[..., -1:]
    return np.divide(_trailing_sum(e, n), denom, out=np.zeros_like(e), where=denom > 0)


def pick_energy_ratio(x, dt, window, beta=0.01, search=None):
    """Time (s) of the steepest rise of the energy ratio: argmax_i (ER[i] − ER[i−1]).

    x (..., nt) → picks (...); NaN for a dead trace. The ratio climbs while the
    window fills with the first arrival and drifts down in later energy, since
    E₂ only grows, so its steepest rise marks the onset of the first arrival;
    its maximum would sit about one window later. ``search``: as in
    :func:`pick_sta_lta`, the samples i where the rise may be picked (i ≥ 1).
    """
    x = _traces(x, "pick_energy_ratio")
    rise = np.diff(energy_ratio(x, dt, window, beta), axis=-1)
    if search is not None:
        rise = np.where(
            _search(search, x.shape, "pick_energy_ratio", first=1)[..., 1:],
            rise,
            -np.inf,
        )
    return np.where(_dead(x), np.nan, (np.argmax(rise, axis=-1) + 1) * dt)


def calibrate(picker, settings, x, truth, mask=None):
    """Choose a picker's setting and bias on labelled traces (a grid search).

    ``picker(x, *setting)`` returns picks (s) shaped like ``truth``. For each
    setting the bias is removed by the shift = median(truth − pick) over the
    unmasked traces, and the setting with the lowest RMS error after the shift
    wins. Returns ``(setting, shift)``: apply as ``picker(x_new, *setting) + shift``.
    A picker of the onset of energy picks earlier than the peak of a
    zero-phase wavelet, by an amount the labels know and the picker does not.
    """
    if not callable(picker):
        raise TypeError(
            f"calibrate: picker must be a function picker(x, *setting); got "
            f"{type(picker).__name__}"
        )
    if isinstance(settings, str) or not hasattr(settings, "__iter__"):
        raise TypeError(
            f"calibrate: settings must be a list of tuples, e.g. [(0.01,), (0.02,)]; "
            f"got {type(settings).__name__}"
        )
    settings = list(settings)
    if not settings:
        raise ValueError(
            "calibrate: settings is empty; give at least one setting to try"
        )
    for s in settings:
        if not isinstance(s, (tuple, list)):
            raise TypeError(
                f"calibrate: each setting in settings is a tuple of the picker's "
                f"arguments after x, e.g. ({s!r},) for one; got {type(s).__name__}"
            )
    truth = _checks.array("calibrate: truth", truth, min_ndim=1)
    truth = _checks.finite("calibrate: truth", truth)
    keep = np.ones(truth.shape, bool)
    if mask is not None:
        keep = ~_checks.bool_mask(
            "calibrate: mask", mask, truth.shape, "like truth; True = leave out"
        )
    best = None
    for s in settings:
        p = np.asarray(picker(x, *s))
        if p.shape != truth.shape:
            raise ValueError(
                f"calibrate: picker(x, *{s!r}) returned picks of shape {p.shape} but "
                f"truth has shape {truth.shape}"
            )
        if not np.isfinite((truth - p)[keep]).any():
            raise ValueError(
                f"calibrate: picker(x, *{s!r}) picked no unmasked trace (all NaN: "
                f"dead traces? pass mask=dead)"
            )
        shift = float(np.nanmedian((truth - p)[keep]))
        score = rms_ms(p + shift, truth, mask)
        if best is None or score < best[0]:
            best = (score, tuple(s), shift)
    return best[1], best[2]


def _errors_ms(pick, truth, mask, who):
    pick = _checks.array(f"{who}: pick", pick)
    truth = _checks.finite(f"{who}: truth", _checks.array(f"{who}: truth", truth))
    if pick.shape != truth.shape:
        raise ValueError(
            f"{who}: pick has shape {pick.shape} but truth has shape {truth.shape}"
        )
    keep = np.ones(pick.shape, bool)
    if mask is not None:
        keep = ~_checks.bool_mask(
            f"{who}: mask", mask, pick.shape, "True = leave the trace out"
        )
    if not keep.any():
        raise ValueError(f"{who}: every trace is masked; there is no pick to score")
    err = (pick - truth)[keep]
    if not np.all(np.isfinite(err)):
        raise ValueError(
            f"{who}: {int(np.sum(~np.isfinite(err)))} unmasked pick(s) are NaN or "
            f"inf (dead traces?); pass mask=dead to leave them out"
        )
    return 1e3 * err


def rms_ms(pick, truth, mask=None):
    """RMS pick error √(mean (pick − truth)²) in ms, over the traces where ``mask`` is
    False.

    pick, truth: times in s, same shape; mask: bool, same shape, True for a
    trace to leave out (a dead trace, as in ``numpy.ma``).
    """
    return float(np.sqrt(np.mean(_errors_ms(pick, truth, mask, "rms_ms") ** 2)))


def median_abs_ms(pick, truth, mask=None):
    """Median of |pick − truth| in ms over the unmasked traces: a few wild picks barely
    move it."""
    return float(np.median(np.abs(_errors_ms(pick, truth, mask, "median_abs_ms"))))
