"""Shot gathers with first-break picks overlaid (chapter 8)."""

import numpy as np

from .style import TEXT_WIDTH, new_ax

__all__ = ["plot_gather"]


def plot_gather(
    t, offset, x, picks=None, ax=None, style="wiggle", gain=1.0, title="Shot gather"
):
    """A gather, time (ms) down against offset (m) across, with pick curves on top.

    Parameters
    ----------
    t : (nt,) sample times in s
    offset : (n_traces,) source–receiver offsets in m, increasing
    x : (n_traces, nt) the gather
    picks : ``{label: times}`` with times (n_traces,) in s (NaN: no pick, not
        drawn), or ``{label: (times, style)}`` with a dict of matplotlib
        keyword arguments as ``style``
    style : ``"wiggle"`` (variable area: positive lobes filled) or ``"image"``
    gain : wiggle amplitude, in trace spacings per max |x| of the gather
    """
    t, offset, x = (np.asarray(a, dtype=float) for a in (t, offset, x))
    if t.ndim != 1 or offset.ndim != 1:
        raise ValueError(
            f"t and offset must be 1-D; got shapes {t.shape} and {offset.shape}"
        )
    if x.shape != (offset.size, t.size):
        raise ValueError(
            f"x must have shape (n_traces, nt) = ({offset.size}, {t.size}); "
            f"got {x.shape}"
        )
    if style not in ("wiggle", "image"):
        raise ValueError(f"style must be 'wiggle' or 'image'; got {style!r}")
    ax = new_ax(ax, figsize=(TEXT_WIDTH, 4.5))
    t_ms = 1e3 * t
    spacing = np.median(np.diff(offset)) if offset.size > 1 else 1.0
    peak = np.max(np.abs(x)) or 1.0
    if style == "image":
        half = spacing / 2
        ax.imshow(
            x.T,
            aspect="auto",
            cmap="gray_r",
            vmin=-peak / gain,
            vmax=peak / gain,
            extent=(offset[0] - half, offset[-1] + half, t_ms[-1], t_ms[0]),
        )
    else:
        for h, trace in zip(offset, x):
            w = h + gain * spacing * trace / peak
            ax.plot(w, t_ms, color="k", lw=0.5)
            ax.fill_betweenx(t_ms, h, w, where=w > h, color="k", lw=0)
    for k, (label, curve) in enumerate((picks or {}).items()):
        p, kw = curve if isinstance(curve, tuple) else (curve, {})
        p = np.asarray(p, dtype=float)
        if p.shape != offset.shape:
            raise ValueError(
                f"picks {label!r} has shape {p.shape}; expected ({offset.size},)"
            )
        ax.plot(
            offset,
            1e3 * p,
            **{
                "ls": "none",
                "marker": "o_sx+"[k % 5],
                "ms": 6,
                "mfc": "none",
                "mew": 1.5,
                "color": f"C{k}",
                "label": label,
                **kw,
            },
        )
    ax.set(
        xlabel="offset (m)",
        ylabel="time (ms)",
        title=title,
        xlim=(offset[0] - spacing, offset[-1] + spacing),
        ylim=(t_ms[-1], t_ms[0]),
    )
    if picks:
        ax.legend(loc="lower left", fontsize=10)
    return ax
