"""float32 stays float32 through every activation, loss value and gradient; fit
records the mean mini-batch loss by default, a full pass on request, and shows no
progress bar unless asked."""

import numpy as np
import pytest

from geonn import (
    MSE,
    SGD,
    Activation,
    Adam,
    BCEWithLogits,
    Dense,
    Sequential,
    SoftmaxCrossEntropy,
    fit,
)
from geonn.core import activations
from geonn.core.losses import Loss

DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", activations.NAMES)
def test_every_activation_keeps_the_dtype(name, dtype):
    act = activations.get(name)
    z = np.linspace(-2, 2, 12, dtype=dtype).reshape(4, 3)
    a = act.forward(z)
    assert a.dtype == dtype
    assert act.grad(z).dtype == dtype
    assert act.vjp(z, a, np.ones_like(a)).dtype == dtype
    try:
        assert act.grad_from_output(a).dtype == dtype
    except NotImplementedError:
        pass
    layer = Activation(name)
    assert layer.backward(np.ones_like(layer.forward(z))).dtype == dtype


LOSSES = [
    (MSE(), lambda r: r.normal(size=(6, 3))),
    (BCEWithLogits(), lambda r: r.integers(0, 2, size=(6, 3))),
    (SoftmaxCrossEntropy(), lambda r: np.eye(3)[r.integers(0, 3, 6)]),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("loss,target", LOSSES, ids=["mse", "bce", "softmax_ce"])
def test_every_loss_keeps_the_dtype(loss, target, dtype):
    rng = np.random.default_rng(0)
    pred, y = rng.normal(size=(6, 3)).astype(dtype), target(rng)
    value, grad = loss.value(pred, y), loss.grad(pred, y)
    assert np.asarray(value).dtype == dtype and grad.dtype == dtype
    v2, g2 = loss.value_and_grad(pred, y)
    assert np.asarray(v2).dtype == dtype and v2 == pytest.approx(value, rel=1e-6)
    assert np.array_equal(g2, grad)
    assert Loss.value_and_grad(loss, pred, y)[0] == value


def test_a_float32_network_trains_in_float32_end_to_end():
    rng = np.random.default_rng(1)
    net = Sequential(
        [
            Dense(3, 4, rng=rng, dtype=np.float32),
            Activation("sigmoid"),
            Dense(4, 2, rng=rng, dtype=np.float32),
        ]
    )
    X = rng.normal(size=(8, 3)).astype(np.float32)
    y = rng.integers(0, 2, size=(8, 2)).astype(np.float32)
    out = net.forward(X)
    dX = net.backward(BCEWithLogits().grad(out, y))
    assert out.dtype == dX.dtype == np.float32
    assert all(g.dtype == np.float32 for g in net.grads())


def small_problem():
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, size=(23, 1))
    return (
        X,
        np.sin(3 * X),
        Sequential([Dense(1, 5, rng=rng), Activation("tanh"), Dense(5, 1, rng=rng)]),
    )


def test_training_curve_is_the_mean_of_the_mini_batch_losses():
    X, y, net = small_problem()
    hand = [p.copy() for p in net.params()]
    h = fit(
        net, MSE(), SGD(0.1), X, y, epochs=3, batch_size=5, rng=np.random.default_rng(3)
    )
    # the same loop by hand: each batch's loss before its update, weighted by its rows
    rng, loss = np.random.default_rng(3), MSE()
    _, _, twin = small_problem()
    for p, q in zip(twin.params(), hand):
        p[...] = q
    means = []
    for _ in range(3):
        order, total = rng.permutation(len(X)), 0.0
        for s in range(0, len(X), 5):
            i = order[s : s + 5]
            out = twin.forward(X[i], train=True)
            total += loss.value(out, y[i]) * len(i)
            twin.backward(loss.grad(out, y[i]))
            SGD(0.1).step(twin.params(), twin.grads())
        means.append(total / len(X))
    np.testing.assert_allclose(h.train_loss, means, rtol=1e-12)
    for p, q in zip(net.params(), twin.params()):
        np.testing.assert_array_equal(p, q)


def test_full_pass_scores_the_whole_training_set_and_leaves_the_weights_alone():
    X, y, a = small_problem()
    _, _, b = small_problem()
    ha = fit(a, MSE(), Adam(0.01), X, y, 4, 5, np.random.default_rng(4))
    hb = fit(b, MSE(), Adam(0.01), X, y, 4, 5, np.random.default_rng(4), full_pass=True)
    for p, q in zip(a.params(), b.params()):
        np.testing.assert_array_equal(p, q)
    assert hb.train_loss[-1] == MSE().value(b.predict(X), y)
    assert ha.train_loss != hb.train_loss


def test_progress_bar_is_off_by_default_and_on_when_asked(capsys):
    X, y, net = small_problem()
    fit(net, MSE(), Adam(0.01), X, y, 2, 5, np.random.default_rng(5))
    assert capsys.readouterr().err == ""
    fit(net, MSE(), Adam(0.01), X, y, 2, 5, np.random.default_rng(5), progress=True)
    assert "epochs" in capsys.readouterr().err
