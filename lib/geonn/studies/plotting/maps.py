"""Maps and crossplots: wells, gridded properties and a fitted curve (chapter 6)."""

import matplotlib.pyplot as plt

from .curves import plot_loss
from .style import WIDE, new_ax

__all__ = ["plot_well_map", "plot_map", "plot_crossplot_fit", "plot_fit_and_loss"]


def plot_well_map(
    x,
    y,
    values,
    ax=None,
    title="Wells",
    label="porosity (fraction)",
    extent=(0.0, 1000.0, 0.0, 1000.0),
    cmap="viridis",
    **kwargs,
):
    """Location map: wells at (x, y) in m, coloured by ``values``, with a colour bar."""
    ax = new_ax(ax, (5.2, 4.4))
    sc = ax.scatter(
        x, y, c=values, cmap=cmap, s=30, edgecolors="k", linewidths=0.4, **kwargs
    )
    ax.figure.colorbar(sc, ax=ax, label=label)
    ax.set(
        xlim=extent[:2],
        ylim=extent[2:],
        xlabel="X (m)",
        ylabel="Y (m)",
        title=title,
        aspect="equal",
    )
    return ax


def plot_map(
    grid,
    ax=None,
    title=None,
    label="",
    extent=(0.0, 1000.0, 0.0, 1000.0),
    cmap="viridis",
    wells=None,
    colorbar=True,
    **kwargs,
):
    """A map indexed ``grid[iy, ix]`` over ``extent`` (m), origin at the lower
    left, with a colour bar (``colorbar=False`` leaves it out, e.g. to share one
    bar between the maps of a row: ``fig.colorbar(ax.images[0], ax=row)``);
    ``wells=(x, y)`` adds the well locations as dots."""
    ax = new_ax(ax, (5.2, 4.4))
    im = ax.imshow(grid, origin="lower", extent=extent, cmap=cmap, **kwargs)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, label=label)
    if wells is not None:
        ax.plot(*wells, "k.", ms=3, label="wells")
    ax.set(xlabel="X (m)", ylabel="Y (m)", title=title)
    return ax


def plot_crossplot_fit(
    x_train,
    y_train,
    x_test=None,
    y_test=None,
    curve=None,
    truth=None,
    ax=None,
    xlabel="acoustic impedance (m/s·g/cm³)",
    ylabel="porosity (fraction)",
    title="Porosity against acoustic impedance",
):
    """Crossplot of training (and test) samples; ``curve=(x, y)`` draws a model's
    prediction, ``truth=(x, y)`` the true relation, both as lines."""
    ax = new_ax(ax)
    ax.scatter(x_train, y_train, s=16, alpha=0.7, label="train")
    if x_test is not None:
        ax.scatter(x_test, y_test, s=22, marker="s", alpha=0.8, label="test")
    if truth is not None:
        ax.plot(*truth, "k--", lw=1.2, label="true relation")
    if curve is not None:
        ax.plot(*curve, color="C3", lw=2.2, label="network")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_fit_and_loss(
    x_train, y_train, x_test, y_test, curve, history, axes=None, title=None, **labels
):
    """The porosity dashboard's view: the crossplot with the fitted curve (left)
    and the training and test loss against epoch (right).  ``labels`` go to
    :func:`plot_crossplot_fit` (``xlabel``, ``ylabel``)."""
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=WIDE, layout="constrained")
    plot_crossplot_fit(
        x_train,
        y_train,
        x_test,
        y_test,
        curve=curve,
        ax=axes[0],
        title=title or "Prediction over the crossplot",
        **labels,
    )
    plot_loss(history, ax=axes[1], title="Loss against epoch")
    if history.val_loss:
        axes[1].get_lines()[1].set_label("test")
        axes[1].legend()
    return axes
