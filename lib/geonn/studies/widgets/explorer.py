"""The activation explorer of chapter 2."""

import ipywidgets as w

from geonn.core import activations

from ..plotting import plot_activation_panels
from ._redraw import redraw_in

__all__ = ["activation_explorer"]


def activation_explorer(initial="sigmoid"):
    """Pick an activation and a z-range; see α(z), α'(z) and the chain of
    derivatives through ``depth`` stacked layers (the vanishing gradient).

    The figure is :func:`geonn.studies.plotting.plot_activation_panels`.
    """
    name = w.Dropdown(
        options=activations.NAMES, value=initial, description="activation"
    )
    zmax = w.FloatSlider(value=5.0, min=1.0, max=20.0, step=0.5, description="|z| max")
    slope = w.FloatSlider(
        value=0.1, min=0.0, max=0.5, step=0.01, description="leaky slope"
    )
    depth = w.IntSlider(value=5, min=1, max=20, description="depth")
    out = w.Output()
    box = w.VBox([w.HBox([name, zmax]), w.HBox([slope, depth]), out])
    box.figure = None

    def redraw(*_):
        kwargs = {"slope": slope.value} if name.value == "leaky_relu" else {}
        redraw_in(
            out,
            box,
            lambda: plot_activation_panels(
                name.value, zmax=zmax.value, depth=depth.value, **kwargs
            ),
        )

    for control in (name, zmax, slope, depth):
        control.observe(redraw, names="value")
    redraw()
    return box
