"""Chapter 10's sample-quality measures (:func:`geonn.studies.gan_metrics.report`) on
image patches (n, 1, H, W), time down, traces across (chapter 12).

A patch is one sample for the measures of whole samples and a set of W traces for
the measures of traces:

- W₁ of the pixel amplitudes, all pooled;
- the spectrum error of the mean amplitude spectrum of the traces (columns);
- spread ratios: of the dominant frequency of each trace, of the RMS of each patch;
- 1-NN two-sample accuracy on the patches as vectors of H·W pixels;
- the Fréchet distance of ``features(patches)`` (e.g. an autoencoder's codes).

The keys are :data:`geonn.studies.gan_metrics.METRICS`, so that
:func:`geonn.studies.gan_report.score_table` prints them as for traces. It is
:func:`geonn.studies.gan_metrics.report`, given the patches as flat samples and
their columns as traces.
"""

import numpy as np

from geonn.core import _checks

from .gan_metrics import report

__all__ = ["patch_traces", "patch_report"]


def _patches(name, X):
    X = _checks.finite(name, _checks.array(name, X, ndim=4))
    if X.shape[1] != 1 or len(X) < 2 or min(X.shape[2:]) < 2:
        raise ValueError(
            f"{name} must be one-channel patches (n, 1, H, W), n ≥ 2, H, W ≥ 2; got "
            f"shape {X.shape}"
        )
    return X


def patch_traces(X):
    """Patches (n, 1, H, W) → their traces (n·W, H), the columns of each patch in
    turn."""
    X = _patches("patch_traces X", X)
    n, _, H, W = X.shape
    return X[:, 0].transpose(0, 2, 1).reshape(n * W, H)


def patch_report(X, Y, dt, features):
    """Every measure of :func:`geonn.studies.gan_metrics.report` for generated patches
    Y (m, 1, H, W) against real ones X (n, 1, H, W), as in the module docstring; the
    traces' sample interval ``dt`` (s)."""
    X, Y = _patches("patch_report X", X), _patches("patch_report Y", Y)
    if X.shape[1:] != Y.shape[1:]:
        raise ValueError(
            f"patch_report: X and Y must be patches of one size; got {X.shape[1:]} "
            f"and {Y.shape[1:]}"
        )
    dt = _checks.positive("patch_report dt (s)", dt)
    if not callable(features):
        raise TypeError(
            "patch_report: features must be a function of a set of patches, e.g. "
            f"an encoder's codes; got {type(features).__name__}"
        )
    tx, ty = patch_traces(X), patch_traces(Y)
    for name, t in (("X", tx), ("Y", ty)):
        if not np.all(np.any(t, axis=1)):
            raise ValueError(
                f"patch_report {name} holds all-zero traces (columns of a patch): "
                "a zero trace has no dominant frequency"
            )
    shape = (-1, *X.shape[1:])  # the flat samples back as patches, for features

    def patch_features(F):
        return np.asarray(features(F.reshape(shape)))

    return report(
        X.reshape(len(X), -1), Y.reshape(len(Y), -1), dt, patch_features, (tx, ty)
    )
