"""Chapter 11's comparisons: chapter 8's windowed classical pickers calibrated on the
training gathers, pick errors by class of trace, and what a training step costs.

Picks are times in s, (n, n_traces), NaN where a picker has no pick (a dead trace).
"""

import time
import tracemalloc

import numpy as np

from geonn.core import _checks
from geonn.domain.picking import (
    ER_GRID,
    HALF_WIDTHS,
    STA_GRID,
    calibrate,
    expected_first_break,
    median_abs_ms,
    pick_energy_ratio,
    pick_sta_lta,
    rms_ms,
    windowed,
)

__all__ = [
    "windowed_pickers",
    "trace_classes",
    "pick_scores",
    "score_table",
    "step_cost",
]


def windowed_pickers(train, x_train):
    """STA/LTA and the energy ratio searching a window around the mean moveout of the
    training labels, each calibrated on the training gathers as in chapter 8.

    train: ``Gathers`` (its first breaks, dead traces and times); x_train: its traces
    after ``normalise_traces``. Returns {name: (pick, setting, shift)} with
    ``pick(x)`` → calibrated picks (s) of normalised gathers x (n, n_traces, nt).
    """
    centre = expected_first_break(train.first_break, train.dead)
    out = {}
    for name, picker, grid in (
        ("STA/LTA, windowed", pick_sta_lta, STA_GRID),
        ("energy ratio, windowed", pick_energy_ratio, ER_GRID),
    ):
        run = windowed(picker, train.dt, train.t, centre)
        settings = [s + (h,) for s in grid for h in HALF_WIDTHS]
        setting, shift = calibrate(
            run, settings, x_train, train.first_break, train.dead
        )
        out[name] = (
            lambda x, run=run, s=setting, d=shift: run(x, *s) + d,
            setting,
            shift,
        )
    return out


def trace_classes(gathers, static_ms=3.0):
    """{class: bool mask (n, n_traces)} for "normal", "noisy", "dead" and
    "static-heavy" traces.

    A noisy trace's noise is ``noisy_gain`` times the rest's; a static-heavy trace is
    a live, not noisy one whose static shift exceeds ``static_ms`` in size; normal is
    every other live, not noisy trace. The four classes partition the traces.
    """
    static_ms = _checks.positive("static_ms", static_ms)
    heavy = np.abs(gathers.static) > static_ms / 1e3
    clean = ~(gathers.dead | gathers.noisy)
    return {
        "normal": clean & ~heavy,
        "noisy": gathers.noisy.copy(),
        "dead": gathers.dead.copy(),
        "static-heavy": clean & heavy,
    }


def pick_scores(pick, truth, classes):
    """{class: (RMS ms, median |error| ms, % more than 10 ms off)} over each class's
    traces; NaN for a class where the picker has no pick (e.g. dead traces).

    pick, truth (n, n_traces) s; classes from :func:`trace_classes` (or any
    {name: bool mask}); an empty class scores NaN too.
    """
    pick, truth = np.asarray(pick, float), np.asarray(truth, float)
    scores = {}
    for name, mask in classes.items():
        mask = np.asarray(mask, bool)
        if not mask.any() or np.isnan(pick[mask]).any():
            scores[name] = (np.nan, np.nan, np.nan)
            continue
        gross = np.abs(pick[mask] - truth[mask]) > 0.010
        scores[name] = (
            rms_ms(pick[mask], truth[mask]),
            median_abs_ms(pick[mask], truth[mask]),
            100.0 * float(np.mean(gross)),
        )
    return scores


def score_table(scores, column=0, fmt=".1f", width=10):
    """{method: pick_scores(...)} as text: one row per method, one column per class
    (``column``: 0 RMS, 1 median, 2 % gross); "–" where a method has no pick."""
    classes = list(next(iter(scores.values())))
    name_width = max(map(len, scores)) + 2
    lines = [" " * name_width + "".join(f"{c:>{width}}" for c in classes)]
    for method, by_class in scores.items():
        cells = [by_class[c][column] for c in classes]
        lines.append(
            f"{method:<{name_width}}"
            + "".join(
                f"{'–':>{width}}" if np.isnan(v) else f"{v:>{width}{fmt}}"
                for v in cells
            )
        )
    return "\n".join(lines)


def step_cost(net, loss, X, Y):
    """CPU seconds and peak memory (MB) of one training step's forward and backward
    pass on the batch (X, Y), the optimizer left out (its state is two arrays per
    parameter array, small beside the activations).

    Memory is what NumPy allocates during a second, traced pass (``tracemalloc``,
    which slows the pass it watches): the activations each layer keeps for its
    backward pass, and their gradients.
    """

    def step():
        out = net.forward(X, train=True)
        net.backward(loss.grad(out, Y), need_input_grad=False)

    start = time.process_time()
    step()
    seconds = time.process_time() - start
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 1e6
