"""Sample-quality measures for generated traces (chapter 10).

No single number says whether generated samples are "like" real ones; each of
these compares one aspect of a generated set Y (m, d) with a real set X (n, d).
This module holds the measures of single traces and :func:`report`, which runs
them all; the two-sample tests and distances between the sets (W₁, 1-NN accuracy,
memorisation, the Fréchet distance) live in :mod:`.gan_distances` and are imported
from here too, so that one import gives every measure.

- :func:`spectrum_error`: the mean amplitude spectra, ‖Ā_Y − Ā_X‖ / ‖Ā_X‖.
- :func:`dominant_frequency`, :func:`rms_amplitude` and :func:`spread_ratio`: a
  property per trace, and std(property of Y) / std(property of X), below 1 when G
  covers too little.
- :func:`report`: every measure, keyed by :data:`METRICS`.
"""

import numpy as np

from geonn.core import _checks
from geonn.domain.processing import amplitude_spectrum

from .gan_distances import (
    _sets,
    closer_to_train,
    frechet_distance,
    gaussian_baseline,
    memorisation,
    nearest_distance,
    one_nn_accuracy,
    wasserstein1,
)

__all__ = [
    "wasserstein1",
    "spectrum_error",
    "dominant_frequency",
    "spread_ratio",
    "one_nn_accuracy",
    "nearest_distance",
    "memorisation",
    "closer_to_train",
    "frechet_distance",
    "gaussian_baseline",
    "rms_amplitude",
    "report",
    "METRICS",
]


def _norm(v):
    """‖v‖ without overflow or underflow in the squares (‖v‖ = m ‖v/m‖, m = max|v|)."""
    m = float(np.max(np.abs(v)))
    return m * float(np.linalg.norm(v / m)) if m > 0 else 0.0


def _spectrum(X, dt, nfft=None):
    """processing.amplitude_spectrum of the rows of X, zero-padded to ``nfft`` samples
    (None: not padded, the traces' own frequencies)."""
    return amplitude_spectrum(X, dt, nfft=X.shape[1] if nfft is None else nfft)


def spectrum_error(X, Y, dt, nfft=None):
    """‖Ā_Y − Ā_X‖ / ‖Ā_X‖, with Ā the mean amplitude spectrum of the traces (rows).

    The real traces X must hold some signal (Ā_X ≠ 0); the ratio does not depend on
    the scale of the data."""
    X, Y = _sets(X, Y, "spectrum_error")
    dt = _checks.positive("spectrum_error dt (s)", dt)
    if not np.any(X):
        raise ValueError(
            "spectrum_error: the real traces X are all zero, so the error relative "
            "to their spectrum is undefined"
        )
    A_x = _spectrum(X, dt, nfft)[1].mean(axis=0)
    A_y = _spectrum(Y, dt, nfft)[1].mean(axis=0)
    if 2.0**-100 < np.max(A_x) < 2.0**100 and np.max(A_y) < 2.0**100:
        return float(np.linalg.norm(A_y - A_x) / np.linalg.norm(A_x))
    return _norm(A_y - A_x) / _norm(A_x)  # (1e200: the squares would overflow)


def dominant_frequency(X, dt, nfft=256):
    """(n,) Hz: the frequency of the largest amplitude-spectrum value of each trace
    (rows of X), after zero padding to ``nfft`` samples (resolution 1/(nfft dt)).
    An all-zero trace has no dominant frequency and is refused."""
    X = _checks.array("dominant_frequency X", X, ndim=2)
    X = _checks.finite("dominant_frequency X", X)
    zero = np.flatnonzero(~np.any(X, axis=1))
    if zero.size:
        raise ValueError(
            f"dominant_frequency: trace(s) {zero[:5].tolist()} of X are all zero "
            f"({zero.size} in all): a zero trace has no dominant frequency"
        )
    dt = _checks.positive("dominant_frequency dt (s)", dt)
    nfft = _checks.integer("dominant_frequency nfft", nfft, low=X.shape[1])
    f, A = _spectrum(X, dt, nfft)
    return f[np.argmax(A, axis=1)]


def spread_ratio(prop_y, prop_x):
    """std(prop_y) / std(prop_x): 1 when the generated property varies as much as the
    real one, well below 1 under mode collapse."""
    prop_y, prop_x = _sets(
        np.ravel(prop_y),
        np.ravel(prop_x),
        "spread_ratio",
        ndim=1,
        names=("prop_y", "prop_x"),
    )
    (prop_y,), e_y = _checks.unit_scale(prop_y)  # std squares: exact rescaling
    (prop_x,), e_x = _checks.unit_scale(prop_x)
    sx = np.std(prop_x)
    if sx == 0:
        raise ValueError("spread_ratio: the real property prop_x does not vary (std 0)")
    return float(np.ldexp(np.std(prop_y) / sx, e_y - e_x))


def rms_amplitude(X):
    """(n,) root-mean-square amplitude of each trace (row of X)."""
    X = _checks.finite("rms_amplitude X", _checks.array("rms_amplitude X", X, ndim=2))
    (X,), e = _checks.unit_scale(X)  # X² would overflow at 1e200
    return np.ldexp(np.sqrt(np.mean(X * X, axis=1)), e)


METRICS = ("W1", "spectrum", "spread f_dom", "spread RMS", "1-NN", "FD")


def report(X, Y, dt, features, traces=None):
    """Every measure for a generated set Y against a real set X, as a dict keyed
    by :data:`METRICS`: W₁ of amplitudes, spectrum error, spread ratios of the dominant
    frequency and of the RMS amplitude, 1-NN accuracy, and the Fréchet distance of
    ``features(X)`` and ``features(Y)`` (e.g. an autoencoder's codes).

    X (n, d), Y (m, d) are the samples; the measures of traces (spectrum, dominant
    frequency) read X and Y as traces, or ``traces = (T_x, T_y)`` when a sample holds
    several traces (the columns of an image patch, chapter 12)."""
    X, Y = _sets(X, Y, "report")
    if not callable(features):
        raise TypeError(
            f"report: features must be a function of a set of samples, e.g. an "
            f"encoder's predict; got {type(features).__name__}"
        )
    if traces is None:
        tx, ty = X, Y
    elif isinstance(traces, tuple) and len(traces) == 2:
        tx, ty = _sets(*traces, "report traces", names=("T_x", "T_y"))
    else:
        raise TypeError("report: traces must be None or a pair (T_x, T_y) of traces")
    return {
        "W1": wasserstein1(X, Y),
        "spectrum": spectrum_error(tx, ty, dt),
        "spread f_dom": spread_ratio(
            dominant_frequency(ty, dt), dominant_frequency(tx, dt)
        ),
        "spread RMS": spread_ratio(rms_amplitude(Y), rms_amplitude(X)),
        "1-NN": one_nn_accuracy(X, Y),
        "FD": frechet_distance(features(X), features(Y)),
    }
