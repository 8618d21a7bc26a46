"""ipywidgets dashboards.  Each returns the widget so a test can inspect it.

A static figure of the same content should precede each dashboard in a
chapter, drawn with the same ``geonn.studies.plotting`` function: the HTML book cannot
run Python.

- :func:`activation_explorer` (chapter 2)
- :func:`backprop_dashboard`, with :func:`trace_training` (chapter 3)
- :func:`porosity_dashboard`, with :func:`porosity_fit` (chapter 6)
"""

from . import backprop, explorer, porosity
from .backprop import *  # noqa: F401,F403  (each module lists its names in __all__)
from .explorer import *  # noqa: F401,F403
from .porosity import *  # noqa: F401,F403

__all__ = explorer.__all__ + backprop.__all__ + porosity.__all__
