"""Classification figures: confusion matrix and the Rayleigh-number plane
(chapter 5)."""

import numpy as np

from .style import new_ax

__all__ = ["plot_confusion_matrix", "plot_rayleigh_plane"]


def plot_confusion_matrix(cm, classes, ax=None, title="Confusion matrix"):
    """Counts of true classes (rows) against predicted classes (columns).

    ``cm`` is a (K, K) array of counts, ``classes`` its K names.  Each cell is
    written out, so the figure can be read without the colour bar.
    """
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape != (len(classes), len(classes)):
        raise ValueError(
            f"cm must be a ({len(classes)}, {len(classes)}) array for classes "
            f"{list(classes)}; got shape {cm.shape}"
        )
    ax = new_ax(ax, (4.5, 4.0))
    ax.imshow(cm, cmap="Blues", vmin=0)
    for (i, j), count in np.ndenumerate(cm):
        ax.text(
            j,
            i,
            f"{count:,}",
            ha="center",
            va="center",
            fontsize=12,
            color="white" if count > cm.max() / 2 else "black",
        )
    ticks = np.arange(len(classes))
    ax.set_xticks(ticks, classes)
    ax.set_yticks(ticks, classes)
    ax.set(xlabel="predicted class", ylabel="true class", title=title)
    return ax


def plot_rayleigh_plane(
    wavenumber,
    Ra,
    predicted,
    wrong=None,
    ax=None,
    ylim=None,
    title="Predicted stability against theory",
):
    """Samples in the (2πb/λ, Ra) plane, coloured by predicted class (0 stable,
    1 unstable), over the marginal-stability curve Ra_cr of a layer with free-slip
    boundaries.  ``wrong`` (boolean mask) marks misclassified samples with a cross.
    """
    # only this figure needs the physics
    from geonn.domain.datasets.mantle import critical_rayleigh

    wavenumber, Ra, predicted = (
        np.asarray(a).ravel() for a in (wavenumber, Ra, predicted)
    )
    if not len(wavenumber) == len(Ra) == len(predicted):
        raise ValueError(
            f"wavenumber, Ra and predicted must have one value per sample; got "
            f"{len(wavenumber)}, {len(Ra)} and {len(predicted)}"
        )
    ax = new_ax(ax)
    for cls, colour, label in (
        (0, "#2166ac", "predicted stable"),
        (1, "#d6604d", "predicted unstable"),
    ):
        mask = predicted == cls
        ax.scatter(
            wavenumber[mask], Ra[mask], s=5, color=colour, alpha=0.6, lw=0, label=label
        )
    if wrong is not None:
        wrong = np.asarray(wrong, dtype=bool).ravel()
        ax.scatter(
            wavenumber[wrong],
            Ra[wrong],
            s=30,
            marker="x",
            color="k",
            lw=1,
            label=f"misclassified ({wrong.sum()})",
        )
    k = np.linspace(wavenumber.min(), wavenumber.max(), 400)
    ax.plot(
        k,
        critical_rayleigh(2 * np.pi / k),
        color="k",
        lw=2,
        label=r"theory: $Ra_{cr}(2\pi b/\lambda)$",
    )
    ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set(
        xlabel=r"wavenumber $2\pi b/\lambda$ (dimensionless)",
        ylabel="Rayleigh number $Ra$ (dimensionless)",
        title=title,
    )
    ax.legend(loc="upper left", markerscale=2, fontsize=8)
    ax.grid(alpha=0.3, which="both")
    return ax
