"""Chapter 7: the elastic log generator, Zoeppritz labels from bruges, the
tutorial's training step, and the chapter's figures."""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from geonn import MSE, SGD, Activation, Dense, Sequential, fit  # noqa: E402
from geonn.domain.datasets import (
    FEATURES,
    ElasticLog,
    bruges_reflection,  # noqa: E402
    interface_features,
    make_elastic_log,
    zoeppritz_labels,
)
from geonn.studies import plotting  # noqa: E402


def teardown_function():
    plt.close("all")


@pytest.fixture(scope="module")
def log():
    return make_elastic_log(301, np.random.default_rng(0))


# -- the generator -------------------------------------------------------------


def test_log_is_seeded_and_in_the_stated_ranges(log):
    again = make_elastic_log(301, np.random.default_rng(0))
    for a, b in zip(log, again):
        np.testing.assert_array_equal(a, b)
    assert isinstance(log, ElasticLog)
    assert all(len(a) == 301 for a in log)
    np.testing.assert_allclose(np.diff(log.depth), 2.0)
    assert log.depth[0] == 1000.0
    assert 2000 < log.vp.min() and log.vp.max() < 5500
    assert 500 < log.vs.min() and np.all(log.vs < log.vp / 1.4)
    assert 2.0 < log.rho.min() and log.rho.max() < 2.7
    assert 0.1 < log.sand.mean() < 0.6  # both facies present


def test_log_follows_the_rock_physics_relations():
    log = make_elastic_log(2001, np.random.default_rng(3), top=500.0, noise=0.0)
    sand = log.sand
    vs_line = np.where(sand, 0.804 * log.vp - 855.9, 0.862 * log.vp - 1172.0)
    rho_line = np.where(
        sand, 1.66 * (log.vp / 1e3) ** 0.261, 1.75 * (log.vp / 1e3) ** 0.265
    )
    # 1 % noise on Vs and ρ: 6 % is a six-sigma bound
    assert np.max(np.abs(log.vs / vs_line - 1)) < 0.06
    assert np.max(np.abs(log.rho / rho_line - 1)) < 0.06
    # compaction: the deepest shale is faster than the shallowest
    shale = ~sand
    assert log.vp[shale][-50:].mean() > log.vp[shale][:50].mean() + 1000
    # beds: with noise=0, Vp is constant... up to the trend within a bed
    changes = np.flatnonzero(np.diff(sand.astype(int)))
    assert len(changes) > 20


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n_samples=1), "n_samples"),
        (dict(n_samples=2.5), "n_samples"),
        (dict(n_samples=True), "n_samples"),
        (dict(top=100.0), "top"),
        (dict(top=float("nan")), "top"),
        (dict(dz=0.0), "dz"),
        (dict(dz=-1.0), "dz"),
        (dict(bed_m=(5.0,)), "bed_m"),
        (dict(bed_m=(5.0, -1.0)), "bed_m"),
        (dict(noise=-0.01), "noise"),
        (dict(noise=0.5), "noise"),
    ],
)
def test_generator_rejects_bad_arguments(kwargs, match):
    args = dict(n_samples=10, rng=np.random.default_rng(0)) | kwargs
    with pytest.raises(ValueError, match=match):
        make_elastic_log(**args)


def test_generator_needs_a_generator():
    with pytest.raises(TypeError, match="default_rng"):
        make_elastic_log(10, 42)


# -- interfaces and labels -----------------------------------------------------


def test_interface_features_pair_consecutive_samples(log):
    theta = np.linspace(0, 20, 300)
    X = interface_features(log.vp, log.vs, log.rho, theta)
    assert X.shape == (300, 7) and len(FEATURES) == 7
    np.testing.assert_array_equal(X[:, 0], log.vp[:-1])
    np.testing.assert_array_equal(X[:, 3], log.vp[1:])
    np.testing.assert_array_equal(X[:, 2], log.rho[:-1])
    np.testing.assert_array_equal(X[:, 5], log.rho[1:])
    np.testing.assert_array_equal(X[:, 6], theta)
    np.testing.assert_array_equal(
        interface_features(log.vp, log.vs, log.rho, 30.0)[:, 6], 30.0
    )


