"""float32 networks (the benchmark's wide case): Dense(dtype=np.float32), the
losses and Adam keep float32 end to end, and agree with the float64 twin."""

import numpy as np
import pytest

from geonn import MSE, Activation, Adam, Dense, Sequential, fit


def _pair(rng):
    """The same small network twice: float64 and float32."""
    W1, W2 = rng.normal(size=(4, 6)) / 2, rng.normal(size=(6, 2)) / 2

    def make(dtype):
        return Sequential(
            [
                Dense(4, 6, W=W1, dtype=dtype),
                Activation("relu"),
                Dense(6, 2, W=W2, dtype=dtype),
            ]
        )

    return make(np.float64), make(np.float32)


def test_float32_dense_converts_its_inputs_and_gradients():
    rng = np.random.default_rng(0)
    layer = Dense(3, 2, rng=rng, dtype=np.float32)
    assert layer.W.dtype == layer.b.dtype == layer.dW.dtype == np.float32
    z = layer.forward(rng.normal(size=(5, 3)))  # float64 in
    assert z.dtype == np.float32
    grad_x = layer.backward(rng.normal(size=(5, 2)))  # float64 gradient in
    assert grad_x.dtype == layer.dW.dtype == layer.db.dtype == np.float32


def test_float64_dense_is_unchanged_for_integer_input():
    layer = Dense(2, 1, W=[[1.0], [2.0]], b=[0.5])
    z = layer.forward(np.array([[1, 2]]))
    assert z.dtype == np.float64 and z[0, 0] == 5.5


def test_mse_keeps_the_prediction_dtype():
    pred32 = np.array([[1.0], [2.0]], dtype=np.float32)
    target = np.array([[0.0], [1.0]])  # float64 target
    assert MSE().grad(pred32, target).dtype == np.float32
    assert MSE().grad(pred32.astype(np.float64), target).dtype == np.float64
    assert (
        MSE().grad(np.array([[1], [2]]), target).dtype == np.float64
    )  # ints → float64
    assert MSE().value(pred32, target) == pytest.approx(0.5)


def test_adam_keeps_float32_parameters_float32():
    p32, p64 = [np.ones((2, 2), np.float32)], [np.ones((2, 2))]
    g = np.array([[0.5, -0.2], [0.1, 0.0]])
    a32, a64 = Adam(0.1), Adam(0.1)
    for _ in range(3):
        a32.step(p32, [g.astype(np.float32)])
        a64.step(p64, [g])
    m, v, _ = a32.state(p32[0])
    assert p32[0].dtype == m.dtype == v.dtype == np.float32
    np.testing.assert_allclose(p32[0], p64[0], rtol=1e-6)


def test_float32_network_trains_like_its_float64_twin():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 4))
    y = np.stack([np.sin(X[:, 0]), X[:, 1] * X[:, 2]], axis=1)
    net64, net32 = _pair(rng)
    h64 = fit(
        net64,
        MSE(),
        Adam(0.01),
        X,
        y,
        5,
        8,
        rng=np.random.default_rng(2),
        progress=False,
    )
    h32 = fit(
        net32,
        MSE(),
        Adam(0.01),
        X.astype(np.float32),
        y.astype(np.float32),
        5,
        8,
        rng=np.random.default_rng(2),
        progress=False,
    )
    assert all(p.dtype == np.float32 for p in net32.params())
    assert net32.predict(X).dtype == np.float32
    assert h32.train_loss[-1] < h32.train_loss[0]
    np.testing.assert_allclose(h32.train_loss, h64.train_loss, rtol=1e-4)
    for p32, p64 in zip(net32.params(), net64.params()):
        np.testing.assert_allclose(p32, p64, rtol=1e-4, atol=1e-5)
