"""Optimizer steps against hand-computed values and against finite-difference
gradients; learning-rate decay; initialisation ranges."""

import numpy as np
import pytest

from geonn import MSE, SGD, Activation, Adam, Dense, Momentum, Sequential, fit
from geonn.core import init
from geonn.core.gradcheck import numerical_grad


def one(x):
    return [np.array([x], dtype=float)]


def test_sgd_step_by_hand_lecture_update():
    # λ46 = −0.53 with ∂L/∂λ46 = H4 · (O6 − y) = 0.42 · (−1.0): descent gives −0.488
    p = one(-0.53)
    SGD(0.1).step(p, one(0.42 * -1.0))
    assert p[0][0] == pytest.approx(-0.488, abs=1e-15)


def test_momentum_two_steps_by_hand():
    # v1 = 0.1·0.5 = 0.05, θ1 = 1 − 0.1·0.05 = 0.995
    # v2 = 0.9·0.05 + 0.1·(−0.2) = 0.025, θ2 = 0.995 − 0.1·0.025 = 0.9925
    p, opt = one(1.0), Momentum(0.1, alpha=0.9)
    opt.step(p, one(0.5))
    assert p[0][0] == pytest.approx(0.995, abs=1e-15)
    opt.step(p, one(-0.2))
    assert p[0][0] == pytest.approx(0.9925, abs=1e-15)


def test_adam_two_steps_by_hand_with_bias_correction():
    b1, b2, eps, eta = 0.9, 0.999, 1e-8, 0.1
    # step 1: m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25; θ = 1 − 0.1·0.5/(0.5 + 1e-8)
    theta1 = 1 - eta * 0.5 / (0.5 + eps)
    # step 2: m = 0.025, v = 0.00028975; m̂ = 0.025/0.19, v̂ = 0.00028975/0.001999
    theta2 = theta1 - eta * (0.025 / 0.19) / (np.sqrt(0.00028975 / 0.001999) + eps)
    p, opt = one(1.0), Adam(eta, beta1=b1, beta2=b2, eps=eps)
    opt.step(p, one(0.5))
    assert p[0][0] == pytest.approx(theta1, rel=1e-13)
    opt.step(p, one(-0.2))
    assert p[0][0] == pytest.approx(theta2, rel=1e-13)
    assert theta1 == pytest.approx(0.9, abs=1e-7) and theta2 == pytest.approx(
        0.86544, abs=1e-5
    )


def _problem():
    rng = np.random.default_rng(11)
    net = Sequential([Dense(3, 4, rng=rng), Activation("tanh"), Dense(4, 1, rng=rng)])
    X, y = rng.normal(size=(9, 3)), rng.normal(size=(9, 1))
    return net, X, y


@pytest.mark.parametrize(
    "make,first_step",
    [
        (lambda: SGD(0.01), lambda g: -0.01 * g),
        (lambda: Momentum(0.01, alpha=0.8), lambda g: -0.01 * 0.2 * g),
        # Adam's first step is η·sign(g) (up to ε)
        (lambda: Adam(0.01, eps=1e-12), lambda g: -0.01 * np.sign(g)),
    ],
)
def test_first_step_follows_the_finite_difference_gradient(make, first_step):
    net, X, y = _problem()
    loss = MSE()
    params = net.params()
    fd = [numerical_grad(lambda: loss.value(net.forward(X), y), p) for p in params]
    before = [p.copy() for p in params]
    net.backward(loss.grad(net.forward(X), y))
    make().step(params, net.grads())
    for p, p0, g in zip(params, before, fd):
        np.testing.assert_allclose(p - p0, first_step(g), rtol=1e-6, atol=1e-12)


def test_learning_rate_decay_plain_and_compounding():
    opt = SGD(0.1, decay=0.5)
    opt.set_epoch(2)
    assert opt.eta == pytest.approx(0.1 / (1 + 0.5 * 2))
    lec = SGD(0.1, decay=0.5, compound=True)  # η_ℓ = η_{ℓ−1}/(1 + decay·ℓ)
    lec.set_epoch(1)
    assert lec.eta == pytest.approx(0.1 / 1.5)
    lec.set_epoch(2)
    assert lec.eta == pytest.approx(0.1 / 1.5 / 2.0)


def test_optimizer_accepts_a_changed_parameter_list_but_not_a_wrong_shape():
    """State is keyed by the array, so a longer list is fine; a mis-shaped gradient is
    not."""
    opt = SGD(0.1)
    opt.step(one(1.0), one(1.0))
    opt.step(one(1.0) * 2, one(1.0) * 2)
    with pytest.raises(
        ValueError, match=r"shape \(1,\) got a gradient of shape \(3,\)"
    ):
        opt.step([np.ones(1)], [np.ones(3)])


@pytest.mark.parametrize(
    "name,limit",
    [
        ("xavier", lambda p, k: 1 / np.sqrt(p)),
        ("normalized_xavier", lambda p, k: 1 / np.sqrt(p + k)),
        ("glorot", lambda p, k: np.sqrt(6 / (p + k))),
    ],
)
def test_uniform_initialisations_respect_their_bounds(name, limit):
    rng = np.random.default_rng(12)
    W = init.get(name)(50, 30, rng)
    lim = limit(50, 30)
    assert W.shape == (50, 30) and np.abs(W).max() <= lim
    assert np.var(W) == pytest.approx(
        lim**2 / 3, rel=0.05
    )  # U[−a, a] has variance a²/3


def test_he_initialisation_variance():
    W = init.he(200, 100, np.random.default_rng(13))
    assert np.var(W) == pytest.approx(2 / 200, rel=0.05)


def test_initialisation_needs_a_generator():
    with pytest.raises(TypeError, match="default_rng"):
        init.xavier(3, 2, 42)
    with pytest.raises(ValueError, match="unknown initialisation 'lecun'"):
        init.get("lecun")


def test_fit_history_is_deterministic_and_counts_steps():
    def run():
        rng = np.random.default_rng(14)
        net = Sequential(
            [Dense(2, 8, rng=rng), Activation("tanh"), Dense(8, 1, rng=rng)]
        )
        X = rng.uniform(-1, 1, size=(50, 2))
        y = np.sin(3 * X[:, :1]) * X[:, 1:]
        return fit(
            net,
            MSE(),
            Adam(0.02),
            X[:40],
            y[:40],
            epochs=30,
            batch_size=8,
            rng=rng,
            val=(X[40:], y[40:]),
            progress=False,
        )

    h1, h2 = run(), run()
    assert h1.train_loss == h2.train_loss and h1.val_loss == h2.val_loss
    assert h1.epochs == 30 and len(h1.val_loss) == 30 and h1.steps == 30 * 5
    assert h1.train_loss[-1] < 0.5 * h1.train_loss[0]


def test_adam_recovers_the_dlies_quadratic_within_one_percent():
    # Xiao's lecture 1: y = 5x² + 14.3x + 8.9, features [x², x, 1], 100 fresh points
    # x ~ U(−10, 10) per step, loss ½Σ(ŷ − y)², Adam with η = 0.001.  The source runs
    # 20,001 steps; we allow 22,000, since the intercept arrives last and its
    # arrival time varies a little with the draws.
    rng = np.random.default_rng(15)
    true = np.array([5.0, 14.3, 8.9])
    n_steps = 22_000
    x = rng.uniform(-10.0, 10.0, size=(n_steps, 100))
    F = np.stack([x * x, x, np.ones_like(x)], axis=-1)  # (steps, 100, 3)
    FtF = np.einsum("sni,snj->sij", F, F)  # the gradient is FᵀF w − Fᵀy
    Fty = np.einsum("sni,sn->si", F, F @ true)
    w = init.glorot(3, 1, rng).ravel()
    opt = Adam(0.001)
    for s in range(n_steps):
        opt.step([w], [FtF[s] @ w - Fty[s]])
    np.testing.assert_allclose(w, true, rtol=0.01)
