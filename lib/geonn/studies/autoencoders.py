"""Autoencoders (chapter 9): a network trained to give back its own input through a
bottleneck.

An autoencoder is ``Sequential([encoder, decoder])``: the encoder maps x (n_in,) to a
code z (k,), k ≪ n_in, and the decoder maps z back to x′ (n_in,). It is trained on

    L = (1/n) Σᵢ ‖xᵢ − x′ᵢ‖²        (geonn's MSE, up to a constant factor),

the squared norm of the reconstruction error of each sample, summed over its entries.
A denoising autoencoder is trained on (x̃, x) pairs, noisy in and clean out.
"""

import numpy as np

from geonn.core import _checks
from geonn.core.layers import Activation, Conv1D, Dense, MaxPool1D, Upsample1D
from geonn.core.network import Sequential

__all__ = ["dense_autoencoder", "conv_denoiser", "unexplained_variance"]


def dense_autoencoder(n_in, code, hidden=(128, 128), activation="relu", *, rng):
    """Dense autoencoder ``Sequential([encoder, decoder])``, mirror-symmetric.

    encoder: n_in → hidden[0] → … → code, decoder: code → … → hidden[0] → n_in,
    with ``activation`` after every hidden layer and none on the code or the
    output (so both can take any sign).  ``hidden=()`` gives the linear
    autoencoder z = W₁x + b₁, x′ = W₂z + b₂, whose best fit spans the same
    subspace as the first ``code`` principal components.
    """
    n_in = _checks.integer("n_in", n_in)
    code = _checks.integer("code (the bottleneck size)", code)
    hidden = _checks.sizes("hidden (the hidden layer sizes)", hidden)
    if code >= n_in:
        raise ValueError(
            f"the code (bottleneck) must be smaller than the input: code = {code}, "
            f"n_in = {n_in}"
        )

    def stack(sizes):
        layers = []
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(Dense(a, b, rng=rng))
            if i < len(sizes) - 2:
                layers.append(Activation(activation))
        return Sequential(layers)

    sizes = (n_in, *hidden, code)
    return Sequential([stack(sizes), stack(sizes[::-1])])


def conv_denoiser(channels=16, kernel_size=9, levels=2, *, rng):
    """Convolutional denoising autoencoder for traces of shape (batch, 1, nt).

    ``levels`` times Conv1D → ReLU → MaxPool1D(2) halve the length (nt must be
    divisible by 2**levels), one Conv1D → ReLU works at the coarsest scale, then
    ``levels`` times Upsample1D(2) → Conv1D → ReLU restore it, and a last Conv1D
    maps the channels back to one trace.  The bottleneck is
    ``channels`` × nt / 2**levels numbers per trace.  The network refuses traces
    whose length is not a multiple of 2**levels (the poolings would drop samples
    and the output would come back shorter).
    """
    channels = _checks.integer("channels", channels)
    levels = _checks.integer("levels", levels, low=0)
    _checks.rng(rng, "conv_denoiser")
    layers, c_in = [], 1
    for _ in range(levels):
        layers += [
            Conv1D(c_in, channels, kernel_size, rng=rng),
            Activation("relu"),
            MaxPool1D(2),
        ]
        c_in = channels
    layers += [Conv1D(c_in, channels, kernel_size, rng=rng), Activation("relu")]
    for _ in range(levels):
        layers += [
            Upsample1D(2),
            Conv1D(channels, channels, kernel_size, rng=rng),
            Activation("relu"),
        ]
    layers.append(Conv1D(channels, 1, kernel_size, rng=rng))
    return _LengthChecked(layers, 2**levels)


class _LengthChecked(Sequential):
    """A Sequential that refuses traces (batch, C, nt) whose length nt is not a
    multiple of ``multiple``: :func:`conv_denoiser`'s poolings halve the length
    ``levels`` times, and an odd length would silently lose its last sample."""

    def __init__(self, layers, multiple):
        super().__init__(layers)
        self.multiple = multiple

    def forward(self, x, train=False):
        try:
            shape = np.shape(x)
        except ValueError:  # a ragged list: Sequential.forward names the problem
            shape = ()
        if len(shape) == 3 and shape[2] % self.multiple:
            raise ValueError(
                f"conv_denoiser: the traces must have a length divisible by "
                f"2**levels = {self.multiple}; got {shape[2]} samples (shape "
                f"{shape}): pad or crop them"
            )
        return super().forward(x, train=train)


def unexplained_variance(x, x_hat):
    """Σ‖x − x′‖² / Σ‖x − x̄‖²: the share of the data's variance a reconstruction misses.

    x, x_hat : (n, ...) arrays of the same shape; x̄ is the mean over the n samples.
    0 is a perfect reconstruction; 1 is what predicting the mean sample scores.
    """
    x = _checks.finite("x", _checks.array("x", x))
    x_hat = _checks.finite("x_hat", _checks.array("x_hat", x_hat))
    if x.shape != x_hat.shape:
        raise ValueError(
            f"x and x_hat must have the same shape; got {x.shape} and {x_hat.shape}"
        )
    # both scaled by powers of two at 1e200 (exactly; e = 0 otherwise): no overflow
    (spread,), e_s = _checks.unit_scale(x - x.mean(axis=0))
    (miss,), e_m = _checks.unit_scale(x - x_hat)
    total = np.sum(spread**2)
    if total == 0:
        raise ValueError(
            "x has no variance (all samples are equal): the share is undefined"
        )
    with np.errstate(over="ignore"):  # refused below
        share = float(np.ldexp(np.sum(miss**2) / total, 2 * (e_m - e_s)))
    if not np.isfinite(share):
        raise ValueError(
            "unexplained_variance: the share overflows float64: x_hat is off x by "
            "more than 1e154 times x's spread"
        )
    return share
