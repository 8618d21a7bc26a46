"""geonn: a small, pure-NumPy neural-network library for the course
*Neural Networks for the Subsurface*.

Three layers, each importing only the layers below it (see README.md):

- :mod:`geonn.core`: layers, activations, losses, networks, optimizers, training,
  initialisation and gradient checks. Its names are the names of ``geonn``.
- :mod:`geonn.domain`: the geoscience: data sets, seismic processing, first-break
  picking, validation on wells in a map.
- :mod:`geonn.studies`: the chapters' experiments and how they are shown:
  autoencoders, transfer learning, GANs, uncertainty, loss surfaces, seed studies,
  plotting and widgets.

``import geonn`` loads the core only; the other two load when first used.

    >>> import numpy as np
    >>> from geonn import Sequential, Dense, Activation
    >>> rng = np.random.default_rng(0)
    >>> net = Sequential([Dense(3, 2, rng=rng), Activation("sigmoid"),
    ...                   Dense(2, 1, rng=rng)])
    >>> net.n_params
    11
"""

import importlib

from . import core
from .core import *  # noqa: F401,F403  (core.__all__: Dense, Sequential, MSE, fit...)

__version__ = "0.1.0"
__all__ = list(core.__all__)

_LAZY = ("domain", "studies")


def __getattr__(name):
    """``geonn.domain`` and ``geonn.studies`` are imported on first use."""
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
