"""A synthetic elastic well log and Zoeppritz-labelled interfaces (chapter 7).

:func:`make_elastic_log` draws a blocky sand–shale log with a compaction trend;
:func:`interface_features` pairs consecutive samples into interfaces with an
angle of incidence; :func:`zoeppritz_labels` gives their exact P–P
reflectivity from bruges.  The log is cheap, so chapters make it on the fly:

    >>> import numpy as np
    >>> log = make_elastic_log(701, np.random.default_rng(0))
    >>> X = interface_features(log.vp, log.vs, log.rho, theta=10.0)
    >>> X.shape, zoeppritz_labels(X).shape
    ((700, 7), (700, 1))
"""

import importlib.metadata
import sys
import types
import warnings
from typing import NamedTuple

import numpy as np

__all__ = [
    "ElasticLog",
    "make_elastic_log",
    "interface_features",
    "zoeppritz_labels",
    "bruges_reflection",
    "FEATURES",
]

FEATURES = ("vp1", "vs1", "rho1", "vp2", "vs2", "rho2", "theta")

# (shale, sand): Castagna et al. (1993) lines Vs = a Vp + c (m/s), and Gardner-type
# ρ = d (Vp / km/s)^e in g/cm³ with their lithology-specific coefficients
_VS_LINE = {False: (0.862, -1172.0), True: (0.804, -855.9)}
_GARDNER = {False: (1.75, 0.265), True: (1.66, 0.261)}


class ElasticLog(NamedTuple):
    """A well log sampled every ``dz`` metres; all arrays have shape (n,)."""

    depth: np.ndarray  # m, true vertical depth
    vp: np.ndarray  # m/s
    vs: np.ndarray  # m/s
    rho: np.ndarray  # g/cm³
    sand: np.ndarray  # bool, True in sand beds, False in shale


def _check_int(name, value, low):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or value < low
    ):
        raise ValueError(f"{name} must be an integer ≥ {low}; got {value!r}")


def _check_positive(name, value):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not np.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a positive number; got {value!r}")


def make_elastic_log(
    n_samples, rng, top=1000.0, dz=2.0, bed_m=(12.0, 6.0), noise=0.015
):
    """Draw a blocky, compacting sand–shale log of Vp, Vs and ρ.

    Beds alternate shale / sand, starting with shale; thicknesses are
    exponential with means ``bed_m = (shale, sand)`` metres (at least one
    sample).  The shale velocity follows a compaction trend

        Vp_shale(z) = 5000 − 3600 exp(−z / 2000 m)   (m/s, z in m),

    i.e. 2820 m/s at 1 km and 4200 m/s at 3 km.  Each bed multiplies the trend
    by its own factor, N(1.00, 0.03) in shale and N(1.05, 0.04) in sand, and
    every sample by 1 + N(0, ``noise``) (fine-scale heterogeneity).  Then, per
    lithology (Castagna et al. 1993):

        Vs  = 0.862 Vp − 1172 (shale, the mudrock line),  0.804 Vp − 856 (sand)
        ρ   = 1.75 Vp^0.265 (shale),  1.66 Vp^0.261 (sand)   (Vp in km/s)

    each with 1 % multiplicative noise.  Between 1 and 3 km depth Vp spans
    about 2550–4750 m/s, Vs 1050–3000 m/s, ρ 2.1–2.65 g/cm³ and Vp/Vs
    1.6–2.45; from 0.5 km, Vp starts near 2000 m/s, ρ near 2.0 g/cm³, and
    Vp/Vs reaches about 3.5.
    The lines are calibrated on consolidated rocks, so the log starts at
    ``top`` ≥ 500 m.

    Parameters
    ----------
    n_samples : int ≥ 2, number of depth samples
    rng : np.random.Generator
    top : depth of the first sample, m (≥ 500)
    dz : sample interval, m (> 0)
    bed_m : mean bed thickness (shale, sand), m
    noise : relative standard deviation of the per-sample Vp noise (≥ 0)

    Returns
    -------
    ElasticLog(depth, vp, vs, rho, sand), each of shape (n_samples,).
    """
    _check_int("n_samples", n_samples, 2)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be np.random.default_rng(seed); got {type(rng).__name__}"
        )
    if (
        isinstance(top, bool)
        or not isinstance(top, (int, float, np.integer, np.floating))
        or not np.isfinite(top)
        or top < 500
    ):
        raise ValueError(
            f"top must be a depth ≥ 500 m (the Vs and density relations need "
            f"consolidated rock); got {top!r}"
        )
    _check_positive("dz", dz)
    if len(bed_m) != 2:
        raise ValueError(
            f"bed_m must be (shale, sand) mean thicknesses in m; got {bed_m!r}"
        )
    for b in bed_m:
        _check_positive("bed_m", b)
    if not np.isfinite(noise) or not 0 <= noise < 0.1:
        raise ValueError(
            f"noise must be a relative standard deviation in [0, 0.1); got {noise!r}"
        )

    depth = top + dz * np.arange(n_samples)
    # beds: alternating facies with exponential thicknesses, counted in samples
    sand = np.zeros(n_samples, dtype=bool)
    factor = np.empty(n_samples)
    i, is_sand = 0, False
    while i < n_samples:
        k = max(1, int(round(rng.exponential(bed_m[is_sand]) / dz)))
        sand[i : i + k] = is_sand
        factor[i : i + k] = rng.normal(1.05, 0.04) if is_sand else rng.normal(1.0, 0.03)
        i, is_sand = i + k, not is_sand

    vp = (5000.0 - 3600.0 * np.exp(-depth / 2000.0)) * factor
    vp *= 1.0 + noise * rng.standard_normal(n_samples)
    a, c = (
        np.where(sand, _VS_LINE[True][0], _VS_LINE[False][0]),
        np.where(sand, _VS_LINE[True][1], _VS_LINE[False][1]),
    )
    vs = (a * vp + c) * (1.0 + 0.01 * rng.standard_normal(n_samples))
    d, e = (
        np.where(sand, _GARDNER[True][0], _GARDNER[False][0]),
        np.where(sand, _GARDNER[True][1], _GARDNER[False][1]),
    )
    rho = d * (vp / 1000.0) ** e * (1.0 + 0.01 * rng.standard_normal(n_samples))
    if np.any(vs <= 0):
        raise ValueError(
            "Vp fell below ~1.4 km/s somewhere, where the Vs lines give Vs ≤ 0; "
            "lower the noise"
        )
    return ElasticLog(depth, vp, vs, rho, sand)


