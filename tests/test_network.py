"""Dense, Dropout and Sequential: gradients by finite differences, composition
(a generator trained through a discriminator), freeze, save/load and repr."""

import numpy as np
import pytest

import geonn
from geonn import (
    MSE,
    Activation,
    Adam,
    BCEWithLogits,
    Dense,
    Dropout,
    Sequential,
    SoftmaxCrossEntropy,
    fit,
)
from geonn.core import activations
from geonn.core.gradcheck import gradcheck, numerical_grad, rel_error

TOL = 1e-6


def test_dense_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    layer = Dense(4, 3, rng=rng)
    layer.b[:] = rng.normal(size=3)
    X, y = rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    errors = gradcheck(layer, MSE(), X, y, return_all=True)
    assert set(errors) == {"W", "b", "X"}
    assert max(errors.values()) < TOL


@pytest.mark.parametrize("hidden", activations.NAMES)
def test_three_layer_network_gradients(hidden):
    rng = np.random.default_rng(1)
    net = Sequential(
        [
            Dense(3, 5, rng=rng),
            Activation(hidden),
            Dense(5, 4, rng=rng),
            Activation(hidden),
            Dense(4, 2, rng=rng),
        ]
    )
    for layer in net.layers:
        if isinstance(layer, Dense):
            layer.b[:] = rng.normal(scale=0.5, size=layer.b.shape)
    X, y = rng.normal(size=(7, 3)), rng.normal(size=(7, 2))
    assert gradcheck(net, MSE(), X, y) < TOL


def test_softmax_cross_entropy_network_gradients():
    rng = np.random.default_rng(2)
    net = Sequential([Dense(8, 6, rng=rng), Activation("tanh"), Dense(6, 3, rng=rng)])
    X, y = rng.normal(size=(10, 8)), np.eye(3)[rng.integers(0, 3, 10)]
    assert gradcheck(net, SoftmaxCrossEntropy(), X, y) < TOL


def test_generator_gradients_through_a_frozen_discriminator():
    """G∘D: the gradient reaches G's weights and the latent input through D."""
    rng = np.random.default_rng(3)
    G = Sequential([Dense(2, 8, rng=rng), Activation("tanh"), Dense(8, 4, rng=rng)])
    D = Sequential(
        [
            Dense(4, 8, rng=rng),
            Activation("leaky_relu", slope=0.2),
            Dense(8, 1, rng=rng),
        ]
    )
    D.freeze()
    GD = Sequential([G, D])
    z = rng.normal(size=(5, 2))
    ones = np.ones((5, 1))  # non-saturating generator loss: D should say "real"
    errors = gradcheck(GD, BCEWithLogits(), z, ones, return_all=True)
    assert set(errors) == {"0.0.W", "0.0.b", "0.2.W", "0.2.b", "X"}  # D is frozen
    assert max(errors.values()) < TOL
    # and the same holds with D trainable: every parameter of G∘D, plus the input
    D.unfreeze()
    errors = gradcheck(GD, BCEWithLogits(), z, ones, return_all=True)
    assert len(errors) == 9 and max(errors.values()) < TOL


def test_backward_returns_input_gradient():
    rng = np.random.default_rng(4)
    net = Sequential(
        [Dense(3, 4, rng=rng), Activation("sigmoid"), Dense(4, 1, rng=rng)]
    )
    X, y = rng.normal(size=(2, 3)), rng.normal(size=(2, 1))
    dX = net.backward(MSE().grad(net.forward(X), y))
    fd = numerical_grad(lambda: MSE().value(net.forward(X), y), X)
    assert dX.shape == X.shape and rel_error(dX, fd) < TOL


def test_dropout_train_and_eval():
    rng = np.random.default_rng(5)
    drop = Dropout(0.5, rng=rng)
    x = np.ones((1000, 10))
    np.testing.assert_array_equal(drop.forward(x, train=False), x)
    a = drop.forward(x, train=True)
    assert set(np.unique(a)) == {0.0, 2.0}  # inverted dropout scales by 1/(1−p)
    assert abs(a.mean() - 1.0) < 0.05
    g = rng.normal(size=x.shape)
    np.testing.assert_array_equal(drop.backward(g), g * drop.mask)
    with pytest.raises(ValueError, match="Dropout probability"):
        Dropout(1.0, rng=rng)


def test_parameter_count_and_repr():
    rng = np.random.default_rng(6)
    net = Sequential(
        [Dense(3, 2, rng=rng), Activation("sigmoid"), Dense(2, 1, rng=rng)]
    )
    assert net.n_params == 3 * 2 + 2 * 1 + 2 + 1 == 11
    text = repr(net)
    assert "Dense(3→2)" in text and "total: 11 parameters, 11 trainable" in text
    net[0].freeze()
    assert "total: 11 parameters, 3 trainable" in repr(net)


