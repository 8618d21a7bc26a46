"""``Sequential``: a stack of layers, itself usable as a layer; ``mlp`` builds
the usual fully connected one from its layer sizes."""

import os
import zipfile

import numpy as np

from . import _checks
from .layers import Activation, Dense, Layer
from .layers.skip import Container

__all__ = ["Sequential", "mlp"]


class Sequential(Container):
    """Feed-forward network: ``forward`` runs the layers left to right,
    ``backward`` runs them right to left and returns ∂L/∂(network input).

    A Sequential is a Layer, so ``Sequential([encoder, decoder])`` composes
    two networks, and a generator can be trained through a discriminator.
    Inputs have shape (batch, ...): 2-D for Dense stacks, (batch, channels,
    length) for Conv1D.  ``params()``/``grads()`` are the union of the trainable
    layers inside, at any depth, so ``net.freeze(); net[0][0].unfreeze()``
    trains exactly ``net[0][0]``.  Its ``trainable`` flag reads True when any
    layer with parameters inside is trainable; setting it (``freeze``/``unfreeze``)
    sets them all.
    """

    def __init__(self, layers):
        layers = list(layers)
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"layer {i} is a {type(layer).__name__}, not a geonn Layer"
                )
        self.layers = layers

    # -- computation -------------------------------------------------------
    def forward(self, x, train=False):
        if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
            x = _checks.array("X", x)
        if x.ndim < 2:
            raise ValueError(
                f"X must be 2-D or more (n_samples, n_features, ...); got shape "
                f"{x.shape}. For one feature use X.reshape(-1, 1)"
            )
        for layer in self.layers:
            x = layer.forward(x, train=train)
        return x

    def backward(self, grad_out, need_input_grad=True):
        """Write every parameter gradient and return ∂L/∂(network input); with
        ``need_input_grad=False`` the first layer may skip that last gradient."""
        if not self.layers:
            return grad_out
        for layer in reversed(self.layers[1:]):
            grad_out = layer.backward(grad_out)
        return self.layers[0].backward(grad_out, need_input_grad=need_input_grad)

    def predict(self, x, batch_size=None):
        """Forward pass in evaluation mode (dropout off).

        With ``batch_size``, ``x`` goes through in chunks of that many rows and the
        outputs are joined: the same result, with the memory of one chunk (a Conv1D
        layer keeps an (n, C·k, L) copy of its input).
        """
        if batch_size is None:
            return self.forward(x, train=False)
        batch_size = _checks.integer("batch_size", batch_size)
        x = _checks.array("X", x)
        if x.ndim < 1 or len(x) == 0:
            raise ValueError(f"X must hold at least one sample; got shape {x.shape}")
        return np.concatenate(
            [
                self.forward(x[i : i + batch_size], train=False)
                for i in range(0, len(x), batch_size)
            ]
        )

    # -- persistence (np.savez: arrays only, never pickle) ------------------
    def save(self, path):
        """Write every parameter (and buffer, e.g. SpectralNorm's u) to ``path``.

        NumPy adds ``.npz`` when ``path`` lacks it; :meth:`load` accepts both.
        """
        np.savez(path, **self.named_params(), **self.named_buffers())

    def load(self, path):
        """Copy parameters from an ``.npz`` file written by :meth:`save`.

        The file must describe a network of exactly this shape, with finite
        values.  Any problem (missing, truncated, not an .npz, pickled, wrong
        names or shapes, members that are not NumPy arrays, NaN/inf) raises one
        ValueError naming the file; the weights are only touched once every check
        has passed.  Values are cast to this network's dtype: a float64 file loads
        into a float32 network (rounded to float32), and the reverse is exact.
        """
        path = os.fspath(path)
        if not os.path.exists(path) and os.path.exists(path + ".npz"):
            path += ".npz"
        mine = {**self.named_params(), **self.named_buffers()}

        def fail(problem):
            return ValueError(f"cannot load weights from {path!r}: {problem}")

        if not os.path.exists(path):
            raise fail("no such file")
        try:
            with open(path, "rb") as fh:
                head = fh.read(6)
        except OSError as err:
            raise fail(f"it cannot be read ({err})") from err
        if head.startswith(b"\x80"):  # pickle protocol ≥ 2
            raise fail("it holds pickled data, which is never loaded")
        if not head.startswith(b"PK"):  # a zip archive, as np.savez writes
            raise fail(
                f"not an .npz archive written by Sequential.save (it begins {head!r})"
            )
        try:
            with np.load(path, allow_pickle=False) as f:
                theirs = {k: f[k] for k in f.files}
        except ValueError as err:  # an object array inside needs pickle
            if "pickle" in str(err).lower() or "Object arrays" in str(err):
                raise fail("it holds pickled data, which is never loaded") from err
            raise fail(f"the file is truncated or not an .npz archive ({err})") from err
        except (OSError, EOFError, KeyError, zipfile.BadZipFile) as err:
            raise fail(f"the file is truncated or not an .npz archive ({err})") from err
        # np.load gives the raw bytes of a zip member that is not an .npy array
        raw = sorted(k for k, v in theirs.items() if not isinstance(v, np.ndarray))
        if raw:
            raise fail(f"its members {raw} are not NumPy arrays (.npy)")
        missing, extra = (
            sorted(set(mine) - set(theirs)),
            sorted(set(theirs) - set(mine)),
        )
        if missing or extra:
            raise fail(
                f"it does not fit this network: missing {missing or 'nothing'}, "
                f"unexpected {extra or 'nothing'}"
            )
        for k, v in mine.items():
            if theirs[k].shape != v.shape:
                raise fail(
                    f"it has {k} of shape {theirs[k].shape} but this network has "
                    f"{v.shape}"
                )
            if theirs[k].dtype.kind not in "fiu":
                raise fail(f"{k} has dtype {theirs[k].dtype}, not numbers")
            if not np.all(np.isfinite(theirs[k])):
                raise fail(f"{k} holds NaN or inf values")
        for k, v in mine.items():
            v[...] = theirs[k]
        return self

    # -- display -----------------------------------------------------------
    def __repr__(self):
        lines = ["Sequential("]
        for i, layer in enumerate(self.layers):
            inner = repr(layer).replace("\n", "\n    ")
            n = layer.n_params
            count = (
                f"  # {n} params" + ("" if layer.trainable or not n else ", frozen")
                if n
                else ""
            )
            lines.append(f"  ({i}): {inner}{count}")
        lines.append(
            f")  total: {self.n_params} parameters, {self.n_trainable} trainable"
        )
        return "\n".join(lines)

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]


def mlp(sizes, activation, *, rng, init="xavier"):
    """A fully connected feed-forward network with a linear (identity) output.

    ``sizes = [p, m₁, …, k]`` gives Dense(p→m₁), α, Dense(m₁→m₂), α, …,
    Dense(→k): ``activation`` α after every hidden layer and none after the
    last, so the output is the logits of a classifier or the value of a
    regression.  The weights are drawn from ``rng`` layer by layer, in order;
    the biases start at 0.  For one hidden layer of m nodes the network has
    |θ| = pm + mk + m + k parameters.
    """
    sizes = list(sizes)
    if len(sizes) < 2 or any(
        isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1
        for s in sizes
    ):
        raise ValueError(
            f"sizes must list at least two positive integers (inputs … outputs); "
            f"got {sizes}"
        )
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if layers:  # α between Dense layers, none after the output
            layers.append(Activation(activation))
        layers.append(Dense(n_in, n_out, rng=rng, init=init))
    return Sequential(layers)
