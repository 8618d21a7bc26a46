"""The CNN first-break picker: classification over the nt samples of a trace, with
Gaussian soft labels, a softmax cross-entropy, and a parabola-refined argmax."""

import numpy as np

from geonn.core import _checks
from geonn.core.layers import Activation, Conv1D, Dense, Flatten, MaxPool1D
from geonn.core.network import Sequential

from .classical import _traces, normalise_traces

__all__ = [
    "picker_inputs",
    "gaussian_labels",
    "pick_from_logits",
    "cnn_picker",
    "cnn_pick",
]


def picker_inputs(x, offset=None):
    """One example per trace: gathers x (n, n_traces, nt) → (n·n_traces, channels, nt).

    Channel 0 is the trace divided by its RMS (:func:`normalise_traces`). With
    ``offset`` (n_traces,) in m, channel 1 holds offset / max offset, constant
    along the trace: a picker that sees one trace at a time learns from it when
    to expect the first arrival.
    """
    x = normalise_traces(_checks.array("picker_inputs: x", x, ndim=3))
    channels = [x]
    if offset is not None:
        who = "picker_inputs: offset"
        offset = _checks.finite(who, _checks.array(who, offset, ndim=1))
        if offset.shape != (x.shape[1],) or not np.max(np.abs(offset)) > 0:
            raise ValueError(
                f"picker_inputs: offset needs one non-zero distance per trace, shape "
                f"({x.shape[1]},); got {offset.shape}"
            )
        channels.append(
            np.broadcast_to((offset / np.max(np.abs(offset)))[:, None], x.shape)
        )
    return np.stack(channels, axis=2).reshape(-1, len(channels), x.shape[-1])


def gaussian_labels(first_break, t, sigma):
    """Soft labels p[..., j] ∝ exp(−(t_j − t_fb)² / 2σ²), each row summing to 1.

    first_break (...) s, t (nt,) s, sigma (s) → (..., nt): a target for a
    softmax over the samples of a trace that is not all on one sample, so a
    pick one sample off costs little and a pick between samples is possible.
    """
    fb = _checks.finite("first_break", _checks.array("first_break", first_break))
    t = _checks.finite("t", _checks.rows("t", _checks.array("t", t, ndim=1), 2))
    if np.any(np.diff(t) <= 0):
        raise ValueError("t must be the increasing sample times of the trace (s)")
    sigma = _checks.positive("sigma", sigma)
    if np.any(fb < t[0]) or np.any(fb > t[-1]):
        raise ValueError(
            f"first_break must lie inside the trace, t = {t[0]:g}–{t[-1]:g} s; "
            f"got {fb.min():g}–{fb.max():g} s"
        )
    with np.errstate(over="ignore", invalid="ignore"):  # refused below
        logits = -0.5 * ((t - fb[..., None]) / sigma) ** 2
        p = np.exp(logits - logits.max(axis=-1, keepdims=True))
    if not np.all(np.isfinite(p)):
        raise ValueError(
            f"gaussian_labels: (t − first_break)/sigma overflows: t spans "
            f"{t[0]:g}–{t[-1]:g} s but sigma is {sigma:g} s"
        )
    return p / p.sum(axis=-1, keepdims=True)


def pick_from_logits(z, dt):
    """Pick time (s) from per-sample logits: argmax k, refined by the parabola through
    z[k−1], z[k], z[k+1]:  k + ½ (z[k−1] − z[k+1]) / (z[k−1] − 2 z[k] + z[k+1]).

    z (..., nt) → picks (...). The logits are log-probabilities up to a
    constant, and the log of a Gaussian is a parabola, so for a Gaussian-shaped
    output the refinement is exact. At the first or last sample, k itself.
    """
    z = _traces(z, "pick_from_logits", "z")
    dt = _checks.positive("dt", dt)
    k = np.argmax(z, axis=-1)
    inner = np.clip(k, 1, z.shape[-1] - 2)[..., None]
    zm, z0, zp = (np.take_along_axis(z, inner + d, axis=-1)[..., 0] for d in (-1, 0, 1))
    curv = zm - 2 * z0 + zp
    shift = np.divide(0.5 * (zm - zp), curv, out=np.zeros_like(curv), where=curv < 0)
    shift = np.where(inner[..., 0] == k, np.clip(shift, -0.5, 0.5), 0.0)
    return (k + shift) * dt


def cnn_picker(nt, rng, channels=(8, 16), kernel_size=9, in_channels=1, dtype=float):
    """A 1-D CNN that scores every sample of a trace: (n, in_channels, nt) → logits
    (n, nt).

    Each stage is Conv1D (kernel_size, 'same') → ReLU → MaxPool1D(2), which finds
    wavelet-shaped energy and halves the length; a last Dense layer maps the
    features of the whole trace, (channels[-1] · nt / 2^stages), to one logit per
    sample, so every pick sees the whole trace: "first" arrival is a statement
    about what came before. Train with SoftmaxCrossEntropy on
    :func:`gaussian_labels`; pick with :func:`pick_from_logits`.
    """
    nt = _checks.integer("nt", nt, low=2)
    _checks.rng(rng, "cnn_picker")
    channels = _checks.sizes("cnn_picker channels", channels, min_len=1)
    if nt % 2 ** len(channels):
        raise ValueError(
            f"nt = {nt} must be divisible by 2^{len(channels)} = {2 ** len(channels)} "
            f"(one pooling by 2 per stage)"
        )
    layers, c_in = [], _checks.integer("in_channels", in_channels)
    for c in channels:
        layers += [
            Conv1D(c_in, c, kernel_size, rng=rng, init="he", dtype=dtype),
            Activation("relu"),
            MaxPool1D(2),
        ]
        c_in = c
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
    _checks.finite("cnn_pick: x", _checks.rows("cnn_pick: x", x))
    dt = _checks.positive("cnn_pick: dt", dt)
    batch_size = _checks.integer("cnn_pick: batch_size", batch_size)
    _check_fits(net, x)
    logits = np.concatenate(
        [net.predict(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]
    )
    return pick_from_logits(logits, dt)


def _check_fits(net, x):
    """Refuse inputs x (n, channels, nt) of another shape than the picker was built
    for, naming that shape, before a layer deep inside fails on it."""
    if not isinstance(net, Sequential):
        raise TypeError(
            f"cnn_pick needs net, a picker network (a Sequential, e.g. from "
            f"cnn_picker); got {type(net).__name__}"
        )
    leaves = net.leaves()
    first = next((leaf for leaf in leaves if isinstance(leaf, Conv1D)), None)
    if first is not None and x.shape[1] != first.c_in:
        raise ValueError(
            f"cnn_pick: x has {x.shape[1]} channel(s) but the picker was built for "
            f"{first.c_in} (in_channels); got shape {x.shape}"
        )
    # cnn_picker ends in Dense(…, nt): one logit per sample of the nt it was built for
    if leaves and isinstance(leaves[-1], Dense) and x.shape[2] != leaves[-1].n_out:
        raise ValueError(
            f"cnn_pick: x has traces of {x.shape[2]} samples but the picker was built "
            f"for traces of nt = {leaves[-1].n_out} samples; got shape {x.shape}"
        )