def interface_features(vp, vs, rho, theta):
    """Interfaces between consecutive samples, as rows of a feature matrix.

    Row i describes the interface between samples i (upper, 1) and i + 1
    (lower, 2): ``[vp1, vs1, rho1, vp2, vs2, rho2, theta]`` (see ``FEATURES``).

    Parameters
    ----------
    vp, vs, rho : arrays (n,), n ≥ 2, positive (m/s, m/s, g/cm³ or any density unit)
    theta : angle of incidence in degrees, in [0, 90): a number, or an array (n − 1,)

    Returns
    -------
    X : array (n − 1, 7)
    """
    logs = [np.asarray(v, dtype=float) for v in (vp, vs, rho)]
    for name, v in zip(("vp", "vs", "rho"), logs):
        if v.ndim != 1 or len(v) < 2:
            raise ValueError(
                f"{name} must be a 1-D log with at least 2 samples; got shape {v.shape}"
            )
        if not np.all(np.isfinite(v)) or np.any(v <= 0):
            raise ValueError(f"{name} must be positive and finite everywhere")
    if not len(logs[0]) == len(logs[1]) == len(logs[2]):
        raise ValueError(
            f"vp, vs and rho must have the same length; got {[len(v) for v in logs]}"
        )
    n = len(logs[0]) - 1
    theta = (
        np.broadcast_to(np.asarray(theta, dtype=float), (n,))
        if np.ndim(theta) == 0
        else np.asarray(theta, dtype=float)
    )
    if theta.shape != (n,):
        raise ValueError(
            f"theta must be a number or have shape ({n},), one angle per interface; "
            f"got shape {theta.shape}"
        )
    if not np.all(np.isfinite(theta)) or np.any((theta < 0) | (theta >= 90)):
        raise ValueError("theta must be an angle of incidence in degrees, in [0, 90)")
    upper = [v[:-1] for v in logs]
    lower = [v[1:] for v in logs]
    return np.column_stack(upper + lower + [theta])


def bruges_reflection():
    """Return ``bruges.reflection`` (see :func:`_import_bruges`)."""
    return _import_bruges().reflection


def _import_bruges():
    """Return the ``bruges`` package (chapter 7's Zoeppritz, chapter 8's Ricker
    wavelet).

    bruges 0.5.4 reads its version with ``pkg_resources``, which setuptools no
    longer ships (removed in setuptools 82; requirements.txt pins 81 so that a
    plain ``import bruges`` works too).  If that import is what fails,
    bruges is imported with a two-name stand-in built on ``importlib.metadata``,
    which is removed from ``sys.modules`` straight afterwards.
    """
    try:
        with (
            warnings.catch_warnings()
        ):  # setuptools 80-81 warn that pkg_resources is deprecated
            warnings.filterwarnings(
                "ignore", message="pkg_resources is deprecated", category=UserWarning
            )
            import bruges
    except ModuleNotFoundError as err:
        if err.name != "pkg_resources":
            raise
        shim = types.ModuleType("pkg_resources")
        shim.DistributionNotFound = importlib.metadata.PackageNotFoundError
        shim.get_distribution = lambda name: types.SimpleNamespace(
            version=importlib.metadata.version(name)
        )
        sys.modules["pkg_resources"] = shim
        try:
            import bruges
        finally:
            del sys.modules["pkg_resources"]
    return bruges


def zoeppritz_labels(X, block=32):
    """Exact P–P reflection coefficient of each interface (row) of ``X``.

    R = Re[bruges.reflection.zoeppritz_rpp(vp1, vs1, rho1, vp2, vs2, rho2, θ)],
    θ in degrees.  bruges evaluates every angle against every interface, so
    rows are taken ``block`` at a time and the diagonal is kept.

    Parameters
    ----------
    X : array (n, 7), columns as in ``FEATURES`` (raw, not standardised)

    Returns
    -------
    y : array (n, 1)
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != len(FEATURES):
        raise ValueError(
            f"X must have shape (n, 7) with columns {', '.join(FEATURES)}; "
            f"got shape {X.shape}"
        )
    if not np.all(np.isfinite(X)) or np.any(X[:, :6] <= 0):
        raise ValueError(
            "X must be finite, with positive velocities and densities "
            "(pass the raw features, not standardised ones)"
        )
    if np.any((X[:, 6] < 0) | (X[:, 6] >= 90)):
        raise ValueError("the angle column (theta) must be in degrees, in [0, 90)")
    _check_int("block", block, 1)
    zoeppritz_rpp = bruges_reflection().zoeppritz_rpp
    y = np.empty(len(X))
    for start in range(0, len(X), block):
        rows = X[start : start + block]
        r = zoeppritz_rpp(*rows[:, :6].T, theta1=rows[:, 6])  # (angles, interfaces)
        y[start : start + block] = np.diagonal(np.atleast_2d(r)).real
    return y.reshape(-1, 1)
