"""Bad input gets a ValueError/TypeError that names the problem: one test each."""

import re

import numpy as np
import pytest

from geonn import (
    MSE,
    SGD,
    Activation,
    Adam,
    BCEWithLogits,
    Dense,
    Dropout,
    Flatten,
    Momentum,
    Reshape,
    Sequential,
    SoftmaxCrossEntropy,
    TrainingDiverged,
    fit,
)
from geonn.core.gradcheck import numerical_grad


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def net(rng):
    return Sequential([Dense(1, 3, rng=rng), Activation("relu"), Dense(3, 1, rng=rng)])


def _fit(net, rng, X, y, **kw):
    args = dict(epochs=2, batch_size=4, rng=rng, progress=False)
    args.update(kw)
    return fit(net, MSE(), args.pop("opt", Adam(0.01)), X, y, **args)


def test_wrong_number_of_features(net, rng):
    with pytest.raises(
        ValueError, match=r"X has 3 features but Dense\(1→3\) expects 1"
    ):
        _fit(net, rng, np.zeros((8, 3)), np.zeros((8, 1)))


def test_rows_of_X_and_y_differ(net, rng):
    with pytest.raises(ValueError, match="X has 10 rows but y has 9"):
        _fit(net, rng, np.zeros((10, 1)), np.zeros((9, 1)))


@pytest.mark.parametrize("where", ["X", "y"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_the_data(net, rng, where, bad):
    X, y = np.zeros((8, 1)), np.zeros((8, 1))
    (X if where == "X" else y)[5, 0] = bad
    with pytest.raises(
        ValueError,
        match=rf"{where} contains 1 NaN or inf value\(s\), the first at row 5",
    ):
        _fit(net, rng, X, y)


@pytest.mark.parametrize("eta", [0.0, -0.1, np.nan])
@pytest.mark.parametrize("Opt", [SGD, Momentum, Adam])
def test_non_positive_learning_rate(Opt, eta):
    with pytest.raises(ValueError, match="learning rate eta must be positive"):
        Opt(eta)


def test_unknown_activation_name():
    with pytest.raises(
        ValueError, match="unknown activation 'sigmod'; choose one of .*sigmoid"
    ):
        Activation("sigmod")


@pytest.mark.parametrize(
    "batch_size,error", [(0, ValueError), (-5, ValueError), (2.5, TypeError)]
)
def test_non_positive_batch_size(net, rng, batch_size, error):
    with pytest.raises(error, match="batch_size must be a positive integer"):
        _fit(net, rng, np.zeros((8, 1)), np.zeros((8, 1)), batch_size=batch_size)


def test_loading_weights_into_another_shape(tmp_path, net, rng):
    path = tmp_path / "w.npz"
    net.save(path)
    wider = Sequential([Dense(1, 5, rng=rng), Activation("relu"), Dense(5, 1, rng=rng)])
    with pytest.raises(
        ValueError, match=r"has 0.W of shape \(1, 3\) but this network has \(1, 5\)"
    ):
        wider.load(path)
    deeper = Sequential(
        [
            Dense(1, 3, rng=rng),
            Activation("relu"),
            Dense(3, 3, rng=rng),
            Activation("relu"),
            Dense(3, 1, rng=rng),
        ]
    )
    with pytest.raises(ValueError, match=r"missing \['4.W', '4.b'\]"):
        deeper.load(path)


def test_one_dimensional_arrays_are_refused_with_a_hint(net, rng):
    with pytest.raises(ValueError, match=r"X must be 2-D .*\.reshape\(-1, 1\)"):
        _fit(net, rng, np.zeros(8), np.zeros((8, 1)))


def test_missing_rng_is_a_type_error(net):
    with pytest.raises(TypeError, match="default_rng"):
        fit(net, MSE(), Adam(0.01), np.zeros((8, 1)), np.zeros((8, 1)), 1, 4, rng=0)


def test_divergence_raises_with_epoch_and_hint(rng):
    X = np.linspace(-1, 1, 32).reshape(-1, 1)
    net = Sequential([Dense(1, 8, rng=rng), Activation("relu"), Dense(8, 1, rng=rng)])
    with pytest.raises(
        TrainingDiverged,
        match=r"loss became (nan|inf) at epoch \d+.*lower the learning rate",
    ):
        _fit(net, rng, X, 3 * X, opt=SGD(50.0), epochs=50)


def test_validation_rows_differ(net, rng):
    with pytest.raises(ValueError, match="X_val has 4 rows but y_val has 3"):
        _fit(
            net,
            rng,
            np.zeros((8, 1)),
            np.zeros((8, 1)),
            val=(np.zeros((4, 1)), np.zeros((3, 1))),
        )


def test_dense_alone_refuses_one_dimensional_input(rng):
    with pytest.raises(ValueError, match=r"needs 2-D input \(n, 3\); got shape \(3,\)"):
        Dense(3, 2, rng=rng).forward(np.zeros(3))


# -- constructors and layers ---------------------------------------------------
def test_dense_integer_dtype_is_refused():
    with pytest.raises(TypeError, match="floating-point dtype"):
        Dense(3, 2, rng=np.random.default_rng(0), dtype=int)


def test_dense_bool_size_is_refused():
    with pytest.raises(TypeError, match="n_in must be a positive integer; got bool"):
        Dense(True, 2, rng=np.random.default_rng(0))


@pytest.mark.parametrize("where", ["W", "b"])
def test_dense_nan_weights_are_refused(where):
    W, b = np.ones((2, 2)), np.zeros(2)
    (W if where == "W" else b).flat[0] = np.nan
    with pytest.raises(ValueError, match=f"Dense {where} contains 1 NaN"):
        Dense(2, 2, W=W, b=b)


def test_dense_forward_accepts_a_list_and_refuses_text():
    layer = Dense(2, 1, W=[[1.0], [2.0]])
    np.testing.assert_allclose(layer.forward([[1, 1]]), [[3.0]])
    with pytest.raises(TypeError, match="numeric"):
        layer.forward([["a", "b"]])


def test_parameterless_layers_take_a_list_and_refuse_text():
    rng = np.random.default_rng(0)
    for layer in (Activation("relu"), Dropout(0.5, rng=rng), Flatten(), Reshape((2,))):
        out = layer.forward([[1.0, -2.0]], train=True)
        assert isinstance(out, np.ndarray) and out.shape == (1, 2)
        assert layer.backward(np.ones((1, 2))).shape == (1, 2)
        with pytest.raises(
            TypeError, match=rf"input of {re.escape(repr(layer))} must be numeric"
        ):
            layer.forward([["a", "b"]])


def test_ragged_lists_name_the_problem():
    layer = Dense(2, 1, W=[[1.0], [2.0]])
    with pytest.raises(
        ValueError, match=r"input of Dense\(2→1\) must be a rectangular numeric array"
    ):
        layer.forward([[1, 2], [3]])
    with pytest.raises(ValueError, match="X must be a rectangular numeric array"):
        Sequential([layer]).forward([[1, 2], [3]])


def test_dropout_probability_as_text():
    with pytest.raises(
        TypeError, match="Dropout probability p must be a number; got str"
    ):
        Dropout("0.5", rng=np.random.default_rng(0))


def test_activation_parameters_it_does_not_take():
    with pytest.raises(TypeError, match="'relu' takes no parameters; got slope"):
        Activation("relu", slope=0.1)


# -- losses -----------------------------------------------------------------------
def test_softmax_cross_entropy_refuses_one_column():
    with pytest.raises(ValueError, match="at least 2 columns.*BCEWithLogits"):
        SoftmaxCrossEntropy().value(np.zeros((3, 1)), np.ones((3, 1)))


def test_softmax_cross_entropy_refuses_multi_hot_targets_and_accepts_soft_labels():
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="target row 1 is .*one-hot"):
        SoftmaxCrossEntropy().grad(z, [[1, 0, 0], [1, 1, 0]])
    soft = np.array([[0.2, 0.3, 0.5], [1, 0, 0]])
    np.testing.assert_allclose(SoftmaxCrossEntropy().grad(z, soft), (1 / 3 - soft) / 2)


def test_bce_refuses_targets_outside_0_1():
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\].*found 2"):
        BCEWithLogits().value(np.zeros((2, 1)), [[1.0], [2.0]])


