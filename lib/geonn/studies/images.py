"""Networks on seismic images (chapter 11): a first-break picker that sees the whole
gather, and a small U-Net that segments faults on sections.

Images are (n, channels, height, width). A gather image has the traces down its
height and time along its width, (n, channels, n_traces, nt), so a kernel (3, 9)
spans three neighbouring traces and nine samples; a section has time down its
height and traces across, (n, 1, H, W), as it is drawn.

- :func:`gather_inputs`, :func:`gather_picker`, :class:`TraceSoftmax`,
  :func:`gather_pick`: picking as classification over the samples of every trace
  of a gather at once, with chapter 8's Gaussian labels.
- :func:`section_inputs`, :func:`fault_unet`, :func:`fault_probability`: fault
  segmentation, one logit per pixel, trained with ``BCEWithLogits(pos_weight=…)``.
"""

import numpy as np

from geonn.core import _checks
from geonn.core.activations import Sigmoid
from geonn.core.layers import (
    Activation,
    AvgPool2D,
    Concat,
    Conv2D,
    MaxPool2D,
    Residual,
    Upsample2D,
)
from geonn.core.losses import Loss, SoftmaxCrossEntropy
from geonn.core.network import Sequential
from geonn.domain.picking import pick_from_logits, picker_inputs

__all__ = [
    "gather_inputs",
    "gather_picker",
    "TraceSoftmax",
    "gather_pick",
    "section_inputs",
    "fault_unet",
    "fault_probability",
    "receptive_field",
]


def gather_inputs(x, offset, dtype=np.float32):
    """Gathers x (n, n_traces, nt) → images (n, 3, n_traces, nt).

    Channel 0 holds each trace divided by its RMS, channel 1 its offset / max offset,
    constant along the trace: chapter 8's two inputs (``picker_inputs``), kept side by
    side as an image instead of one example per trace. Channel 2 holds the time of
    each sample / the trace's length, the same on every trace: a convolution is blind
    to where along the trace it is, and "when to expect the arrival at this offset"
    needs both (chapter 8's picker knows the time through its Dense layer).
    """
    x = _checks.array("gather_inputs: x", x, ndim=3)
    n, n_traces, nt = x.shape
    per_trace = picker_inputs(x, offset)  # (n·n_traces, 2, nt)
    images = np.empty((n, 3, n_traces, nt), _checks.float_dtype("dtype", dtype))
    images[:, :2] = per_trace.reshape(n, n_traces, 2, nt).transpose(0, 2, 1, 3)
    images[:, 2] = np.arange(nt) / nt
    return images


def _stage_sizes(name, channels, n):
    """``channels`` as exactly ``n`` positive integers (one per stage)."""
    channels = _checks.sizes(name, channels)
    if len(channels) != n:
        raise ValueError(f"{name} must list {n} sizes, one per stage; got {channels}")
    return channels


def _conv(c_in, c_out, kernel, rng, dtype):
    return Conv2D(c_in, c_out, kernel, rng=rng, init="he", dtype=dtype)


def gather_picker(
    rng, channels=(8, 16), kernel=(3, 5), levels=3, in_channels=3, dtype=np.float32
):
    """A fully convolutional picker: (n, in_channels, n_traces, nt) → logits
    (n, 1, n_traces, nt), one per sample of every trace.

    Conv → ReLU at full resolution (c₀ = channels[0]), then a branch that halves the
    time axis ``levels`` times (MaxPool2D((1, 2))), each time followed by Conv → ReLU
    (c₁ channels), so its kernels reach 2, 4, 8… times further back along the
    trace, and upsamples back by 2^levels. A ``Concat`` skip connection stacks the
    branch's output on its input, so the last convolution, c₀ + c₁ → 1, sees both
    the coarse context (what came earlier on this trace and its neighbours) and the
    full-resolution wavelet. Nothing pools across traces: every trace keeps its own
    row of logits. Every kernel is ``kernel`` = (traces, samples); nt must be
    divisible by 2^levels.
    """
    _checks.rng(rng, "gather_picker")
    c0, c1 = _stage_sizes("gather_picker channels", channels, 2)
    c_in = _checks.integer("in_channels", in_channels)
    levels = _checks.integer("levels", levels)
    branch = []
    for level in range(levels):
        branch += [
            MaxPool2D((1, 2)),
            _conv(c0 if level == 0 else c1, c1, kernel, rng, dtype),
            Activation("relu"),
        ]
    return Sequential(
        [
            _conv(c_in, c0, kernel, rng, dtype),
            Activation("relu"),
            Concat(Sequential([*branch, Upsample2D((1, 2**levels))])),
            Conv2D(c0 + c1, 1, kernel, rng=rng, init="glorot", dtype=dtype),
        ]
    )


