"""``Dense``: the fully connected layer z = x W + b."""

import numpy as np

from .. import _checks
from .. import init as _init
from .base import as_input
from .spectral import WeightLayer

__all__ = ["Dense"]


class Dense(WeightLayer):
    """Fully connected layer, z = x W + b.

    Shapes: x (n, n_in), W (n_in, n_out), b (n_out,), z (n, n_out).
    Backward, with δ = ∂L/∂z:
        ∂L/∂W = xᵀ δ,  ∂L/∂b = Σ_rows δ,  ∂L/∂x = δ Wᵀ.

    Weights come from ``init`` (default: the lecture's Xavier) drawn with
    ``rng``, or are given explicitly as ``W`` and ``b``.  Biases start at 0.
    ``dtype`` (default float64) is the dtype of W and b and of the layer's
    arithmetic: inputs and gradients of another dtype are converted to it, so
    ``dtype=np.float32`` gives a float32 layer (half the memory, faster BLAS).

    ``weight(train)`` is the matrix the forward pass multiplies by: W itself,
    unless :func:`spectral_norm` is attached, in which case W is its raw parameter.
    """

    param_names = ("W", "b")
    decay_names = ("W",)

    def __init__(
        self, n_in, n_out, *, rng=None, init="xavier", W=None, b=None, dtype=float
    ):
        self.n_in = _checks.integer("Dense n_in", n_in)
        self.n_out = _checks.integer("Dense n_out", n_out)
        dtype = _checks.float_dtype("Dense dtype", dtype)
        if W is None:
            _checks.rng(rng, "Dense (to draw its weights, or pass explicit W=)")
            W = _init.get(init)(self.n_in, self.n_out, rng)
        W = _checks.finite("Dense W", _checks.array("Dense W", W).astype(dtype))
        if W.shape != (self.n_in, self.n_out):
            raise ValueError(
                f"W has shape {W.shape} but Dense({n_in}→{n_out}) needs "
                f"({n_in}, {n_out})"
            )
        b = (
            np.zeros(self.n_out, dtype=dtype)
            if b is None
            else _checks.finite(
                "Dense b", _checks.array("Dense b", b).astype(dtype).reshape(-1)
            )
        )
        if b.shape != (self.n_out,):
            raise ValueError(
                f"b has shape {b.shape} but Dense({n_in}→{n_out}) needs ({n_out},)"
            )
        self.W, self.b = W, b
        self.dW = np.zeros_like(W)
        self.db = np.zeros_like(b)
        self.x = None

    def forward(self, x, train=False):
        if not isinstance(x, np.ndarray):
            x = as_input(x, repr(self))
        if x.ndim != 2:
            raise ValueError(
                f"Dense({self.n_in}→{self.n_out}) needs 2-D input (n, {self.n_in}); "
                f"got shape {x.shape}"
            )
        if x.shape[1] != self.n_in:
            raise ValueError(
                f"X has {x.shape[1]} features but Dense({self.n_in}→{self.n_out}) "
                f"expects {self.n_in}"
            )
        if x.dtype != self.W.dtype:
            # compute in the layer's dtype: a float32 layer fed float64 stays on the
            # fast float32 BLAS path instead of a slow mixed-type matmul
            x = x.astype(self.W.dtype)
        self.x = x
        self._W = self.weight(train)
        return x @ self._W + self.b

    def backward(self, grad_out, need_input_grad=True):
        if self.x is None:
            raise RuntimeError("Dense.backward called before forward")
        delta = grad_out.astype(self.W.dtype, copy=False)
        if self.trainable:
            # written with out= (no temporaries, no np.sum wrapper): 0.8 µs of fit's
            # 1-3-1 step, 2 % of its ratio to the NumPy loop (benchmarks/bench_mlp.py)
            if self.reparam is None:
                np.matmul(self.x.T, delta, out=self.dW)
            else:
                self.dW[...] = self.weight_grad(self.x.T @ delta)
            np.add.reduce(delta, axis=0, out=self.db)
        return delta @ self._W.T if need_input_grad else None

    # Layer.params/grads written out: fit calls grads() every step, and this saves
    # 0.75 µs of the 1-3-1 step, 2 % of its ratio to the NumPy loop (bench_mlp.py)
    def params(self):
        return [self.W, self.b] if self.trainable else []

    def grads(self):
        return [self.dW, self.db] if self.trainable else []

    def __repr__(self):
        return f"Dense({self.n_in}→{self.n_out})"
