"""First-break picking: classical pickers, pick errors and a small 1-D CNN picker (chapter 8).

Traces are arrays (..., nt) with the time axis last, sampled every ``dt``
seconds; picks are times in seconds, shaped like the traces without their
last axis, NaN where a trace holds nothing to pick (all zeros: a dead trace).

- :func:`sta_lta`, :func:`pick_sta_lta`: short-term over long-term average of
  the energy x² (Allen 1978), picked where it first crosses a threshold.
- :func:`energy_ratio`, :func:`pick_energy_ratio`: energy of a short window over
  all the energy so far (Coppens 1985), picked where it rises most steeply.
- :func:`rms_ms`, :func:`median_abs_ms`: pick errors in milliseconds;
  :func:`calibrate`: a picker's setting and bias from labelled traces.
- :func:`normalise_traces`: per-trace scaling to unit RMS.
- :func:`cnn_picker`, :func:`gaussian_labels`, :func:`pick_from_logits`,
  :func:`cnn_pick`: the network treats picking as classification over the nt
  samples of a trace.
"""
import numpy as np

from . import _checks
from .layers import Activation, Conv1D, Dense, Flatten, MaxPool1D
from .network import Sequential

__all__ = ["normalise_traces", "sta_lta", "pick_sta_lta", "energy_ratio", "pick_energy_ratio",
           "rms_ms", "median_abs_ms", "calibrate", "gaussian_labels", "pick_from_logits",
           "cnn_picker", "cnn_pick"]


def _traces(x, who):
    x = _checks.finite(f"{who}: x", _checks.array(f"{who}: x", x, min_ndim=1))
    if x.shape[-1] < 2:
        raise ValueError(f"{who}: traces need at least 2 samples on the last axis; "
                         f"got shape {x.shape}")
    return x


def _samples(name, seconds, dt, nt):
    """A window length in seconds → a whole number of samples in 1..nt."""
    n = int(round(_checks.positive(name, seconds) / dt))
    if not 1 <= n <= nt:
        raise ValueError(f"{name} = {seconds:g} s is {n} samples at dt = {dt:g} s; it must be "
                         f"between 1 sample and the trace length ({nt} samples)")
    return n


def _trailing_sum(e, n):
    """Σ e over the n samples ending at each sample (fewer at the start), along the last axis."""
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
    rms = np.sqrt(np.mean(x ** 2, axis=-1, keepdims=True))
    return np.divide(x, rms, out=np.zeros_like(x), where=rms > 0)


