"""geonn.studies.uncertainty: ensemble and MC-dropout statistics, coverage,
sensitivity."""

import math

import numpy as np
import pytest

from geonn import Dense, Dropout, Sequential, mlp
from geonn.core.gradcheck import rel_error
from geonn.studies.uncertainty import (
    coverage,
    ensemble_predict,
    input_sensitivity,
    mc_dropout_predict,
    nominal_coverage,
)


def nets(n, seed=0):
    return [
        mlp([2, 5, 1], "tanh", rng=np.random.default_rng(seed + i)) for i in range(n)
    ]


def test_ensemble_mean_and_std_match_a_hand_computation():
    X = np.random.default_rng(1).normal(size=(7, 2))
    members = nets(4)
    preds = np.stack([m.predict(X) for m in members])  # (4, 7, 1)
    mean, std = ensemble_predict(members, X)
    np.testing.assert_allclose(mean, preds.sum(0) / 4, rtol=1e-12)
    np.testing.assert_allclose(
        std, np.sqrt(((preds - preds.mean(0)) ** 2).sum(0) / 4), rtol=1e-12
    )
    assert mean.shape == std.shape == (7, 1)


def test_ensemble_transform_is_applied_before_the_statistics():
    X = np.random.default_rng(2).normal(size=(5, 2))
    members = nets(3)
    mean, std = ensemble_predict(members, X)
    mean_t, std_t = ensemble_predict(members, X, transform=lambda p: 0.5 * p + 3.0)
    np.testing.assert_allclose(mean_t, 0.5 * mean + 3.0, rtol=1e-12)
    np.testing.assert_allclose(std_t, 0.5 * std, rtol=1e-12)


def test_ensemble_bad_input():
    X = np.zeros((3, 2))
    with pytest.raises(ValueError, match="at least 2 networks"):
        ensemble_predict(nets(1), X)
    with pytest.raises(TypeError, match="geonn network"):
        ensemble_predict([nets(1)[0], "net"], X)
    with pytest.raises(ValueError, match="differ in shape"):
        ensemble_predict(
            [nets(1)[0], mlp([2, 3, 2], "relu", rng=np.random.default_rng(0))], X
        )


def dropout_net(p, seed=0):
    r = np.random.default_rng(seed)
    return Sequential([Dense(3, 40, rng=r), Dropout(p, rng=r), Dense(40, 1, rng=r)])


def test_mc_dropout_mean_tends_to_the_evaluation_output_of_a_linear_net():
    # a linear map after the dropout: E[mask] = 1 (inverted scaling), so the mean of
    # many passes is the evaluation-mode output, and the spread is not zero
    net = dropout_net(0.3)
    X = np.random.default_rng(3).normal(size=(4, 3))
    mean, std = mc_dropout_predict(net, X, 4000)
    eval_out = net.predict(X)
    assert np.all(std > 0)
    assert np.all(np.abs(mean - eval_out) < 4 * std / math.sqrt(4000))


def test_mc_dropout_is_reproducible_and_leaves_the_weights_alone():
    X = np.random.default_rng(4).normal(size=(6, 3))
    a, b = dropout_net(0.2, seed=5), dropout_net(0.2, seed=5)
    W = a[0].W.copy()
    out_a, out_b = mc_dropout_predict(a, X, 10), mc_dropout_predict(b, X, 10)
    np.testing.assert_array_equal(out_a[0], out_b[0])
    np.testing.assert_array_equal(out_a[1], out_b[1])
    np.testing.assert_array_equal(a[0].W, W)


def test_mc_dropout_needs_dropout():
    X = np.zeros((2, 2))
    with pytest.raises(ValueError, match="Dropout layer"):
        mc_dropout_predict(nets(1)[0], X, 5)
    with pytest.raises(ValueError, match="Dropout layer"):
        mc_dropout_predict(dropout_net(0.0), np.zeros((2, 3)), 5)
    with pytest.raises(ValueError, match="n_samples"):
        mc_dropout_predict(dropout_net(0.5), np.zeros((2, 3)), 1)


def test_coverage_of_calibrated_gaussians_is_nominal():
    rng = np.random.default_rng(6)
    n = 200_000
    mean = rng.normal(size=n)
    std = rng.uniform(0.5, 2.0, size=n)
    y = mean + std * rng.standard_normal(n)
    for k in (1.0, 2.0):
        assert abs(coverage(y, mean, std, k) - nominal_coverage(k)) < 0.005
    # the spread alone is too narrow if the noise is left out: adding it restores
    # coverage
    y2 = mean + np.sqrt(std**2 + 1.5**2) * rng.standard_normal(n)
    assert coverage(y2, mean, std, 1) < 0.6
    assert abs(coverage(y2, mean, std, 1, noise_std=1.5) - nominal_coverage(1)) < 0.005


def test_nominal_coverage_hand_values():
    assert (
        round(nominal_coverage(1), 4) == 0.6827
        and round(nominal_coverage(2), 4) == 0.9545
    )


def test_coverage_bad_input():
    y = np.zeros(3)
    with pytest.raises(ValueError, match="same shape"):
        coverage(y, np.zeros(4), np.ones(3))
    with pytest.raises(ValueError, match="≥ 0"):
        coverage(y, y, -np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        coverage(np.array([0.0, np.nan, 0.0]), y, np.ones(3))
    with pytest.raises(ValueError, match="positive"):
        coverage(y, y, np.ones(3), k=0)
    with pytest.raises(ValueError, match="noise_std"):
        coverage(y, y, np.ones(3), noise_std=-1.0)


def test_input_sensitivity_matches_central_differences():
    net = mlp([2, 6, 6, 1], "tanh", rng=np.random.default_rng(7))
    X = np.random.default_rng(8).normal(size=(5, 2))
    grad = input_sensitivity(net, X)
    h = 1e-6
    numeric = np.empty_like(X)
    for j in range(X.shape[1]):
        e = np.zeros_like(X)
        e[:, j] = h
        numeric[:, j] = ((net.predict(X + e) - net.predict(X - e)) / (2 * h))[:, 0]
    assert grad.shape == X.shape
    assert rel_error(grad, numeric) < 1e-6


def test_input_sensitivity_needs_one_output():
    with pytest.raises(ValueError, match="one output"):
        input_sensitivity(
            mlp([2, 3, 2], "relu", rng=np.random.default_rng(0)), np.zeros((4, 2))
        )
