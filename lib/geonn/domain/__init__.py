"""The geoscience domain, built on :mod:`geonn.core` (never on :mod:`geonn.studies`).

- :mod:`.datasets`: seeded generators and validating loaders of the course's data
  (mantle stability, porosity, elastic logs, seismic traces, gathers and sections)
- :mod:`.faults`: faults on sections, classically: coherence, thresholds, scores
- :mod:`.processing`: classical trace processing (Wiener deconvolution and
  denoising, spectra, band-pass)
- :mod:`.picking`: first-break picking, classical and with a CNN
- :mod:`.validation`: wells in a map: blocked K-fold, paired differences, correlograms

Each module is imported on first use (``geonn.domain.processing``).
"""

import importlib

_LAZY = ("datasets", "faults", "picking", "processing", "validation")


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
