"""The mantle-stability data set of chapter 5 and its figures."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from geonn import Activation, Adam, Dense, Sequential, SoftmaxCrossEntropy, fit  # noqa: E402
from geonn.domain.datasets import (
    MANTLE_DEPTH,
    MANTLE_SCALES,
    critical_rayleigh,  # noqa: E402
    mantle_stability,
    rayleigh_number,
)
from geonn.studies import plotting  # noqa: E402


def teardown_function():
    plt.close("all")


@pytest.fixture(scope="module")
def data():
    return mantle_stability(20_000, np.random.default_rng(0))


def test_critical_rayleigh_hand_values():
    # minimum 27π⁴/4 at λ* = 2√2 (Schubert et al. 2001); λ* = 2: π⁴·8³/64 = 8π⁴
    np.testing.assert_allclose(
        critical_rayleigh(2 * np.sqrt(2)), 27 * np.pi**4 / 4, rtol=1e-14
    )
    np.testing.assert_allclose(critical_rayleigh(2.0), 8 * np.pi**4, rtol=1e-14)
    lam = np.geomspace(0.3, 30, 2001)
    assert lam[np.argmin(critical_rayleigh(lam))] == pytest.approx(
        2 * np.sqrt(2), rel=3e-3
    )


def test_critical_rayleigh_is_the_lecture_form():
    # the slide's first form: (π² + k²)³ / k² with k = 2π/λ*
    lam = np.linspace(0.2, 20, 50)
    k2 = (2 * np.pi / lam) ** 2
    np.testing.assert_allclose(
        critical_rayleigh(lam), (np.pi**2 + k2) ** 3 / k2, rtol=1e-12
    )


def test_shapes_one_hot_and_ranges(data):
    X, Y = data
    assert X.shape == (20_000, 8) and Y.shape == (20_000, 2)
    assert set(np.unique(Y)) == {0.0, 1.0}
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    phys = X * MANTLE_SCALES
    lo = [8.0, 1e-5, 1e16, 0.5e-6, 0.0, 1e5, 0.5 * 1e5, 10.0]
    hi = [
        11.0,
        5e-5,
        1e21,
        1.5e-6,
        MANTLE_DEPTH,
        MANTLE_DEPTH,
        8 * MANTLE_DEPTH,
        3000.0,
    ]
    assert np.all(phys >= np.array(lo) * (1 - 1e-12)) and np.all(
        phys <= np.array(hi) * (1 + 1e-12)
    )
    # every layer lies inside the mantle; λ/b in the stated range
    assert np.all(phys[:, 4] + phys[:, 5] <= MANTLE_DEPTH * (1 + 1e-12))
    ratio = X[:, 6] / X[:, 5]
    assert ratio.min() >= 0.5 - 1e-12 and ratio.max() <= 8 + 1e-12


def test_labels_match_direct_evaluation(data):
    X, Y = data
    g, alpha, nu, kappa, _, b, lam, dT = (X * MANTLE_SCALES).T
    Ra = alpha * g * dT * b**3 / (nu * kappa)
    lam_star = lam / b
    Ra_cr = np.pi**4 * (4 + lam_star**2) ** 3 / (4 * lam_star**4)
    np.testing.assert_allclose(rayleigh_number(X), Ra, rtol=1e-12)
    np.testing.assert_array_equal(Y[:, 1] == 1, Ra > Ra_cr)
    np.testing.assert_array_equal(Y[:, 0] == 1, Ra <= Ra_cr)


def test_rayleigh_scale_of_the_scaled_inputs(data):
    # with the reference scales, Ra = 1e5 α' g' ΔT' b'³ / (ν' κ')
    X, _ = data
    g, alpha, nu, kappa, _, b, _, dT = X.T
    np.testing.assert_allclose(
        rayleigh_number(X), 1e5 * alpha * g * dT * b**3 / (nu * kappa), rtol=1e-12
    )


def test_class_balance(data):
    # the docstring states 52 % unstable
    assert 0.50 <= data[1][:, 1].mean() <= 0.54


def test_seeded_and_reproducible():
    X1, Y1 = mantle_stability(100, np.random.default_rng(3))
    X2, Y2 = mantle_stability(100, np.random.default_rng(3))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)


@pytest.mark.parametrize("n", [0, -5, 2.5, "100", True, None])
def test_bad_n(n):
    with pytest.raises(ValueError, match="positive integer"):
        mantle_stability(n, np.random.default_rng(0))


@pytest.mark.parametrize("rng", [None, 0, np.random.RandomState(0)])
def test_bad_rng(rng):
    with pytest.raises(TypeError, match="default_rng"):
        mantle_stability(10, rng)


def test_bad_inputs_to_the_physics():
    with pytest.raises(ValueError, match="lambda/b > 0"):
        critical_rayleigh([1.0, 0.0])
    with pytest.raises(ValueError, match=r"shape \(n, 8\)"):
        rayleigh_number(np.ones((3, 7)))


def test_small_network_reaches_098():
    # log10 of every positive input, standardised; one hidden layer of 8 tanh nodes
    rng = np.random.default_rng(0)
    X, Y = mantle_stability(8000, rng)
    X_log = X.copy()
    cols = [0, 1, 2, 3, 5, 6, 7]  # all but depth, which can be 0
    X_log[:, cols] = np.log10(X[:, cols])
    X_tr, X_te, Y_tr, Y_te = train_test_split(
        X_log, Y, test_size=0.25, random_state=0, stratify=Y[:, 1]
    )
    scaler = StandardScaler().fit(X_tr)
    net = Sequential([Dense(8, 8, rng=rng), Activation("tanh"), Dense(8, 2, rng=rng)])
    fit(
        net,
        SoftmaxCrossEntropy(),
        Adam(eta=0.01, decay=0.05),
        scaler.transform(X_tr),
        Y_tr,
        epochs=60,
        batch_size=64,
        rng=rng,
        progress=False,
    )
    accuracy = np.mean(net.predict(scaler.transform(X_te)).argmax(1) == Y_te.argmax(1))
    assert accuracy >= 0.98, accuracy


def test_plot_confusion_matrix():
    ax = plotting.plot_confusion_matrix(
        np.array([[90, 10], [5, 95]]), ["stable", "unstable"]
    )
    assert sorted(t.get_text() for t in ax.texts) == ["10", "5", "90", "95"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    with pytest.raises(ValueError, match="cm must be"):
        plotting.plot_confusion_matrix(np.ones((2, 3)), ["a", "b"])


def test_plot_rayleigh_plane(data):
    X, Y = data
    k = 2 * np.pi * X[:500, 5] / X[:500, 6]
    Ra = rayleigh_number(X[:500])
    pred = Y[:500, 1]
    wrong = np.zeros(500, dtype=bool)
    wrong[:3] = True
    ax = plotting.plot_rayleigh_plane(k, Ra, pred, wrong=wrong, ylim=(1, 1e8))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "predicted stable",
        "predicted unstable",
        "misclassified (3)",
        r"theory: $Ra_{cr}(2\pi b/\lambda)$",
    ]
    assert ax.get_yscale() == "log" and ax.get_ylim() == (1, 1e8)
    with pytest.raises(ValueError, match="one value per sample"):
        plotting.plot_rayleigh_plane(k, Ra[:10], pred)
