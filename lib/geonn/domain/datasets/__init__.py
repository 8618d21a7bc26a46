"""Data sets of the course: seeded generators and validating loaders.

Each generator takes an explicit ``rng`` and states its ranges and units in
its docstring; ``data/make_data.py`` calls the generators to write the files
in ``data/``, and the loaders read them back, checking columns, dtype and NaN.

- :mod:`.mantle`: the Rayleigh–Bénard stability set of chapter 5
- :mod:`.porosity`: porosity field, acoustic impedance, wells (chapter 6)
- :mod:`.elastic`: a layered elastic well log for chapter 7
- :mod:`.seismic`: traces of the convolutional model and shot gathers with exact
  first breaks (chapters 8–11); :mod:`.signals`: its Ricker wavelet, noise and SNR
- :mod:`.sections`: faulted seismic sections with exact fault labels (chapter 11)
"""

from . import elastic, mantle, porosity, sections, seismic
from .elastic import *  # noqa: F401,F403  (each module lists its public names in __all__)
from .mantle import *  # noqa: F401,F403
from .porosity import *  # noqa: F401,F403
from .sections import *  # noqa: F401,F403
from .seismic import *  # noqa: F401,F403

__all__ = (
    mantle.__all__
    + porosity.__all__
    + elastic.__all__
    + seismic.__all__
    + sections.__all__
)
