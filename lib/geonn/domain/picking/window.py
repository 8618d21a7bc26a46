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

__all__ = [
    "expected_first_break",
    "search_window",
    "windowed",
    "STA_GRID",
    "ER_GRID",
    "HALF_WIDTHS",
]

# The settings the classical pickers are calibrated over on training gathers
# (chapters 8 and 11): (STA s, LTA s, threshold) for :func:`pick_sta_lta`,
# (window s, β) for :func:`pick_energy_ratio`, and the search window's half-widths s.
STA_GRID = [
    (sta, lta, threshold)
    for sta, lta in ((0.01, 0.04), (0.01, 0.06), (0.02, 0.08))
    for threshold in (2.0, 3.0, 4.0, 5.0)
]
ER_GRID = [
    (window, beta) for window in (0.006, 0.01, 0.02) for beta in (0.05, 0.2, 0.5)
]
HALF_WIDTHS = (0.02, 0.03, 0.04, 0.05)


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


def windowed(picker, dt, t, centre):
    """``picker(x, dt, *setting, search=W)`` searching ± h of ``centre`` (s), where h
    is the setting's last entry: returns f(x, *setting, h) → picks, the form
    :func:`calibrate` tries over settings ``s + (h,)`` (s from the picker's grid, h
    from :data:`HALF_WIDTHS`). t (nt,) s; centre e.g. :func:`expected_first_break`.
    """
    if not callable(picker):
        raise TypeError(f"windowed: picker must be a picking function; got {picker!r}")
    dt = _checks.positive("windowed: dt", dt)
    search_window(t, centre, dt)  # checks t and centre now, not at the first pick
    return lambda x, *s: picker(x, dt, *s[:-1], search=search_window(t, centre, s[-1]))
