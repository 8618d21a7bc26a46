"""geonn.domain.validation: blocked K-fold, paired differences, correlograms."""

import numpy as np
import pytest

from geonn.domain.validation import blocked_kfold, correlogram, paired_difference


def wells(n=180, seed=0):
    r = np.random.default_rng(seed)
    return r.uniform(0, 1000, n), r.uniform(0, 1000, n)


def test_blocked_folds_partition_the_wells_and_keep_blocks_together():
    x, y = wells()
    folds = blocked_kfold(x, y, 5, 200.0, np.random.default_rng(1))
    assert len(folds) == 5
    val = np.concatenate([j for _, j in folds])
    assert sorted(val) == list(range(x.size))  # each well validates once
    block = np.floor(x / 200) * 10 + np.floor(y / 200)
    for i, j in folds:
        assert np.intersect1d(i, j).size == 0 and i.size + j.size == x.size
        assert np.intersect1d(block[i], block[j]).size == 0  # no block on both sides
    sizes = [j.size for _, j in folds]
    assert (
        max(sizes) - min(sizes)
        <= np.bincount(np.unique(block, return_inverse=True)[1]).max()
    )


def test_blocked_folds_are_reproducible_and_depend_on_the_rng():
    x, y = wells()
    a = blocked_kfold(x, y, 5, 200.0, np.random.default_rng(3))
    b = blocked_kfold(x, y, 5, 200.0, np.random.default_rng(3))
    c = blocked_kfold(x, y, 5, 200.0, np.random.default_rng(4))
    assert all(np.array_equal(p[1], q[1]) for p, q in zip(a, b))
    assert not all(np.array_equal(p[1], q[1]) for p, q in zip(a, c))


def test_one_well_per_block_is_ordinary_kfold():
    x = np.arange(10) * 100.0 + 50.0  # one well in each 100 m block
    folds = blocked_kfold(x, np.zeros(10), 5, 100.0, np.random.default_rng(0))
    assert [j.size for _, j in folds] == [2] * 5


def test_blocked_kfold_bad_input():
    x, y = wells(20)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="equal lengths"):
        blocked_kfold(x, y[:-1], 5, 200.0, rng)
    with pytest.raises(ValueError, match="n_splits"):
        blocked_kfold(x, y, 1, 200.0, rng)
    with pytest.raises(ValueError, match="block"):
        blocked_kfold(x, y, 5, 0.0, rng)
    with pytest.raises(ValueError, match="occupied blocks"):
        blocked_kfold(x, y, 5, 1000.0, rng)  # one block holds every well
    with pytest.raises(TypeError, match="default_rng"):
        blocked_kfold(x, y, 5, 200.0, 0)
    with pytest.raises(ValueError, match="NaN"):
        blocked_kfold(np.r_[x[:-1], np.nan], y, 5, 200.0, rng)


def test_paired_difference_hand_values():
    a, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.5, 1.0, 3.5, 2.0])
    d = a - b  # 0.5, 1, −0.5, 2
    res = paired_difference(a, b)
    assert res.mean == pytest.approx(0.75)
    assert res.se == pytest.approx(np.std(d, ddof=1) / 2)
    assert (res.n_greater, res.n) == (3, 4)


def test_pairing_removes_the_shared_fold_difficulty():
    # two settings that differ by 0.01 on every fold, on folds of very different
    # difficulty: the unpaired standard errors hide the difference, the paired one does
    # not
    rng = np.random.default_rng(5)
    hard = rng.normal(0.0, 0.1, 5)
    a, b = 1.0 + hard + 0.01 + rng.normal(0, 1e-3, 5), 1.0 + hard
    unpaired = np.hypot(a.std(ddof=1), b.std(ddof=1)) / np.sqrt(5)
    res = paired_difference(a, b)
    assert abs(a.mean() - b.mean()) < unpaired
    assert res.mean > 5 * res.se and res.n_greater == 5


def test_paired_difference_bad_input():
    with pytest.raises(ValueError, match="equal lengths"):
        paired_difference([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="at least 2 folds"):
        paired_difference([1.0], [2.0])
    with pytest.raises(ValueError, match="NaN"):
        paired_difference([1.0, np.inf], [1.0, 2.0])
    with pytest.raises(ValueError, match="1-D"):
        paired_difference(np.ones((2, 2)), np.ones((2, 2)))


def test_correlogram_of_white_noise_is_near_zero_and_of_a_trend_is_high():
    x, y = wells(400, seed=2)
    noise = np.random.default_rng(3).normal(size=x.size)
    rho, pairs = correlogram(x, y, noise, [0, 100, 200])
    assert pairs.sum() > 1000 and np.all(np.abs(rho) < 0.15)
    rho_trend, _ = correlogram(
        x, y, x / 1000.0, [0, 100, 200]
    )  # smooth: neighbours alike
    assert np.all(rho_trend > 0.7)


def test_correlogram_hand_values_and_class_edges():
    x, y = np.array([0.0, 10.0, 30.0]), np.zeros(3)
    v = np.array([1.0, 1.0, -2.0])  # mean 0, variance 2
    rho, pairs = correlogram(x, y, v, [0, 10, 20, 30])
    # pairs: (0, 1) at 10 → class 0; (1, 2) at 20 → class 1; (0, 2) at 30 → class 2
    np.testing.assert_array_equal(pairs, [1, 1, 1])
    np.testing.assert_allclose(rho, [1 / 2, -2 / 2, -2 / 2])
    rho, pairs = correlogram(x, y, v, [40, 50])
    assert pairs[0] == 0 and np.isnan(rho[0])


def test_correlogram_bad_input():
    x, y = wells(10)
    with pytest.raises(ValueError, match="one number per point"):
        correlogram(x, y, np.ones(9), [0, 10])
    with pytest.raises(ValueError, match="increasing"):
        correlogram(x, y, x, [10, 0])
    with pytest.raises(ValueError, match="increasing"):
        correlogram(x, y, x, [10])
    with pytest.raises(ValueError, match="all equal"):
        correlogram(x, y, np.ones(10), [0, 10])
    with pytest.raises(ValueError, match="NaN"):
        correlogram(x, y, np.r_[np.nan, x[1:]], [0, 10])
