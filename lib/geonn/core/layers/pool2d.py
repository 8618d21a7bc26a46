"""Two-dimensional pooling and upsampling on images (batch, channels, height, width).

Pooling reads the size_h × size_w windows of ``sliding_window_view`` (no copy)
and reduces them; the gradient is added back one window tap at a time (a loop
over the taps, never over samples or positions).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import _checks
from .base import Layer
from .conv2d import check_4d

__all__ = ["MaxPool2D", "AvgPool2D", "Upsample2D"]


def _scatter_taps(taps, shape, stride):
    """Sum window gradients (n, C, H_out, W_out, size_h, size_w) back onto an input
    of ``shape`` (n, C, H, W)."""
    _, _, H_out, W_out, kh, kw = taps.shape
    sh, sw = stride
    dx = np.zeros(shape, dtype=taps.dtype)
    for i in range(kh):  # window (h, w) covers input (h·s_h + i, w·s_w + j)
        for j in range(kw):
            rows = slice(i, i + sh * (H_out - 1) + 1, sh)
            cols = slice(j, j + sw * (W_out - 1) + 1, sw)
            dx[:, :, rows, cols] += taps[..., i, j]
    return dx


class _Pool2D(Layer):
    def __init__(self, size, stride=None):
        name = type(self).__name__
        self.size = _checks.pair(f"{name} size", size)
        self.stride = (
            self.size if stride is None else _checks.pair(f"{name} stride", stride)
        )

    def _windows(self, x):
        """(n, C, H_out, W_out, size_h, size_w) views of the windows of ``x``."""
        x = check_4d(x, repr(self))
        (kh, kw), (sh, sw) = self.size, self.stride
        if x.shape[2] < kh or x.shape[3] < kw:
            raise ValueError(
                f"{self!r} needs images of at least {kh} × {kw} pixels; "
                f"got shape {x.shape}"
            )
        self.shape = x.shape
        return sliding_window_view(x, self.size, axis=(2, 3))[:, :, ::sh, ::sw]

    def __repr__(self):
        def show(p):
            return str(p[0]) if p[0] == p[1] else f"{p[0]}×{p[1]}"

        s = f", stride={show(self.stride)}" if self.stride != self.size else ""
        return f"{type(self).__name__}({show(self.size)}{s})"


class MaxPool2D(_Pool2D):
    """a[n, c, h, w] = max_{i, j} x[n, c, h·s_h + i, w·s_w + j], i < size_h, j < size_w;
    the gradient goes to the maximum (the first in row-major order, on ties).

    Shapes: (n, C, H, W) → (n, C, H_out, W_out), H_out = ⌊(H − size_h)/s_h⌋ + 1,
    likewise W_out; ``size`` and ``stride`` are an int or a pair, stride defaults
    to size.
    """

    def forward(self, x, train=False):
        w = self._windows(x)
        flat = w.reshape(*w.shape[:4], -1)
        self.arg = flat.argmax(axis=-1)
        return np.take_along_axis(flat, self.arg[..., None], axis=-1)[..., 0]

    def backward(self, grad_out, need_input_grad=True):
        k = self.size[0] * self.size[1]
        taps = (self.arg[..., None] == np.arange(k)) * grad_out[..., None]
        taps = taps.astype(grad_out.dtype, copy=False)
        return _scatter_taps(
            taps.reshape(*taps.shape[:4], *self.size), self.shape, self.stride
        )


class AvgPool2D(_Pool2D):
    """a[n, c, h, w] = 1/(size_h·size_w) Σ_{i, j} x[n, c, h·s_h + i, w·s_w + j];
    each input gets δ/(size_h·size_w) from every window that covers it.

    Shapes as :class:`MaxPool2D`.
    """

    def forward(self, x, train=False):
        return self._windows(x).mean(axis=(-2, -1))

    def backward(self, grad_out, need_input_grad=True):
        share = grad_out / (self.size[0] * self.size[1])
        taps = np.broadcast_to(share[..., None, None], share.shape + self.size)
        return _scatter_taps(taps, self.shape, self.stride)


class Upsample2D(Layer):
    """Nearest-neighbour upsampling: a[n, c, h, w] = x[n, c, ⌊h/f_h⌋, ⌊w/f_w⌋],
    (n, C, H, W) → (n, C, f_h·H, f_w·W); ``factor`` is an int or a pair.
    Backward sums each f_h × f_w block of δ."""

    def __init__(self, factor):
        self.factor = _checks.pair("Upsample2D factor", factor)

    def forward(self, x, train=False):
        x = check_4d(x, repr(self))
        fh, fw = self.factor
        return np.repeat(np.repeat(x, fh, axis=2), fw, axis=3)

    def backward(self, grad_out, need_input_grad=True):
        n, C, H, W = grad_out.shape
        fh, fw = self.factor
        return grad_out.reshape(n, C, H // fh, fh, W // fw, fw).sum(axis=(3, 5))

    def __repr__(self):
        fh, fw = self.factor
        return f"Upsample2D({fh if fh == fw else f'{fh}×{fw}'})"
