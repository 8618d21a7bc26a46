"""Curves: loss against epoch, activation functions and their derivatives."""

import matplotlib.pyplot as plt
import numpy as np

from geonn.core import activations

from .style import WIDE, new_ax

__all__ = ["plot_loss", "plot_activation", "plot_activation_panels"]


def plot_loss(history, ax=None, log=True, title="Loss against epoch"):
    """Training (and validation, if recorded) loss against epoch."""
    ax = new_ax(ax)
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
    ax = new_ax(ax)
    if isinstance(act, activations.Softmax):
        zz = np.column_stack([z, np.zeros_like(z)])
        a = act.forward(zz)[:, 0]
        da = act.grad(zz)[:, 0, 0]
        label = "softmax$(z, 0)_1$"
    else:
        a, da = act.forward(z), act.grad(z)
        label = r"$\alpha(z)$"
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axvline(0, color="0.7", lw=0.8)
    ax.plot(z, a, lw=2, label=label)
    if derivative:
        ax.plot(z, da, lw=2, ls="--", label=r"$\alpha'(z)$")
    ax.set(
        xlabel="pre-activation $z$", ylabel=r"$\alpha(z)$, $\alpha'(z)$", title=act.name
    )
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    return ax


def plot_activation_panels(activation, zmax=5.0, depth=5, axes=None, **kwargs):
    """The activation explorer's view: α(z) and α'(z) on the left; on the right
    |α'(z)|^depth, the factor the activation alone contributes to a gradient
    that passes through ``depth`` layers sitting at the same z with unit weights.

    Drawn by ``geonn.studies.widgets.activation_explorer`` and, statically, by chapters.
    """
    act = activations.get(activation, **kwargs)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=WIDE, layout="constrained")
    ax0, ax1 = axes
    z = np.linspace(-zmax, zmax, 401)
    plot_activation(act, z, ax=ax0)
    if isinstance(act, activations.Softmax):
        ax1.text(
            0.5,
            0.5,
            "softmax is used at the output only",
            ha="center",
            transform=ax1.transAxes,
        )
        ax1.axis("off")
        return axes
    ax1.semilogy(z, np.maximum(np.abs(act.grad(z)) ** depth, 1e-30))
    ax1.set(
        xlabel="pre-activation $z$",
        ylabel=rf"$|\alpha'(z)|^{{{depth}}}$",
        title=f"gradient factor through {depth} layers",
        ylim=(1e-30, 10),
    )
    ax1.grid(alpha=0.3)
    return axes
