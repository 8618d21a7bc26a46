"""Network diagrams: the weights, forward values and backprop gradients of a
fully connected network (chapters 1–3); other networks go to :mod:`.blocks`."""

import matplotlib.pyplot as plt
import numpy as np

from geonn.core.layers import Dense

from .blocks import draw_blocks, is_dense_network
from .style import GRAD_COLOUR, NODE_COLOURS, WIDE, new_ax

__all__ = ["network_weights", "draw_network", "plot_backprop"]


def network_weights(net):
    """Layer sizes and the list of (W, b) of the Dense layers of ``net``, at any depth
    (an encoder + decoder draws as one network)."""
    dense = [layer for layer in net.leaves() if isinstance(layer, Dense)]
    if not dense:
        raise ValueError("the network has no Dense layers to draw")
    sizes = [dense[0].n_in] + [d.n_out for d in dense]
    return sizes, [d.W for d in dense], [d.b for d in dense]


def draw_network(
    sizes,
    weights=None,
    biases=None,
    labels=None,
    values=None,
    show_weights=False,
    ax=None,
    title=None,
    edge_grads=None,
    node_grads=None,
    input_shape=None,
):
    """Draw a fully connected feed-forward network node by node; any other network
    (convolutions, pooling, skip connections) as a block diagram, one box per layer
    (:func:`~.blocks.draw_blocks`, which takes ``input_shape``, ``ax`` and ``title``).

    Parameters
    ----------
    sizes : list of layer widths, e.g. ``[3, 2, 1]``, or a Sequential
    weights : list of W arrays, shape (sizes[l], sizes[l+1]); edge width and
        colour (red < 0 < blue) follow the weight.  ``None``: plain grey edges.
    biases : list of b arrays, written under the nodes when given
    labels : node labels per layer, e.g. ``[["I1","I2","I3"],["H4","H5"],["O6"]]``;
        default: the lecture's running numbering I1…, H…, O…
    values : node values per layer (e.g. activations), written in the nodes
    show_weights : write each weight's value on its edge
    edge_grads : list of ∂L/∂W arrays, shaped like ``weights``, written on the
        edges in purple (under the weight when both are shown)
    node_grads : per layer, ∂L/∂(node input) = ∂L/∂b, written above the nodes
    input_shape : a block diagram's input, one sample (e.g. ``(1, 64, 64)``): each
        box then shows its output shape
    """
    if not isinstance(sizes, (list, tuple)):
        if not is_dense_network(sizes):
            return draw_blocks(sizes, input_shape, ax=ax, title=title)
        sizes, w_net, b_net = network_weights(sizes)
        weights = w_net if weights is None else weights
        biases = b_net if biases is None else biases
    sizes = [int(s) for s in sizes]
    ax = new_ax(ax, (1.8 * len(sizes) + 1.5, max(2.5, 0.9 * max(sizes) + 1)))
    if labels is None:
        labels, k = [], 1
        for li, s in enumerate(sizes):
            prefix = "I" if li == 0 else ("O" if li == len(sizes) - 1 else "H")
            labels.append([f"{prefix}{k + j}" for j in range(s)])
            k += s
    pos = [[(li, (s - 1) / 2 - j) for j in range(s)] for li, s in enumerate(sizes)]
    wmax = max((np.max(np.abs(W)) for W in weights), default=1.0) if weights else 1.0
    wmax = wmax or 1.0
    label_box = dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8)
    for li in range(len(sizes) - 1):
        for i, (x0, y0) in enumerate(pos[li]):
            for j, (x1, y1) in enumerate(pos[li + 1]):
                t = 0.36  # past the node, before edges from neighbours cross
                xt, yt = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                if edge_grads is not None:
                    ax.text(
                        xt,
                        yt,
                        f"{edge_grads[li][i, j]:+.3f}",
                        fontsize=8,
                        color=GRAD_COLOUR,
                        ha="center",
                        va="top" if show_weights else "center",
                        zorder=3,
                        bbox=label_box,
                    )
                if weights is None:
                    ax.plot([x0, x1], [y0, y1], color="0.6", lw=1, zorder=1)
                    continue
                w = weights[li][i, j]
                ax.plot(
                    [x0, x1],
                    [y0, y1],
                    color="#2166ac" if w >= 0 else "#b2182b",
                    lw=0.5 + 4.5 * abs(w) / wmax,
                    alpha=0.8,
                    zorder=1,
                )
                if show_weights:
                    ax.text(
                        xt,
                        yt,
                        f"{w:.2f}",
                        fontsize=8,
                        ha="center",
                        zorder=3,
                        va="bottom" if edge_grads is not None else "center",
                        bbox=label_box,
                    )
    for li, layer in enumerate(pos):
        kind = "input" if li == 0 else ("output" if li == len(sizes) - 1 else "hidden")
        for j, (x, y) in enumerate(layer):
            ax.add_patch(
                plt.Circle((x, y), 0.22, fc=NODE_COLOURS[kind], ec="k", zorder=2)
            )
            text = labels[li][j]
            if values is not None:
                text += f"\n{values[li][j]:.2f}"
            ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=4)
            if biases is not None and li > 0:
                ax.text(
                    x,
                    y - 0.33,
                    f"b={biases[li - 1][j]:.2f}",
                    ha="center",
                    va="top",
                    fontsize=8,
                    color="0.3",
                    zorder=4,
                )
            if node_grads is not None:
                ax.text(
                    x,
                    y + 0.27,
                    f"δ={node_grads[li][j]:+.3f}",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    color=GRAD_COLOUR,
                    zorder=4,
                    bbox=label_box,
                )
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    half = max(sizes) / 2
    ax.set_ylim(-half - 0.2, half + (0.25 if node_grads is not None else -0.1))
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def plot_backprop(
    trace, epoch=0, show_weights=True, show_values=True, show_grads=True, axes=None
):
    """One epoch of a recorded training run: the network and the loss curve.

    Left, the diagram at epoch ℓ = ``epoch``: weights (edge width and colour,
    values, biases), the forward-pass value of every node for the first sample,
    and the backprop gradients in purple, ∂L/∂λ on the edges and
    δ = ∂L/∂(node input) = ∂L/∂b above the nodes.  Right, the loss against
    epoch with ℓ marked.  Parameters at ℓ are those after ℓ updates; the
    gradients shown are the ones the (ℓ+1)-th update uses.

    ``trace`` is the dict returned by :func:`geonn.studies.widgets.trace_training`.
    Drawn by :func:`geonn.studies.widgets.backprop_dashboard` and, statically, by
    chapter 3.
    """
    if axes is None:
        _, axes = plt.subplots(
            1,
            2,
            figsize=(WIDE[0], WIDE[1] + 2),
            width_ratios=[5, 2],
            layout="constrained",
        )
    ax_net, ax_loss = axes
    loss = np.asarray(trace["loss"])
    ell = min(int(epoch), len(loss) - 1)  # a diverged run stops early
    at = lambda arrays: [a[ell] for a in arrays]  # noqa: E731
    title = f"epoch {ell}: loss {loss[ell]:.4g}"
    if ell < epoch:
        title += f" (diverged after epoch {ell})"
    draw_network(
        trace["sizes"],
        weights=at(trace["W"]) if show_weights else None,
        biases=at(trace["b"]) if show_weights else None,
        values=at(trace["values"]) if show_values else None,
        show_weights=show_weights,
        edge_grads=at(trace["dW"]) if show_grads else None,
        node_grads=at(trace["delta"]) if show_grads else None,
        ax=ax_net,
        title=title,
    )
    ax_net.text(
        0.5,
        0.0,
        "edges: blue λ > 0, red λ < 0, width ∝ |λ|;  purple: ∂L/∂λ on edges, "
        "δ = ∂L/∂(node input) = ∂L/∂b on nodes",
        transform=ax_net.transAxes,
        ha="center",
        va="top",
        fontsize=7,
        color="0.3",
    )
    # exact convergence (0) or near-overflow (1e300) would break the log axis
    shown = np.clip(loss, 1e-16, 1e100)
    ax_loss.semilogy(np.arange(len(loss)), shown, color="0.3", lw=1.5)
    ax_loss.plot(
        [ell], [shown[ell]], "o", color=GRAD_COLOUR, ms=7, label=f"epoch {ell}"
    )
    ax_loss.set(
        xlabel="epoch ℓ",
        ylabel="loss L = ½ mean squared error",
        xlim=(0, trace["epochs"]),
        title=f"η = {trace['eta']:.3g}"
        + ("" if trace.get("seed") is None else f", seed {trace['seed']}"),
    )
    ax_loss.legend(loc="upper right")
    ax_loss.grid(alpha=0.3, which="both")
    return axes
