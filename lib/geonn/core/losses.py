"""Loss functions: ``value(pred, target)`` and ``grad(pred, target)``.

All losses average over the batch (rows, the first axis) and sum over the
other axes, so ``grad`` already carries the 1/n factor: the parameter
gradients that backprop produces are the batch *average* the lecture asks for.

dtypes: the prediction's floating dtype wins.  ``grad`` returns an array of
that dtype; ``value`` returns a plain ``float`` for float64 predictions and a
``np.float32`` scalar for float32 ones.  ``value_and_grad`` returns both from
one pass (what ``fit`` uses).
"""

import numpy as np

from . import _checks
from .activations import Sigmoid, Softmax

__all__ = ["Loss", "MSE", "BCEWithLogits", "SoftmaxCrossEntropy", "get"]


def _check(pred, target, name, ndim=None):
    pred = np.asarray(pred)
    if pred.dtype.kind != "f":
        if pred.dtype.kind not in "iub":
            raise TypeError(
                f"{name}: prediction must be numeric; got dtype {pred.dtype}"
            )
        pred = pred.astype(float)
    # the prediction's float dtype wins, so a float32 network gets float32 gradients
    target = np.asarray(target)
    if target.dtype.kind not in "fiub":
        raise TypeError(f"{name}: target must be numeric; got dtype {target.dtype}")
    target = target.astype(pred.dtype, copy=False)
    if pred.shape != target.shape:
        raise ValueError(
            f"{name}: prediction has shape {pred.shape} but target has shape "
            f"{target.shape}; they must match (reshape y to (n, 1) for one output)"
        )
    if pred.ndim < 2 or (ndim is not None and pred.ndim != ndim):
        want = (
            f"{ndim}-D arrays (batch, outputs)"
            if ndim
            else "arrays of shape (batch, ...)"
        )
        raise ValueError(f"{name}: expected {want}; got shape {pred.shape}")
    if len(pred) == 0:
        raise ValueError(
            f"{name}: the batch is empty (0 rows); a mean over no samples is undefined"
        )
    return pred, target


def _scalar(total, n, dtype):
    """total / n as a float (float64) or a NumPy scalar of ``dtype`` (float32)."""
    value = float(total) / n
    return value if dtype.type is np.float64 else dtype.type(value)


class Loss:
    def value(self, pred, target):
        raise NotImplementedError

    def grad(self, pred, target):
        raise NotImplementedError

    def value_and_grad(self, pred, target):
        """``(value, grad)`` in one call."""
        return self.value(pred, target), self.grad(pred, target)

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(Loss):
    """Squared error with the lecture's ½ convention.

    L = 1/(2n) Σ_i Σ_k (ŷ_ik − y_ik)²,  ∂L/∂ŷ = (ŷ − y)/n.

    For one sample this is L = ½(ŷ − y)² with ∂L/∂ŷ = ŷ − y, as on the slides.
    With one output the value is half the usual mean squared error (and equals
    scikit-learn's MLPRegressor loss, ½·mean over all entries); with K outputs
    it is K/2 times the mean over all entries, since we sum over outputs.
    Arrays of shape (batch, ...) are allowed (e.g. an autoencoder's traces).
    """

    def value(self, pred, target):
        pred, target = _check(pred, target, "MSE")
        r = pred - target
        return _scalar(0.5 * float(np.sum(r * r)), len(r), pred.dtype)

    def grad(self, pred, target):
        pred, target = _check(pred, target, "MSE")
        return (pred - target) / len(pred)

    def value_and_grad(self, pred, target):
        pred, target = _check(pred, target, "MSE")
        r = pred - target
        flat, n = r.reshape(-1), len(r)
        # a dot product: the cheapest Σ r² (it may differ from value() in the last bit)
        return _scalar(0.5 * float(flat @ flat), n, pred.dtype), r / n


