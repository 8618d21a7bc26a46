"""Validating models on wells in a map (chapter 6b): blocked K-fold splits, the
paired comparison of two settings over shared folds, and the correlogram of
residuals that says whether random folds can leak.

Random K-fold assumes the validation wells are independent of the training
wells.  On a map, a validation well next to a training well may share part of
its error with it (spatial correlation of the residuals), and the score is then
optimistic.  :func:`correlogram` measures that correlation per distance class,

    ρ(h) = mean over the pairs (i, j) in distance class h of (r_i − r̄)(r_j − r̄)
           / mean_i (r_i − r̄)²,

and :func:`blocked_kfold` keeps square blocks of the map together, so no
validation well has a training well in its own block.  Two settings scored on
the same folds are compared by :func:`paired_difference`: the fold-to-fold
difficulty they share cancels in d_k = a_k − b_k.
"""

from typing import NamedTuple

import numpy as np

from geonn.core import _checks

__all__ = ["blocked_kfold", "paired_difference", "PairedDifference", "correlogram"]


def _coordinates(x, y):
    x = _checks.array("x", x, ndim=1)
    y = _checks.array("y", y, ndim=1)
    if x.shape != y.shape:
        raise ValueError(
            "x and y must be the coordinates of the same wells (equal "
            f"lengths); got {x.size} and {y.size}"
        )
    _checks.finite("x", x)
    _checks.finite("y", y)
    return x, y


def blocked_kfold(x, y, n_splits, block, rng):
    """K-fold splits of wells at (x, y) that keep square blocks of the map together.

    The map is cut into squares of side ``block`` (in the units of x and y,
    aligned on 0).  The blocks that hold wells are shuffled by ``rng`` and then
    dealt, largest first, each to the fold with the fewest wells so far, so the
    folds are about equal in size.  Every well validates exactly once.

    Parameters
    ----------
    x, y : (n,) well coordinates, e.g. in m
    n_splits : K ≥ 2, at most the number of occupied blocks
    block : side of a block, > 0; choose it larger than the distance over which
        the residuals are correlated (see :func:`correlogram`)
    rng : ``np.random.default_rng(seed)``

    Returns
    -------
    list of K pairs (train_index, validation_index) of int arrays, as
    scikit-learn's ``KFold.split`` gives them.
    """
    x, y = _coordinates(x, y)
    n_splits = _checks.integer("n_splits", n_splits, low=2)
    block = _checks.positive("block (the side of a square block)", block)
    rng = _checks.rng(rng, "blocked_kfold (to shuffle the blocks)")
    cells = np.stack([np.floor(x / block), np.floor(y / block)], axis=1)
    blocks, block_of, counts = np.unique(
        cells, axis=0, return_inverse=True, return_counts=True
    )
    if len(blocks) < n_splits:
        raise ValueError(
            f"n_splits = {n_splits} folds need at least as many occupied "
            "blocks; "
            f"blocks of side {block:g} hold the {x.size} wells in only "
            f"{len(blocks)}: use smaller blocks or fewer folds"
        )
    order = rng.permutation(len(blocks))
    # largest first; blocks of equal size stay in their shuffled order
    order = order[np.argsort(-counts[order], kind="stable")]
    fold_of_block = np.empty(len(blocks), dtype=int)
    size = np.zeros(n_splits, dtype=int)
    for b in order:
        k = int(np.argmin(size))
        fold_of_block[b], size[k] = k, size[k] + counts[b]
    fold = fold_of_block[block_of.ravel()]
    return [
        (np.flatnonzero(fold != k), np.flatnonzero(fold == k)) for k in range(n_splits)
    ]


class PairedDifference(NamedTuple):
    """d̄ = mean_k (a_k − b_k), its standard error sd(d)/√K, and on how many of
    the K folds a was the larger."""

    mean: float
    se: float
    n_greater: int
    n: int


def paired_difference(a, b):
    """Compare two settings scored on the same K folds: d_k = a_k − b_k,

        d̄ = (1/K) Σ_k d_k,     s.e.(d̄) = sd_k(d_k) / √K   (ddof 1).

    What makes one fold harder than another is common to a and b and cancels
    in d_k, so s.e.(d̄) is usually far smaller than the unpaired
    √(s.e.(a)² + s.e.(b)²).  The folds share training data, so they are not
    independent and s.e.(d̄) is itself only approximate.

    Parameters
    ----------
    a, b : (K,) scores of the two settings, fold by fold (same order), K ≥ 2

    Returns
    -------
    PairedDifference(mean, se, n_greater, n)
    """
    a = _checks.array("a", a, ndim=1)
    b = _checks.array("b", b, ndim=1)
    if a.shape != b.shape:
        raise ValueError(
            "a and b must hold one score per shared fold (equal lengths); "
            f"got {a.size} and {b.size}"
        )
    if a.size < 2:
        raise ValueError(f"a paired comparison needs at least 2 folds; got {a.size}")
    _checks.finite("a", a)
    _checks.finite("b", b)
    d = a - b
    return PairedDifference(
        float(d.mean()),
        float(d.std(ddof=1) / np.sqrt(d.size)),
        int((d > 0).sum()),
        int(d.size),
    )


def correlogram(x, y, values, edges):
    """Correlation of ``values`` between pairs of points, per distance class.

    Parameters
    ----------
    x, y : (n,) coordinates of the points (wells)
    values : (n,) e.g. the residuals of a model at the wells
    edges : increasing distance-class edges, e.g. (0, 50, 100, 200); a pair at
        distance h falls in class i if edges[i] < h ≤ edges[i + 1]

    Returns
    -------
    rho : (len(edges) − 1,) ρ(h) of the module docstring per class (NaN if a
        class holds no pair)
    pairs : (len(edges) − 1,) number of pairs in each class
    """
    x, y = _coordinates(x, y)
    values = _checks.array("values", values, ndim=1)
    if values.shape != x.shape:
        raise ValueError(
            f"values must hold one number per point ({x.size}); got {values.size}"
        )
    _checks.finite("values", values)
    edges = _checks.array("edges", edges, ndim=1)
    if edges.size < 2 or not np.all(np.diff(edges) > 0) or edges[0] < 0:
        raise ValueError(
            f"edges must be at least two increasing distances ≥ 0; got {edges}"
        )
    r = values - values.mean()
    variance = np.mean(r**2)
    if variance == 0:
        raise ValueError("values are all equal: their correlation is undefined")
    i, j = np.triu_indices(x.size, k=1)
    h = np.hypot(x[i] - x[j], y[i] - y[j])
    cls = np.searchsorted(edges, h, side="left") - 1  # edges[c] < h ≤ edges[c+1]
    inside = (cls >= 0) & (cls < edges.size - 1)
    pairs = np.bincount(cls[inside], minlength=edges.size - 1)
    sums = np.bincount(
        cls[inside], weights=(r[i] * r[j])[inside], minlength=edges.size - 1
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = sums / pairs / variance
    return rho, pairs
