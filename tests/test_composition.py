"""Networks built of networks: a stacked batch's gradient, optimizer state keyed by
the array, freezing at any depth, N-D tensors through Sequential and fit, spectral
normalisation, and nested nets seen by plotting, L2 decay and save/load."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from geonn import (
    MSE,
    SGD,
    Activation,
    Adam,
    BCEWithLogits,
    Conv1D,
    Dense,
    Flatten,
    MaxPool1D,  # noqa: E402
    Momentum,
    Reshape,
    Sequential,
    Upsample1D,
    fit,
    spectral_norm,
)
from geonn.core.gradcheck import gradcheck  # noqa: E402
from geonn.core.train import l2_pairs  # noqa: E402


def discriminator(rng):
    return Sequential(
        [
            Dense(3, 6, rng=rng),
            Activation("leaky_relu", slope=0.2),
            Dense(6, 1, rng=rng),
        ]
    )


def test_one_pass_over_the_stacked_batch_gives_the_mean_of_two_passes():
    """Why backward has no flag to add gradients up: a discriminator sees its real and
    fake rows in one stacked batch (as train_gan does), whose gradient is the mean of
    the two separate passes', in one forward/backward."""
    rng = np.random.default_rng(0)
    D = discriminator(rng)
    real, fake = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    ones, zeros = np.ones((4, 1)), np.zeros((4, 1))
    bce = BCEWithLogits()
    separate = []
    for x, y in ((real, ones), (fake, zeros)):
        D.backward(bce.grad(D.forward(x), y))
        separate.append([g.copy() for g in D.grads()])
    D.backward(bce.grad(D.forward(np.vstack([real, fake])), np.vstack([ones, zeros])))
    for a, b, stacked in zip(*separate, D.grads()):
        np.testing.assert_allclose(stacked, (a + b) / 2, rtol=1e-12, atol=1e-15)


def test_backward_overwrites_by_default():
    rng = np.random.default_rng(1)
    net = discriminator(rng)
    X, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 1))
    net.backward(MSE().grad(net.forward(X), y))
    first = [g.copy() for g in net.grads()]
    net.backward(MSE().grad(net.forward(X), y))
    for a, b in zip(first, net.grads()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "hidden", [(3, 3), (5, 4)], ids=["same shapes", "other shapes"]
)
@pytest.mark.parametrize(
    "Opt", [lambda: Adam(0.05), lambda: Momentum(0.1, alpha=0.8), lambda: SGD(0.1)]
)
def test_alternating_freeze_with_one_optimizer_equals_two_optimizers(Opt, hidden):
    """G and D, one optimizer stepping each in turn: no state mixing (geonn 1 mixed them
    silently when the shapes matched, with a broadcast error when they did not)."""
    h_g, h_d = hidden

    def run(shared):
        rng = np.random.default_rng(2)
        G = Sequential(
            [Dense(3, h_g, rng=rng), Activation("tanh"), Dense(h_g, 3, rng=rng)]
        )
        D = Sequential(
            [Dense(3, h_d, rng=rng), Activation("tanh"), Dense(h_d, 3, rng=rng)]
        )
        net = Sequential([G, D])
        X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
        opt_g, opt_d = (Opt(), Opt()) if not shared else (Opt(),) * 2
        for step in range(6):
            train_g = step % 2 == 0
            net.unfreeze()
            (D if train_g else G).freeze()
            net.backward(MSE().grad(net.forward(X), y))
            (opt_g if train_g else opt_d).step(net.params(), net.grads())
        net.unfreeze()
        return [p.copy() for p in net.params()]

    for a, b in zip(run(shared=True), run(shared=False)):
        np.testing.assert_allclose(a, b, rtol=1e-13)


def test_partial_unfreeze_trains_exactly_that_layer():
    rng = np.random.default_rng(3)
    inner = Sequential([Dense(2, 2, rng=rng), Activation("relu")])
    net = Sequential([inner, Dense(2, 1, rng=rng)])
    net.freeze()
    assert net.params() == [] and not net.trainable
    net[0][0].unfreeze()
    assert [p is q for p, q in zip(net.params(), [inner[0].W, inner[0].b])] == [
        True,
        True,
    ]
    assert net.trainable and inner.trainable and not net[1].trainable
    before = net[1].W.copy()
    fit(
        net,
        MSE(),
        SGD(0.1),
        rng.normal(size=(8, 2)),
        rng.normal(size=(8, 1)),
        2,
        4,
        rng,
    )
    np.testing.assert_array_equal(net[1].W, before)


def test_a_network_whose_weights_are_all_frozen_reads_frozen():
    rng = np.random.default_rng(3)
    inner = Sequential([Dense(2, 2, rng=rng), Activation("tanh")])
    net = Sequential([inner, Dense(2, 1, rng=rng)])
    inner[0].freeze()  # its activation keeps its own (meaningless) flag
    assert inner.params() == [] and not inner.trainable and net.trainable
    assert "0 trainable  # 6 params, frozen" in repr(net)
    assert Sequential([Activation("relu")]).trainable


