"""Search windows for the classical pickers: where along a trace to look.

A practitioner does not search a whole trace for a jump in energy: the moveout of
the first arrival says roughly when it comes, and the picker searches a window
around that time. The expected time here is the mean first break at each offset
over labelled (training) gathers, which is the information the CNN picker has
too: the offset, and the labels.

Times in s. A ``search`` mask is boolean, broadcastable to the traces (..., nt),
True on the samples where a picker may pick.
"""

import numpy as np

from geonn.core import _checks

__all__ = ["expected_first_break", "search_window"]


def expected_first_break(first_break, dead=None):
    """Mean first break per offset over labelled gathers, dead traces left out.

    first_break (n, n_traces) s, dead (n, n_traces) bool → t̄ (n_traces,) s:

        t̄_k = (1 / |G_k|) Σ_{g ∈ G_k} first_break[g, k],  G_k = gathers live at trace k,

    a mean moveout curve. Trace k must sit at the same offset in every gather, as
    :func:`geonn.domain.datasets.make_gathers` draws them.
    """
    who = "expected_first_break: first_break"
    fb = _checks.finite(who, _checks.array(who, first_break, ndim=2))
    live = np.ones(fb.shape, bool)
    if dead is not None:
        live = ~_checks.bool_mask(
            "expected_first_break: dead",
            dead,
            fb.shape,
            "like first_break; True = dead trace",
        )
    count = live.sum(axis=0)
    if np.any(count == 0):
        raise ValueError(
            f"expected_first_break: trace(s) "
            f"{np.flatnonzero(count == 0).tolist()} are dead in every "
            f"gather, so they have no expected time"
        )
    return np.where(live, fb, 0.0).sum(axis=0) / count


def search_window(t, centre, half_width):
    """The samples within ± half_width of an expected time:
    W_i = |t_i − centre| ≤ half_width.

    t (nt,) s, the sample times; centre (...) s, e.g. :func:`expected_first_break`;
    half_width > 0 s. Returns a boolean mask (..., nt), to pass as ``search=`` to
    :func:`pick_sta_lta` or :func:`pick_energy_ratio`. Every window must hold at
    least one sample of the trace.
    """
    t = _checks.finite("search_window: t", _checks.array("search_window: t", t, ndim=1))
    if t.size < 2 or np.any(np.diff(t) <= 0):
        raise ValueError(
            f"search_window: t must be the increasing sample times of a "
            f"trace (at least 2); got {t.size} value(s)"
        )
    who = "search_window: centre"
    centre = _checks.finite(who, _checks.array(who, centre))
    half_width = _checks.positive("search_window: half_width (s)", half_width)
    mask = np.abs(t - centre[..., None]) <= half_width
    if not mask.any(axis=-1).all():
        raise ValueError(
            f"search_window: a window of ± {half_width:g} s around centre = "
            f"{centre.min():g}–{centre.max():g} s holds no sample of the "
            f"trace, t = {t[0]:g}–{t[-1]:g} s"
        )
    return mask


def _search(search, shape, who, first=0):
    """A ``search`` mask checked and broadcast to traces of ``shape`` (..., nt).

    ``first``: the first sample the picker can pick (the energy ratio's steepest
    rise needs a sample before it); every trace's window needs one from there on.
    """
    search = _checks.bool_mask(
        f"{who}: search",
        search,
        shape,
        "a boolean mask, True = may pick here, e.g. from search_window",
        broadcast=True,
    )
    if not search[..., first:].any(axis=-1).all():
        raise ValueError(
            f"{who}: a trace's search window holds no sample it can pick "
            f"(from sample {first} on)"
        )
    return search
