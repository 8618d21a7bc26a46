"""Layers.  Each has ``forward(x, train=False)`` and ``backward(grad_out)``.

``backward`` takes ∂L/∂(layer output), stores the parameter gradients and
returns ∂L/∂(layer input), so layers (and whole networks) chain.
"""
import numpy as np

from . import activations, init as _init

__all__ = ["Layer", "Dense", "Activation", "Dropout"]


class Layer:
    """Base class: no parameters, trainable unless frozen."""
    trainable = True

    def params(self):
        """Trainable parameter arrays (updated in place by optimizers)."""
        return []

    def grads(self):
        """Gradients, in the same order as :meth:`params`."""
        return []

    def named_params(self):
        """All parameters, frozen or not, as ``{name: array}``."""
        return {}

    @property
    def n_params(self):
        return int(sum(p.size for p in self.named_params().values()))

    def freeze(self):
        self.trainable = False
        return self

    def unfreeze(self):
        self.trainable = True
        return self

    def __call__(self, x, train=False):
        return self.forward(x, train=train)


class Dense(Layer):
    """Fully connected layer, z = x W + b.

    Shapes: x (n, n_in), W (n_in, n_out), b (n_out,), z (n, n_out).
    Backward, with δ = ∂L/∂z:
        ∂L/∂W = xᵀ δ,  ∂L/∂b = Σ_rows δ,  ∂L/∂x = δ Wᵀ.

    Weights come from ``init`` (default: the lecture's Xavier) drawn with
    ``rng``, or are given explicitly as ``W`` and ``b``.  Biases start at 0.
    ``dtype`` (default float64) is the dtype of W and b and of the layer's
    arithmetic: inputs and gradients of another dtype are converted to it, so
    ``dtype=np.float32`` gives a float32 layer (half the memory, faster BLAS).
    """

    def __init__(self, n_in, n_out, *, rng=None, init="xavier", W=None, b=None, dtype=float):
        for name, n in (("n_in", n_in), ("n_out", n_out)):
            if not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"Dense {name} must be a positive integer; got {n!r}")
        self.n_in, self.n_out = int(n_in), int(n_out)
        if W is None:
            if rng is None:
                raise TypeError("Dense needs rng=np.random.default_rng(seed) to draw its "
                                "weights, or explicit W")
            W = _init.get(init)(self.n_in, self.n_out, rng)
        W = np.array(W, dtype=dtype)
        if W.shape != (self.n_in, self.n_out):
            raise ValueError(f"W has shape {W.shape} but Dense({n_in}→{n_out}) needs "
                             f"({n_in}, {n_out})")
        b = np.zeros(self.n_out, dtype=dtype) if b is None else np.array(b, dtype=dtype).reshape(-1)
        if b.shape != (self.n_out,):
            raise ValueError(f"b has shape {b.shape} but Dense({n_in}→{n_out}) needs ({n_out},)")
        self.W, self.b = W, b
        # gradient buffers are allocated once and overwritten, so an optimizer
        # can hold on to them between steps
        self.dW = np.zeros_like(W)
        self.db = np.zeros_like(b)
        self.x = None

    def forward(self, x, train=False):
        if x.ndim != 2:
            raise ValueError(f"Dense({self.n_in}→{self.n_out}) needs 2-D input (n, {self.n_in}); "
                             f"got shape {x.shape}")
        if x.shape[1] != self.n_in:
            raise ValueError(f"X has {x.shape[1]} features but Dense({self.n_in}→{self.n_out}) "
                             f"expects {self.n_in}")
        if x.dtype != self.W.dtype:
            # compute in the layer's dtype: a float32 layer fed float64 stays on the
            # fast float32 BLAS path instead of a slow mixed-type matmul
            x = x.astype(self.W.dtype)
        self.x = x
        return x @ self.W + self.b

    def backward(self, grad_out):
        if self.x is None:
            raise RuntimeError("Dense.backward called before forward")
        if grad_out.dtype != self.W.dtype:
            grad_out = grad_out.astype(self.W.dtype)
        if self.trainable:
            np.matmul(self.x.T, grad_out, out=self.dW)
            np.add.reduce(grad_out, axis=0, out=self.db)   # np.sum without its wrapper
        return grad_out @ self.W.T

    def params(self):
        return [self.W, self.b] if self.trainable else []

    def grads(self):
        return [self.dW, self.db] if self.trainable else []

    def named_params(self):
        return {"W": self.W, "b": self.b}

    def __repr__(self):
        return f"Dense({self.n_in}→{self.n_out})"


class Activation(Layer):
    """Applies an activation element-wise: a = α(z).  No parameters.

    Backward: ∂L/∂z = ∂L/∂a ⊙ α'(z) (softmax: the Jacobian-vector product).
    """

    def __init__(self, activation, **kwargs):
        self.activation = activations.get(activation, **kwargs)
        self.z = self.a = None

    def forward(self, x, train=False):
        self.z = x
        self.a = self.activation.forward(x)
        return self.a

    def backward(self, grad_out):
        return self.activation.vjp(self.z, self.a, grad_out)

    def __repr__(self):
        return f"Activation({self.activation.name})"


class Dropout(Layer):
    """Inverted dropout: in training, zero each unit with probability ``p`` and
    scale the survivors by 1/(1 − p); at evaluation it is the identity.

    The mask is drawn from ``rng``, so a run is reproducible.
    """

    def __init__(self, p, *, rng):
        if not 0 <= p < 1:
            raise ValueError(f"Dropout probability p must be in [0, 1); got {p}")
        if not isinstance(rng, np.random.Generator):
            raise TypeError("Dropout needs rng=np.random.default_rng(seed)")
        self.p, self.rng = float(p), rng
        self.mask = None

    def forward(self, x, train=False):
        if not train or self.p == 0:
            self.mask = None
            return x
        self.mask = (self.rng.random(x.shape) >= self.p) / (1.0 - self.p)
        return x * self.mask

    def backward(self, grad_out):
        return grad_out if self.mask is None else grad_out * self.mask

    def __repr__(self):
        return f"Dropout(p={self.p})"
