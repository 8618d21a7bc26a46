"""Activation functions α(z) and their derivatives.

Every activation works element-wise on an array ``z`` of pre-activations,
shape ``(batch, units)``, except :class:`Softmax`, which couples the units of
one row.  Each object offers

* ``forward(z)``  -> ``a = α(z)``
* ``grad(z)``     -> ``α'(z)``, element-wise (softmax: the Jacobian)
* ``grad_from_output(a)`` where the derivative can be written in terms of the
  output, as the lecture does: σ' = a(1 − a), tanh' = 1 − a².
* ``vjp(z, a, grad_a)`` -> ``∂L/∂z`` given ``∂L/∂a`` (what backprop needs).

Use :func:`get` to look one up by name.  Values and derivatives keep the
floating dtype of their input (float32 in, float32 out); integer input is
computed in float64.
"""

import numpy as np

from . import _checks


def _float(z):
    """``z`` as a float array, keeping float32/float64 (integers → float64)."""
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(np.float64)


__all__ = [
    "ActivationFunction",
    "Identity",
    "Step",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "Softmax",
    "get",
    "NAMES",
]


class ActivationFunction:
    """Base class of the activation functions (the layer that applies one is
    :class:`geonn.core.layers.Activation`)."""

    name = "activation"

    def forward(self, z):
        raise NotImplementedError

    def grad(self, z):
        raise NotImplementedError

    def grad_from_output(self, a):
        raise NotImplementedError(
            f"{self.name}'s derivative is not a function of its output alone; "
            "use grad(z)"
        )

    def vjp(self, z, a, grad_a):
        """∂L/∂z = ∂L/∂a ⊙ α'(z) for an element-wise activation."""
        return grad_a * self.grad(z)

    def __call__(self, z):
        return self.forward(z)

    def __repr__(self):
        return f"{type(self).__name__}()"


class Identity(ActivationFunction):
    """α(z) = z, α'(z) = 1.  The output node of a regression network."""

    name = "identity"

    def forward(self, z):
        return _float(z)

    def grad(self, z):
        return np.ones_like(_float(z))

    def grad_from_output(self, a):
        return np.ones_like(_float(a))

    def vjp(self, z, a, grad_a):
        return grad_a


class Step(ActivationFunction):
    """Binary step: α(z) = 1 if z > 0 else 0.

    α'(z) = 0 wherever it exists (z ≠ 0), so gradient descent gets no signal:
    the step is shown for history, not for training.
    """

    name = "step"

    def forward(self, z):
        z = _float(z)
        return (z > 0).astype(z.dtype)

    def grad(self, z):
        return np.zeros_like(_float(z))

    def grad_from_output(self, a):
        return np.zeros_like(_float(a))


class Sigmoid(ActivationFunction):
    """Logistic function σ(z) = 1 / (1 + e^{−z}), with σ'(z) = σ(z)(1 − σ(z)).

    Evaluated as e^{−|z|} so that no exponential overflows for large |z|.
    """

    name = "sigmoid"

    def forward(self, z):
        z = _float(z)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def grad(self, z):
        # e/(1+e)² with e = e^{−|z|} (σ' is even) stays exact where σ rounds to 1
        e = np.exp(-np.abs(_float(z)))
        return e / (1.0 + e) ** 2

    def grad_from_output(self, a):
        return a * (1.0 - a)

    def vjp(self, z, a, grad_a):
        return grad_a * a * (1.0 - a)


class Tanh(ActivationFunction):
    """Hyperbolic tangent, α(z) = tanh z, with α'(z) = 1 − tanh² z."""

    name = "tanh"

    def forward(self, z):
        return np.tanh(_float(z))

    def grad(self, z):
        return self.grad_from_output(np.tanh(_float(z)))

    def grad_from_output(self, a):
        return 1.0 - a * a

    def vjp(self, z, a, grad_a):
        return grad_a * (1.0 - a * a)


class ReLU(ActivationFunction):
    """Rectified linear unit, α(z) = max(0, z).

    α'(z) = 1 for z > 0 and 0 for z ≤ 0 (we take 0 at the kink, as the lecture
    does).  Note the derivative is 1, not z.
    """

    name = "relu"

    def forward(self, z):
        return np.maximum(_float(z), 0.0)

    def grad(self, z):
        z = _float(z)
        return (z > 0).astype(z.dtype)

    def grad_from_output(self, a):
        a = _float(a)
        return (a > 0).astype(a.dtype)

    def vjp(self, z, a, grad_a):
        return grad_a * (z > 0)


class LeakyReLU(ActivationFunction):
    """α(z) = z for z > 0, slope·z otherwise; α'(z) = 1 or slope."""

    name = "leaky_relu"

    def __init__(self, slope=0.01):
        self.slope = _checks.number(
            "LeakyReLU slope", slope, low=0.0, high=1.0, high_open=True
        )

    def forward(self, z):
        z = _float(z)
        return np.where(z > 0, z, self.slope * z)

    def grad(self, z):
        z = _float(z)
        return np.where(z > 0, 1.0, self.slope).astype(z.dtype)

    def grad_from_output(self, a):
        # a and z share their sign for 0 < slope, so the output decides the branch
        a = _float(a)
        return np.where(a > 0, 1.0, self.slope).astype(a.dtype)

    def vjp(self, z, a, grad_a):
        return grad_a * np.where(z > 0, 1.0, self.slope).astype(grad_a.dtype)

    def __repr__(self):
        return f"LeakyReLU(slope={self.slope})"


class Softmax(ActivationFunction):
    """a_k = e^{z_k} / Σ_l e^{z_l} along each row of ``z`` (batch, K).

    Outputs are non-negative and each row sums to one.  The Jacobian is
    ∂a_k/∂z_j = a_k(δ_kj − a_j), so ``grad`` returns shape (batch, K, K).
    """

    name = "softmax"

    def forward(self, z):
        z = _float(z)
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def grad(self, z):
        a = self.forward(z)
        return a[..., :, None] * (np.eye(a.shape[-1], dtype=a.dtype) - a[..., None, :])

    def vjp(self, z, a, grad_a):
        # Jacobian-vector product without forming the (K, K) matrix
        return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))


_REGISTRY = {
    cls.name: cls for cls in (Identity, Step, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax)
}
_ALIASES = {"linear": "identity", "logistic": "sigmoid"}
NAMES = tuple(_REGISTRY)


def get(name, **kwargs):
    """Return an activation by name (``"relu"``) or pass an instance through."""
    if isinstance(name, ActivationFunction):
        return name
    if not isinstance(name, str):
        raise TypeError(
            "activation must be a name or an ActivationFunction; got "
            f"{type(name).__name__}"
        )
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in _REGISTRY:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(NAMES)}"
        )
    if kwargs and key != "leaky_relu":
        raise TypeError(
            f"activation {name!r} takes no parameters; got {', '.join(kwargs)} "
            "(only leaky_relu takes one: slope)"
        )
    if set(kwargs) - {"slope"}:
        raise TypeError(f"leaky_relu takes only slope; got {', '.join(kwargs)}")
    return _REGISTRY[key](**kwargs)
