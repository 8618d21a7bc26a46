"""The ``Layer`` contract that every layer, and ``Sequential``, follows."""
import functools

import numpy as np

from .. import _checks

__all__ = ["Layer", "backward_params"]


class Layer:
    """Base class of every layer.  A subclass implements

    * ``forward(x, train=False) -> out``: ``x`` has shape (batch, ...).  The layer
      may keep what its backward pass needs (its last input), so each
      ``backward`` belongs to the ``forward`` just before it.
    * ``backward(grad_out, accumulate=False) -> grad_in``: takes ∂L/∂out, returns
      ∂L/∂x (the shape of ``x``), and stores the parameter gradients.

    **Gradient contract.**  ``backward`` *writes* ∂L/∂θ into the gradient array
    of each parameter (``dW`` for ``W``): one forward/backward pair, one step,
    as the chapters do it.  With ``accumulate=True`` it *adds* to them instead,
    so a discriminator can see a real batch and a fake batch in two separate
    forward/backward pairs before one optimizer step; ``zero_grad()`` resets
    them.  A frozen layer (``trainable = False``) stores no gradients, but
    ``backward`` still returns ∂L/∂x so gradients flow through it.

    **Parameters.**  A layer with parameters lists their attribute names in
    ``param_names``; the gradient of ``name`` lives in ``"d" + name``.  From
    that the base class gives ``params()`` / ``grads()`` (trainable only, in
    matching order: what optimizers take), ``named_params()`` (all, frozen or
    not: what ``save`` writes) and ``zero_grad()``.  ``buffer_names`` lists
    arrays that are saved with the weights but not trained (SpectralNorm's u).
    Optimizers key their state by the parameter array itself, so a layer must
    update its parameters in place and never replace them.

    ``backward_params(grad_out, accumulate)`` is an optional shortcut that only
    stores the parameter gradients: ``fit`` uses it (through the module function
    :func:`backward_params`), since nothing needs ∂L/∂X.

    ``geonn.core.layers.check_layer(layer, x)`` tests a layer against this contract.
    """
    trainable = True
    param_names = ()
    buffer_names = ()
    decay_names = ()      # parameters that L2 weight decay acts on (weights, not biases)

    def forward(self, x, train=False):
        raise NotImplementedError(f"{type(self).__name__} must implement forward(x, train)")

    def backward(self, grad_out, accumulate=False):
        raise NotImplementedError(f"{type(self).__name__} must implement "
                                  "backward(grad_out, accumulate) -> grad_in")

    def backward_params(self, grad_out, accumulate=False):
        """Store the parameter gradients when ∂L/∂x is not needed (the first layer of
        a network being trained).  Same gradients as ``backward``; layers whose input
        gradient is costly (Dense, Conv1D) override it to skip that work."""
        self.backward(grad_out, accumulate)

    def params(self):
        """Trainable parameter arrays (updated in place by optimizers)."""
        if not self.param_names or not self.trainable:
            return []
        return [getattr(self, n) for n in self.param_names]

    def grads(self):
        """Gradients, in the same order as :meth:`params`."""
        if not self.param_names or not self.trainable:
            return []
        return [getattr(self, "d" + n) for n in self.param_names]

    def named_params(self):
        """All parameters, frozen or not, as ``{name: array}``."""
        return {n: getattr(self, n) for n in self.param_names}

    def named_buffers(self):
        """Saved, untrained arrays as ``{name: array}``."""
        return {n: getattr(self, n) for n in self.buffer_names}

    def zero_grad(self):
        for n in self.param_names:
            getattr(self, "d" + n)[...] = 0
        return self

    def leaves(self):
        """The non-container layers inside, depth first (a plain layer: itself)."""
        return [self]

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

    def _store(self, name, value, accumulate):
        """Write (or add) ``value`` into the gradient buffer of parameter ``name``."""
        g = getattr(self, "d" + name)
        if accumulate:
            g += value
        else:
            g[...] = value


@functools.cache
def _shortcut_is_current(cls):
    """True when ``cls.backward_params`` is defined in ``cls.backward``'s class or below."""
    def owner(name):
        return next(k for k in cls.__mro__ if name in vars(k))
    return issubclass(owner("backward_params"), owner("backward"))


def backward_params(layer, grad_out, accumulate=False):
    """``layer.backward_params(...)``, unless a subclass rewrote ``backward`` but not
    ``backward_params``: then the inherited shortcut would skip the new backward
    (a custom gradient would be silently ignored), so ``backward`` runs instead."""
    if _shortcut_is_current(type(layer)):
        layer.backward_params(grad_out, accumulate)
    else:
        layer.backward(grad_out, accumulate)


def as_input(x, layer):
    """``x`` as a float array (integers and bools → float64), or a clear error
    that names ``layer``."""
    return _checks.array(f"the input of {layer}", x)
