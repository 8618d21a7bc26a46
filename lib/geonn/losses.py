"""Loss functions: ``value(pred, target)`` and ``grad(pred, target)``.

All losses average over the batch (rows) and sum over output columns, so
``grad`` already carries the 1/n factor: the parameter gradients that backprop
produces are the batch *average* the lecture asks for.
"""
import numpy as np

from .activations import Sigmoid, Softmax

__all__ = ["Loss", "MSE", "BCEWithLogits", "SoftmaxCrossEntropy", "get"]


def _check(pred, target, name):
    pred = np.asarray(pred)
    if pred.dtype.kind != "f":
        pred = pred.astype(float)
    # the prediction's float dtype wins, so a float32 network gets float32 gradients
    target = np.asarray(target, dtype=pred.dtype)
    if pred.shape != target.shape:
        raise ValueError(f"{name}: prediction has shape {pred.shape} but target has shape "
                         f"{target.shape}; they must match (reshape y to (n, 1) for one output)")
    if pred.ndim != 2:
        raise ValueError(f"{name}: expected 2-D arrays (batch, outputs); got shape {pred.shape}")
    return pred, target


class Loss:
    def value(self, pred, target):
        raise NotImplementedError

    def grad(self, pred, target):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(Loss):
    """Squared error with the lecture's ½ convention.

    L = 1/(2n) Σ_i Σ_k (ŷ_ik − y_ik)²,  ∂L/∂ŷ = (ŷ − y)/n.

    For one sample this is L = ½(ŷ − y)² with ∂L/∂ŷ = ŷ − y, as on the slides.
    The ½ makes the value half the usual mean squared error (scikit-learn's
    MLPRegressor uses the same convention); report ``2 * value`` for the MSE.
    """

    def value(self, pred, target):
        pred, target = _check(pred, target, "MSE")
        r = pred - target
        return 0.5 * float(np.sum(r * r)) / len(r)

    def grad(self, pred, target):
        pred, target = _check(pred, target, "MSE")
        return (pred - target) / len(pred)


class BCEWithLogits(Loss):
    """Binary cross-entropy on logits z, for targets y ∈ {0, 1} (or in [0, 1]).

    L = 1/n Σ [max(z, 0) − z·y + log(1 + e^{−|z|})],  ∂L/∂z = (σ(z) − y)/n.

    This is −[y log σ(z) + (1−y) log(1−σ(z))] rewritten so that no
    exponential of a large positive number is ever taken: it is exact and
    warning-free for |z| up to 1e3 and beyond.
    """

    def value(self, pred, target):
        z, y = _check(pred, target, "BCEWithLogits")
        return float(np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))) / len(z)

    def grad(self, pred, target):
        z, y = _check(pred, target, "BCEWithLogits")
        return (Sigmoid().forward(z) - y) / len(z)


class SoftmaxCrossEntropy(Loss):
    """Softmax followed by cross-entropy, on logits z (batch, K) and one-hot y.

    L = −1/n Σ_i Σ_k y_ik log p_ik,  p = softmax(z),  ∂L/∂z = (p − y)/n.

    The combined gradient p − y is why the network's last layer should be a
    plain Dense layer (logits), not a Softmax layer.  log p is computed as
    z − logsumexp(z), which never overflows.
    """

    def value(self, pred, target):
        z, y = _check(pred, target, "SoftmaxCrossEntropy")
        zmax = z.max(axis=1, keepdims=True)
        log_p = z - zmax - np.log(np.sum(np.exp(z - zmax), axis=1, keepdims=True))
        return -float(np.sum(y * log_p)) / len(z)

    def grad(self, pred, target):
        z, y = _check(pred, target, "SoftmaxCrossEntropy")
        return (Softmax().forward(z) - y) / len(z)


_REGISTRY = {"mse": MSE, "bce": BCEWithLogits, "bce_with_logits": BCEWithLogits,
             "softmax_cross_entropy": SoftmaxCrossEntropy, "cross_entropy": SoftmaxCrossEntropy}


def get(name):
    """Return a loss by name or pass a :class:`Loss` instance through."""
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str) or name.lower() not in _REGISTRY:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(_REGISTRY)}")
    return _REGISTRY[name.lower()]()
