"""The ``Layer`` contract that every layer, and ``Sequential``, follows."""

from .. import _checks

__all__ = ["Layer"]


class Layer:
    """Base class of every layer.  A subclass implements

    * ``forward(x, train=False) -> out``: ``x`` has shape (batch, ...).  The layer
      may keep what its backward pass needs (its last input), so each
      ``backward`` belongs to the ``forward`` just before it.
    * ``backward(grad_out, need_input_grad=True) -> grad_in``: takes ∂L/∂out,
      stores the parameter gradients and returns ∂L/∂x (the shape of ``x``).
      ``need_input_grad=False`` says the caller will not use ∂L/∂x (the first
      layer of a network in ``fit``, whose input is the data): a layer whose
      input gradient costs a matmul (Dense, Conv1D) then skips it and returns
      None; layers without parameters may ignore the flag.

    **Gradient contract.**  ``backward`` *writes* ∂L/∂θ into the gradient array
    of each parameter (``dW`` for ``W``): one forward/backward pair, one step,
    as the chapters do it.  A frozen layer (``trainable = False``) stores no
    gradients, but ``backward`` still returns ∂L/∂x so gradients flow through it.

    **Parameters.**  A layer with parameters lists their attribute names in
    ``param_names``; the gradient of ``name`` lives in ``"d" + name``.  From
    that the base class gives ``params()`` / ``grads()`` (trainable only, in
    matching order: what optimizers take), ``named_params()`` (all, frozen or
    not: what ``save`` writes) and ``zero_grad()``.  A layer that saves arrays
    it does not train (spectral normalisation's u) returns them from
    ``named_buffers()``.  Optimizers key their state by the parameter array
    itself, so a layer must update its parameters in place and never replace them.

    ``geonn.core.layers.check_layer(layer, x)`` tests a layer against this contract.
    """

    trainable = True
    param_names = ()
    decay_names = ()  # parameters that L2 weight decay acts on (weights, not biases)

    def forward(self, x, train=False):
        raise NotImplementedError(
            f"{type(self).__name__} must implement forward(x, train)"
        )

    def backward(self, grad_out, need_input_grad=True):
        raise NotImplementedError(
            f"{type(self).__name__} must implement "
            "backward(grad_out, need_input_grad=True) -> grad_in"
        )

    def params(self):
        """Trainable parameter arrays (updated in place by optimizers)."""
        if not self.trainable:
            return []
        return [getattr(self, n) for n in self.param_names]

    def grads(self):
        """Gradients, in the same order as :meth:`params`."""
        if not self.trainable:
            return []
        return [getattr(self, "d" + n) for n in self.param_names]

    def named_params(self):
        """All parameters, frozen or not, as ``{name: array}``."""
        return {n: getattr(self, n) for n in self.param_names}

    def named_buffers(self):
        """Saved, untrained arrays as ``{name: array}`` (none by default)."""
        return {}

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


def as_input(x, layer):
    """``x`` as a float array (integers and bools → float64), or a clear error
    that names ``layer``."""
    return _checks.array(f"the input of {layer}", x)
