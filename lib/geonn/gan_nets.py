"""The small convolutional generator and discriminator of chapter 10, for traces of ``nt`` samples.

Generator G: z (n, latent_dim) → Dense → (n, channels, nt/4) → [×2 upsample, Conv1D] twice
→ trace (n, nt). The convolutions make the output band-limited, as seismic traces are.
Discriminator D: trace (n, nt) → Conv1D stride 2, twice → Dense → one logit (n, 1).
Leaky ReLU (slope 0.2) between layers, He initial weights, linear outputs.
"""
from . import _checks
from .layers import Activation, Conv1D, Dense, Flatten, Reshape, Upsample1D, spectral_norm
from .network import Sequential

__all__ = ["trace_generator", "trace_discriminator", "add_spectral_norm"]

SLOPE = 0.2


def _act():
    return Activation("leaky_relu", slope=SLOPE)


def trace_generator(latent_dim, nt, rng, *, channels=8, kernel_size=9):
    """G: (n, latent_dim) → (n, nt); ``nt`` must be a multiple of 4."""
    latent_dim = _checks.integer("latent_dim", latent_dim)
    nt = _checks.integer("nt", nt, low=4)
    if nt % 4:
        raise ValueError(f"trace_generator: nt must be a multiple of 4 (two ×2 upsamplings); got {nt}")
    c, k = channels, kernel_size
    return Sequential([Dense(latent_dim, c * nt // 4, rng=rng, init="he"), _act(),
                       Reshape((c, nt // 4)), Upsample1D(2), Conv1D(c, c, k, rng=rng, init="he"),
                       _act(), Upsample1D(2), Conv1D(c, 1, k, rng=rng), Flatten()])


def trace_discriminator(nt, rng, *, channels=(8, 16), kernel_size=9):
    """D: (n, nt) → logits (n, 1); ``nt`` must be a multiple of 4."""
    nt = _checks.integer("nt", nt, low=4)
    if nt % 4:
        raise ValueError(f"trace_discriminator: nt must be a multiple of 4 (two strides of 2); got {nt}")
    c1, c2 = channels
    k = kernel_size
    return Sequential([Reshape((1, nt)), Conv1D(1, c1, k, stride=2, rng=rng, init="he"), _act(),
                       Conv1D(c1, c2, k, stride=2, rng=rng, init="he"), _act(), Flatten(),
                       Dense(c2 * nt // 4, 1, rng=rng)])


def add_spectral_norm(net, rng, bound=1.0):
    """Attach spectral normalisation with largest singular value ``bound`` to every Dense and
    Conv1D layer of ``net`` (in place; the raw weights are kept); return ``net``.

    D's logit is then Lipschitz with constant at most bound^L in its input (L weighted
    layers; leaky ReLU is 1-Lipschitz): |s(x) − s(y)| ≤ bound^L ‖x − y‖.
    """
    for layer in net.leaves():
        if isinstance(layer, (Dense, Conv1D)):
            spectral_norm(layer, bound, rng=rng)
    return net
