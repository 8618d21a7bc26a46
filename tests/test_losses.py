"""Losses: values by hand, gradients against central differences, stability."""

import numpy as np
import pytest

from geonn.core.gradcheck import numerical_grad, rel_error
from geonn.core.losses import MSE, BCEWithLogits, SoftmaxCrossEntropy, get

TOL = 1e-6
rng = np.random.default_rng(7)


def _fd(loss, pred, target):
    pred = pred.copy()
    return numerical_grad(lambda: loss.value(pred, target), pred)


def test_mse_uses_the_half_convention():
    # one sample: L = ½(ŷ − y)², ∂L/∂ŷ = ŷ − y (the lecture's O6 − y = −0.70 − 0.30)
    assert MSE().value(np.array([[-0.7]]), np.array([[0.3]])) == pytest.approx(0.5)
    assert MSE().grad(np.array([[-0.7]]), np.array([[0.3]]))[0, 0] == pytest.approx(
        -1.0
    )
    # batch of 2: average over rows
    assert MSE().value(np.array([[1.0], [3.0]]), np.zeros((2, 1))) == pytest.approx(
        (1 + 9) / 4
    )


@pytest.mark.parametrize(
    "loss,target",
    [
        (MSE(), rng.normal(size=(5, 3))),
        (BCEWithLogits(), rng.integers(0, 2, size=(5, 3)).astype(float)),
        (SoftmaxCrossEntropy(), np.eye(3)[rng.integers(0, 3, size=5)]),
    ],
)
def test_loss_gradients_match_finite_differences(loss, target):
    pred = rng.normal(scale=2.0, size=(5, 3))
    assert rel_error(loss.grad(pred, target), _fd(loss, pred, target)) < TOL


def test_bce_on_logits_matches_the_textbook_formula():
    z = np.array([[-2.0], [0.0], [3.0]])
    y = np.array([[0.0], [1.0], [1.0]])
    p = 1 / (1 + np.exp(-z))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert BCEWithLogits().value(z, y) == pytest.approx(expected, rel=1e-12)


def test_bce_on_logits_is_stable_for_large_logits():
    z = np.array([[-1e3], [-500.0], [500.0], [1e3]])
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = BCEWithLogits().value(z, y)
        grad = BCEWithLogits().grad(z, y)
    # confident and wrong costs |z|; confident and right costs ≈ 0
    assert value == pytest.approx((1e3 + 0 + 0 + 1e3) / 4)
    np.testing.assert_allclose(grad, [[-0.25], [0], [0], [0.25]], atol=1e-200)


def test_softmax_cross_entropy_gradient_is_p_minus_y_and_stable():
    z = np.array([[1000.0, 0.0, -1000.0]])
    y = np.array([[0.0, 1.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert SoftmaxCrossEntropy().value(z, y) == pytest.approx(1000.0)
        np.testing.assert_allclose(
            SoftmaxCrossEntropy().grad(z, y), [[1, -1, 0]], atol=1e-300
        )


def test_shape_mismatch_is_a_clear_error():
    with pytest.raises(
        ValueError, match=r"prediction has shape \(4, 1\) but target has shape \(4,\)"
    ):
        MSE().value(np.zeros((4, 1)), np.zeros(4))


def test_get_by_name():
    assert isinstance(get("mse"), MSE)
    with pytest.raises(ValueError, match="unknown loss 'l3'"):
        get("l3")