class Fresh(Dense):
    """Assigns new gradient arrays every step (what geonn 1's fit silently ignored)."""

    calls = 0

    def backward(self, grad_out, need_input_grad=True):
        Fresh.calls += 1
        self.dW = self.x.T @ grad_out
        self.db = grad_out.sum(axis=0)
        return grad_out @ self.W.T


@pytest.mark.parametrize("position", [0, 1])
def test_a_dense_subclass_that_replaces_its_gradient_arrays_still_trains(position):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(20, 2))
    y = X @ np.array([[1.0], [-2.0]])

    def net(cls):
        r = np.random.default_rng(5)
        layers = [Dense(2, 2, rng=r), Activation("tanh"), Dense(2, 1, rng=r)]
        layers[2 * position] = cls(
            *(layers[2 * position].W.shape), rng=np.random.default_rng(6)
        )
        return Sequential(layers)

    plain, fresh = net(Dense), net(Fresh)
    Fresh.calls = 0
    for model in (plain, fresh):
        fit(model, MSE(), Adam(0.05), X, y, 5, 4, np.random.default_rng(7))
    assert Fresh.calls == 5 * 5  # its own backward ran at every step, first layer too
    for p, q in zip(fresh.params(), plain.params()):
        np.testing.assert_allclose(p, q, rtol=1e-12)
    assert not np.allclose(fresh[2 * position].W, net(Dense)[2 * position].W)


def test_fit_runs_a_subclass_backward_even_where_it_skips_the_input_gradient():
    """fit's first layer gets need_input_grad=False, through its own backward."""

    class Doubled(Dense):  # a custom gradient: twice the true one for W and b
        def backward(self, grad_out, need_input_grad=True):
            dx = super().backward(2 * grad_out, need_input_grad)
            return None if dx is None else dx / 2

    rng = np.random.default_rng(8)
    X, y = rng.normal(size=(6, 2)), rng.normal(size=(6, 1))
    for wrap in (lambda layer: Sequential([layer]), lambda layer: layer):
        doubled, plain = (
            cls(2, 1, rng=np.random.default_rng(9)) for cls in (Doubled, Dense)
        )
        fit(wrap(doubled), MSE(), SGD(0.1), X, y, 1, 6, np.random.default_rng(0))
        fit(wrap(plain), MSE(), SGD(0.2), X, y, 1, 6, np.random.default_rng(0))
        np.testing.assert_allclose(doubled.W, plain.W, rtol=1e-12)
        np.testing.assert_allclose(doubled.b, plain.b, rtol=1e-12)


def conv_net(rng, dtype=float):
    return Sequential(
        [
            Conv1D(1, 4, 5, rng=rng, dtype=dtype),
            Activation("relu"),
            MaxPool1D(2),
            Conv1D(4, 2, 3, rng=rng, dtype=dtype),
            Activation("tanh"),
            Upsample1D(2),
            Flatten(),
            Dense(32, 3, rng=rng, dtype=dtype),
        ]
    )


def test_a_convolutional_network_passes_a_whole_network_gradient_check():
    rng = np.random.default_rng(7)
    net = conv_net(rng)
    X, y = rng.normal(size=(3, 1, 16)), rng.normal(size=(3, 3))
    errors = gradcheck(net, MSE(), X, y, return_all=True)
    assert len(errors) == 7 and max(errors.values()) < 1e-6


def test_networks_skip_only_the_input_gradient_on_request():
    """Sequential.backward(..., need_input_grad=False) hands the flag to its first layer
    (at any depth): None comes back, and every parameter gradient still passes central
    finite differences (float64, < 1e-6)."""
    rng = np.random.default_rng(12)
    nested = Sequential(
        [
            Sequential([Dense(4, 5, rng=rng), Activation("tanh")]),
            spectral_norm(Dense(5, 3, rng=rng), rng=rng),
        ]
    )
    cases = (
        (conv_net(rng), rng.normal(size=(3, 1, 16)), rng.normal(size=(3, 3))),
        (nested, rng.normal(size=(6, 4)), rng.normal(size=(6, 3))),
    )
    for net, X, y in cases:
        delta = MSE().grad(net.forward(X), y)
        assert net.backward(delta, need_input_grad=False) is None
        errors = gradcheck(net, MSE(), X, y, wrt_input=False, return_all=True)
        assert "X" not in errors and len(errors) == len(net.params())
        assert max(errors.values()) < 1e-6


