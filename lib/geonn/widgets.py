"""ipywidgets dashboards.  Each returns the widget so a test can inspect it.

A static figure of the same content should precede each dashboard in a
chapter: the HTML book cannot run Python.
"""
import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from . import activations
from .plotting import WIDE, plot_activation

__all__ = ["activation_explorer"]


def activation_explorer(initial="sigmoid"):
    """Pick an activation and a z-range; see α(z), α'(z) and the chain of
    derivatives through ``depth`` stacked layers (the vanishing gradient)."""
    name = w.Dropdown(options=activations.NAMES, value=initial, description="activation")
    zmax = w.FloatSlider(value=5.0, min=1.0, max=20.0, step=0.5, description="|z| max")
    slope = w.FloatSlider(value=0.1, min=0.0, max=0.5, step=0.01, description="leaky slope")
    depth = w.IntSlider(value=5, min=1, max=20, description="depth")
    out = w.Output()

    def redraw(*_):
        kwargs = {"slope": slope.value} if name.value == "leaky_relu" else {}
        act = activations.get(name.value, **kwargs)
        with out:
            out.clear_output(wait=True)
            fig, (ax0, ax1) = plt.subplots(1, 2, figsize=WIDE, layout="constrained")
            z = np.linspace(-zmax.value, zmax.value, 401)
            plot_activation(act, z, ax=ax0)
            if isinstance(act, activations.Softmax):
                ax1.text(0.5, 0.5, "softmax is used at the output only", ha="center",
                         transform=ax1.transAxes)
                ax1.axis("off")
            else:
                # upper bound on the gradient surviving `depth` layers with unit weights
                ax1.semilogy(z, np.maximum(np.abs(act.grad(z)) ** depth.value, 1e-30))
                ax1.set(xlabel="pre-activation $z$", ylabel=rf"$|\alpha'(z)|^{{{depth.value}}}$",
                        title=f"gradient factor through {depth.value} layers", ylim=(1e-30, 10))
                ax1.grid(alpha=0.3)
            plt.show()

    for control in (name, zmax, slope, depth):
        control.observe(redraw, names="value")
    redraw()
    return w.VBox([w.HBox([name, zmax]), w.HBox([slope, depth]), out])
