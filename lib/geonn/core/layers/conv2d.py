"""Two-dimensional convolution on images (batch, channels, height, width).

Convolution is one matrix product.  The input is copied once, channels last,
into a zero-padded buffer (n, H_p, W_p, C_in); ``sliding_window_view`` then
gives every kh × kw window, and each window, laid out as the row
(i, j, c) ↦ x[n, h·s + i, w·s + j, c], becomes one row of X (n·H_out·W_out,
kh·kw·C_in): in channels-last memory the kw·C_in values of a window row are
contiguous, so this im2col copy moves whole runs.  z = X W_m + b, with W_m the
kernels as a (kh·kw·C_in, C_out) matrix, is every output pixel at once; the
result is handed back as an (n, C_out, H_out, W_out) view of channels-last
memory, which the next Conv2D reads without a copy.  Gradients come from
the same matrices: ∂L/∂W_m = Xᵀ δ, and ∂L/∂x is either a full correlation of δ
with the flipped kernels (stride 1 and C_out < C_in: its matrix has C_out
columns per tap) or δ W_mᵀ added back one kernel tap at a time (a loop over
the kh·kw taps, never over samples or positions).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import _checks
from .. import init as _init
from .base import as_input
from .spectral import WeightLayer

__all__ = ["Conv2D", "check_4d"]


def check_4d(x, who, channels=None):
    """``x`` as a 4-D (batch, channels, height, width) array, or a clear error."""
    if not isinstance(x, np.ndarray):
        x = as_input(x, who)
    if x.ndim != 4:
        raise ValueError(
            f"{who} needs 4-D input (batch, channels, height, width); "
            f"got shape {x.shape}"
        )
    if channels is not None and x.shape[1] != channels:
        raise ValueError(
            f"{who} expects {channels} input channels; got {x.shape[1]} "
            f"(shape {x.shape})"
        )
    return x


def same_pads(size, k, s):
    """Zeros (before, after) so that 'same' gives ⌈size/s⌉ outputs, the extra one
    after (like Conv1D)."""
    total = max((-(-size // s) - 1) * s + k - size, 0)
    return total // 2, total - total // 2


class Conv2D(WeightLayer):
    """z[n, o, h, w] = b[o] + Σ_c Σ_i Σ_j W[o, c, i, j] · x[n, c, h·s_h + i, w·s_w + j]
    (cross-correlation, like Conv1D).

    Shapes: x (n, C_in, H, W), W (C_out, C_in, kh, kw), b (C_out,),
    z (n, C_out, H_out, W_out), with H_out = ⌈H/s_h⌉ for ``padding="same"``
    (zeros around the image, the extra one at the bottom and on the right) and
    ⌊(H − kh)/s_h⌋ + 1 for ``"valid"``; likewise W_out.  ``kernel_size`` and
    ``stride`` are an int or a pair (rows, columns).
    Backward, with δ = ∂L/∂z and X the (n·H_out·W_out, kh·kw·C_in) matrix of
    windows: ∂L/∂W = Xᵀ δ,  ∂L/∂b = Σ_{n,h,w} δ,  ∂L/∂x = the windows of δ Wᵀ,
    added back.  Weights are drawn like a Dense layer with fan-in C_in·kh·kw.
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
        if padding not in ("same", "valid"):
            raise ValueError(
                f"Conv2D padding must be 'same' or 'valid'; got {padding!r}"
            )
        self.padding = padding
        dtype = _checks.float_dtype("Conv2D dtype", dtype)
        shape = (self.c_out, self.c_in, *self.k)
        fan_in = self.c_in * self.k[0] * self.k[1]
        if W is None:
            _checks.rng(rng, "Conv2D (to draw its weights, or pass explicit W=)")
            W = _init.get(init)(fan_in, self.c_out, rng).T.reshape(shape)
        W = _checks.finite("Conv2D W", _checks.array("Conv2D W", W).astype(dtype))
        if W.shape != shape:
            raise ValueError(f"Conv2D W has shape {W.shape}; expected {shape}")
        b = (
            np.zeros(self.c_out, dtype)
            if b is None
            else _checks.finite(
                "Conv2D b", _checks.array("Conv2D b", b).astype(dtype).reshape(-1)
            )
        )
        if b.shape != (self.c_out,):
            raise ValueError(f"Conv2D b has shape {b.shape}; expected ({self.c_out},)")
        self.W, self.b = W, b
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)
        self.X = None

    def forward(self, x, train=False):
        x = check_4d(x, repr(self), self.c_in)
        n, C, H, W_ = x.shape
        (kh, kw), (sh, sw) = self.k, self.stride
        if self.padding == "same":
            pads = same_pads(H, kh, sh), same_pads(W_, kw, sw)
        else:
            pads = (0, 0), (0, 0)
        Hp, Wp = H + sum(pads[0]), W_ + sum(pads[1])
        if Hp < kh or Wp < kw:
            raise ValueError(
                f"{self!r}: images of {H} × {W_} pixels are smaller than the "
                f"kernel ({kh} × {kw}); use padding='same' or a smaller kernel"
            )
        # one copy, channels last, straight into the padded buffer (the cast too)
        xp = np.zeros((n, Hp, Wp, C), self.W.dtype)
        (top, _), (left, _) = pads
        xp[:, top : top + H, left : left + W_] = x.transpose(0, 2, 3, 1)
        windows = sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]
        H_out, W_out = windows.shape[1:3]
        # (n, H_out, W_out, C, kh, kw) → rows (i, j, c): runs of kw·C contiguous values
        self.X = windows.transpose(0, 1, 2, 4, 5, 3).reshape(n * H_out * W_out, -1)
        self.geometry = x.shape, pads, (H_out, W_out), (Hp, Wp)
        self._W = W = self.weight(train)
        z = self.X @ W.transpose(2, 3, 1, 0).reshape(-1, self.c_out)
        z += self.b
        return z.reshape(n, H_out, W_out, self.c_out).transpose(0, 3, 1, 2)

    def backward(self, grad_out, need_input_grad=True):
        if self.X is None:
            raise RuntimeError("Conv2D.backward called before forward")
        (n, C, H, W_), ((top, _), (left, _)), (H_out, W_out), (Hp, Wp) = self.geometry
        (kh, kw), (sh, sw) = self.k, self.stride
        # δ as (n·H_out·W_out, C_out): free when grad_out is a channels-last view
        delta = grad_out.astype(self.W.dtype, copy=False).transpose(0, 2, 3, 1)
        delta = delta.reshape(-1, self.c_out)
        if self.trainable:
            dW = (self.X.T @ delta).reshape(kh, kw, C, self.c_out)
            self.dW[...] = self.weight_grad(dW.transpose(3, 2, 0, 1))
            self.db[...] = delta.sum(axis=0)
        if not need_input_grad:
            return None
        if sh == sw == 1 and self.c_out < self.c_in:
            # full correlation: δ padded by k − 1, windows · flipped kernels
            d = np.zeros(
                (n, H_out + 2 * (kh - 1), W_out + 2 * (kw - 1), self.c_out), delta.dtype
            )
            d[:, kh - 1 : kh - 1 + H_out, kw - 1 : kw - 1 + W_out] = delta.reshape(
                n, H_out, W_out, self.c_out
            )
            win = sliding_window_view(d, (kh, kw), axis=(1, 2))
            rows = win.transpose(0, 1, 2, 4, 5, 3).reshape(-1, kh * kw * self.c_out)
            W_flip = self._W[:, :, ::-1, ::-1].transpose(2, 3, 0, 1).reshape(-1, C)
            dxp = (rows @ W_flip).reshape(n, win.shape[1], win.shape[2], C)
        else:
            taps = delta @ self._W.transpose(2, 3, 1, 0).reshape(-1, self.c_out).T
            taps = taps.reshape(n, H_out, W_out, kh, kw, C)
            dxp = np.zeros((n, Hp, Wp, C), delta.dtype)
            for i in range(kh):  # window (h, w) covers input (h·s + i, w·s + j)
                for j in range(kw):
                    dxp[
                        :,
                        i : i + sh * (H_out - 1) + 1 : sh,
                        j : j + sw * (W_out - 1) + 1 : sw,
                    ] += taps[:, :, :, i, j]
        return dxp[:, top : top + H, left : left + W_].transpose(0, 3, 1, 2)

    def __repr__(self):
        k = "×".join(map(str, self.k))
        s = (
            f", stride={'×'.join(map(str, self.stride))}"
            if self.stride != (1, 1)
            else ""
        )
        return f"Conv2D({self.c_in}→{self.c_out}, k={k}{s}, {self.padding})"
