"""Two-sample tests and distances between a generated set Y (m, d) and a real set X
(n, d) (chapter 10); :mod:`.gan_metrics` gathers them with the measures of single
traces, and they are imported from there.

- :func:`wasserstein1`: the amplitude distributions, all samples pooled,
      W₁(P, Q) = ∫ |F_P(a) − F_Q(a)| da.
- :func:`one_nn_accuracy`: leave-one-out 1-nearest-neighbour two-sample test on X ∪ Y;
  0.5 when the sets cannot be told apart, 1 when every sample's neighbour is its own
  kind.
- :func:`memorisation`, :func:`closer_to_train`: does G copy its training set? The
  distance from each generated sample to its nearest training sample,
  d(y) = min_j ‖y − x_j‖ (:func:`nearest_distance`), against the same for held-out
  real samples.
- :func:`frechet_distance`: between Gaussians fitted to features (Heusel et al. 2017),
      FD = ‖μ_X − μ_Y‖² + Tr(C_X + C_Y − 2 (C_X C_Y)^{1/2});
  :func:`gaussian_baseline` draws from the Gaussian fitted to X, the best a Gaussian
  model can do.
"""

import numpy as np

from geonn.core import _checks

__all__ = [
    "wasserstein1",
    "one_nn_accuracy",
    "nearest_distance",
    "memorisation",
    "closer_to_train",
    "frechet_distance",
    "gaussian_baseline",
]


def _sets(X, Y, who, ndim=2, names=("X", "Y")):
    """Two finite sets of samples, (n, d) and (m, d) (``ndim=1``: values), n, m ≥ 2;
    ``names`` are the caller's names for them."""
    nx, ny = names
    X = _checks.array(f"{who} {nx}", X)
    Y = _checks.array(f"{who} {ny}", Y)
    if X.ndim != ndim or Y.ndim != ndim:
        what = "(samples, features)" if ndim == 2 else "(values)"
        raise ValueError(
            f"{who}: {nx} and {ny} must be {ndim}-D {what}; got shapes "
            f"{X.shape} and {Y.shape}"
        )
    if ndim == 2 and X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"{who}: {nx} has {X.shape[1]} features but {ny} has {Y.shape[1]}"
        )
    if len(X) < 2 or len(Y) < 2:
        raise ValueError(
            f"{who}: {nx} and {ny} need at least 2 samples each; got {len(X)} and "
            f"{len(Y)}"
        )
    _checks.finite(f"{who} {nx}", X)
    return X, _checks.finite(f"{who} {ny}", Y)


def wasserstein1(a, b):
    """W₁ between the empirical distributions of the values in ``a`` and ``b``
    (any shapes, flattened): the area between their CDFs. For equal sizes,
    mean |sort(a) − sort(b)|."""
    a, b = _sets(np.ravel(a), np.ravel(b), "wasserstein1", ndim=1, names="ab")
    a, b = np.sort(a), np.sort(b)
    v = np.sort(np.concatenate([a, b]))
    Fa = np.searchsorted(a, v[:-1], side="right") / a.size
    Fb = np.searchsorted(b, v[:-1], side="right") / b.size
    return float(np.sum(np.abs(Fa - Fb) * np.diff(v)))


def one_nn_accuracy(X, Y):
    """Leave-one-out 1-NN accuracy on X ∪ Y with labels "real"/"generated" (Euclidean).

    Each sample is given the label of its nearest other sample; the accuracy is the
    share labelled correctly. ≈ 0.5 for two samples of one distribution; 1 for
    separated sets; below 0.5 only when Y copies X itself (each fake's neighbour is its
    twin). With X held out, a generator that copies its *training* set scores ≈ 0.5,
    like real vs real: use :func:`memorisation` to look for copies."""
    X, Y = _sets(X, Y, "one_nn_accuracy")
    (X, Y), _ = _checks.unit_scale(X, Y)  # ‖z‖² would overflow at 1e200
    Z = np.concatenate([X, Y])
    sq = np.sum(Z * Z, axis=1)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (Z @ Z.T)
    np.fill_diagonal(d2, np.inf)
    label = np.r_[np.zeros(len(X), bool), np.ones(len(Y), bool)]
    return float(np.mean(label[np.argmin(d2, axis=1)] == label))


def nearest_distance(Y, R):
    """(m,) Euclidean distance from each row of Y (m, d) to its nearest row of R (n, d),
    d_i = min_j ‖y_i − r_j‖.

    The nearest row is found with ‖y‖² + ‖r‖² − 2 y·r (one matrix product); the distance
    to it is then computed directly, so that a copy is at distance 0, not at
    √(round-off)."""
    Y, R = _sets(Y, R, "nearest_distance", names=("Y", "R"))
    (Y, R), e = _checks.unit_scale(Y, R)  # ‖r‖² would overflow at 1e200
    d2 = np.sum(R * R, axis=1)[None, :] - 2.0 * (Y @ R.T)  # + ‖y‖², the same in a row
    nearest = R[np.argmin(d2, axis=1)]
    return np.ldexp(np.linalg.norm(Y - nearest, axis=1), e)