@pytest.mark.parametrize("loss", [MSE(), BCEWithLogits(), SoftmaxCrossEntropy()])
def test_losses_refuse_an_empty_batch(loss):
    with pytest.raises(ValueError, match="the batch is empty"):
        loss.value(np.zeros((0, 2)), np.zeros((0, 2)))


# -- optimizers -------------------------------------------------------------------
@pytest.mark.parametrize("Opt", [SGD, Momentum, Adam])
def test_a_wrong_shaped_gradient_is_refused_before_any_update(Opt):
    good, p = np.zeros(3), np.zeros((2, 2))
    opt = Opt(0.1)
    with pytest.raises(
        ValueError, match=r"shape \(2, 2\) got a gradient of shape \(2,\)"
    ):
        opt.step([good, p], [np.ones(3), np.ones(2)])
    assert not p.any() and not good.any() and opt.t == 0


@pytest.mark.parametrize("decay", [1, 2])
def test_negative_epoch_is_refused(decay):
    with pytest.raises(
        ValueError, match="epoch must be a non-negative integer; got -1"
    ):
        SGD(0.1, decay=decay).set_epoch(-1)


def test_non_numeric_decay():
    with pytest.raises(
        TypeError, match="learning-rate decay must be a number; got str"
    ):
        SGD(0.1, decay="x")


# -- fit, gradcheck -----------------------------------------------------------------
def test_fit_val_must_be_a_pair(net):
    X, y = np.zeros((4, 1)), np.zeros((4, 1))
    with pytest.raises(
        TypeError, match=r"val must be a pair \(X_val, y_val\); got ndarray"
    ):
        fit(net, MSE(), SGD(0.1), X, y, 1, 2, np.random.default_rng(0), val=X)


def test_numerical_grad_on_an_integer_array():
    with pytest.raises(TypeError, match="floating-point array"):
        numerical_grad(lambda: 0.0, np.arange(3))