def test_fit_trains_on_traces_and_an_autoencoder_on_nd_targets():
    rng = np.random.default_rng(8)
    X = rng.normal(size=(32, 1, 16)).astype(np.float32)
    y = X[:, :, ::4].reshape(32, 4).sum(axis=1, keepdims=True)
    net = Sequential(
        [
            Conv1D(1, 4, 3, rng=rng, dtype=np.float32),
            Activation("relu"),
            Flatten(),
            Dense(64, 1, rng=rng, dtype=np.float32),
        ]
    )
    h = fit(net, MSE(), Adam(0.01), X, y, 30, 8, rng)
    assert h.train_loss[-1] < 0.5 * h.train_loss[0]
    assert net.forward(X).dtype == np.float32
    auto = Sequential(
        [
            Flatten(),
            Dense(16, 4, rng=rng),
            Activation("tanh"),
            Dense(4, 16, rng=rng),
            Reshape((1, 16)),
        ]
    )
    h = fit(auto, MSE(), Adam(0.01), X, X, 20, 8, rng, val=(X[:8], X[:8]))
    assert h.val_loss[-1] < h.val_loss[0]


def test_spectral_norm_reaches_the_bound_and_saves_u(tmp_path):
    rng = np.random.default_rng(9)
    for bound in (1.0, 2.5):
        for layer in (Dense(6, 4, rng=rng), Conv1D(3, 5, 4, rng=rng)):
            layer.W *= 10
            spectral_norm(layer, bound, rng=rng)
            x = rng.normal(size=(2, 6) if isinstance(layer, Dense) else (2, 3, 8))
            for _ in range(100):  # the power iteration converges
                layer.forward(x, train=True)
            M = layer.weight().reshape(len(layer.W), -1)
            assert abs(np.linalg.svd(M, compute_uv=False)[0] - bound) < 1e-3
    net = Sequential([spectral_norm(Dense(3, 2, rng=rng), rng=rng)])
    net.forward(rng.normal(size=(4, 3)), train=True)
    assert set(net.named_buffers()) == {"0.u"}
    net.save(tmp_path / "sn")
    other = Sequential([spectral_norm(Dense(3, 2, rng=rng), rng=rng)]).load(
        tmp_path / "sn"
    )
    np.testing.assert_array_equal(other[0].reparam.u, net[0].reparam.u)
    np.testing.assert_array_equal(other[0].weight(), net[0].weight())


def test_nested_networks_are_drawn_decayed_and_counted():
    from geonn.studies.plotting import draw_network, network_weights

    rng = np.random.default_rng(10)
    enc = Sequential([Dense(4, 2, rng=rng), Activation("tanh")])
    dec = Sequential([Dense(2, 4, rng=rng)])
    auto = Sequential([enc, dec])
    sizes, W, b = network_weights(auto)
    assert sizes == [4, 2, 4] and W[1] is dec[0].W
    draw_network(auto)
    assert [W for W, _ in l2_pairs(auto)] == [enc[0].W, dec[0].W]
    dec.freeze()
    assert [W is enc[0].W for W, _ in l2_pairs(auto)] == [True]
    assert auto.leaves() == [enc[0], enc[1], dec[0]]
    assert "22 parameters, 10 trainable" in repr(auto)


def test_optimizer_state_follows_the_arrays_when_a_list_is_changed_in_place():
    a, b = np.zeros(2), np.zeros(3)
    opt, params = Adam(0.1), [a, b]
    opt.step(params, [np.ones(2), np.ones(3)])
    params.reverse()  # the same list object, new order
    opt.step(params, [np.ones(3), np.ones(2)])
    params.append(np.zeros(4))  # and a new array
    opt.step(params, [np.ones(3), np.ones(2), np.ones(4)])
    assert opt.state(a)[2] == opt.state(b)[2] == 3 and opt.state(params[2])[2] == 1
    np.testing.assert_allclose(a, b[:2])


@pytest.mark.parametrize(
    "make,shape",
    [
        (lambda r: Dense(5, 4, rng=r), (3, 5)),
        (lambda r: Conv1D(2, 3, 4, rng=r), (3, 2, 9)),
    ],
)
def test_spectral_norm_takes_one_power_step_per_training_forward_and_none_in_evaluation(
    make, shape
):
    rng = np.random.default_rng(11)
    layer = spectral_norm(make(rng), 2.0, rng=rng)
    u, x = layer.reparam.u, rng.normal(size=shape)
    M = layer.W.reshape(len(layer.W), -1)
    before = u.copy()
    layer.forward(x, train=False)
    np.testing.assert_array_equal(u, before)  # evaluation: u unchanged
    layer.forward(x, train=True)
    step = M @ (M.T @ before)
    np.testing.assert_allclose(
        u, step / np.linalg.norm(step), rtol=1e-12
    )  # exactly one step
    assert layer.reparam.u is u  # kept in place (saved, optimizer-safe)
    sigma = np.linalg.norm(M.T @ u)
    np.testing.assert_allclose(layer.weight(), 2.0 * layer.W / sigma, rtol=1e-12)
