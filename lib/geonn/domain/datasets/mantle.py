"""Stability of a fluid layer heated from below: the data set of chapter 5.

A horizontal layer of thickness b, heated from below, is unstable to a
perturbation of wavelength λ when its Rayleigh number exceeds the critical value
of linear stability theory for free-slip boundaries (Schubert et al. 2001):

    Ra = α g ΔT b³ / (ν κ),      Ra_cr = π⁴ (4 + λ*²)³ / (4 λ*⁴),   λ* = λ / b.

Ra_cr has its minimum 27π⁴/4 ≈ 657.5 at λ* = 2√2.  :func:`mantle_stability`
draws the eight inputs of the DLiES lecture in consistent SI units, labels
each sample from Ra > Ra_cr, and returns the inputs divided by the reference
scales in :data:`MANTLE_SCALES`, i.e. as dimensionless numbers of order one.
"""

import numpy as np

# names carry a MANTLE_ prefix: geonn.domain.datasets star-imports every data module
__all__ = [
    "MANTLE_FEATURES",
    "MANTLE_UNITS",
    "MANTLE_SCALES",
    "MANTLE_DEPTH",
    "MANTLE_CLASSES",
    "critical_rayleigh",
    "rayleigh_number",
    "mantle_stability",
]

#: column names of X, in order
MANTLE_FEATURES = ("g", "alpha", "nu", "kappa", "depth", "b", "lambda", "dT")
#: SI unit of each column before scaling
MANTLE_UNITS = ("m s^-2", "K^-1", "m^2 s^-1", "m^2 s^-1", "m", "m", "m", "K")
#: reference scale of each column: X = physical value / MANTLE_SCALES
MANTLE_SCALES = np.array([10.0, 1e-5, 1e18, 1e-6, 1e6, 1e6, 1e6, 1e3])
MANTLE_SCALES.flags.writeable = False  # labels and figures rely on these values
#: thickness of Earth's mantle (m): every layer lies between the surface and the core
MANTLE_DEPTH = 2.89e6
#: the class of each one-hot column
MANTLE_CLASSES = ("stable", "unstable")


def critical_rayleigh(lam_star):
    """Critical Rayleigh number Ra_cr = π⁴ (4 + λ*²)³ / (4 λ*⁴), free-slip boundaries.

    ``lam_star`` is the dimensionless wavelength λ* = λ/b (any shape, > 0); the
    wavenumber on the lecture's plot is 2π/λ* = 2πb/λ.  Returns an array of the
    same shape.
    """
    lam_star = np.asarray(lam_star, dtype=float)
    if not np.all(np.isfinite(lam_star)) or np.any(lam_star <= 0):
        raise ValueError(
            "critical_rayleigh needs a finite wavelength ratio lambda/b > 0; "
            f"got values from {lam_star.min()} to {lam_star.max()}"
        )
    s = lam_star**2
    return np.pi**4 * (4.0 + s) ** 3 / (4.0 * s**2)


def _check_X(X):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != len(MANTLE_FEATURES):
        raise ValueError(
            f"X must have shape (n, {len(MANTLE_FEATURES)}) with columns "
            f"{MANTLE_FEATURES}; got shape {X.shape}"
        )
    return X


def rayleigh_number(X):
    """Rayleigh number Ra = α g ΔT b³ / (ν κ) of each row of the scaled inputs.

    ``X`` has shape (n, 8), the columns of :data:`MANTLE_FEATURES` divided by
    :data:`MANTLE_SCALES` (what :func:`mantle_stability` returns).  The scales are
    undone here, in one place, so labels and figures cannot disagree.
    With these scales Ra = 10⁵ · α' g' ΔT' b'³ / (ν' κ') in the scaled values.
    Returns shape (n,).  The depth column does not enter.
    """
    g, alpha, nu, kappa, _, b, _, dT = (_check_X(X) * MANTLE_SCALES).T
    return alpha * g * dT * b**3 / (nu * kappa)


def _log_uniform(lo, hi, n, rng):
    return np.exp(rng.uniform(np.log(lo), np.log(hi), n))


def mantle_stability(n, rng):
    """Draw ``n`` fluid layers and label each stable or unstable.

    Inputs, in SI units before scaling (U: uniform, logU: uniform in the logarithm):

    ====  ===================================  ==========================  ===========
    col   quantity                             distribution                scale
    ====  ===================================  ==========================  ===========
    0     gravitational acceleration g         U[8, 11] m s⁻²              10 m s⁻²
    1     volume expansion coefficient α       U[1, 5]·10⁻⁵ K⁻¹            10⁻⁵ K⁻¹
    2     kinematic viscosity ν                logU[10¹⁶, 10²¹] m² s⁻¹     10¹⁸ m² s⁻¹
    3     thermal diffusivity κ                U[0.5, 1.5]·10⁻⁶ m² s⁻¹     10⁻⁶ m² s⁻¹
    4     depth of the top of the layer        U[0, 2890 km − b]           1000 km
    5     thickness b                          logU[100, 2890] km          1000 km
    6     wavelength λ = λ* b                  λ* logU[0.5, 8]             1000 km
    7     temperature difference ΔT            logU[10, 3000] K            1000 K
    ====  ===================================  ==========================  ===========

    ν = η/ρ covers dynamic viscosities η ≈ 4·10¹⁹–4·10²⁴ Pa s at ρ ≈ 4000 kg m⁻³;
    every layer fits inside a 2890 km mantle.  The depth does not enter the
    stability criterion: it is a distractor the network must learn to ignore.
    With these ranges 52 % of the layers are unstable (0.521 in 10⁶ draws).

    Parameters
    ----------
    n : positive int, number of samples
    rng : ``np.random.default_rng(seed)``

    Returns
    -------
    X : (n, 8) float array, the inputs divided by :data:`MANTLE_SCALES`
    Y : (n, 2) one-hot labels, columns :data:`MANTLE_CLASSES`: (1, 0) stable,
        (0, 1) unstable, i.e. Ra > Ra_cr(λ/b)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer number of samples; got {n!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "mantle_stability needs rng=np.random.default_rng(seed); "
            f"got {type(rng).__name__}"
        )
    n = int(n)
    km = 1e3
    g = rng.uniform(8.0, 11.0, n)
    alpha = rng.uniform(1e-5, 5e-5, n)
    nu = _log_uniform(1e16, 1e21, n, rng)
    kappa = rng.uniform(0.5e-6, 1.5e-6, n)
    b = _log_uniform(100 * km, MANTLE_DEPTH, n, rng)
    depth = rng.uniform(0.0, 1.0, n) * (MANTLE_DEPTH - b)
    lam = _log_uniform(0.5, 8.0, n, rng) * b
    dT = _log_uniform(10.0, 3000.0, n, rng)
    X = np.column_stack([g, alpha, nu, kappa, depth, b, lam, dT]) / MANTLE_SCALES
    unstable = rayleigh_number(X) > critical_rayleigh(X[:, 6] / X[:, 5])
    Y = np.column_stack([~unstable, unstable]).astype(float)
    return X, Y
