"""The porosity dashboard of chapter 6: width, depth, epochs and η of the
network, with the fit redrawn."""

import ipywidgets as w
import numpy as np

from geonn.core.losses import MSE
from geonn.core.network import mlp
from geonn.core.optim import Adam
from geonn.core.train import fit

from ..plotting import plot_fit_and_loss
from ._redraw import redraw_in

__all__ = ["porosity_fit", "porosity_dashboard"]


def porosity_fit(
    X_train,
    y_train,
    X_test,
    y_test,
    width=3,
    depth=1,
    epochs=300,
    eta=0.01,
    batch_size=5,
    seed=0,
    activation="relu",
):
    """Train 1 → ``depth`` hidden layers of ``width`` nodes → 1 with Adam on the
    (normalised) data, scoring the test set every epoch.  Returns (net, history)."""
    rng = np.random.default_rng(seed)
    net = mlp(
        [X_train.shape[1]] + [width] * depth + [y_train.shape[1]], activation, rng=rng
    )
    history = fit(
        net,
        MSE(),
        Adam(eta),
        X_train,
        y_train,
        epochs,
        batch_size,
        rng,
        val=(X_test, y_test),
        progress=False,
    )
    return net, history


def porosity_dashboard(
    X_train, y_train, X_test, y_test, scalers=None, seed=0, **labels
):
    """Hidden width, depth, epochs and learning rate of the porosity network;
    every change retrains (Adam, batch 5) and redraws
    :func:`geonn.studies.plotting.plot_fit_and_loss`.  ``scalers=(x_scaler, y_scaler)``
    (fitted MinMaxScalers) draws the crossplot in the original units."""
    width = w.IntSlider(
        value=3, min=1, max=30, description="width", continuous_update=False
    )
    depth = w.IntSlider(
        value=1, min=1, max=3, description="depth", continuous_update=False
    )
    epochs = w.IntSlider(
        value=300,
        min=10,
        max=1000,
        step=10,
        description="epochs",
        continuous_update=False,
    )
    # "learning rate" is wider than ipywidgets' fixed label column: size it to its text
    eta = w.FloatLogSlider(
        value=0.01,
        base=10,
        min=-4,
        max=-0.5,
        step=0.25,
        description="learning rate",
        continuous_update=False,
        style={"description_width": "initial"},
    )
    out = w.Output()
    back = (
        (lambda a, i: scalers[i].inverse_transform(a)) if scalers else (lambda a, i: a)
    )
    x_curve = np.linspace(
        min(X_train.min(), X_test.min()), max(X_train.max(), X_test.max()), 200
    ).reshape(-1, 1)

    def redraw(*_):
        net, box.history = porosity_fit(
            X_train,
            y_train,
            X_test,
            y_test,
            width.value,
            depth.value,
            epochs.value,
            eta.value,
            seed=seed,
        )
        redraw_in(
            out,
            box,
            lambda: plot_fit_and_loss(
                back(X_train, 0),
                back(y_train, 1),
                back(X_test, 0),
                back(y_test, 1),
                (back(x_curve, 0), back(net.predict(x_curve), 1)),
                box.history,
                **labels,
            ),
        )

    box = w.VBox([w.HBox([width, depth]), w.HBox([epochs, eta]), out])
    box.controls = {"width": width, "depth": depth, "epochs": epochs, "eta": eta}
    box.figure = box.history = None
    for control in box.controls.values():
        control.observe(redraw, names="value")
    redraw()
    return box
