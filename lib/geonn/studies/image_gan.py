"""A small DCGAN on square seismic patches (chapter 12), after Radford et al. (2016).

Generator G: z (n, latent_dim) → Dense, leaky ReLU → (n, C₀, s/8, s/8) →
[Upsample2D(2), Conv2D 3×3, leaky ReLU] × 2 → Upsample2D(2), Conv2D 3×3 (linear:
amplitudes of either sign) → patch (n, 1, s, s), s = 48 by default.
Nearest-neighbour upsampling followed by a convolution, rather than a transposed
convolution, avoids its checkerboard (Odena et al. 2016).

Discriminator D: patch (n, 1, s, s) → [Conv2D 3×3 stride 2, leaky ReLU] × 3 →
Flatten → Dense → one logit (n, 1). Its three convolutions have the shapes of the
encoder convolutions of chapter 11's ``fault_unet(channels=(8, 16, 32))``, (8, 1,
3, 3), (16, 8, 3, 3), (32, 16, 3, 3), so that :func:`discriminator_weights` can
be transplanted into it. Leaky ReLU slope 0.2, He initial weights, as in chapter 10.

Training, saving and loading: :mod:`.image_gan_run`; chapter 10's measures on
patches: :mod:`.image_gan_report`; the latent walk: :mod:`.image_gan_walk`.
"""

import numpy as np

from geonn.core import _checks
from geonn.core.layers import (
    Activation,
    Conv2D,
    Dense,
    Flatten,
    Reshape,
    Upsample2D,
)
from geonn.core.network import Sequential

from .gan_nets import SLOPE, add_spectral_norm

__all__ = [
    "PATCH",
    "patch_generator",
    "patch_discriminator",
    "discriminator_weights",
]

PATCH = 48


def _act():
    return Activation("leaky_relu", slope=SLOPE)


def _channels(name, channels, n):
    channels = _checks.sizes(name, channels, min_len=n)
    if len(channels) != n:
        raise ValueError(f"{name} must list {n} channel counts; got {channels}")
    return channels


def _size(name, size):
    size = _checks.integer(name, size, low=8)
    if size % 8:
        raise ValueError(f"{name} must be a multiple of 8 (three ×2 steps); got {size}")
    return size


def patch_generator(
    latent_dim, rng, *, size=PATCH, channels=(32, 16, 8), dtype=np.float32
):
    """G: (n, latent_dim) → (n, 1, size, size). ``channels`` = (C₀, C₁, C₂): Dense →
    (C₀, size/8, size/8) → [Upsample2D(2), Conv2D 3×3 → C₁, leaky ReLU] →
    [Upsample2D(2), Conv2D 3×3 → C₂, leaky ReLU] → [Upsample2D(2), Conv2D 3×3 → 1,
    linear: amplitudes of either sign]."""
    latent_dim = _checks.integer("latent_dim", latent_dim)
    _checks.rng(rng, "patch_generator")
    size = _size("patch_generator size", size)
    c0, c1, c2 = _channels("patch_generator channels", channels, 3)
    s0 = size // 8
    layers = [
        Dense(latent_dim, c0 * s0 * s0, rng=rng, init="he", dtype=dtype),
        _act(),
        Reshape((c0, s0, s0)),
    ]
    for c_in, c_out in ((c0, c1), (c1, c2)):
        layers += [
            Upsample2D(2),
            Conv2D(c_in, c_out, 3, rng=rng, init="he", dtype=dtype),
            _act(),
        ]
    layers += [Upsample2D(2), Conv2D(c2, 1, 3, rng=rng, dtype=dtype)]
    return Sequential(layers)


def patch_discriminator(
    rng, spectral=False, *, size=PATCH, channels=(8, 16, 32), dtype=np.float32
):
    """D: (n, 1, size, size) → logits (n, 1); ``spectral=True`` attaches spectral
    normalisation (bound 1) to its three convolutions and its Dense layer, with
    power-iteration vectors drawn from ``rng`` after the weights."""
    _checks.rng(rng, "patch_discriminator")
    if not isinstance(spectral, (bool, np.bool_)):
        raise TypeError(f"spectral must be True or False; got {spectral!r}")
    size = _size("patch_discriminator size", size)
    c1, c2, c3 = _channels("patch_discriminator channels", channels, 3)
    layers = []
    for c_in, c_out in ((1, c1), (c1, c2), (c2, c3)):
        layers += [
            Conv2D(c_in, c_out, 3, stride=2, rng=rng, init="he", dtype=dtype),
            _act(),
        ]
    s3 = size // 8
    D = Sequential([*layers, Flatten(), Dense(c3 * s3 * s3, 1, rng=rng, dtype=dtype)])
    return add_spectral_norm(D, rng) if spectral else D


def discriminator_weights(D):
    """The effective weights [(W, b)] × 3 of D's three convolutions, copies: W, or
    W_sn = W / σ(W) under spectral normalisation (σ from the current
    power-iteration vector, as in D's forward pass outside training)."""
    if not hasattr(D, "leaves"):
        raise TypeError(
            f"discriminator_weights needs D as a geonn network; got {type(D).__name__}"
        )
    convs = [layer for layer in D.leaves() if isinstance(layer, Conv2D)]
    found = [(c.c_in, c.c_out, c.stride) for c in convs]
    if len(convs) != 3 or convs[0].c_in != 1 or any(c.stride != (2, 2) for c in convs):
        raise ValueError(
            "discriminator_weights: D must be a patch_discriminator, with 3 Conv2D "
            f"layers of stride 2 on a one-channel patch; found (C_in, C_out, stride) "
            f"{found}"
        )
    return [(_effective(c), c.b.copy()) for c in convs]


def _effective(conv):
    """W, or c·W/σ with σ = ‖Mᵀu‖ (M = W as (C_out, C_in·9)): computed here, not by
    the layer's ``weight()``, which would overwrite the cache its backward reads."""
    sn = conv.reparam
    if sn is None:
        return conv.W.copy()
    sigma = np.linalg.norm(conv.W.reshape(len(conv.W), -1).T @ sn.u)
    return (sn.bound / sigma) * conv.W
