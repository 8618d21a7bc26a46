"""Two-dimensional pooling and upsampling on images (batch, channels, height, width).

Pooling works tap by tap: the tap (i, j) of every window at once is the strided
view x[:, :, i::s_h, j::s_w] (no copy), so a size_h × size_w pool is size_h·size_w
whole-array operations (a loop over the taps, never over samples or positions),
and the gradient is added back through the same views.
"""

import numpy as np

from .. import _checks
from .base import Layer
from .conv2d import check_4d

__all__ = ["MaxPool2D", "AvgPool2D", "Upsample2D"]


class _Pool2D(Layer):
    def __init__(self, size, stride=None):
        name = type(self).__name__
        self.size = _checks.pair(f"{name} size", size)
        self.stride = (
            self.size if stride is None else _checks.pair(f"{name} stride", stride)
        )

    def _taps(self, shape):
        """The index of tap (i, j) of every window, for each tap in row-major order."""
        (kh, kw), (sh, sw) = self.size, self.stride
        H_out, W_out = (shape[2] - kh) // sh + 1, (shape[3] - kw) // sw + 1
        return [
            (
                slice(None),
                slice(None),
                slice(i, i + sh * (H_out - 1) + 1, sh),
                slice(j, j + sw * (W_out - 1) + 1, sw),
            )
            for i in range(kh)
            for j in range(kw)
        ]

    def _zeros(self, dtype):
        """∂L/∂x to add into, in the memory layout of x; left unset when the windows
        tile x exactly (every pixel gets written)."""
        (kh, kw), (sh, sw), (H, W) = self.size, self.stride, self.x.shape[2:]
        tiled = (sh, sw) == (kh, kw) and H % kh == 0 and W % kw == 0
        return (np.empty_like if tiled else np.zeros_like)(self.x, dtype)

    def _add(self, dx, tap, value):
        """dx[tap] += value; a plain write when the windows do not overlap."""
        if self.stride[0] >= self.size[0] and self.stride[1] >= self.size[1]:
            dx[tap] = value
        else:
            dx[tap] += value

    def _check(self, x):
        x = check_4d(x, repr(self))
        kh, kw = self.size
        if x.shape[2] < kh or x.shape[3] < kw:
            raise ValueError(
                f"{self!r} needs images of at least {kh} × {kw} pixels; "
                f"got shape {x.shape}"
            )
        self.x = x
        return x

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
        x = self._check(x)
        taps = self._taps(x.shape)
        a = x[taps[0]].copy(order="K")  # keeps the input's memory layout
        # which tap holds the maximum; a later tap wins only if strictly larger
        self.arg = arg = np.zeros_like(a, np.uint8 if len(taps) < 256 else np.intp)
        for t, tap in enumerate(taps[1:], 1):
            larger = x[tap] > a
            np.maximum(a, x[tap], out=a)
            arg *= ~larger  # arg[larger] = t, in arithmetic: masked writes are 5×
            arg += larger * arg.dtype.type(t)  # slower than whole-array operations
        return a

    def backward(self, grad_out, need_input_grad=True):
        dx = self._zeros(grad_out.dtype)
        for t, tap in enumerate(self._taps(self.x.shape)):
            self._add(dx, tap, grad_out * (self.arg == t))
        return dx


class AvgPool2D(_Pool2D):
    """a[n, c, h, w] = 1/(size_h·size_w) Σ_{i, j} x[n, c, h·s_h + i, w·s_w + j];
    each input gets δ/(size_h·size_w) from every window that covers it.

    Shapes as :class:`MaxPool2D`.
    """

    def forward(self, x, train=False):
        x = self._check(x)
        taps = self._taps(x.shape)
        a = x[taps[0]].copy(order="K")
        for tap in taps[1:]:
            a += x[tap]
        return a / len(taps)

    def backward(self, grad_out, need_input_grad=True):
        share = grad_out / (self.size[0] * self.size[1])
        dx = self._zeros(share.dtype)
        for tap in self._taps(self.x.shape):
            self._add(dx, tap, share)
        return dx


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
