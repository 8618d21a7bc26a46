"""Layers without parameters: activations, dropout, and shape changes."""

import numpy as np

from .. import _checks, activations
from .base import Layer, as_input

__all__ = ["Activation", "Dropout", "Flatten", "Reshape"]


def _array(x, layer):
    """A float array passes as it is (the fast path); anything else is converted
    (lists, integers, bools → float64) or refused (complex, text)."""
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        return x
    return as_input(x, repr(layer))


class Activation(Layer):
    """Applies an activation element-wise: a = α(z).  No parameters.

    Backward: ∂L/∂z = ∂L/∂a ⊙ α'(z) (softmax: the Jacobian-vector product).
    Works on any shape (batch, ...); softmax couples the last axis.
    """

    def __init__(self, activation, **kwargs):
        self.activation = activations.get(activation, **kwargs)
        self.z = self.a = None

    def forward(self, x, train=False):
        self.z = x = _array(x, self)
        self.a = self.activation.forward(x)
        return self.a

    def backward(self, grad_out, need_input_grad=True):
        return self.activation.vjp(self.z, self.a, grad_out)

    def __repr__(self):
        return f"Activation({self.activation.name})"


class Dropout(Layer):
    """Inverted dropout: in training, zero each unit with probability ``p`` and
    scale the survivors by 1/(1 − p); at evaluation it is the identity.

    The mask is drawn from ``rng``, so a run is reproducible.
    """

    def __init__(self, p, *, rng):
        self.p = _checks.number(
            "Dropout probability p", p, low=0.0, high=1.0, high_open=True
        )
        self.rng = _checks.rng(rng, "Dropout")
        self.mask = None

    def forward(self, x, train=False):
        x = _array(x, self)
        if not train or self.p == 0:
            self.mask = None
            return x
        # the mask in x's dtype, so float32 stays float32
        self.mask = ((self.rng.random(x.shape) >= self.p) / (1.0 - self.p)).astype(
            x.dtype
        )
        return x * self.mask

    def backward(self, grad_out, need_input_grad=True):
        return grad_out if self.mask is None else grad_out * self.mask

    def __repr__(self):
        return f"Dropout(p={self.p})"


class Flatten(Layer):
    """(batch, d₁, d₂, …) → (batch, d₁·d₂·…); backward restores the shape.  An empty
    batch (0, d₁, …) gives an empty (0, d₁·d₂·…)."""

    shape = None  # the input shape, set by forward

    def forward(self, x, train=False):
        x = _array(x, self)
        if x.ndim == 0:
            raise ValueError("Flatten needs input of shape (batch, ...); got a scalar")
        self.shape = x.shape
        # the width spelled out: reshape(0, -1) cannot infer it from no samples
        return x.reshape(len(x), int(np.prod(x.shape[1:])))

    def backward(self, grad_out, need_input_grad=True):
        out = None
        if self.shape is not None:
            out = (self.shape[0], int(np.prod(self.shape[1:])))
        return _checks.grad_out(self, grad_out, out).reshape(self.shape)

    def __repr__(self):
        return "Flatten()"


class Reshape(Layer):
    """(batch, …) → (batch, *shape), e.g. ``Reshape((1, 128))`` before a Conv1D."""

    shape = None  # the input shape, set by forward

    def __init__(self, shape):
        self.target = _checks.sizes("Reshape shape", shape, min_len=1)

    def forward(self, x, train=False):
        x = _array(x, self)
        if int(np.prod(x.shape[1:])) != int(np.prod(self.target)):
            raise ValueError(
                f"the input of Reshape{self.target} needs {int(np.prod(self.target))} "
                f"values per sample; got shape {x.shape}"
            )
        self.shape = x.shape
        return x.reshape((len(x),) + self.target)

    def backward(self, grad_out, need_input_grad=True):
        out = None if self.shape is None else (self.shape[0],) + self.target
        return _checks.grad_out(self, grad_out, out).reshape(self.shape)

    def __repr__(self):
        return f"Reshape({self.target})"
