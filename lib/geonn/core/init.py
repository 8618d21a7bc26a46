"""Weight initialisation schemes.  Each returns W of shape (p, k) = (n_in, n_out).

========================  ===============================  ==================
name                      distribution                     source
========================  ===============================  ==================
``xavier``                U[−1/√p, 1/√p]                   the lecture
``normalized_xavier``     U[−1/√(p+k), 1/√(p+k)]           the lecture
``glorot``                U[−√6/√(p+k), √6/√(p+k)]         Glorot & Bengio 2010
``he``                    N(0, 2/p)                        He et al. 2015
========================  ===============================  ==================

The lecture's "normalised Xavier" is *not* Glorot and Bengio's normalised
initialisation: theirs has √6 in the numerator (``glorot``).
"""

import numpy as np

from . import _checks

__all__ = ["xavier", "normalized_xavier", "glorot", "he", "get", "NAMES"]


def _check_rng(rng):
    _checks.rng(rng, "initialisation")


def xavier(n_in, n_out, rng):
    """Lecture's Xavier: λ ~ U[−1/√p, 1/√p], p = n_in."""
    _check_rng(rng)
    lim = 1.0 / np.sqrt(n_in)
    return rng.uniform(-lim, lim, size=(n_in, n_out))


def normalized_xavier(n_in, n_out, rng):
    """Lecture's normalised Xavier: λ ~ U[−1/√(p+k), 1/√(p+k)], k = n_out."""
    _check_rng(rng)
    lim = 1.0 / np.sqrt(n_in + n_out)
    return rng.uniform(-lim, lim, size=(n_in, n_out))


def glorot(n_in, n_out, rng):
    """Glorot & Bengio (2010): λ ~ U[−√6/√(p+k), √6/√(p+k)], Var = 2/(p+k)."""
    _check_rng(rng)
    lim = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-lim, lim, size=(n_in, n_out))


def he(n_in, n_out, rng):
    """He et al. (2015), for ReLU layers: λ ~ N(0, 2/p)."""
    _check_rng(rng)
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


_REGISTRY = {f.__name__: f for f in (xavier, normalized_xavier, glorot, he)}
NAMES = tuple(_REGISTRY)


def get(name):
    """Return an initialiser by name, or pass a callable through."""
    if callable(name):
        return name
    if not isinstance(name, str) or name not in _REGISTRY:
        raise ValueError(
            f"unknown initialisation {name!r}; choose one of {', '.join(NAMES)}"
        )
    return _REGISTRY[name]
