"""Two-dimensional convolution on images (batch, channels, height, width).

Convolution is one matrix product.  The input is copied once, channel-major, into
the inside of a zero-padded array (C_in, n, H_p, W_p); ``sliding_window_view``
gives every kh × kw window, and the im2col copy lays the windows out as X, rows
(c, i, j) over columns (n, h, w), moving runs of W_out contiguous values.  Then
z = [W_m b] [X; 1] (W_m: the kernels as a (C_out, C_in·kh·kw) matrix) is every
output pixel at once, (C_out, n·H_out·W_out), handed back as an (n, C_out, H_out,
W_out) view: the activation after it keeps that memory layout, so the next
Conv2D's copy and the δ coming back read memory in order.  Gradients come from
the same matrices: [∂L/∂W_m ∂L/∂b] = δ [X; 1]ᵀ, and ∂L/∂x is either a full
correlation of δ with the flipped kernels (stride 1 and C_out < C_in: an im2col
of δ with C_out·kh·kw rows and a matmul) or, tap by tap, W[:, :, i, j]ᵀ δ added
back at the inputs that tap reads (a loop over the kh·kw taps, never over samples
or positions).  X is kept for the backward pass, as Conv1D keeps its columns:
(C_in·kh·kw + 1) × n·H_out·W_out values.  ``benchmarks/bench_conv2d.py`` times
it against PyTorch.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import _checks
from .conv import check_input, conv_weights
from .spectral import WeightLayer

__all__ = ["Conv2D"]


def same_pads(size, k, s):
    """Zeros (before, after) so that 'same' gives ⌈size/s⌉ outputs, the extra one
    after (like Conv1D)."""
    total = max((-(-size // s) - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def padded(a, pads, dtype):
    """``a`` (..., H, W) copied and cast, in one pass, into the inside of a new array
    with ``pads`` ((top, bottom), (left, right)) rows and columns of zeros around it
    (``np.pad`` after ``astype`` would copy twice)."""
    (top, bottom), (left, right) = pads
    H, W = a.shape[-2:]
    out = np.zeros((*a.shape[:-2], H + top + bottom, W + left + right), dtype)
    out[..., top : top + H, left : left + W] = a
    return out


class Conv2D(WeightLayer):
    """z[n, o, h, w] = b[o] + Σ_c Σ_i Σ_j W[o, c, i, j] · x[n, c, h·s_h + i, w·s_w + j]
    (cross-correlation, like Conv1D).

    Shapes: x (n, C_in, H, W), W (C_out, C_in, kh, kw), b (C_out,),
    z (n, C_out, H_out, W_out), with H_out = ⌈H/s_h⌉ for ``padding="same"``
    (zeros around the image, the extra one at the bottom and on the right) and
    ⌊(H − kh)/s_h⌋ + 1 for ``"valid"``; likewise W_out.  ``kernel_size`` and
    ``stride`` are an int or a pair (rows, columns).
    Backward, with δ = ∂L/∂z as (C_out, n·H_out·W_out) and X the (C_in·kh·kw,
    n·H_out·W_out) matrix of windows: ∂L/∂W = δ Xᵀ,  ∂L/∂b = Σ_{n,h,w} δ,
    ∂L/∂x[n, c, h·s_h + i, w·s_w + j] += Σ_o W[o, c, i, j] δ[n, o, h, w].
    Weights are drawn like a Dense layer with fan-in C_in·kh·kw.
    """

    param_names = ("W", "b")
    decay_names = ("W",)

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding="same",
        *,
        rng=None,
        init="xavier",
        W=None,
        b=None,
        dtype=float,
    ):
        self.c_in = _checks.integer("Conv2D in_channels", in_channels)
        self.c_out = _checks.integer("Conv2D out_channels", out_channels)
        self.k = _checks.pair("Conv2D kernel_size", kernel_size)
        self.stride = _checks.pair("Conv2D stride", stride)
        if not isinstance(padding, str) or padding not in ("same", "valid"):
            raise ValueError(
                f"Conv2D padding must be 'same' or 'valid'; got {padding!r}"
            )
        self.padding = padding
        dtype = _checks.float_dtype("Conv2D dtype", dtype)
        self.W, self.b = W, b = conv_weights(
            "Conv2D", (self.c_out, self.c_in, *self.k), rng, init, W, b, dtype
        )
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)
        self.X = self.out_shape = None

    def _window_matrix(self, shape, dtype):
        """The array of [X; 1] (its last row ones), reused while its shape stays the
        same: X is overwritten every step, and a new array every step made the
        training step of ``benchmarks/bench_conv2d.py`` 4 % slower (the other
        scratch arrays measured no faster reused)."""
        if self.X is None or self.X.shape != shape or self.X.dtype != dtype:
            self.X = np.empty(shape, dtype)
            self.X[-1] = 1
        return self.X

    def forward(self, x, train=False):
        x = check_input(x, repr(self), 4, self.c_in)
        n, C, H, W_ = x.shape
        (kh, kw), (sh, sw), dtype = self.k, self.stride, self.W.dtype
        if self.padding == "same":
            pads = same_pads(H, kh, sh), same_pads(W_, kw, sw)
        else:
            pads = (0, 0), (0, 0)
        (top, bottom), (left, right) = pads
        Hp, Wp = H + top + bottom, W_ + left + right
        if Hp < kh or Wp < kw:
            raise ValueError(
                f"{self!r}: images of {H} × {W_} pixels are smaller than the "
                f"kernel ({kh} × {kw}); use padding='same' or a smaller kernel"
            )
        xp = padded(x.transpose(1, 0, 2, 3), pads, dtype)  # (C, n, H_p, W_p)
        windows = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
        H_out, W_out = windows.shape[2:4]
        # X: the windows as rows (c, i, j) over columns (n, h, w), and a last row of
        # ones (set once), so that one matmul adds the bias and its transpose sums δ
        K = C * kh * kw
        X = self._window_matrix((K + 1, n * H_out * W_out), dtype)
        np.copyto(  # runs of W_out values at a time
            X[:K].reshape(C, kh, kw, n, H_out, W_out),
            windows.transpose(0, 4, 5, 1, 2, 3),
        )
        self.geometry = x.shape, pads, (H_out, W_out)
        self.out_shape = (n, self.c_out, H_out, W_out)
        self._W = W = self.weight(train)
        Wb = np.concatenate([W.reshape(self.c_out, K), self.b[:, None]], axis=1)
        z = Wb @ X  # (C_out, n·H_out·W_out)
        return z.reshape(self.c_out, n, H_out, W_out).transpose(1, 0, 2, 3)

    def backward(self, grad_out, need_input_grad=True):
        grad_out = _checks.grad_out(self, grad_out, self.out_shape)
        (n, C, H, W_), pads, (H_out, W_out) = self.geometry
        (kh, kw), (sh, sw), dtype = self.k, self.stride, self.W.dtype
        # δ as (C_out, n·H_out·W_out): no copy when grad_out has the layout of z
        delta = grad_out.astype(dtype, copy=False).transpose(1, 0, 2, 3)
        delta = delta.reshape(self.c_out, -1)
        if self.trainable:
            # X δᵀ (BLAS runs it faster than δ Xᵀ): ∂L/∂W, and ∂L/∂b in the last row
            G = self.X @ delta.T
            self.dW[...] = self.weight_grad(G[:-1].T.reshape(self.W.shape))
            self.db[...] = G[-1]
        if not need_input_grad:
            return None
        (top, bottom), (left, right) = pads
        if sh == sw == 1 and self.c_out < self.c_in:
            # full correlation of δ with the flipped kernels: one im2col of δ
            # (C_out·kh·kw rows) and a matmul; with C_out ≥ C_in the taps below
            # measured faster (by 8 % at 16 → 16 channels)
            # δ with kh − 1 − top rows of zeros above it, so that its windows fall
            # on the input's pixels (likewise the columns)
            d = padded(
                delta.reshape(self.c_out, n, H_out, W_out),
                ((kh - 1 - top, H + top - H_out), (kw - 1 - left, W_ + left - W_out)),
                dtype,
            )
            D = np.empty((self.c_out, kh, kw, n, H, W_), dtype)
            np.copyto(
                D,
                sliding_window_view(d, (kh, kw), axis=(2, 3)).transpose(
                    0, 4, 5, 1, 2, 3
                ),
            )
            W_flip = self._W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3).reshape(C, -1)
            dx = (W_flip @ D.reshape(W_flip.shape[1], -1)).reshape(C, n, H, W_)
            return dx.transpose(1, 0, 2, 3)
        # W[:, :, i, j]ᵀ δ is tap (i, j)'s share of ∂L/∂x: made for one kernel row
        # of taps at a time and added back while still in the cache.  In the
        # benchmark's step this beat one matmul for all the taps (by 3 %, and it
        # needs no C_in·kh·kw × n·H_out·W_out scratch array) and one per tap (2-4 %)
        share = np.empty((C, kw, n, H_out, W_out), dtype)
        dx = np.zeros((C, n, H + top + bottom, W_ + left + right), dtype)
        for i in range(kh):  # window (h, w) covers input (h·s + i, w·s + j)
            W_i = self._W[:, :, i].transpose(1, 2, 0).reshape(C * kw, self.c_out)
            np.matmul(W_i, delta, out=share.reshape(C * kw, -1))
            rows = slice(i, i + sh * (H_out - 1) + 1, sh)
            for j in range(kw):
                cols = slice(j, j + sw * (W_out - 1) + 1, sw)
                dx[:, :, rows, cols] += share[:, j]
        return dx[:, :, top : top + H, left : left + W_].transpose(1, 0, 2, 3)

    def __repr__(self):
        k = "×".join(map(str, self.k))
        s = (
            f", stride={'×'.join(map(str, self.stride))}"
            if self.stride != (1, 1)
            else ""
        )
        return f"Conv2D({self.c_in}→{self.c_out}, k={k}{s}, {self.padding})"
