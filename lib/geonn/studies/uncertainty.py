"""How far to trust a prediction (chapter 6b): deep ensembles, MC dropout,
calibration coverage and input sensitivity.

A **deep ensemble** trains N networks that differ only in their random seed
and reads the spread of their predictions as model uncertainty; **MC dropout**
keeps dropout switched on at prediction time and reads the spread of T
stochastic forward passes of one network.  Both give, per row of X, a mean
and a standard deviation over members (or passes):

    μ(x) = (1/N) Σ_i ŷ_i(x),     σ(x) = √((1/N) Σ_i (ŷ_i(x) − μ(x))²).

Neither spread includes the noise in the data: add its variance to σ² before
comparing intervals with observations (see :func:`coverage`).
"""

import math

import numpy as np

from geonn.core import _checks
from geonn.core.layers import Dropout, Layer

__all__ = [
    "ensemble_predict",
    "mc_dropout_predict",
    "coverage",
    "nominal_coverage",
    "input_sensitivity",
]


def _spread(samples):
    """(mean, std) over axis 0 of (n_members, n, k) predictions; std with ddof 0."""
    return samples.mean(axis=0), samples.std(axis=0)


def _net(net, who, name="net"):
    if not isinstance(net, Layer):
        raise TypeError(
            f"{who} needs {name} as a geonn network (a Sequential or Layer); "
            f"got {type(net).__name__}"
        )
    return net


def _data(X, who):
    """The inputs X (n, ...): numeric, finite, at least one row."""
    X = _checks.array(f"{who} X", X, min_ndim=2)
    return _checks.finite(f"{who} X", _checks.rows(f"{who} X", X))


def _transformed(pred, transform):
    if transform is not None and not callable(transform):
        raise TypeError(
            f"transform must be a function of the predictions (or None); got "
            f"{type(transform).__name__}"
        )
    return pred if transform is None else np.asarray(transform(pred), dtype=float)


def ensemble_predict(nets, X, transform=None):
    """Mean and standard deviation of the predictions of ``nets`` on ``X``.

    Parameters
    ----------
    nets : list of N ≥ 2 trained networks with the same output shape
    X : (n, p) inputs, as the networks expect them (scaled)
    transform : optional function applied to each member's (n, k) prediction
        before the statistics, e.g. ``y_scaler.inverse_transform``, so mean
        and std come out in the units of the target

    Returns
    -------
    mean, std : (n, k) arrays; std is the spread over members (ddof 0)
    """
    # a Sequential is iterable (over its layers): name the mistake before list()
    if isinstance(nets, (Layer, str)) or not hasattr(nets, "__iter__"):
        raise TypeError(
            f"ensemble_predict needs nets as a list of networks, e.g. [net_1, "
            f"net_2, ...]; got one {type(nets).__name__}"
        )
    nets = list(nets)
    if len(nets) < 2:
        raise ValueError(
            f"an ensemble needs at least 2 networks in nets to have a spread; got "
            f"{len(nets)}"
        )
    for i, m in enumerate(nets):
        if not hasattr(_net(m, "ensemble_predict", f"nets[{i}]"), "predict"):
            raise TypeError(
                f"ensemble_predict needs a list of networks (Sequential); nets[{i}] "
                f"is a {type(m).__name__}"
            )
    X = _data(X, "ensemble_predict")
    preds = [_transformed(m.predict(X), transform) for m in nets]
    shapes = {p.shape for p in preds}
    if len(shapes) > 1:
        raise ValueError(f"the networks' predictions differ in shape: {sorted(shapes)}")
    return _spread(np.stack(preds))


def mc_dropout_predict(net, X, n_samples, transform=None):
    """MC dropout: mean and standard deviation of ``n_samples`` forward passes
    of ``net`` on ``X`` with dropout **on** (``train=True``).

    Each pass draws new masks from the Dropout layers' own ``rng``, so the
    result is reproducible from the seeds the layers were built with.  Only
    Dropout behaves differently in training mode among geonn's layers used
    here; the weights are not changed.  ``transform`` as in
    :func:`ensemble_predict`.  Returns (mean, std), each (n, k).
    """
    net = _net(net, "mc_dropout_predict")
    X = _data(X, "mc_dropout_predict")
    n_samples = _checks.integer("n_samples", n_samples, low=2)
    if not any(isinstance(leaf, Dropout) and leaf.p > 0 for leaf in net.leaves()):
        raise ValueError(
            "mc_dropout_predict needs a network with a Dropout layer of p > 0: "
            "without one every pass gives the same prediction"
        )
    samples = np.stack(
        [_transformed(net.forward(X, train=True), transform) for _ in range(n_samples)]
    )
    return _spread(samples)


def coverage(y, mean, std, k=1.0, noise_std=0.0):
    """Fraction of the values ``y`` inside the interval mean ± k·σ, where
    σ² = std² + noise_std² (the model's spread plus an estimated noise variance).

    For a calibrated Gaussian prediction this is close to
    :func:`nominal_coverage` (k): 68.3 % for k = 1, 95.4 % for k = 2.
    ``y``, ``mean`` and ``std`` must have the same shape; ``std`` ≥ 0.
    """
    y, mean, std = (
        _checks.array(name, a) for name, a in (("y", y), ("mean", mean), ("std", std))
    )
    if not (y.shape == mean.shape == std.shape):
        raise ValueError(
            f"y, mean and std must have the same shape; got {y.shape}, "
            f"{mean.shape} and {std.shape}"
        )
    if y.size == 0:
        raise ValueError("y, mean and std are empty: a coverage needs values")
    for name, a in (("y", y), ("mean", mean), ("std", std)):
        _checks.finite(name, a)
    if (std < 0).any():
        raise ValueError("std must be ≥ 0 (a standard deviation)")
    k = _checks.positive("k (the interval's half-width in σ)", k)
    noise_std = _checks.number("noise_std", noise_std, low=0.0)
    sigma = np.hypot(std, noise_std)  # √(std² + noise_std²), without overflow
    return float(np.mean(np.abs(y - mean) <= k * sigma))


def nominal_coverage(k):
    """P(|Z| ≤ k) for a standard normal Z: erf(k/√2); 0.6827 for k = 1, 0.9545 for
    k = 2."""
    k = _checks.positive("k", k)
    return math.erf(k / math.sqrt(2.0))


def input_sensitivity(net, X):
    """∂ŷ/∂x of a one-output network at every row of ``X``: shape (n, p).

    One backward pass of ones through the network (evaluation mode), i.e.
    the row-wise gradient of the prediction with respect to the inputs, in
    the units the network sees (scaled).  The backward pass overwrites the
    network's stored parameter gradients, which the next training step
    overwrites anyway.
    """
    net = _net(net, "input_sensitivity")
    out = net.forward(_data(X, "input_sensitivity"), train=False)
    if out.ndim != 2 or out.shape[1] != 1:
        raise ValueError(
            f"input_sensitivity needs one output per row; the network gives shape "
            f"{out.shape}"
        )
    return net.backward(np.ones_like(out))
