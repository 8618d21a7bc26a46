"""Every layer against the Layer contract (``check_layer``: shapes, dtype, params/grads
pairing, need_input_grad, zero_grad, freeze) and float64 central finite differences of
its parameters and input (max relative error < 1e-6)."""

import numpy as np
import pytest

from geonn import (
    Activation,
    AvgPool1D,
    Conv1D,
    Dense,
    Dropout,
    Flatten,
    Layer,
    MaxPool1D,
    Reshape,
    Upsample1D,
    check_layer,
    spectral_norm,
)
from geonn.core import activations


def _dense(rng):
    layer = Dense(4, 3, rng=rng)
    layer.b[:] = rng.normal(size=3)
    return layer


def _conv(rng, **kw):
    layer = Conv1D(2, 3, 4, rng=rng, **kw)
    layer.b[:] = rng.normal(size=3)
    return layer


# (name, layer factory, input shape); inputs are drawn so no pooling window ties
CASES = [
    ("dense", _dense, (5, 4)),
    ("dense+spectral_norm", lambda r: spectral_norm(_dense(r), rng=r), (5, 4)),
    (
        "dense+spectral_norm bound 3",
        lambda r: spectral_norm(_dense(r), 3.0, rng=r),
        (5, 4),
    ),
    ("conv same", _conv, (3, 2, 11)),
    ("conv valid", lambda r: _conv(r, padding="valid"), (3, 2, 11)),
    ("conv same stride 2", lambda r: _conv(r, stride=2), (3, 2, 11)),
    ("conv valid stride 3", lambda r: _conv(r, stride=3, padding="valid"), (3, 2, 12)),
    ("conv k=1", lambda r: Conv1D(3, 2, 1, rng=r), (2, 3, 5)),
    # C_out ≤ C_in at stride 1 takes the other input-gradient path (a full correlation)
    ("conv C_out<C_in same k=4", lambda r: Conv1D(3, 2, 4, rng=r), (3, 3, 11)),
    (
        "conv C_out<C_in valid k=5",
        lambda r: Conv1D(3, 2, 5, padding="valid", rng=r),
        (3, 3, 11),
    ),
    ("conv+spectral_norm", lambda r: spectral_norm(_conv(r), 0.5, rng=r), (3, 2, 9)),
    ("maxpool 2", lambda r: MaxPool1D(2), (3, 2, 10)),
    ("maxpool 3 stride 2", lambda r: MaxPool1D(3, stride=2), (3, 2, 11)),
    ("avgpool 2", lambda r: AvgPool1D(2), (3, 2, 10)),
    ("avgpool 3 stride 1", lambda r: AvgPool1D(3, stride=1), (2, 2, 7)),
    ("upsample 3", lambda r: Upsample1D(3), (3, 2, 5)),
    ("flatten", lambda r: Flatten(), (3, 2, 5)),
    ("reshape", lambda r: Reshape((2, 6)), (3, 12)),
    ("dropout (evaluation)", lambda r: Dropout(0.5, rng=r), (4, 3)),
] + [
    (f"activation {name}", lambda r, n=name: Activation(n), (4, 3))
    for name in activations.NAMES
    if name != "step"
]


@pytest.mark.parametrize("name,make,shape", CASES, ids=[c[0] for c in CASES])
def test_every_layer_keeps_the_contract(name, make, shape):
    rng = np.random.default_rng(7)
    layer = make(rng)
    x = rng.normal(size=shape)
    errors = check_layer(layer, x, rng=rng)
    assert max(errors.values()) < 1e-6
    if layer.param_names:
        assert set(errors) == {"x", *layer.param_names}


def test_step_activation_keeps_the_contract_away_from_its_jump():
    rng = np.random.default_rng(0)
    x = rng.choice([-1.0, 1.0], size=(4, 3)) * rng.uniform(0.1, 1, size=(4, 3))
    check_layer(Activation("step"), x)


def test_a_layer_that_forgets_backward_fails_loudly():
    class NoBackward(Layer):
        def forward(self, x, train=False):
            return 2 * x

    with pytest.raises(NotImplementedError, match="must implement backward"):
        check_layer(NoBackward(), np.ones((2, 3)))


def test_a_layer_whose_backward_forgets_need_input_grad_fails_loudly():
    class Twice(Layer):  # Sequential passes it to its first layer (in fit)
        def forward(self, x, train=False):
            return 2 * x

        def backward(self, grad_out):
            return 2 * grad_out

    with pytest.raises(
        AssertionError, match=r"must take \(grad_out, need_input_grad=True\)"
    ):
        check_layer(Twice(), np.ones((2, 3)))


def test_a_backward_that_adds_to_its_gradients_fails():
    class Adding(Dense):  # the contract: backward writes ∂L/∂θ, never adds
        def backward(self, grad_out, need_input_grad=True):
            old = self.dW.copy()
            dx = super().backward(grad_out, need_input_grad)
            self.dW += old
            return dx

    layer = Adding(3, 2, rng=np.random.default_rng(0))
    layer.dW[...] = 0
    with pytest.raises(AssertionError, match="must write the same gradients"):
        check_layer(layer, np.ones((2, 3)))


