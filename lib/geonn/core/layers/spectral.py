"""Spectral normalisation (Miyato et al. 2018) for Dense, Conv1D and Conv2D weights.

With W viewed as a matrix M (Dense: W itself; Conv1D and Conv2D: W reshaped to
(C_out, C_in·k), k all taps), the layer uses

    W_sn = c · W / σ(M),     σ(M) ≈ uᵀ M v,  v = Mᵀu / ‖Mᵀu‖,

so the largest singular value of W_sn is the bound c (default 1).  Each
training forward pass takes one power-iteration step, u ← M Mᵀu / ‖M Mᵀu‖; u is
kept between steps and saved with the weights.  σ = ‖Mᵀu‖ exactly, so with u
held fixed the gradient is exact:

    ∂L/∂W = (c/σ) [G − (⟨G, W⟩/σ) u vᵀ],   G = ∂L/∂W_sn.
"""

import numpy as np

from .. import _checks
from .base import Layer

__all__ = ["SpectralNorm", "spectral_norm", "WeightLayer"]


class SpectralNorm:
    """The reparametrisation W → c·W/σ(W) that :func:`spectral_norm` attaches to a
    layer."""

    def __init__(self, W, bound=1.0, *, rng):
        self.bound = _checks.positive("SpectralNorm bound", bound)
        W = _checks.array("SpectralNorm W", W, min_ndim=2)
        _checks.rng(rng, "SpectralNorm (to draw the power-iteration vector u)")
        u = rng.normal(size=W.shape[0]).astype(W.dtype)
        self.u = u / np.linalg.norm(u)

    def named_buffers(self):
        return {"u": self.u}

    def weight(self, W, train=False):
        M = W.reshape(len(W), -1)
        if train:  # one power-iteration step, in place so u's array is kept
            w = M @ (M.T @ self.u)
            norm = np.linalg.norm(w)
            if norm > 0:  # (W = 0 is refused below, with u left as it was)
                self.u[...] = w / norm
        v = M.T @ self.u
        self.sigma = float(np.linalg.norm(v))
        if self.sigma == 0:  # (NaN weights propagate, as in any layer)
            raise ValueError(
                "spectral normalisation divides W by its largest singular value, "
                "but σ = 0: the weight is all zero; give the layer non-zero weights"
            )
        self.v, self._W = v / self.sigma, W
        return (self.bound / self.sigma) * W

    def backward(self, G):
        """∂L/∂W from G = ∂L/∂W_sn, with u held fixed."""
        c, s, W = self.bound, self.sigma, self._W
        inner = float(np.sum(G * W))
        return (c / s) * (G - (inner / s) * np.outer(self.u, self.v).reshape(W.shape))

    def __repr__(self):
        return f"SpectralNorm(bound={self.bound:g})"


class WeightLayer(Layer):
    """A layer whose weight ``W`` may be reparametrised (Dense, Conv1D, Conv2D): the
    one place where a layer meets :class:`SpectralNorm` (``self.reparam``)."""

    reparam = None

    def weight(self, train=False):
        """The weight used in forward: W, or its reparametrisation c·W/σ."""
        return self.W if self.reparam is None else self.reparam.weight(self.W, train)

    def weight_grad(self, G):
        """∂L/∂W from G = ∂L/∂weight() (G itself without a reparametrisation)."""
        return G if self.reparam is None else self.reparam.backward(G)

    def named_buffers(self):
        return {} if self.reparam is None else self.reparam.named_buffers()


def spectral_norm(layer, bound=1.0, *, rng):
    """Attach spectral normalisation to a Dense, Conv1D or Conv2D ``layer``; return it.

    ``bound`` is the largest singular value allowed (1 in Miyato et al.; a GAN on
    small-amplitude data may need more).  The raw weight stays ``layer.W``;
    ``layer.weight()`` is the normalised one.
    """
    if not isinstance(layer, WeightLayer):
        raise TypeError(
            "spectral_norm needs a Dense, Conv1D or Conv2D layer; "
            f"got {type(layer).__name__}"
        )
    if not np.any(layer.W):
        raise ValueError(
            f"spectral_norm divides {layer!r}'s W by its largest singular value, "
            f"which is 0 for this all-zero W; give the layer non-zero weights"
        )
    layer.reparam = SpectralNorm(layer.W, bound, rng=rng)
    return layer