def test_sequential_nests_as_a_layer():
    rng = np.random.default_rng(7)
    encoder = Sequential(
        [Dense(6, 3, rng=rng), Activation("tanh"), Dense(3, 2, rng=rng)]
    )
    decoder = Sequential(
        [Dense(2, 3, rng=rng), Activation("tanh"), Dense(3, 6, rng=rng)]
    )
    ae = Sequential([encoder, decoder])
    X = rng.normal(size=(4, 6))
    np.testing.assert_allclose(ae.forward(X), decoder.forward(encoder.forward(X)))
    assert ae.n_params == encoder.n_params + decoder.n_params
    assert len(ae.params()) == 8 and gradcheck(ae, MSE(), X, X) < TOL


def test_frozen_encoder_is_bit_identical_after_fit():
    rng = np.random.default_rng(8)
    encoder = Sequential([Dense(6, 4, rng=rng), Activation("relu")])
    head = Sequential([Dense(4, 1, rng=rng)])
    net = Sequential([encoder, head])
    before = {k: v.copy() for k, v in encoder.named_params().items()}
    head_before = head[0].W.copy()
    encoder.freeze()
    X, y = rng.normal(size=(64, 6)), rng.normal(size=(64, 1))
    fit(net, MSE(), Adam(0.01), X, y, epochs=5, batch_size=8, rng=rng, progress=False)
    for k, v in encoder.named_params().items():
        np.testing.assert_array_equal(v, before[k])
    assert not np.array_equal(head[0].W, head_before)  # the head did learn


def test_save_load_round_trip_without_pickle(tmp_path):
    rng = np.random.default_rng(9)

    def make(r):
        return Sequential(
            [Sequential([Dense(3, 4, rng=r), Activation("tanh")]), Dense(4, 2, rng=r)]
        )

    net, other = make(rng), make(np.random.default_rng(99))
    path = tmp_path / "weights.npz"
    net.save(path)
    with np.load(path, allow_pickle=False) as f:  # plain arrays only
        assert sorted(f.files) == ["0.0.W", "0.0.b", "1.W", "1.b"]
    other.load(path)
    X = rng.normal(size=(3, 3))
    np.testing.assert_array_equal(other.forward(X), net.forward(X))


def test_dense_rejects_bad_construction():
    with pytest.raises(TypeError, match="rng"):
        Dense(3, 2)
    with pytest.raises(
        ValueError, match=r"W has shape \(2, 3\) but Dense\(3→2\) needs \(3, 2\)"
    ):
        Dense(3, 2, W=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="n_in must be a positive integer"):
        Dense(0, 2, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="not a geonn Layer"):
        Sequential([Dense(3, 2, rng=np.random.default_rng(0)), np.tanh])


def test_mlp_builds_the_fully_connected_network_with_a_linear_output():
    net = geonn.mlp([3, 2, 1], "sigmoid", rng=np.random.default_rng(0))
    assert [type(layer).__name__ for layer in net.layers] == [
        "Dense",
        "Activation",
        "Dense",
    ]
    assert net.n_params == 3 * 2 + 2 * 1 + 2 + 1  # |θ| = pm + mk + m + k = 11
    # the same weights, in the same order, as building the layers by hand
    rng = np.random.default_rng(0)
    by_hand = Sequential(
        [Dense(3, 2, rng=rng), Activation("sigmoid"), Dense(2, 1, rng=rng)]
    )
    for p, q in zip(net.params(), by_hand.params()):
        np.testing.assert_array_equal(p, q)
    assert len(geonn.mlp([8, 2], "tanh", rng=np.random.default_rng(0)).layers) == 1


@pytest.mark.parametrize("sizes", [[3], [3, 0, 1], [3, 2.5, 1], [3, True, 1]])
def test_mlp_rejects_bad_sizes(sizes):
    with pytest.raises(
        ValueError, match="sizes must list at least two positive integers"
    ):
        geonn.mlp(sizes, "relu", rng=np.random.default_rng(0))


def test_predict_in_chunks_gives_the_same_result():
    from geonn import Activation, Conv1D, Flatten

    rng = np.random.default_rng(11)
    net = Sequential([Conv1D(1, 3, 5, rng=rng), Activation("relu"), Flatten()])
    x = rng.normal(size=(10, 1, 16))
    np.testing.assert_allclose(net.predict(x, batch_size=3), net.predict(x), rtol=1e-12)
    with pytest.raises(TypeError, match="batch_size"):
        net.predict(x, batch_size=2.5)
    with pytest.raises(ValueError, match="batch_size"):
        net.predict(x, batch_size=0)
