"""Seismic figures: elastic well logs and reflectivity against angle (chapter 7)."""

import matplotlib.pyplot as plt
import numpy as np

from .style import TEXT_WIDTH, new_ax

__all__ = ["plot_elastic_log", "plot_reflectivity"]


def plot_elastic_log(log, intervals=None, axes=None, title="Elastic well log"):
    """Three tracks against depth: Vp and Vs (m/s), density (g/cm³), Vp/Vs.

    ``log`` has arrays ``depth`` (m), ``vp``, ``vs``, ``rho`` and optionally a
    boolean ``sand`` (e.g. a ``geonn.domain.datasets.ElasticLog``); sand beds are
    shaded.  ``intervals`` maps a label to a ``(top, base)`` depth range,
    drawn as a bracket on every track.
    """
    if axes is None:
        _, axes = plt.subplots(
            1, 3, figsize=(TEXT_WIDTH, 5.6), sharey=True, layout="constrained"
        )
    ax_v, ax_r, ax_k = axes
    z = np.asarray(log.depth)
    velocity_lines = ax_v.plot(log.vp, z, lw=0.8, label="$V_P$") + ax_v.plot(
        log.vs, z, lw=0.8, label="$V_S$"
    )
    ax_r.plot(log.rho, z, lw=0.8, color="C2")
    ax_k.plot(np.asarray(log.vp) / np.asarray(log.vs), z, lw=0.8, color="C3")
    sand = getattr(log, "sand", None)
    for ax in axes:
        if sand is not None:
            ax.fill_betweenx(
                z,
                0,
                1,
                where=np.asarray(sand),
                color="gold",
                alpha=0.4,
                lw=0,
                transform=ax.get_yaxis_transform(),
                label="sand",
            )
        for k, (label, (top, base)) in enumerate((intervals or {}).items()):
            ax.axhspan(top, base, xmin=0.97, xmax=1.0, color=f"C{4 + k}", label=label)
        ax.grid(alpha=0.3)
    ax_v.set(xlabel="velocity (m/s)", ylabel="depth (m)")
    ax_r.set(xlabel=r"density $\rho$ (g/cm³)")
    ax_k.set(xlabel="$V_P/V_S$")
    ax_v.invert_yaxis()
    ax_v.legend(handles=velocity_lines, loc="lower left", fontsize=8)
    if intervals or sand is not None:
        ax_k.legend(loc="lower right", fontsize=8)
    ax_v.figure.suptitle(title)
    return axes


def plot_reflectivity(
    theta,
    curves,
    ax=None,
    shade=None,
    shade_label="training angles",
    title="P–P reflectivity against angle",
):
    """Reflection coefficient R(θ) curves against the angle of incidence.

    Parameters
    ----------
    theta : angles in degrees, shape (m,)
    curves : ``{label: R}`` with R of shape (m,) (a complex R is drawn as its
        real part), or ``{label: (R, style)}`` with a dict of matplotlib
        keyword arguments as ``style``
    shade : optional ``(θ_min, θ_max)`` range to shade, e.g. the training angles
    """
    ax = new_ax(ax)
    theta = np.asarray(theta, dtype=float)
    if shade is not None:
        ax.axvspan(*shade, color="0.9", label=shade_label)
    for label, curve in curves.items():
        R, style = curve if isinstance(curve, tuple) else (curve, {})
        R = np.real(np.asarray(R)).ravel()
        if R.shape != theta.shape:
            raise ValueError(
                f"curve {label!r} has {R.size} values but theta has {theta.size}"
            )
        ax.plot(theta, R, label=label, **{"lw": 2, **style})
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set(
        xlabel=r"angle of incidence $\theta$ (°)",
        ylabel=r"reflection coefficient $R(\theta)$",
        title=title,
    )
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax
