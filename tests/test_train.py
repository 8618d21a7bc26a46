"""fit: early stopping, L2 weight decay, dtypes and bad input."""

import re

import numpy as np
import pytest

from geonn import MSE, SGD, Activation, Adam, Dense, Sequential, fit
from geonn.core.gradcheck import numerical_grad, rel_error
from geonn.core.train import check_arrays, l2_pairs, l2_penalty


def _net(rng, width=8, dtype=float):
    return Sequential(
        [
            Dense(1, width, rng=rng, dtype=dtype),
            Activation("tanh"),
            Dense(width, 1, rng=rng, dtype=dtype),
        ]
    )


def _data(rng, n=30):
    X = rng.uniform(-1, 1, (n, 1))
    return X, np.sin(3 * X) + rng.normal(0, 0.3, (n, 1))


# -- L2 weight decay --------------------------------------------------------------
def test_l2_acts_on_weights_not_biases():
    net = _net(np.random.default_rng(0))
    pairs = l2_pairs(net)
    assert [W.shape for W, _ in pairs] == [(1, 8), (8, 1)]
    assert all(W is layer.W for (W, _), layer in zip(pairs, (net[0], net[2])))
    expected = 0.5 * 0.3 * (np.sum(net[0].W ** 2) + np.sum(net[2].W ** 2))
    assert l2_penalty(net, 0.3) == pytest.approx(expected, rel=1e-14)
    net[0].freeze()
    assert len(l2_pairs(net)) == 1, "frozen weights are not decayed"


def test_l2_gradient_matches_finite_differences():
    """The gradient fit applies, ∂L/∂θ + λW (weights only), is the gradient of
    L + (λ/2)Σ‖W‖²."""
    rng = np.random.default_rng(1)
    net, loss, lam = _net(rng, width=5), MSE(), 0.7
    for layer in (net[0], net[2]):
        layer.b[:] = rng.normal(0, 0.5, layer.b.shape)
    X, y = _data(rng, 7)

    def J():
        return loss.value(net.forward(X), y) + l2_penalty(net, lam)

    net.backward(loss.grad(net.forward(X), y))
    for W, dW in l2_pairs(net):
        dW += lam * W  # exactly what fit does before each optimizer step
    for p, g in zip(net.params(), net.grads()):
        assert rel_error(g.copy(), numerical_grad(J, p)) < 1e-6


def test_l2_with_sgd_equals_weight_shrinkage():
    # one SGD step on a batch: W ← (1 − ηλ)W − η∂L/∂W, and b ← b − η∂L/∂b
    rng = np.random.default_rng(2)
    X, y = _data(rng, 6)
    a, b = _net(np.random.default_rng(3)), _net(np.random.default_rng(3))
    eta, lam = 0.1, 0.5
    fit(
        a,
        MSE(),
        SGD(eta),
        X,
        y,
        epochs=1,
        batch_size=6,
        rng=np.random.default_rng(4),
        progress=False,
        weight_decay=lam,
    )
    b.backward(MSE().grad(b.forward(X), y))
    expected = [
        (1 - eta * lam) * p - eta * g if p.ndim == 2 else p - eta * g
        for p, g in zip(b.params(), b.grads())
    ]
    for p, e in zip(a.params(), expected):
        np.testing.assert_allclose(p, e, rtol=1e-12)


def test_l2_shrinks_the_weights():
    rng = np.random.default_rng(5)
    X, y = _data(rng)
    norms = {}
    for lam in (0.0, 0.1):
        net = _net(np.random.default_rng(6), width=20)
        fit(
            net,
            MSE(),
            Adam(0.01),
            X,
            y,
            300,
            30,
            np.random.default_rng(7),
            progress=False,
            weight_decay=lam,
        )
        norms[lam] = sum(np.sum(W**2) for W, _ in l2_pairs(net))
    assert norms[0.1] < 0.5 * norms[0.0]


# -- early stopping -----------------------------------------------------------------
def _early_stopped(**kwargs):
    """A wide net on 20 rows: it overfits, so patience=50 stops it well before 5000
    epochs."""
    rng = np.random.default_rng(8)
    X, y = _data(rng, 20)
    X_val, y_val = _data(rng, 20)
    net = _net(np.random.default_rng(9), width=50)
    h = fit(
        net,
        MSE(),
        Adam(0.02),
        X,
        y,
        5000,
        20,
        np.random.default_rng(10),
        val=(X_val, y_val),
        progress=False,
        patience=50,
        **kwargs,
    )
    return net, h, X_val, y_val