def sta_lta(x, dt, sta, lta):
    """Allen's (1978) ratio of short-term to long-term average energy, per sample.

    R[i] = (1/n_s Σ_{j=i−n_s+1..i} x_j²) / (1/n_l Σ_{j=i−n_l+1..i} x_j²), with n_s = sta/dt
    and n_l = lta/dt samples: both windows end at sample i (causal, as on a
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
    e = x ** 2
    count = np.arange(1, nt + 1)
    short = _trailing_sum(e, n_s) / np.minimum(count, n_s)
    long_ = _trailing_sum(e, n_l) / np.minimum(count, n_l)
    return np.divide(short, long_, out=np.zeros_like(short), where=long_ > 1e-30 * e.max(initial=0))


def pick_sta_lta(x, dt, sta, lta, threshold):
    """Time (s) of the first sample whose STA/LTA reaches ``threshold``.

    x (..., nt) → picks (...). A trace whose ratio never reaches the threshold
    is picked at the maximum of its ratio; a dead trace gets NaN. The first
    crossing marks the onset of energy, the event a trigger is built to catch;
    the maximum would come later, once the short window is full of the
    arrival, and can jump to a stronger later reflection.
    """
    threshold = _checks.number("threshold", threshold, low=1.0, low_open=True)
    x = _traces(x, "pick_sta_lta")
    R = sta_lta(x, dt, sta, lta)
    above = R >= threshold
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
    e = x ** 2
    E2 = np.cumsum(e, axis=-1)
    denom = E2 + beta * E2[..., -1:]
    return np.divide(_trailing_sum(e, n), denom, out=np.zeros_like(e), where=denom > 0)


def pick_energy_ratio(x, dt, window, beta=0.01):
    """Time (s) of the steepest rise of the energy ratio: argmax_i (ER[i] − ER[i−1]).

    x (..., nt) → picks (...); NaN for a dead trace. The ratio climbs while the
    window fills with the first arrival and drifts down in later energy, since
    E₂ only grows, so its steepest rise marks the onset of the first arrival;
    its maximum would sit about one window later.
    """
    x = _traces(x, "pick_energy_ratio")
    rise = np.diff(energy_ratio(x, dt, window, beta), axis=-1)
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
    settings = list(settings)
    if not settings:
        raise ValueError("calibrate needs at least one setting to try")
    keep = slice(None) if mask is None else ~np.asarray(mask, bool)
    best = None
    for s in settings:
        p = np.asarray(picker(x, *s))
        shift = float(np.nanmedian((truth - p)[keep]))
        score = rms_ms(p + shift, truth, mask)
        if best is None or score < best[0]:
            best = (score, tuple(s), shift)
    return best[1], best[2]


def _errors_ms(pick, truth, mask, who):
    pick = _checks.array(f"{who}: pick", pick)
    truth = _checks.finite(f"{who}: truth", _checks.array(f"{who}: truth", truth))
    if pick.shape != truth.shape:
        raise ValueError(f"{who}: pick has shape {pick.shape} but truth has shape {truth.shape}")
    keep = np.ones(pick.shape, bool)
    if mask is not None:
        mask = np.asarray(mask)
        if mask.dtype != bool or mask.shape != pick.shape:
            raise ValueError(f"{who}: mask must be a boolean array of shape {pick.shape} (True = "
                             f"leave the trace out); got {mask.dtype} of shape {mask.shape}")
        keep = ~mask
    if not keep.any():
        raise ValueError(f"{who}: every trace is masked; there is no pick to score")
    err = (pick - truth)[keep]
    if not np.all(np.isfinite(err)):
        raise ValueError(f"{who}: {int(np.sum(~np.isfinite(err)))} unmasked pick(s) are NaN or "
                         f"inf (dead traces?); pass mask=dead to leave them out")
    return 1e3 * err


def rms_ms(pick, truth, mask=None):
    """RMS pick error √(mean (pick − truth)²) in ms, over the traces where ``mask`` is False.

    pick, truth: times in s, same shape; mask: bool, same shape, True for a
    trace to leave out (a dead trace, as in ``numpy.ma``).
    """
    return float(np.sqrt(np.mean(_errors_ms(pick, truth, mask, "rms_ms") ** 2)))


def median_abs_ms(pick, truth, mask=None):
    """Median of |pick − truth| in ms over the unmasked traces: a few wild picks barely move it."""
    return float(np.median(np.abs(_errors_ms(pick, truth, mask, "median_abs_ms"))))


def gaussian_labels(first_break, t, sigma):
    """Soft labels p[..., j] ∝ exp(−(t_j − t_fb)² / 2σ²), each row summing to 1.

    first_break (...) s, t (nt,) s, sigma (s) → (..., nt): a target for a
    softmax over the samples of a trace that is not all on one sample, so a
    pick one sample off costs little and a pick between samples is possible.
    """
    fb = _checks.finite("first_break", _checks.array("first_break", first_break))
    t = _checks.array("t", t, ndim=1)
    sigma = _checks.positive("sigma", sigma)
    if np.any(fb < t[0]) or np.any(fb > t[-1]):
        raise ValueError(f"first_break must lie inside the trace ({t[0]:g}–{t[-1]:g} s); "
                         f"got {fb.min():g}–{fb.max():g} s")
    logits = -0.5 * ((t - fb[..., None]) / sigma) ** 2
    p = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return p / p.sum(axis=-1, keepdims=True)


def pick_from_logits(z, dt):
    """Pick time (s) from per-sample logits: argmax k, refined by the parabola through
    z[k−1], z[k], z[k+1]:  k + ½ (z[k−1] − z[k+1]) / (z[k−1] − 2 z[k] + z[k+1]).

    z (..., nt) → picks (...). The logits are log-probabilities up to a
    constant, and the log of a Gaussian is a parabola, so for a Gaussian-shaped
    output the refinement is exact. At the first or last sample, k itself.
    """
    z = _traces(z, "pick_from_logits")
    dt = _checks.positive("dt", dt)
    k = np.argmax(z, axis=-1)
    inner = np.clip(k, 1, z.shape[-1] - 2)[..., None]
    zm, z0, zp = (np.take_along_axis(z, inner + d, axis=-1)[..., 0] for d in (-1, 0, 1))
    curv = zm - 2 * z0 + zp
    shift = np.divide(0.5 * (zm - zp), curv, out=np.zeros_like(curv), where=curv < 0)
    shift = np.where(inner[..., 0] == k, np.clip(shift, -0.5, 0.5), 0.0)
    return (k + shift) * dt


def cnn_picker(nt, rng, channels=(8, 16), kernel_size=9, in_channels=1, dtype=float):
    """A 1-D CNN that scores every sample of a trace: (n, 1, nt) → logits (n, nt).

    Each stage is Conv1D (kernel_size, 'same') → ReLU → MaxPool1D(2), which finds
    wavelet-shaped energy and halves the length; a last Dense layer maps the
    features of the whole trace, (channels[-1] · nt / 2^stages), to one logit per
    sample, so every pick sees the whole trace: "first" arrival is a statement
    about what came before. Train with SoftmaxCrossEntropy on
    :func:`gaussian_labels`; pick with :func:`pick_from_logits`.
    """
    nt = _checks.integer("nt", nt, low=2)
    _checks.rng(rng, "cnn_picker")
    if not channels or any(isinstance(c, bool) or not isinstance(c, (int, np.integer)) or c < 1
                           for c in channels):
        raise ValueError(f"channels must be a non-empty sequence of positive integers; "
                         f"got {channels!r}")
    if nt % 2 ** len(channels):
        raise ValueError(f"nt = {nt} must be divisible by 2^{len(channels)} = {2 ** len(channels)} "
                         f"(one pooling by 2 per stage)")
    layers, c_in = [], _checks.integer("in_channels", in_channels)
    for c in channels:
        layers += [Conv1D(c_in, int(c), kernel_size, rng=rng, init="he", dtype=dtype),
                   Activation("relu"), MaxPool1D(2)]
        c_in = int(c)
    n_features = c_in * nt // 2 ** len(channels)
    layers += [Flatten(), Dense(n_features, nt, rng=rng, init="glorot", dtype=dtype)]
    return Sequential(layers)


def cnn_pick(net, x, dt, batch_size=500):
    """Picks (s) of a trained :func:`cnn_picker` on inputs x (n, channels, nt) → (n,).

    The logits are computed ``batch_size`` traces at a time: a Conv1D holds its
    im2col windows, C_in · k numbers per output sample, so one pass over
    thousands of traces would need hundreds of MB for no gain.
    """
    x = _checks.array("cnn_pick: x", x, ndim=3)
    batch_size = _checks.integer("batch_size", batch_size)
    logits = np.concatenate([net.predict(x[i:i + batch_size])
                             for i in range(0, len(x), batch_size)])
    return pick_from_logits(logits, dt)
