"""A second, independent gradient oracle beside the finite differences: JAX's
automatic differentiation of the same networks and losses, written here from
jax.nn's own functions (not from geonn's formulas), must give geonn's
hand-written backward pass to round-off, in float64.

Every activation and loss the book teaches is covered, on random mlp networks of
two hidden layers.  JAX is pinned in requirements.txt, so the test skips only
where it is not installed, and fails under CI (``CI`` set) if it is missing.
"""

import os

import numpy as np
import pytest

import geonn
from geonn.core import activations
from geonn.studies import gan

try:
    import jax
except ImportError:  # pragma: no cover - jax is pinned
    if os.environ.get("CI"):
        pytest.fail(
            "jax is pinned in requirements.txt but cannot be imported", pytrace=False
        )
    pytest.skip(
        "jax is not installed (pip install -r requirements.txt)",
        allow_module_level=True,
    )

jax.config.update("jax_enable_x64", True)
jnp, nn = jax.numpy, jax.nn

SLOPE = 0.05  # a leaky-ReLU slope other than the default, to see it is used
ACTIVATIONS = {
    "identity": lambda z: z,
    "step": lambda z: jnp.where(z > 0, 1.0, 0.0),
    "sigmoid": nn.sigmoid,
    "tanh": jnp.tanh,
    "relu": nn.relu,
    "leaky_relu": lambda z: nn.leaky_relu(z, SLOPE),
    "softmax": nn.softmax,
}


def _mse(z, y):
    return 0.5 * jnp.sum((z - y) ** 2) / len(z)


def _bce(z, y):
    return -jnp.sum(y * nn.log_sigmoid(z) + (1 - y) * nn.log_sigmoid(-z)) / len(z)


def _softmax_ce(z, y):
    return -jnp.sum(y * nn.log_softmax(z)) / len(z)


# geonn loss, its JAX twin, number of outputs, targets for a batch of n
LOSSES = {
    "MSE": (geonn.MSE(), _mse, 3, lambda rng, n: rng.normal(size=(n, 3))),
    "BCEWithLogits": (
        geonn.BCEWithLogits(),
        _bce,
        3,
        lambda rng, n: rng.integers(0, 2, size=(n, 3)).astype(float),
    ),
    "SoftmaxCrossEntropy": (
        geonn.SoftmaxCrossEntropy(),
        _softmax_ce,
        4,
        lambda rng, n: np.eye(4)[rng.integers(0, 4, n)],
    ),
}
# −log σ(s) and log(1 − σ(s)) = log σ(−s), averaged over the batch of fakes
GENERATOR_LOSSES = {
    "non_saturating": lambda s: -jnp.mean(nn.log_sigmoid(s)),
    "saturating": lambda s: jnp.mean(nn.log_sigmoid(-s)),
}


def _net(activation, n_out, rng):
    kwargs = {"slope": SLOPE} if activation == "leaky_relu" else {}
    return geonn.mlp([5, 7, 6, n_out], activations.get(activation, **kwargs), rng=rng)


def _dense(net):
    return [layer for layer in net.leaves() if isinstance(layer, geonn.Dense)]


def _forward(params, X, activation):
    """z = a W + b per layer; the activation after every layer but the last."""
    a = X
    for k, (W, b) in enumerate(params):
        z = a @ W + b
        a = ACTIVATIONS[activation](z) if k < len(params) - 1 else z
    return a


def _max_rel_diff(net, jax_grads):
    """Largest |JAX − geonn| over each gradient array, relative to that array's
    largest entry (the scale-relative error of the finite-difference tests)."""
    worst = 0.0
    for layer, (gW, gb) in zip(_dense(net), jax_grads):
        for ours, theirs in ((layer.dW, gW), (layer.db, gb)):
            scale = np.abs(ours).max()
            if scale == 0:  # e.g. behind a step activation
                assert np.abs(np.asarray(theirs)).max() == 0
                continue
            worst = max(worst, np.abs(np.asarray(theirs) - ours).max() / scale)
    return worst


def test_every_activation_and_loss_is_covered():
    assert set(ACTIVATIONS) == set(activations.NAMES)
    # the core's losses; a chapter's own (chapter 11's TraceSoftmax, a reshaped
    # SoftmaxCrossEntropy) is tested with its chapter, and appears here only when
    # this worker happens to have imported it
    core = {
        cls
        for cls in geonn.core.losses.Loss.__subclasses__()
        if cls.__module__ == geonn.core.losses.__name__
    }
    assert {type(loss) for loss, *_ in LOSSES.values()} == core


@pytest.mark.parametrize("loss_name", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_jax_grad_equals_geonn_backward(activation, loss_name):
    rng = np.random.default_rng(
        [7, list(ACTIVATIONS).index(activation), list(LOSSES).index(loss_name)]
    )
    loss, jax_loss, n_out, targets = LOSSES[loss_name]
    for _ in range(3):  # three random networks and batches
        net = _net(activation, n_out, rng)
        X, Y = rng.normal(size=(9, 5)), targets(rng, 9)
        net.backward(loss.grad(net.forward(X), Y))
        params = [(jnp.asarray(d.W), jnp.asarray(d.b)) for d in _dense(net)]
        value, grads = jax.value_and_grad(
            lambda p: jax_loss(_forward(p, X, activation), Y)
        )(params)
        np.testing.assert_allclose(
            float(loss.value(net.forward(X), Y)), float(value), rtol=1e-12
        )
        assert _max_rel_diff(net, grads) < 1e-12, (activation, loss_name)


@pytest.mark.parametrize("kind", GENERATOR_LOSSES)
def test_jax_grad_equals_geonn_for_the_generator_losses(kind):
    # chapter 10: the generator's loss on the discriminator's logits, through a network
    rng = np.random.default_rng(10)
    loss = gan.GeneratorLoss(kind)
    net = _net("leaky_relu", 1, rng)
    X = rng.normal(size=(9, 5))
    net.backward(loss.grad(net.forward(X)))
    params = [(jnp.asarray(d.W), jnp.asarray(d.b)) for d in _dense(net)]
    value, grads = jax.value_and_grad(
        lambda p: GENERATOR_LOSSES[kind](_forward(p, X, "leaky_relu"))
    )(params)
    np.testing.assert_allclose(loss.value(net.forward(X)), float(value), rtol=1e-12)
    assert _max_rel_diff(net, grads) < 1e-12


def test_the_oracle_sees_a_wrong_backward_pass():
    # a check that passes everything is no check: break one derivative and look
    rng = np.random.default_rng(0)
    net = _net("tanh", 3, rng)
    X, Y = rng.normal(size=(9, 5)), rng.normal(size=(9, 3))
    net.backward(geonn.MSE().grad(net.forward(X), Y))
    _dense(net)[0].dW[0, 0] *= 1.01
    params = [(jnp.asarray(d.W), jnp.asarray(d.b)) for d in _dense(net)]
    grads = jax.grad(lambda p: _mse(_forward(p, X, "tanh"), Y))(params)
    assert _max_rel_diff(net, grads) > 1e-6