class TraceSoftmax(Loss):
    """Softmax cross-entropy over the time axis (the last) of every trace of an image.

    z, y (n, ..., nt) → L = −1/N Σ_traces Σ_j y_j log softmax(z)_j, N = the number
    of traces (all axes but the last); ∂L/∂z = (softmax(z) − y)/N. Each target trace
    is a probability vector over its nt samples (``gaussian_labels``).
    """

    _inner = SoftmaxCrossEntropy()

    @staticmethod
    def _flat(pred, target):
        pred, target = np.asarray(pred), np.asarray(target)
        if pred.shape != target.shape or pred.ndim < 2:
            raise ValueError(
                f"TraceSoftmax: prediction and target must have the same shape "
                f"(n, ..., nt); got {pred.shape} and {target.shape}"
            )
        nt = pred.shape[-1]
        return pred.reshape(-1, nt), target.reshape(-1, nt)

    def value(self, pred, target):
        return self._inner.value(*self._flat(pred, target))

    def grad(self, pred, target):
        return self._inner.grad(*self._flat(pred, target)).reshape(np.shape(pred))


def gather_pick(net, images, dt, batch_size=50):
    """Picks (s) of a trained :func:`gather_picker`: images (n, c, n_traces, nt) →
    (n, n_traces), the parabola-refined argmax of each trace's logits
    (``pick_from_logits``), ``batch_size`` gathers at a time to bound the memory."""
    images = _checks.array("gather_pick: images", images, ndim=4)
    return pick_from_logits(net.predict(images, batch_size=batch_size)[:, 0], dt)


def section_inputs(x, dtype=np.float32):
    """Sections x (n, H, W) → images (n, 1, H, W), each divided by its RMS (so a
    network sees shapes, not the gain of a survey)."""
    x = _checks.finite(
        "section_inputs: x", _checks.array("section_inputs: x", x, ndim=3)
    )
    rms = np.sqrt(np.mean(x**2, axis=(1, 2), keepdims=True))
    if np.any(rms == 0):
        raise ValueError("section_inputs: a section is all zeros; it has no RMS")
    return (x / rms)[:, None].astype(_checks.float_dtype("dtype", dtype))


def fault_unet(rng, channels=(8, 16, 32), dtype=np.float32):
    """A small U-Net (Ronneberger et al. 2015): (n, 1, H, W) → fault logits
    (n, 1, H, W); H and W divisible by 4.

    Encoder: at each of three scales a 3×3 Conv → ReLU, MaxPool2D(2) between scales;
    decoder: Upsample2D(2), and a ``Concat`` skip connection stacks the encoder's
    features of the same scale on the upsampled ones before the next 3×3 Conv, so the
    decoder gets back the detail pooling threw away. A last 3×3 Conv gives one logit
    per pixel.
    """
    _checks.rng(rng, "fault_unet")
    c1, c2, c3 = _stage_sizes("fault_unet channels", channels, 3)
    relu = "relu"
    bottom = Sequential(
        [
            MaxPool2D(2),
            _conv(c2, c3, 3, rng, dtype),
            Activation(relu),
            Upsample2D(2),
        ]
    )
    middle = Sequential(
        [
            MaxPool2D(2),
            _conv(c1, c2, 3, rng, dtype),
            Activation(relu),
            Concat(bottom),
            _conv(c2 + c3, c2, 3, rng, dtype),
            Activation(relu),
            Upsample2D(2),
        ]
    )
    return Sequential(
        [
            _conv(1, c1, 3, rng, dtype),
            Activation(relu),
            Concat(middle),
            _conv(c1 + c2, c1, 3, rng, dtype),
            Activation(relu),
            Conv2D(c1, 1, 3, rng=rng, init="glorot", dtype=dtype),
        ]
    )


def fault_probability(net, images, batch_size=50):
    """σ(logit) per pixel of a trained :func:`fault_unet`: images (n, 1, H, W) →
    probabilities (n, H, W), ``batch_size`` sections at a time."""
    images = _checks.array("fault_probability: images", images, ndim=4)
    return Sigmoid().forward(net.predict(images, batch_size=batch_size)[:, 0])


def receptive_field(net):
    """(rows, columns) of input pixels that reach one output pixel of ``net``.

    Per axis, layer by layer: field += (k − 1) · jump for a kernel or pooling window
    of k, then jump *= its stride (the input pixels between neighbouring outputs);
    an upsampling by f divides the jump by f and leaves the field. Through a skip
    connection the widest path counts: the inner one. With stride 1 throughout this
    is 1 + Σ (k − 1), chapter 8's formula, on each axis.
    """
    field, jump = np.ones(2), np.ones(2)

    def walk(layer):
        nonlocal field, jump
        if isinstance(layer, Conv2D):
            field = field + (np.array(layer.k) - 1) * jump
            jump = jump * np.array(layer.stride)
        elif isinstance(layer, (MaxPool2D, AvgPool2D)):
            field = field + (np.array(layer.size) - 1) * jump
            jump = jump * np.array(layer.stride)
        elif isinstance(layer, Upsample2D):
            jump = jump / np.array(layer.factor)
        elif isinstance(layer, (Sequential, Concat, Residual)):
            for inner in layer.layers:
                walk(inner)
        elif not isinstance(layer, Activation):
            raise TypeError(f"receptive_field: cannot follow {layer!r}")

    walk(net)
    return tuple(int(round(f)) for f in field)
