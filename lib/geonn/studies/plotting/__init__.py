"""Figures shared by the chapters.

Every function takes an optional ``ax`` (or ``axes``) and returns it, and new
figures use the fixed sizes of :mod:`.style`, so the book's figures look alike.
The figure a dashboard in :mod:`geonn.studies.widgets` redraws is a function here too,
so a chapter can draw the same view statically for the HTML book.

- :mod:`.networks`: network diagrams with weights, values and gradients
- :mod:`.blocks`: block diagrams of convolutional networks with skip connections
- :mod:`.curves`: loss curves, activation functions
- :mod:`.classification`: confusion matrix, the Rayleigh-number plane
- :mod:`.maps`: well maps, property maps, crossplots with a fitted curve
- :mod:`.seismic`: elastic logs, reflectivity against angle
- :mod:`.conv`: traces side by side, convolution kernels and their spectra
- :mod:`.gathers`: shot gathers with first-break picks
- :mod:`.images`: sections, fault hits and misses, 2-D kernels (chapter 11; imported
  as ``geonn.studies.plotting.images``, since it loads ``geonn.domain.faults``)
"""

from . import blocks, classification, conv, curves, gathers, maps, networks, seismic
from .blocks import *  # noqa: F401,F403
from .classification import *  # noqa: F401,F403  (each module lists its names in __all__)
from .conv import *  # noqa: F401,F403
from .curves import *  # noqa: F401,F403
from .gathers import *  # noqa: F401,F403
from .maps import *  # noqa: F401,F403
from .networks import *  # noqa: F401,F403
from .seismic import *  # noqa: F401,F403
from .style import FIGSIZE, TEXT_WIDTH, WIDE, use_book_style

use_book_style()  # fonts >= 10 pt at page size; retina inline figures

__all__ = (
    ["FIGSIZE", "TEXT_WIDTH", "WIDE", "use_book_style"]
    + networks.__all__
    + blocks.__all__
    + curves.__all__
    + classification.__all__
    + maps.__all__
    + seismic.__all__
    + conv.__all__
    + gathers.__all__
)
