"""Block diagrams of convolutional networks: one box per layer, top to bottom, with
each skip connection (``Concat``, ``Residual``) drawn as an arrow around the layers
it skips (chapter 11)."""

import matplotlib.patches as mpatches
import numpy as np

from geonn.core import _checks
from geonn.core.layers import (
    Activation,
    Concat,
    Dense,
    Dropout,
    Layer,
    Residual,
)
from geonn.core.layers.skip import Container

from .style import NODE_COLOURS, TEXT_WIDTH, new_ax

__all__ = ["draw_blocks", "is_dense_network"]

# a box's colour says what the layer does to the image
_COLOURS = {
    "input": NODE_COLOURS["input"],
    "weights": NODE_COLOURS["hidden"],
    "resize": "#d9d9f3",
    "merge": NODE_COLOURS["output"],
    "other": "#eeeeee",
}
_RESIZE = ("MaxPool", "AvgPool", "Upsample", "Flatten", "Reshape")


def is_dense_network(net):
    """True when ``net`` is made of Dense layers, activations and dropout only: the
    networks that :func:`~.networks.draw_network` draws node by node."""
    _layer(net)
    dense_only = (Dense, Activation, Dropout)
    return not _skips(net) and all(isinstance(x, dense_only) for x in net.leaves())


def _layer(net):
    if not isinstance(net, Layer):
        raise TypeError(f"net must be a geonn Layer; got {type(net).__name__}")
    return net


def _skips(layer):
    if isinstance(layer, (Concat, Residual)):
        return True
    return isinstance(layer, Container) and any(_skips(x) for x in layer.layers)


def _walk(layer, x, boxes, arrows, depth=0):
    """Append (label, kind, output) per leaf and a merge box per skip to ``boxes``;
    a skip's arrow (from box, to box, depth) to ``arrows``.  Returns the output of
    ``layer`` for ``x`` (None: no shapes)."""
    if isinstance(layer, (Concat, Residual)):
        start = len(boxes) - 1  # the box whose output the skip carries
        y = _walk(layer.inner, x, boxes, arrows, depth + 1)
        out = None if x is None else layer.forward(x)
        label = "concat channels" if isinstance(layer, Concat) else "add (x + f(x))"
        boxes.append((label, "merge", out))
        arrows.append((start, len(boxes) - 1, depth))
        return out if y is not None else None
    if isinstance(layer, Container):
        for inner in layer.layers:
            x = _walk(inner, x, boxes, arrows, depth)
        return x
    out = None if x is None else layer.forward(x)
    name = type(layer).__name__
    kind = (
        "weights"
        if layer.named_params()
        else ("resize" if name.startswith(_RESIZE) else "other")
    )
    boxes.append((repr(layer), kind, out))
    return out


def _shape(out):
    return "" if out is None else "   " + "×".join(map(str, out.shape[1:]))


def draw_blocks(net, input_shape=None, ax=None, title=None):
    """Draw ``net`` (any Layer) as a column of boxes, input at the top.

    Each box names a layer (its ``repr``: channels, kernel, stride, padding) and,
    when ``input_shape`` (one sample, e.g. ``(1, 64, 64)``) is given, the shape
    of its output, found by one forward pass of zeros in evaluation mode (it
    overwrites what the layers kept from their last forward pass).  Colours: data
    (blue), layers with weights (orange), pooling/upsampling/reshaping (lilac),
    merges (green), the rest (grey).  A skip connection is an arrow on the right
    from the box whose output it carries to the box where it is concatenated or
    added; nested skips sit further out.
    """
    _layer(net)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string; got {type(title).__name__}")
    x = None
    if input_shape is not None:
        shape = _checks.sizes("input_shape", input_shape, min_len=1)
        x = np.zeros((1, *shape))
    boxes = [("input", "input", x)]
    _walk(net, x, boxes, arrows := [])
    n, depth = len(boxes), max((d for *_, d in arrows), default=-1) + 1
    ax = new_ax(ax, (min(TEXT_WIDTH, 4.2 + 0.35 * depth), 0.3 * n + 0.4))
    width = 3.0
    for i, (label, kind, out) in enumerate(boxes):
        ax.add_patch(
            mpatches.FancyBboxPatch(
                (-width / 2, -i - 0.35),
                width,
                0.7,
                boxstyle="round,pad=0.02",
                fc=_COLOURS[kind],
                ec="0.3",
                lw=0.8,
            )
        )
        ax.text(0, -i, label + _shape(out), ha="center", va="center", fontsize=9)
        if i:  # the data flows down the column
            ax.annotate(
                "",
                (0, -i + 0.37),
                (0, -i + 0.63),
                arrowprops=dict(arrowstyle="-|>", color="0.3", lw=0.8),
            )
    for start, end, d in arrows:  # out to the right, down, back in to the merge
        x_out, colour = width / 2 + 0.35 * (depth - d), "#31a354"
        ax.plot([width / 2, x_out, x_out], [-start, -start, -end], color=colour, lw=1.5)
        ax.annotate(
            "",
            (width / 2, -end),
            (x_out, -end),
            arrowprops=dict(
                arrowstyle="-|>", color=colour, lw=1.5, shrinkA=0, shrinkB=0
            ),
        )
    ax.set_xlim(-width / 2 - 0.1, width / 2 + 0.35 * depth + 0.4)
    ax.set_ylim(-n + 0.5, 0.5)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax
