"""Figures shared by the chapters: network diagrams, loss curves, activations.

Every function takes an optional ``ax`` and returns it, and new figures use
the fixed sizes below, so the book's figures look alike.
"""
import matplotlib.pyplot as plt
import numpy as np

from . import activations
from .layers import Dense

__all__ = ["FIGSIZE", "WIDE", "draw_network", "plot_loss", "plot_activation",
           "plot_activation_panels", "network_weights"]

FIGSIZE = (6.0, 4.0)
WIDE = (10.0, 4.0)
_NODE = {"input": "#9ecae1", "hidden": "#fdd49e", "output": "#a1d99b"}


def _ax(ax, figsize=FIGSIZE):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def network_weights(net):
    """Layer sizes and the list of (W, b) of the Dense layers of ``net``."""
    dense = [layer for layer in getattr(net, "layers", [net]) if isinstance(layer, Dense)]
    if not dense:
        raise ValueError("the network has no Dense layers to draw")
    sizes = [dense[0].n_in] + [d.n_out for d in dense]
    return sizes, [d.W for d in dense], [d.b for d in dense]


def draw_network(sizes, weights=None, biases=None, labels=None, values=None,
                 show_weights=False, ax=None, title=None):
    """Draw a fully connected feed-forward network.

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
    """
    if not isinstance(sizes, (list, tuple)):
        sizes, w_net, b_net = network_weights(sizes)
        weights = w_net if weights is None else weights
        biases = b_net if biases is None else biases
    sizes = [int(s) for s in sizes]
    ax = _ax(ax, (1.8 * len(sizes) + 1.5, max(2.5, 0.9 * max(sizes) + 1)))
    if labels is None:
        labels, k = [], 1
        for li, s in enumerate(sizes):
            prefix = "I" if li == 0 else ("O" if li == len(sizes) - 1 else "H")
            labels.append([f"{prefix}{k + j}" for j in range(s)])
            k += s
    pos = [[(li, (s - 1) / 2 - j) for j in range(s)] for li, s in enumerate(sizes)]
    wmax = max((np.max(np.abs(W)) for W in weights), default=1.0) if weights else 1.0
    wmax = wmax or 1.0
    for li in range(len(sizes) - 1):
        for i, (x0, y0) in enumerate(pos[li]):
            for j, (x1, y1) in enumerate(pos[li + 1]):
                if weights is None:
                    ax.plot([x0, x1], [y0, y1], color="0.6", lw=1, zorder=1)
                    continue
                w = weights[li][i, j]
                ax.plot([x0, x1], [y0, y1], color="#2166ac" if w >= 0 else "#b2182b",
                        lw=0.5 + 4.5 * abs(w) / wmax, alpha=0.8, zorder=1)
                if show_weights:
                    t = 0.36  # past the node, before edges from neighbours cross
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), f"{w:.2f}", fontsize=8,
                            ha="center", va="center", zorder=3,
                            bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8))
    for li, layer in enumerate(pos):
        kind = "input" if li == 0 else ("output" if li == len(sizes) - 1 else "hidden")
        for j, (x, y) in enumerate(layer):
            ax.add_patch(plt.Circle((x, y), 0.22, fc=_NODE[kind], ec="k", zorder=2))
            text = labels[li][j]
            if values is not None:
                text += f"\n{values[li][j]:.2f}"
            ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=4)
            if biases is not None and li > 0:
                ax.text(x, y - 0.33, f"b={biases[li - 1][j]:.2f}", ha="center", va="top",
                        fontsize=8, color="0.3", zorder=4)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    half = max(sizes) / 2
    ax.set_ylim(-half - 0.2, half - 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def plot_loss(history, ax=None, log=True, title="Loss against epoch"):
    """Training (and validation, if recorded) loss against epoch."""
    ax = _ax(ax)
    epochs = np.arange(1, len(history.train_loss) + 1)
    ax.plot(epochs, history.train_loss, label="train")
    if history.val_loss:
        ax.plot(epochs, history.val_loss, label="validation")
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="loss", title=title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_activation(activation, z=None, ax=None, derivative=True, **kwargs):
    """An activation α(z) and, optionally, its derivative α'(z).

    For softmax (which couples units) the curve shows the first of two units
    with the second held at 0, i.e. the sigmoid it reduces to.
    """
    act = activations.get(activation, **kwargs)
    z = np.linspace(-5, 5, 401) if z is None else np.asarray(z, dtype=float)
    ax = _ax(ax)
    if isinstance(act, activations.Softmax):
        zz = np.column_stack([z, np.zeros_like(z)])
        a = act.forward(zz)[:, 0]
        da = act.grad(zz)[:, 0, 0]
        label = "softmax$(z, 0)_1$"
    else:
        a, da = act.forward(z), act.grad(z)
        label = rf"$\alpha(z)$"
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axvline(0, color="0.7", lw=0.8)
    ax.plot(z, a, lw=2, label=label)
    if derivative:
        ax.plot(z, da, lw=2, ls="--", label=r"$\alpha'(z)$")
    ax.set(xlabel="pre-activation $z$", ylabel=r"$\alpha(z)$, $\alpha'(z)$", title=act.name)
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    return ax


def plot_activation_panels(activation, zmax=5.0, depth=5, axes=None, **kwargs):
    """The activation explorer's view: α(z) and α'(z) on the left; on the right
    |α'(z)|^depth, the factor the activation alone contributes to a gradient
    that passes through ``depth`` layers sitting at the same z with unit weights.

    Drawn by ``geonn.widgets.activation_explorer`` and, statically, by chapters.
    """
    act = activations.get(activation, **kwargs)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=WIDE, layout="constrained")
    ax0, ax1 = axes
    z = np.linspace(-zmax, zmax, 401)
    plot_activation(act, z, ax=ax0)
    if isinstance(act, activations.Softmax):
        ax1.text(0.5, 0.5, "softmax is used at the output only", ha="center",
                 transform=ax1.transAxes)
        ax1.axis("off")
        return axes
    ax1.semilogy(z, np.maximum(np.abs(act.grad(z)) ** depth, 1e-30))
    ax1.set(xlabel="pre-activation $z$", ylabel=rf"$|\alpha'(z)|^{{{depth}}}$",
            title=f"gradient factor through {depth} layers", ylim=(1e-30, 10))
    ax1.grid(alpha=0.3)
    return axes
