"""The backpropagation dashboard of chapter 3: a training run recorded once per
(seed, η), so the sliders only redraw."""

import ipywidgets as w
import numpy as np

from geonn.core.layers import Dense
from geonn.core.losses import MSE
from geonn.core.network import mlp
from geonn.core.optim import SGD

from ..plotting import plot_backprop
from ._redraw import redraw_in

__all__ = ["trace_training", "backprop_trace", "backprop_dashboard"]


# the lecture's sample: inputs I = (0.5, 0.2, 0.7), target y = 0.3
LECTURE_X = np.array([[0.5, 0.2, 0.7]])
LECTURE_Y = np.array([[0.3]])


def trace_training(net, X, y, eta, epochs, loss=None, seed=None):
    """Train ``net`` in place by full-batch gradient descent and record every epoch.

    Each epoch is one step θ ← θ − η ∂L/∂θ on the whole of (X, y), so the
    gradient is the batch average.  For ℓ = 0 … ``epochs`` the record holds the
    parameters after ℓ steps and what the forward and backward passes give there:

    ========  ==========================================================
    key       per Dense layer / node layer, stacked over ℓ
    ========  ==========================================================
    W, b      (epochs+1, n_in, n_out), (epochs+1, n_out)
    dW, db    ∂L/∂W and ∂L/∂b, same shapes (the next step's gradient)
    values    node values of the first sample, (epochs+1, width), input
              layer first
    delta     δ = ∂L/∂(node input), summed over the batch (= ∂L/∂b for
              hidden and output nodes), (epochs+1, width)
    loss      (epochs+1,)
    ========  ==========================================================

    plus ``sizes``, ``eta``, ``epochs`` and ``seed`` (``None`` unless given).
    If the loss turns NaN or infinite the record stops at the last finite
    epoch (the arrays are then shorter) and ``diverged`` is True.
    """
    loss = MSE() if loss is None else loss
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    dense = [layer for layer in getattr(net, "layers", []) if isinstance(layer, Dense)]
    if not dense:
        raise ValueError("trace_training needs a Sequential with Dense layers")
    if (
        isinstance(epochs, bool)
        or not isinstance(epochs, (int, np.integer))
        or epochs < 0
    ):
        raise ValueError(f"epochs must be a non-negative integer; got {epochs!r}")
    opt = SGD(eta)
    params, grads = net.params(), net.grads()
    rec = {k: [] for k in ("W", "b", "dW", "db", "values", "delta", "loss")}
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        for ell in range(epochs + 1):
            out = net.forward(X)
            value = loss.value(out, y)
            if not np.isfinite(value):
                diverged = True
                break
            dX = net.backward(loss.grad(out, y))
            rec["loss"].append(value)
            rec["W"].append([d.W.copy() for d in dense])
            rec["b"].append([d.b.copy() for d in dense])
            rec["dW"].append([d.dW.copy() for d in dense])
            rec["db"].append([d.db.copy() for d in dense])
            rec["values"].append([d.x[0].copy() for d in dense] + [out[0].copy()])
            rec["delta"].append([dX.sum(axis=0)] + [d.db.copy() for d in dense])
            if ell < epochs:
                opt.step(params, grads)
    trace = {k: [np.array(a) for a in zip(*v)] for k, v in rec.items() if k != "loss"}
    trace.update(
        loss=np.array(rec["loss"]),
        sizes=[dense[0].n_in] + [d.n_out for d in dense],
        eta=float(eta),
        epochs=int(epochs),
        seed=seed,
        diverged=diverged,
    )
    return trace


def backprop_trace(
    seed=3, eta=0.1, X=None, y=None, sizes=(3, 2, 1), epochs=100, activation="sigmoid"
):
    """The dashboard's training run: a ``sizes`` network (``activation`` in the
    hidden layers, identity output) with Xavier weights drawn from
    ``np.random.default_rng(seed)`` and zero biases, traced by
    :func:`trace_training` on (X, y), by default the lecture's single sample.
    """
    X = LECTURE_X if X is None else np.asarray(X, dtype=float)
    y = LECTURE_Y if y is None else np.asarray(y, dtype=float)
    sizes = [int(s) for s in sizes]
    if (
        len(sizes) < 2
        or X.ndim != 2
        or y.ndim != 2
        or X.shape[1] != sizes[0]
        or y.shape != (len(X), sizes[-1])
    ):
        raise ValueError(
            f"X {X.shape} and y {y.shape} do not fit a {'-'.join(map(str, sizes))} "
            f"network: expected X (n, {sizes[0]}) and y (n, {sizes[-1]})"
        )
    net = mlp(sizes, activation, rng=np.random.default_rng(seed))
    return trace_training(net, X, y, eta, epochs, seed=seed)


def backprop_dashboard(
    X=None,
    y=None,
    sizes=(3, 2, 1),
    seed=3,
    eta=0.1,
    epochs=100,
    max_seed=20,
    activation="sigmoid",
):
    """Train a small network by gradient descent and watch backpropagation.

    Sliders: epoch (0 … ``epochs``), learning rate η (log scale, 0.01 … 1) and
    the seed of the initial weights; checkboxes show the weights, the
    forward-pass values and the backprop gradients on the diagram.  Each
    (seed, η) run is computed once by :func:`backprop_trace` and cached, so
    moving the epoch slider only redraws.  The figure is
    :func:`geonn.studies.plotting.plot_backprop`.

    Returns the widget; ``widget.controls`` (dict of the controls),
    ``widget.cache`` (the runs so far), ``widget.trace()`` (the current run)
    and ``widget.figure`` (the last figure drawn) are there for tests.
    """
    epoch_s = w.IntSlider(value=0, min=0, max=epochs, description="epoch")
    eta_s = w.FloatLogSlider(
        value=eta,
        base=10,
        min=-2,
        max=0,
        step=0.1,
        description="η",
        readout_format=".3f",
    )
    seed_s = w.IntSlider(value=seed, min=0, max=max_seed, description="seed")
    boxes = {
        k: w.Checkbox(value=True, description=k, indent=False)
        for k in ("weights", "forward values", "gradients")
    }
    out = w.Output()
    cache = {}

    def trace():
        key = (seed_s.value, round(eta_s.value, 12))
        if key not in cache:
            cache[key] = backprop_trace(
                key[0],
                key[1],
                X=X,
                y=y,
                sizes=sizes,
                epochs=epochs,
                activation=activation,
            )
        return cache[key]

    def redraw(*_):
        redraw_in(
            out,
            box,
            lambda: plot_backprop(
                trace(),
                epoch_s.value,
                show_weights=boxes["weights"].value,
                show_values=boxes["forward values"].value,
                show_grads=boxes["gradients"].value,
            ),
        )

    box = w.VBox([w.HBox([epoch_s, eta_s, seed_s]), w.HBox(list(boxes.values())), out])
    box.controls = {"epoch": epoch_s, "eta": eta_s, "seed": seed_s, **boxes}
    box.cache, box.trace, box.figure = cache, trace, None
    for control in box.controls.values():
        control.observe(redraw, names="value")
    redraw()
    return box