def test_a_backward_that_returns_a_wrong_skipped_input_gradient_fails():
    class Zeros(Dense):  # need_input_grad=False: None or the true ∂L/∂x
        def backward(self, grad_out, need_input_grad=True):
            dx = super().backward(grad_out)
            return dx if need_input_grad else np.zeros_like(dx)

    with pytest.raises(AssertionError, match="must return None or ∂L/∂x"):
        check_layer(Zeros(3, 2, rng=np.random.default_rng(0)), np.ones((2, 3)))


WEIGHTED = [c for c in CASES if c[0].startswith(("dense", "conv"))]


@pytest.mark.parametrize("name,make,shape", WEIGHTED, ids=[c[0] for c in WEIGHTED])
def test_dense_and_conv_skip_the_input_gradient_on_request(name, make, shape):
    """need_input_grad=False: None, and the parameter gradients of a full backward, so
    they still pass central finite differences (float64, < 1e-6)."""
    from geonn.core.gradcheck import numerical_grad, rel_error

    rng = np.random.default_rng(3)
    layer, x = make(rng), rng.normal(size=shape)
    r = rng.normal(size=layer.forward(x).shape)
    assert layer.backward(r, need_input_grad=False) is None

    def L():
        return float(np.sum(r * layer.forward(x)))

    for n in layer.param_names:
        numeric = numerical_grad(L, getattr(layer, n))
        assert rel_error(getattr(layer, "d" + n), numeric) < 1e-6


def test_a_layer_whose_grads_do_not_pair_with_params_fails():
    class Broken(Dense):
        def grads(self):
            return [self.dW]  # forgot db

    with pytest.raises(AssertionError, match="2 params but 1 grads"):
        check_layer(Broken(3, 2, rng=np.random.default_rng(0)), np.ones((2, 3)))


def test_a_wrong_backward_fails_the_finite_difference_check():
    class Wrong(Dense):
        def backward(self, grad_out, need_input_grad=True):
            return 2 * super().backward(grad_out)

    with pytest.raises(AssertionError, match="finite-difference"):
        check_layer(Wrong(3, 2, rng=np.random.default_rng(0)), np.ones((2, 3)))


def test_conv1d_output_lengths_and_the_equivalent_dense_layer():
    """Conv1D equals a banded Dense layer with shared weights (the chapter-8 view)."""
    rng = np.random.default_rng(1)
    conv = Conv1D(1, 1, 3, padding="valid", rng=rng)
    x = rng.normal(size=(2, 1, 8))
    band = np.zeros((8, 6))
    for l in range(6):
        band[l : l + 3, l] = conv.W[0, 0]
    np.testing.assert_allclose(
        conv.forward(x)[:, 0], x[:, 0] @ band + conv.b, rtol=1e-12
    )
    for L, s, pad, want in [
        (11, 1, "same", 11),
        (11, 2, "same", 6),
        (11, 1, "valid", 8),
        (12, 3, "valid", 3),
    ]:
        c = Conv1D(1, 2, 4, stride=s, padding=pad, rng=rng)
        assert c.forward(np.zeros((1, 1, L))).shape == (1, 2, want)


def test_conv1d_refuses_wrong_channels_and_short_traces():
    conv = Conv1D(2, 3, 5, padding="valid", rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="expects 2 input channels; got 3"):
        conv.forward(np.zeros((1, 3, 10)))
    with pytest.raises(ValueError, match=r"3-D input \(batch, channels, length\)"):
        conv.forward(np.zeros((4, 10)))
    with pytest.raises(ValueError, match="shorter than the kernel"):
        conv.forward(np.zeros((1, 2, 4)))
    with pytest.raises(ValueError, match="padding must be 'same' or 'valid'"):
        Conv1D(1, 1, 3, padding="full", rng=np.random.default_rng(0))


def test_a_nested_network_keeps_the_contract_and_check_layer_keeps_its_frozen_parts_frozen():  # noqa: E501 (the name states the claim)
    from geonn import Sequential

    rng = np.random.default_rng(2)
    net = Sequential(
        [
            Sequential([_conv(rng), Activation("tanh")]),
            Flatten(),
            spectral_norm(Dense(33, 2, rng=rng), rng=rng),
        ]
    )
    x = rng.normal(size=(3, 2, 11))
    assert set(check_layer(net, x, rng=rng)) == {"x", "0.0.W", "0.0.b", "2.W", "2.b"}
    net[0].freeze()
    assert set(check_layer(net, x, rng=rng)) == {"x", "2.W", "2.b"}
    assert not net[0].trainable and net[2].trainable


def test_backward_before_forward_says_so():
    rng = np.random.default_rng(0)
    for layer in (Dense(2, 1, rng=rng), Conv1D(1, 1, 3, rng=rng)):
        with pytest.raises(RuntimeError, match="backward called before forward"):
            layer.backward(np.ones((1, 1)))