@pytest.mark.parametrize(
    "args, match",
    [
        (([1.0], [1.0], [1.0], 0.0), "at least 2"),
        (([[1.0, 2.0]], [1.0, 2.0], [1.0, 2.0], 0.0), "1-D"),
        (([1.0, 2.0, 3.0], [1.0, 2.0], [1.0, 2.0], 0.0), "same length"),
        (([1.0, -2.0], [1.0, 2.0], [1.0, 2.0], 0.0), "positive"),
        (([1.0, np.nan], [1.0, 2.0], [1.0, 2.0], 0.0), "positive and finite"),
        (([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [10.0]), r"shape \(2,\)"),
        (([1.0, 2.0], [1.0, 2.0], [1.0, 2.0], 90.0), "degrees"),
        (([1.0, 2.0], [1.0, 2.0], [1.0, 2.0], -1.0), "degrees"),
    ],
)
def test_interface_features_reject_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        interface_features(*args)


def test_labels_equal_bruges(log):
    rng = np.random.default_rng(1)
    X = interface_features(log.vp, log.vs, log.rho, rng.uniform(0, 35, 300))
    y = zoeppritz_labels(X)
    assert y.shape == (300, 1)
    zoeppritz_rpp = bruges_reflection().zoeppritz_rpp
    direct = np.array([zoeppritz_rpp(*x[:6], theta1=x[6]) for x in X])
    np.testing.assert_allclose(y.ravel(), direct.real, rtol=1e-12, atol=1e-16)
    # within one block the labels are bruges' vectorised numbers exactly
    block = zoeppritz_rpp(*X[:32, :6].T, theta1=X[:32, 6])
    np.testing.assert_array_equal(y[:32, 0], np.diagonal(block).real)
    # the block size is an implementation detail
    np.testing.assert_allclose(zoeppritz_labels(X, block=7), y, rtol=1e-12, atol=1e-16)


def test_labels_match_normal_incidence_and_a_single_interface():
    x = np.array([[2600.0, 1070.0, 2.27, 4000.0, 2150.0, 2.55, 0.0]])
    z1, z2 = 2.27 * 2600.0, 2.55 * 4000.0
    np.testing.assert_allclose(
        zoeppritz_labels(x)[0, 0], (z2 - z1) / (z2 + z1), rtol=1e-12
    )
    x[0, 6] = 30.0
    np.testing.assert_allclose(zoeppritz_labels(x)[0, 0], 0.1954, atol=1e-4)


@pytest.mark.parametrize(
    "X, match",
    [
        (np.ones((3, 6)), r"shape \(n, 7\)"),
        (np.ones(7), r"shape \(n, 7\)"),
        (np.array([[-1.0, 1, 1, 1, 1, 1, 10]]), "standardised"),
        (np.array([[1.0, 1, 1, 1, 1, 1, 95]]), "degrees"),
    ],
)
def test_labels_reject_bad_input(X, match):
    with pytest.raises(ValueError, match=match):
        zoeppritz_labels(X)


def test_bruges_import_leaves_no_stand_in_behind():
    assert bruges_reflection().__name__ == "bruges.reflection"
    stub = sys.modules.get("pkg_resources")
    assert stub is None or hasattr(stub, "working_set")  # the real one, if any


# -- the tutorial's training step ----------------------------------------------


def _tutorial_sgd_reference(W1, W2, X, y, orders, eta):
    """Ganssle's per-sample SGD, written plainly: W1 (7, 300), W2 (300, 1).

    The update is the gradient of ½ e², e = ŷ − y, taken at the current weights
    (the tutorial's code uses W2 after its update for the hidden error; that
    O(η²) slip is shown in the chapter, not reproduced here)."""
    W1, W2 = W1.copy(), W2.copy()
    b1, b2 = np.zeros(W1.shape[1]), np.zeros(1)
    for order in orders:
        for i in order:
            x = X[i]
            a1 = 1 / (1 + np.exp(-(x @ W1 + b1)))
            e = a1 @ W2 + b2 - y[i]
            delta1 = e * W2[:, 0] * a1 * (1 - a1)
            W2 -= eta * np.outer(a1, e)
            b2 -= eta * e
            W1 -= eta * np.outer(x, delta1)
            b1 -= eta * delta1
    return W1, b1, W2, b2


def test_tutorial_training_step_matches_a_numpy_reference():
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((6, 7)), 0.05 * rng.standard_normal((6, 1))
    W1, W2 = 0.1 * rng.standard_normal((7, 300)), 0.1 * rng.standard_normal((300, 1))
    net = Sequential(
        [
            Dense(7, 300, W=W1, b=np.zeros(300)),
            Activation("sigmoid"),
            Dense(300, 1, W=W2, b=np.zeros(1)),
        ]
    )
    # η ten times the tutorial's, so that three epochs move the weights well beyond
    # rounding (per-sample SGD on 300 sigmoid units diverges above η ≈ 0.025)
    eta, epochs, seed = 0.01, 3, 11
    history = fit(
        net,
        MSE(),
        SGD(eta=eta),
        X,
        y,
        epochs=epochs,
        batch_size=1,
        rng=np.random.default_rng(seed),
        progress=False,
    )
    assert history.steps == 18
    # fit draws each epoch's order with rng.permutation(n)
    order_rng = np.random.default_rng(seed)
    orders = [order_rng.permutation(len(X)) for _ in range(epochs)]
    W1_ref, b1_ref, W2_ref, b2_ref = _tutorial_sgd_reference(W1, W2, X, y, orders, eta)
    assert (
        1e-4 < np.max(np.abs(W1_ref - W1)) < 0.1
    )  # the weights moved, and stayed sane
    for got, want in (
        (net[0].W, W1_ref),
        (net[0].b, b1_ref),
        (net[2].W, W2_ref),
        (net[2].b, b2_ref),
    ):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_half_convention_of_the_reported_mse():
    # the tutorial reports mean(e²); geonn's MSE is ½ mean(e²) and its per-sample
    # gradient is e, the tutorial's err_output, so the same η gives the same step
    pred, target = np.array([[0.3], [-0.1]]), np.array([[0.1], [0.2]])
    e = pred - target
    assert MSE().value(pred, target) == pytest.approx(0.5 * np.mean(e**2))
    np.testing.assert_allclose(MSE().grad(pred[:1], target[:1]), e[:1])


# -- figures -------------------------------------------------------------------


def test_plot_elastic_log(log):
    axes = plotting.plot_elastic_log(log, intervals={"training": (1000, 1300)})
    assert len(axes) == 3
    assert (
        axes[0].get_xlabel() == "velocity (m/s)" and axes[0].get_ylabel() == "depth (m)"
    )
    assert axes[0].yaxis_inverted()
    labels = [t.get_text() for t in axes[2].get_legend().get_texts()]
    assert labels == ["sand", "training"]


def test_plot_reflectivity():
    theta = np.linspace(0, 40, 41)
    R = bruges_reflection().zoeppritz_rpp(
        2600.0, 1070.0, 2.27, 4000.0, 2150.0, 2.55, theta
    )
    ax = plotting.plot_reflectivity(
        theta, {"exact": R, "flat": (np.full(41, 0.2), {"ls": "--"})}, shade=(0, 20)
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "training angles",
        "exact",
        "flat",
    ]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), R.real)
    with pytest.raises(ValueError, match="theta"):
        plotting.plot_reflectivity(theta, {"short": np.zeros(3)})


def test_zoeppritz_labels_refuses_a_non_positive_block():
    X = np.array([[2500, 1200, 2.3, 2700, 1400, 2.4, 10.0]])
    with pytest.raises(ValueError, match="block must be an integer ≥ 1; got -1"):
        zoeppritz_labels(X, block=-1)