def memorisation(Y, X_train, X_held, q=0.05):
    """Does a generator copy its training set X_train? Compares d(y) = min_j ‖y − x_j‖
    over the generated Y with the same for held-out real X_held (draws of p_data that
    the generator never saw, so their distances are what "new" looks like):

        ratio = median d(Y) / median d(X_held)
              ≈ 1 (or above): no sign of copying; 0: copies
        share = fraction of Y with d(y) below the q-quantile of d(X_held)
              ≈ q; 1: copies

    ``share`` catches a generator that copies only some training samples, which the
    median misses. Returns a dict with ``ratio``, ``share``, ``median_generated``,
    ``median_held_out``.
    """
    q = _checks.number(
        "memorisation q (a quantile)",
        q,
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
    )
    _sets(Y, X_train, "memorisation", names=("Y", "X_train"))
    _sets(X_held, X_train, "memorisation", names=("X_held", "X_train"))
    d_gen = nearest_distance(Y, X_train)
    d_held = nearest_distance(X_held, X_train)
    med_gen, med_held = float(np.median(d_gen)), float(np.median(d_held))
    if med_held == 0:
        raise ValueError(
            "memorisation: the held-out samples are copies of training samples "
            "(median distance 0); X_held must be new draws"
        )
    return {
        "ratio": med_gen / med_held,
        "share": float(np.mean(d_gen < np.quantile(d_held, q))),
        "median_generated": med_gen,
        "median_held_out": med_held,
    }


def closer_to_train(Y, X_train, X_held):
    """Fraction of Y (m, d) whose nearest training sample is nearer than its nearest
    held-out one, d(y, X_train) < d(y, X_held), for two real sets of the same size n.

    ≈ 0.5 when G does not copy (the training set is then just another draw of p_data), 1
    for a copier. Unlike :func:`memorisation` it compares each y with itself, so a
    generator that makes too many weak (or strong) samples does not look like a
    copier."""
    X_train, X_held = _sets(
        X_train, X_held, "closer_to_train", names=("X_train", "X_held")
    )
    _sets(Y, X_train, "closer_to_train", names=("Y", "X_train"))
    if len(X_train) != len(X_held):
        raise ValueError(
            f"closer_to_train: X_train and X_held must have the same number of "
            f"samples (pass X_train[:{len(X_held)}]); got {len(X_train)} and "
            f"{len(X_held)}"
        )
    return float(np.mean(nearest_distance(Y, X_train) < nearest_distance(Y, X_held)))


def frechet_distance(F_x, F_y):
    """Fréchet distance between Gaussians fitted to feature sets F_x (n, k) and F_y
    (m, k).

    Tr (C_x C_y)^{1/2} is computed as Σ √λ_i of the symmetric C_x^{1/2} C_y
    C_x^{1/2}. FD ≥ 0: round-off below 0 (FD(X, X) ≈ −1e-7) is returned as 0."""
    F_x, F_y = _sets(F_x, F_y, "frechet_distance", names=("F_x", "F_y"))
    # exact power-of-two rescaling: the covariances would overflow at 1e200
    (F_x, F_y), e = _checks.unit_scale(F_x, F_y)
    mu_x, mu_y = F_x.mean(axis=0), F_y.mean(axis=0)
    C_x, C_y = np.cov(F_x, rowvar=False, ddof=1), np.cov(F_y, rowvar=False, ddof=1)
    C_x, C_y = np.atleast_2d(C_x), np.atleast_2d(C_y)
    lam, V = np.linalg.eigh(C_x)
    root = (V * np.sqrt(np.clip(lam, 0, None))) @ V.T
    mid = np.linalg.eigvalsh(root @ C_y @ root)
    cross = np.sum(np.sqrt(np.clip(mid, 0, None)))
    fd = np.sum((mu_x - mu_y) ** 2) + np.trace(C_x) + np.trace(C_y) - 2.0 * cross
    with np.errstate(over="ignore"):
        fd = np.ldexp(max(float(fd), 0.0), 2 * e)  # FD scales as a squared distance
    if not np.isfinite(fd):
        raise ValueError(
            "frechet_distance: the distance overflows float64 at the scale of F_x "
            "and F_y; standardise the features first"
        )
    return float(fd)


def gaussian_baseline(X, m, rng):
    """m samples of N(mean of X, covariance of X): the best a Gaussian model of X can
    do."""
    X = _checks.array("gaussian_baseline X", X, ndim=2)
    X = _checks.finite("gaussian_baseline X", _checks.rows("gaussian_baseline X", X, 2))
    m = _checks.integer("gaussian_baseline m", m)
    rng = _checks.rng(rng, "gaussian_baseline")
    with np.errstate(over="ignore"):  # refused below, with a hint
        cov = np.atleast_2d(np.cov(X, rowvar=False))  # (1, 1) for one column
    if not np.all(np.isfinite(cov)):
        raise ValueError(
            "gaussian_baseline: the covariance of X overflows float64; standardise X "
            "first"
        )
    return rng.multivariate_normal(X.mean(axis=0), cov, size=m, method="eigh")
