"""Two-dimensional pooling and upsampling on images (batch, channels, height, width).

A 2-D pool is two 1-D pools: along the height, then along the width (the max or
the mean of a window is that of its columns' maxima or means).  Along one axis,
tap i of every window at once is the strided view x[..., i::s, ...] (no copy),
so a pool is size_h + size_w whole-array operations (loops over the taps, never
over samples or positions), and the gradient goes back through the same views.
The first pass reads whole image rows, which makes this faster than taking the
size_h·size_w taps of each window directly.
"""

import numpy as np

from .. import _checks
from .base import Layer
from .conv import check_input

__all__ = ["MaxPool2D", "AvgPool2D", "Upsample2D"]


def _taps(a, axis, k, s, n_out):
    """Tap t of every window along ``axis``: views of ``a``, t = 0 … k − 1."""
    index = [slice(None)] * a.ndim
    views = []
    for t in range(k):
        index[axis] = slice(t, t + s * (n_out - 1) + 1, s)
        views.append(a[tuple(index)])
    return views


class _Pool2D(Layer):
    out_shape = None  # set by forward; backward before it is refused

    def __init__(self, size, stride=None):
        name = type(self).__name__
        self.size = _checks.pair(f"{name} size", size)
        self.stride = (
            self.size if stride is None else _checks.pair(f"{name} stride", stride)
        )

    def forward(self, x, train=False):
        x = check_input(x, repr(self), 4)
        if x.shape[2] < self.size[0] or x.shape[3] < self.size[1]:
            raise ValueError(
                f"{self!r} needs images of at least {self.size[0]} × {self.size[1]} "
                f"pixels; got shape {x.shape}"
            )
        # the input of each pass (kept for the layout of ∂L/∂x) and its argmax
        self.inputs, self.args = [], []
        a = x
        for axis, k, s in zip((2, 3), self.size, self.stride):
            n_out = (a.shape[axis] - k) // s + 1
            self.inputs.append(a)
            a, arg = self._reduce(_taps(a, axis, k, s, n_out))
            self.args.append(arg)
        self.out_shape = a.shape
        return a

    def backward(self, grad_out, need_input_grad=True):
        g = _checks.grad_out(self, grad_out, self.out_shape)
        for axis in (3, 2):
            k, s, a = self.size[axis - 2], self.stride[axis - 2], self.inputs[axis - 2]
            # every input is written once when the windows tile the axis
            tiled = s == k and a.shape[axis] == k * g.shape[axis]
            dx = (np.empty_like if tiled else np.zeros_like)(a, g.dtype)
            for t, view in enumerate(_taps(dx, axis, k, s, g.shape[axis])):
                weight = self._weight(self.args[axis - 2], k, t)
                if s >= k:  # no overlap: a write, not a read-modify-write
                    np.multiply(g, weight, out=view)
                else:
                    view += g * weight
            g = dx
        return g

    def __repr__(self):
        def show(p):
            return str(p[0]) if p[0] == p[1] else f"{p[0]}×{p[1]}"

        s = f", stride={show(self.stride)}" if self.stride != self.size else ""
        return f"{type(self).__name__}({show(self.size)}{s})"


class MaxPool2D(_Pool2D):
    """a[n, c, h, w] = max_{i, j} x[n, c, h·s_h + i, w·s_w + j], i < size_h, j < size_w;
    the gradient goes to the maximum (on ties, to the leftmost column holding
    it, and in that column to the top one: each column's maximum comes first).

    Shapes: (n, C, H, W) → (n, C, H_out, W_out), H_out = ⌊(H − size_h)/s_h⌋ + 1,
    likewise W_out; ``size`` and ``stride`` are an int or a pair, stride defaults
    to size.
    """

    @staticmethod
    def _reduce(views):
        """The maximum of the taps and which tap holds it (a later one only if
        strictly larger), updated in arithmetic: masked writes (np.where, boolean
        indexing) measured several times slower."""
        if len(views) == 1:
            return views[0].copy(order="K"), np.zeros(views[0].shape, np.uint8)
        # the results keep the input's memory layout
        a, arg = np.maximum(views[0], views[1]), (views[1] > views[0]).view(np.uint8)
        if len(views) > 255:
            arg = arg.astype(np.intp)
        for t, view in enumerate(views[2:], 2):
            larger = view > a
            np.maximum(a, view, out=a)
            arg *= ~larger
            arg += larger * arg.dtype.type(t)
        return a, arg

    @staticmethod
    def _weight(arg, k, t):
        """What δ is multiplied by on its way back to tap t: 1 where t is the
        maximum, else 0."""
        return arg == t


class AvgPool2D(_Pool2D):
    """a[n, c, h, w] = 1/(size_h·size_w) Σ_{i, j} x[n, c, h·s_h + i, w·s_w + j];
    each input gets δ/(size_h·size_w) from every window that covers it.

    Shapes as :class:`MaxPool2D`.
    """

    @staticmethod
    def _reduce(views):
        a = views[0].copy(order="K")
        for view in views[1:]:
            a += view
        return a / len(views), None

    @staticmethod
    def _weight(arg, k, t):
        return 1 / k


class Upsample2D(Layer):
    """Nearest-neighbour upsampling: a[n, c, h, w] = x[n, c, ⌊h/f_h⌋, ⌊w/f_w⌋],
    (n, C, H, W) → (n, C, f_h·H, f_w·W); ``factor`` is an int or a pair.
    Backward sums each f_h × f_w block of δ."""

    out_shape = None  # set by forward; backward before it is refused

    def __init__(self, factor):
        self.factor = _checks.pair("Upsample2D factor", factor)

    def forward(self, x, train=False):
        x = check_input(x, repr(self), 4)
        fh, fw = self.factor
        n, C, H, W = x.shape
        self.out_shape = (n, C, fh * H, fw * W)
        return np.repeat(np.repeat(x, fh, axis=2), fw, axis=3)

    def backward(self, grad_out, need_input_grad=True):
        grad_out = _checks.grad_out(self, grad_out, self.out_shape)
        n, C, H, W = grad_out.shape
        fh, fw = self.factor
        return grad_out.reshape(n, C, H // fh, fh, W // fw, fw).sum(axis=(3, 5))

    def __repr__(self):
        fh, fw = self.factor
        return f"Upsample2D({fh if fh == fw else f'{fh}×{fw}'})"
