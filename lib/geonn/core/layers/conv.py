"""One-dimensional convolution, pooling and upsampling on (batch, channels, length).

Convolution is a matrix product: ``sliding_window_view`` lays the windows of
each trace side by side as columns (im2col, (n, C_in·k, L_out)), and one
matmul with the flattened kernels (C_out, C_in·k) gives every output sample of
every trace at once, already in (n, C_out, L_out) order.  The input gradient
is either the same operation again (a full correlation of δ with the flipped
kernels; stride 1 and C_out ≤ C_in) or the column gradients added back one
kernel tap at a time (a loop over the k taps, never over samples or positions).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import _checks
from .. import init as _init
from .base import Layer, as_input
from .spectral import WeightLayer

__all__ = ["Conv1D", "MaxPool1D", "AvgPool1D", "Upsample1D"]


# the axes of a convolution's input, by number of dimensions
_AXES = {3: "(batch, channels, length)", 4: "(batch, channels, height, width)"}


def check_input(x, who, ndim, channels=None):
    """``x`` as an ``ndim``-D float array, (batch, channels, length) for the 1-D
    layers or (batch, channels, height, width) for the 2-D ones, with ``channels``
    channels if given; a clear error naming ``who`` otherwise."""
    # a float array is the fast path; anything else (lists, integers, and also
    # complex or text arrays, refused) goes through the checks
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        x = as_input(x, who)
    if x.ndim != ndim:
        raise ValueError(
            f"{who} needs {ndim}-D input {_AXES[ndim]}; got shape {x.shape}"
        )
    if channels is not None and x.shape[1] != channels:
        raise ValueError(
            f"{who} expects {channels} input channels; got {x.shape[1]} "
            f"(shape {x.shape})"
        )
    return x


def _scatter_taps(cols, length, stride):
    """Sum window gradients (n, C, L_out, k) back onto the input (n, C, length)."""
    n, C, L_out, k = cols.shape
    dx = np.zeros((n, C, length), dtype=cols.dtype)
    for j in range(k):  # taps: window position l covers input l·s + j
        dx[:, :, j : j + stride * (L_out - 1) + 1 : stride] += cols[..., j]
    return dx


def conv_weights(who, shape, rng, init, W, b, dtype):
    """The checked weights of a convolution ``who``: W of ``shape`` (C_out, C_in,
    *kernel), drawn like a Dense layer with fan-in C_in · (kernel taps) when None,
    and b (C_out,), zeros when None; both cast to ``dtype``."""
    c_out, fan_in = shape[0], int(np.prod(shape[1:]))
    if W is None:
        _checks.rng(rng, f"{who} (to draw its weights, or pass explicit W=)")
        W = _init.get(init)(fan_in, c_out, rng).T.reshape(shape)
    W = _checks.finite(f"{who} W", _checks.array(f"{who} W", W).astype(dtype))
    if W.shape != shape:
        raise ValueError(f"{who} W has shape {W.shape}; expected {shape}")
    b = (
        np.zeros(c_out, dtype)
        if b is None
        else _checks.finite(f"{who} b", _checks.array(f"{who} b", b).astype(dtype))
    )
    if b.shape != (c_out,):  # one bias per output channel, never reshaped
        raise ValueError(
            f"{who} b has shape {b.shape}; expected ({c_out},), one bias per output "
            f"channel"
        )
    return W, b


class Conv1D(WeightLayer):
    """z[n, o, l] = b[o] + Σ_c Σ_j W[o, c, j] · x[n, c, l·s + j]  (cross-correlation).

    Shapes: x (n, C_in, L), W (C_out, C_in, k), b (C_out,), z (n, C_out, L_out),
    with L_out = ⌈L/s⌉ for ``padding="same"`` (zeros split around the trace,
    the extra one on the right) and ⌊(L − k)/s⌋ + 1 for ``"valid"``.
    Backward, with δ = ∂L/∂z and X the (n·L_out, C_in·k) matrix of windows:
        ∂L/∂W = δᵀ X,  ∂L/∂b = Σ_{n,l} δ,  ∂L/∂x = the windows of δ W, added back.
    Weights are drawn like a Dense layer with fan-in p = C_in·k.
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
        self.c_in = _checks.integer("Conv1D in_channels", in_channels)
        self.c_out = _checks.integer("Conv1D out_channels", out_channels)
        self.k = _checks.integer("Conv1D kernel_size", kernel_size)
        self.stride = _checks.integer("Conv1D stride", stride)
        if not isinstance(padding, str) or padding not in ("same", "valid"):
            raise ValueError(
                f"Conv1D padding must be 'same' or 'valid'; got {padding!r}"
            )
        self.padding = padding
        dtype = _checks.float_dtype("Conv1D dtype", dtype)
        self.W, self.b = W, b = conv_weights(
            "Conv1D", (self.c_out, self.c_in, self.k), rng, init, W, b, dtype
        )
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)
        self.cols = self.out_shape = None

    def _pads(self, length):
        if self.padding == "valid":
            return 0, 0
        L_out = -(-length // self.stride)
        total = max((L_out - 1) * self.stride + self.k - length, 0)
        return total // 2, total - total // 2

    def forward(self, x, train=False):
        x = check_input(x, repr(self), 3, self.c_in)
        if x.dtype != self.W.dtype:
            x = x.astype(self.W.dtype)
        left, right = self._pads(x.shape[2])
        if left or right:
            x = np.pad(x, ((0, 0), (0, 0), (left, right)))
        if x.shape[2] < self.k:
            raise ValueError(
                f"{self!r}: traces of {x.shape[2]} samples are shorter than the "
                f"kernel ({self.k}); use padding='same' or a smaller kernel"
            )
        windows = sliding_window_view(x, self.k, axis=2)[
            :, :, :: self.stride
        ]  # (n, C, L_out, k)
        n, _, L_out, _ = windows.shape
        self.L_padded, self.pads = x.shape[2], (left, right)
        # (n, C_in·k, L_out), row c·k + j holding x[n, c, l·s + j]
        self.cols = windows.transpose(0, 1, 3, 2).reshape(n, self.c_in * self.k, L_out)
        self._W = W = self.weight(train)
        self.out_shape = (n, self.c_out, L_out)
        return W.reshape(self.c_out, -1) @ self.cols + self.b[:, None]

    def backward(self, grad_out, need_input_grad=True):
        grad_out = _checks.grad_out(self, grad_out, self.out_shape)
        delta = grad_out.astype(self.W.dtype, copy=False)  # (n, C_out, L_out)
        if self.trainable:
            # ∂L/∂W[o, (c, j)] = Σ_n Σ_l δ[n, o, l] · cols[n, (c, j), l]
            # (batched as cols · δᵀ, which BLAS runs about twice as fast as δ · colsᵀ
            # here)
            dW = (
                (self.cols @ delta.transpose(0, 2, 1))
                .sum(axis=0)
                .T.reshape(self.W.shape)
            )
            self.dW[...] = self.weight_grad(dW)
            self.db[...] = delta.sum(axis=(0, 2))
        if not need_input_grad:
            return None
        n, _, L_out = delta.shape
        left, right = self.pads
        if self.stride == 1 and self.c_out <= self.c_in:
            # full correlation of δ with the flipped kernels: the same im2col + one
            # matmul
            # (its columns scale with C_out, the tap loop's with C_in: take the smaller)
            d = np.pad(delta, ((0, 0), (0, 0), (self.k - 1, self.k - 1)))
            cols = sliding_window_view(d, self.k, axis=2).transpose(0, 1, 3, 2)
            cols = cols.reshape(n, self.c_out * self.k, self.L_padded)
            W_flip = self._W[:, :, ::-1].transpose(1, 0, 2).reshape(self.c_in, -1)
            dx = W_flip @ cols
        else:
            dcols = (self._W.reshape(self.c_out, -1).T @ delta).reshape(
                n, self.c_in, self.k, L_out
            )
            dx = _scatter_taps(dcols.transpose(0, 1, 3, 2), self.L_padded, self.stride)
        return dx[:, :, left : self.L_padded - right]

    def __repr__(self):
        s = f", stride={self.stride}" if self.stride != 1 else ""
        return f"Conv1D({self.c_in}→{self.c_out}, k={self.k}{s}, {self.padding})"


class _Pool1D(Layer):
    out_shape = None  # set by forward; backward before it is refused

    def __init__(self, size, stride=None):
        self.size = _checks.integer(f"{type(self).__name__} size", size)
        self.stride = (
            self.size
            if stride is None
            else _checks.integer(f"{type(self).__name__} stride", stride)
        )

    def _windows(self, x):
        x = check_input(x, repr(self), 3)
        if x.shape[2] < self.size:
            raise ValueError(
                f"{self!r} needs traces of at least {self.size} samples; "
                f"got shape {x.shape}"
            )
        self.length = x.shape[2]
        windows = sliding_window_view(x, self.size, axis=2)[:, :, :: self.stride]
        self.out_shape = windows.shape[:3]
        return windows

    def __repr__(self):
        s = f", stride={self.stride}" if self.stride != self.size else ""
        return f"{type(self).__name__}({self.size}{s})"


class MaxPool1D(_Pool1D):
    """a[n, c, l] = max_j x[n, c, l·s + j], j < size; the gradient goes to the maximum
    (the first one, on ties).  L_out = ⌊(L − size)/s⌋ + 1; stride s defaults to size."""

    def forward(self, x, train=False):
        w = self._windows(x)
        self.arg = w.argmax(axis=-1)
        return np.take_along_axis(w, self.arg[..., None], axis=-1)[..., 0]

    def backward(self, grad_out, need_input_grad=True):
        grad_out = _checks.grad_out(self, grad_out, self.out_shape)
        taps = (self.arg[..., None] == np.arange(self.size)) * grad_out[..., None]
        return _scatter_taps(
            taps.astype(grad_out.dtype, copy=False), self.length, self.stride
        )


class AvgPool1D(_Pool1D):
    """a[n, c, l] = (1/size) Σ_j x[n, c, l·s + j]; each input gets δ/size per window."""

    def forward(self, x, train=False):
        return self._windows(x).mean(axis=-1)

    def backward(self, grad_out, need_input_grad=True):
        grad_out = _checks.grad_out(self, grad_out, self.out_shape)
        taps = np.broadcast_to(
            (grad_out / self.size)[..., None], grad_out.shape + (self.size,)
        )
        return _scatter_taps(taps, self.length, self.stride)


class Upsample1D(Layer):
    """Nearest-neighbour upsampling: each sample repeated ``factor`` times along the
    length, (n, C, L) → (n, C, factor·L).  Backward sums each group of ``factor``."""

    out_shape = None  # set by forward; backward before it is refused

    def __init__(self, factor):
        self.factor = _checks.integer("Upsample1D factor", factor)

    def forward(self, x, train=False):
        x = check_input(x, repr(self), 3)
        n, C, L = x.shape
        self.out_shape = (n, C, self.factor * L)
        return np.repeat(x, self.factor, axis=2)

    def backward(self, grad_out, need_input_grad=True):
        grad_out = _checks.grad_out(self, grad_out, self.out_shape)
        n, C, L = grad_out.shape
        return grad_out.reshape(n, C, L // self.factor, self.factor).sum(axis=-1)

    def __repr__(self):
        return f"Upsample1D({self.factor})"