def test_early_stopping_stops_and_restores_the_best_weights():
    net, h, X_val, y_val = _early_stopped()
    assert h.stopped_epoch is not None and h.stopped_epoch < 5000
    assert h.epochs == h.stopped_epoch == h.best_epoch + 50
    assert h.val_loss[h.best_epoch - 1] == min(h.val_loss)
    assert MSE().value(net.predict(X_val), y_val) == pytest.approx(
        min(h.val_loss), rel=1e-12
    )


def test_early_stopping_without_restoring_keeps_the_last_weights():
    net, h, X_val, y_val = _early_stopped(restore_best=False)
    assert MSE().value(net.predict(X_val), y_val) == pytest.approx(
        h.val_loss[-1], rel=1e-12
    )


def test_defaults_are_unchanged():
    # no patience, no decay: the same run as before these options existed
    rng = np.random.default_rng(11)
    X, y = _data(rng)
    a, b = _net(np.random.default_rng(12)), _net(np.random.default_rng(12))
    ha = fit(
        a, MSE(), Adam(0.01), X, y, 20, 5, np.random.default_rng(13), progress=False
    )
    hb = fit(
        b,
        MSE(),
        Adam(0.01),
        X,
        y,
        20,
        5,
        np.random.default_rng(13),
        progress=False,
        patience=None,
        weight_decay=0.0,
    )
    assert (
        ha.train_loss == hb.train_loss
        and ha.best_epoch is None
        and ha.stopped_epoch is None
    )


# -- dtypes
# -------------------------------------------------------------------------------
def test_check_arrays_keeps_float32_and_promotes_integers():
    X32 = np.ones((3, 2), dtype=np.float32)
    y64 = np.ones((3, 1))
    a, b = check_arrays(X32, y64)
    assert a.dtype == np.float32 and b.dtype == np.float64 and a is X32
    a, b = check_arrays(np.ones((3, 2), dtype=int), np.ones((3, 1), dtype=bool))
    assert a.dtype == b.dtype == np.float64


def test_fit_trains_in_float32():
    rng = np.random.default_rng(14)
    X, y = (a.astype(np.float32) for a in _data(rng))
    net = _net(np.random.default_rng(15), dtype=np.float32)
    h = fit(
        net, MSE(), Adam(0.01), X, y, 50, 10, np.random.default_rng(16), progress=False
    )
    assert all(p.dtype == np.float32 for p in net.params())
    assert net.predict(X).dtype == np.float32
    assert h.train_loss[-1] < h.train_loss[0]


# -- bad input
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lam,error,message",
    [
        (-0.1, ValueError, "weight_decay must be ≥ 0; got -0.1"),
        (np.nan, ValueError, "weight_decay must be finite; got nan"),
        (np.inf, ValueError, "weight_decay must be finite; got inf"),
        ("0.1", TypeError, "weight_decay must be a number; got str '0.1'"),
        (True, TypeError, "weight_decay must be a number; got bool True"),
    ],
)
def test_bad_weight_decay(lam, error, message):
    rng = np.random.default_rng(0)
    X, y = _data(rng, 5)
    with pytest.raises(error, match=re.escape(message)):
        fit(_net(rng), MSE(), Adam(), X, y, 1, 5, rng, progress=False, weight_decay=lam)


def test_patience_needs_validation_data():
    rng = np.random.default_rng(0)
    X, y = _data(rng, 5)
    with pytest.raises(ValueError, match="pass val="):
        fit(_net(rng), MSE(), Adam(), X, y, 1, 5, rng, progress=False, patience=5)


@pytest.mark.parametrize(
    "patience,error",
    [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError)],
)
def test_bad_patience(patience, error):
    rng = np.random.default_rng(0)
    X, y = _data(rng, 5)
    with pytest.raises(error, match="patience must be a positive integer"):
        fit(
            _net(rng),
            MSE(),
            Adam(),
            X,
            y,
            1,
            5,
            rng,
            val=(X, y),
            progress=False,
            patience=patience,
        )


@pytest.mark.parametrize(
    "epochs,error", [(-1, ValueError), (2.0, TypeError), (True, TypeError)]
)
def test_bad_epochs(epochs, error):
    rng = np.random.default_rng(0)
    X, y = _data(rng, 5)
    with pytest.raises(error, match="epochs must be a non-negative integer"):
        fit(_net(rng), MSE(), Adam(), X, y, epochs, 5, rng, progress=False)
