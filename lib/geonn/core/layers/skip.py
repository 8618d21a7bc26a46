"""Layers made of layers: the ``Container`` base (of ``Sequential`` too) and the skip
connections ``Concat`` and ``Residual`` that a U-Net or a ResNet is built from."""

import numpy as np

from .. import _checks
from .base import Layer, as_input

__all__ = ["Container", "Concat", "Residual"]


class Container(Layer):
    """A layer whose parameters are those of the layers in ``self.layers``, at any
    depth.

    ``params()``/``grads()`` are the union of the trainable layers inside;
    ``named_params()`` prefixes each name with its layer's index ("0.W", nested
    "1.0.W": what ``Sequential.save`` writes); ``freeze``/``unfreeze`` and
    setting ``trainable`` reach every layer inside, and ``trainable`` reads True
    when any layer with parameters inside is trainable.
    """

    layers = ()

    def params(self):
        return [p for layer in self.layers for p in layer.params()]

    def grads(self):
        return [g for layer in self.layers for g in layer.grads()]

    def named_params(self):
        """All parameters as ``{"0.W": W, "0.b": b, "2.W": …}`` (nested: "1.0.W")."""
        return {
            f"{i}.{k}": v
            for i, layer in enumerate(self.layers)
            for k, v in layer.named_params().items()
        }

    def named_buffers(self):
        return {
            f"{i}.{k}": v
            for i, layer in enumerate(self.layers)
            for k, v in layer.named_buffers().items()
        }

    def zero_grad(self):
        for layer in self.layers:
            layer.zero_grad()
        return self

    def leaves(self):
        """Every non-container layer inside, depth first: what plotting, L2 decay
        see."""
        return [leaf for layer in self.layers for leaf in layer.leaves()]

    @property
    def trainable(self):
        # layers without parameters (activations) do not count: a net whose weights
        # are all frozen reads False, like its empty params()
        weighted = [leaf for leaf in self.leaves() if leaf.named_params()]
        return any(leaf.trainable for leaf in weighted or self.layers)

    @trainable.setter
    def trainable(self, flag):
        for layer in self.layers:
            layer.trainable = flag

    @property
    def n_trainable(self):
        return int(sum(p.size for p in self.params()))

    def freeze(self):
        """Stop updates to every layer inside; gradients still flow through."""
        for layer in self.layers:
            layer.freeze()
        return self

    def unfreeze(self):
        for layer in self.layers:
            layer.unfreeze()
        return self


class _Skip(Container):
    def __init__(self, inner):
        if not isinstance(inner, Layer):
            raise TypeError(
                f"{type(self).__name__} inner must be a geonn Layer (e.g. a "
                f"Sequential); got {type(inner).__name__}"
            )
        self.layers = [inner]

    @property
    def inner(self):
        return self.layers[0]

    out_shape = None  # set by forward; backward before it is refused

    def _inner_forward(self, x, train, keep):
        """inner(x), checked to keep the batch and the axes ``keep`` selects."""
        name = type(self).__name__
        if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
            x = as_input(x, name)
        if x.ndim < 2:
            raise ValueError(
                f"the input of {name} must be (batch, channels, ...); got shape "
                f"{x.shape}"
            )
        y = self.inner.forward(x, train=train)
        if y.ndim != x.ndim or keep(y.shape) != keep(x.shape):
            raise ValueError(
                f"{name}: its inner layer turned input of shape "
                f"{x.shape} into {y.shape}; it must keep {self.keeps}"
            )
        return x, y

    def _grad_out(self, grad_out):
        return _checks.grad_out(self, grad_out, self.out_shape, type(self).__name__)

    def __repr__(self):
        inner = repr(self.inner).replace("\n", "\n  ")
        return f"{type(self).__name__}(\n  {inner}\n)"


class Concat(_Skip):
    """The input and ``inner(input)`` stacked along the channels (axis 1):

        a = [x, f(x)],   ∂L/∂x = δ[:, :C] + J_fᵀ δ[:, C:],

    with C the input's channels.  Shapes: x (n, C, ...), f(x) (n, C_f, ...),
    a (n, C + C_f, ...): ``inner`` (any Layer, usually a Sequential going down and
    back up a U-Net) must keep the batch and the spatial size.
    """

    keeps = "the batch and the spatial size (axes 2, ...)"

    def forward(self, x, train=False):
        x, y = self._inner_forward(x, train, lambda s: (s[0], *s[2:]))
        self.c = x.shape[1]
        out = np.concatenate([x, y], axis=1)
        self.out_shape = out.shape
        return out

    def backward(self, grad_out, need_input_grad=True):
        grad_out = self._grad_out(grad_out)
        d_inner = self.inner.backward(grad_out[:, self.c :], need_input_grad)
        return grad_out[:, : self.c] + d_inner if need_input_grad else None


class Residual(_Skip):
    """The input plus ``inner(input)`` (He et al. 2016):

        a = x + f(x),   ∂L/∂x = δ + J_fᵀ δ.

    Shapes: x, f(x) and a all (n, ...): ``inner`` must keep the shape.
    """

    keeps = "the shape"

    def forward(self, x, train=False):
        x, y = self._inner_forward(x, train, lambda s: s)
        self.out_shape = x.shape
        return x + y

    def backward(self, grad_out, need_input_grad=True):
        grad_out = self._grad_out(grad_out)
        d_inner = self.inner.backward(grad_out, need_input_grad)
        return grad_out + d_inner if need_input_grad else None
