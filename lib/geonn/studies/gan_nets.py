"""The small convolutional generator and discriminator of chapter 10, for traces of
``nt`` samples.

Generator G: z (n, latent_dim) → Dense → (n, channels, nt/4) → [×2 upsample, Conv1D]
twice → trace (n, nt). The convolutions make the output band-limited, as seismic traces
are. Discriminator D: trace (n, nt) → Conv1D stride 2, twice → Dense → one logit (n, 1).
Leaky ReLU (slope 0.2) between layers, He initial weights, linear outputs.

:func:`operator_norm` measures what spectral normalisation does and does not bound: the
largest singular value of a layer as a map of its whole input, not of its reshaped
kernel.
"""

import copy

import numpy as np

from geonn.core import _checks
from geonn.core.layers import (
    Activation,
    Conv1D,
    Conv2D,
    Dense,
    Flatten,
    Reshape,
    Upsample1D,
    spectral_norm,
)
from geonn.core.network import Sequential

__all__ = [
    "trace_generator",
    "trace_discriminator",
    "add_spectral_norm",
    "operator_norm",
]

SLOPE = 0.2


def _act():
    return Activation("leaky_relu", slope=SLOPE)


def trace_generator(latent_dim, nt, rng, *, channels=8, kernel_size=9):
    """G: (n, latent_dim) → (n, nt); ``nt`` must be a multiple of 4."""
    latent_dim = _checks.integer("latent_dim", latent_dim)
    nt = _checks.integer("nt", nt, low=4)
    if nt % 4:
        raise ValueError(
            "trace_generator: nt must be a multiple of 4 (two ×2 upsamplings); got "
            f"{nt}"
        )
    c, k = _checks.integer("trace_generator channels", channels), kernel_size
    return Sequential(
        [
            Dense(latent_dim, c * nt // 4, rng=rng, init="he"),
            _act(),
            Reshape((c, nt // 4)),
            Upsample1D(2),
            Conv1D(c, c, k, rng=rng, init="he"),
            _act(),
            Upsample1D(2),
            Conv1D(c, 1, k, rng=rng),
            Flatten(),
        ]
    )


def trace_discriminator(nt, rng, *, channels=(8, 16), kernel_size=9):
    """D: (n, nt) → logits (n, 1); ``nt`` must be a multiple of 4."""
    nt = _checks.integer("nt", nt, low=4)
    if nt % 4:
        raise ValueError(
            "trace_discriminator: nt must be a multiple of 4 (two strides of 2); got "
            f"{nt}"
        )
    channels = _checks.sizes("trace_discriminator channels", channels, min_len=2)
    if len(channels) != 2:
        raise ValueError(
            f"trace_discriminator channels must be a pair (c1, c2), one per "
            f"convolution; got {channels}"
        )
    c1, c2 = channels
    k = kernel_size
    return Sequential(
        [
            Reshape((1, nt)),
            Conv1D(1, c1, k, stride=2, rng=rng, init="he"),
            _act(),
            Conv1D(c1, c2, k, stride=2, rng=rng, init="he"),
            _act(),
            Flatten(),
            Dense(c2 * nt // 4, 1, rng=rng),
        ]
    )


def add_spectral_norm(net, rng, bound=1.0):
    """Attach spectral normalisation with largest singular value ``bound`` to every
    Dense, Conv1D and Conv2D layer of ``net`` (in place; the raw weights are kept);
    return ``net``.

    For Dense layers the bound is the layer's operator norm. For Conv1D it is only the
    norm of the kernel reshaped to (C_out, C_in·k): the layer applies that matrix to
    overlapping windows, and its operator norm can reach bound·√⌈k/stride⌉
    (see :func:`operator_norm`); likewise Conv2D, (C_out, C_in·kh·kw), up to
    bound·√(⌈kh/s_h⌉⌈kw/s_w⌉). So |s(x) − s(y)| ≤ bound^L ‖x − y‖ (L weighted layers,
    leaky ReLU 1-Lipschitz) holds for Dense networks only; for convolutional ones it is
    a heuristic.
    """
    if not hasattr(net, "leaves"):
        raise TypeError(
            f"add_spectral_norm needs net as a geonn network; got {type(net).__name__}"
        )
    for layer in net.leaves():
        if isinstance(layer, (Dense, Conv1D, Conv2D)):
            spectral_norm(layer, bound, rng=rng)
    return net


def operator_norm(layer, in_shape):
    """‖J‖₂ = max ‖layer(x) − layer(0)‖ / ‖x‖: the largest singular value of an affine
    layer (Dense, Conv1D, Conv2D; with spectral normalisation, its current normalised
    weight) acting on one input of shape ``in_shape`` (e.g. (C_in, L) for Conv1D,
    (C_in, H, W) for Conv2D, (features,) for Dense).

    J is assembled column by column, by one forward pass of the p = prod(in_shape) unit
    inputs, and its norm taken by SVD: exact, and cheap for the layers of this chapter
    (p ≤ a few hundred). The layer is copied, so its caches and power-iteration vector
    are left as they were.
    """
    shape = tuple(
        _checks.integer("operator_norm in_shape", n) for n in np.atleast_1d(in_shape)
    )
    if not shape:
        raise ValueError("operator_norm in_shape must name at least one dimension")
    if not hasattr(layer, "forward") or not hasattr(layer, "W"):
        raise TypeError(
            f"operator_norm needs a Dense or Conv1D layer, or a Conv2D; got "
            f"{type(layer).__name__}"
        )
    layer = copy.deepcopy(layer)
    p = int(np.prod(shape))
    basis = np.eye(p, dtype=layer.W.dtype).reshape((p,) + shape)
    J = layer.forward(basis) - layer.forward(np.zeros((1,) + shape, layer.W.dtype))
    return float(np.linalg.norm(J.reshape(p, -1), 2))