class BCEWithLogits(Loss):
    """Binary cross-entropy on logits z, for targets y ∈ {0, 1} (or in [0, 1];
    anything outside is refused), on arrays of any shape (batch, ...): one logit
    per sample, or one per pixel of a (n, 1, H, W) segmentation.

    L = 1/n Σ [max(z, 0) − z·y + log(1 + e^{−|z|})],  ∂L/∂z = (σ(z) − y)/n.

    This is −[y log σ(z) + (1−y) log(1−σ(z))] rewritten so that no
    exponential of a large positive number is ever taken: it is exact and
    warning-free for |z| up to 1e3 and beyond.

    ``pos_weight`` p > 0 weights the positive class, for rare positives (faults
    are a few per cent of a section's pixels):

    L = −1/n Σ [p·y log σ(z) + (1−y) log(1−σ(z))]
      = 1/n Σ [(1−y)·z + (1 + (p−1)·y)·log(1 + e^{−z})],
    ∂L/∂z = [(1 + (p−1)·y)·σ(z) − p·y]/n,

    with log(1 + e^{−z}) = max(−z, 0) + log(1 + e^{−|z|}); p = 1 is the plain loss.
    """

    def __init__(self, pos_weight=None):
        self.pos_weight = (
            None
            if pos_weight is None
            else _checks.positive("BCEWithLogits pos_weight", pos_weight)
        )

    @staticmethod
    def _check(pred, target):
        z, y = _check(pred, target, "BCEWithLogits")
        if not np.all((y >= 0) & (y <= 1)):
            bad = y[~((y >= 0) & (y <= 1))].flat[0]
            raise ValueError(
                f"BCEWithLogits: targets must lie in [0, 1] (labels or "
                f"probabilities); found {bad:g}"
            )
        return z, y

    def value(self, pred, target):
        z, y = self._check(pred, target)
        log1p = np.log1p(np.exp(-np.abs(z)))
        if self.pos_weight is None:
            total = np.sum(np.maximum(z, 0) - z * y + log1p)
        else:
            weight = 1 + (self.pos_weight - 1) * y
            total = np.sum((1 - y) * z + weight * (np.maximum(-z, 0) + log1p))
        return _scalar(total, len(z), z.dtype)

    def grad(self, pred, target):
        z, y = self._check(pred, target)
        sigma = Sigmoid().forward(z)
        if self.pos_weight is None:
            return (sigma - y) / len(z)
        p = self.pos_weight
        return ((1 + (p - 1) * y) * sigma - p * y) / len(z)

    def __repr__(self):
        if self.pos_weight is None:
            return "BCEWithLogits()"
        return f"BCEWithLogits(pos_weight={self.pos_weight:g})"


class SoftmaxCrossEntropy(Loss):
    """Softmax followed by cross-entropy, on logits z (batch, K ≥ 2) and one-hot y.

    L = −1/n Σ_i Σ_k y_ik log p_ik,  p = softmax(z),  ∂L/∂z = (p − y)/n.

    Each target row must be a probability vector: one-hot, or soft labels ≥ 0
    that sum to 1 (the gradient p − y assumes Σ_k y_ik = 1, so multi-hot rows
    are refused).  One column is refused too: its softmax is always 1, so
    nothing would be learned; use :class:`BCEWithLogits` for two classes.

    The combined gradient p − y is why the network's last layer should be a
    plain Dense layer (logits), not a Softmax layer.  log p is computed as
    z − logsumexp(z), which never overflows.
    """

    @staticmethod
    def _check(pred, target):
        z, y = _check(pred, target, "SoftmaxCrossEntropy", ndim=2)
        if z.shape[1] < 2:
            raise ValueError(
                "SoftmaxCrossEntropy needs at least 2 columns (one per class); got 1. "
                "For a yes/no output use BCEWithLogits"
            )
        rows = ~(np.abs(y.sum(axis=1) - 1) <= 1e-6)  # NaN too
        if rows.any() or (y < 0).any():
            i = int(np.argmax(rows)) if rows.any() else int(np.argwhere(y < 0)[0, 0])
            raise ValueError(
                f"SoftmaxCrossEntropy: target row {i} is {y[i].tolist()}; each row "
                "must be one-hot (or probabilities ≥ 0 that sum to 1)"
            )
        return z, y

    def value(self, pred, target):
        z, y = self._check(pred, target)
        zmax = z.max(axis=1, keepdims=True)
        log_p = z - zmax - np.log(np.sum(np.exp(z - zmax), axis=1, keepdims=True))
        return _scalar(-np.sum(y * log_p), len(z), z.dtype)

    def grad(self, pred, target):
        z, y = self._check(pred, target)
        return (Softmax().forward(z) - y) / len(z)


_REGISTRY = {
    "mse": MSE,
    "bce": BCEWithLogits,
    "bce_with_logits": BCEWithLogits,
    "softmax_cross_entropy": SoftmaxCrossEntropy,
    "cross_entropy": SoftmaxCrossEntropy,
}


def get(name):
    """Return a loss by name or pass a :class:`Loss` instance through."""
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str) or name.lower() not in _REGISTRY:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(_REGISTRY)}")
    return _REGISTRY[name.lower()]()
