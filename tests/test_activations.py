"""Every activation: forward values, derivative against central differences,
and the lecture's output-form derivatives."""

import numpy as np
import pytest

from geonn.core import activations
from geonn.core.gradcheck import numerical_grad, rel_error

TOL = 1e-6
# points away from the kink at 0 of step / ReLU / leaky ReLU
Z = np.array([[-3.1, -0.7, -0.05, 0.05, 0.4, 2.9]])


def _fd_elementwise(act, z):
    """Element-wise derivative by central differences (each z_i perturbed alone)."""
    z = z.copy()
    return numerical_grad(lambda: float(np.sum(act.forward(z))), z)


@pytest.mark.parametrize("name", [n for n in activations.NAMES if n != "softmax"])
def test_elementwise_derivative_matches_finite_differences(name):
    act = activations.get(name)
    assert rel_error(act.grad(Z), _fd_elementwise(act, Z)) < TOL


@pytest.mark.parametrize("name", [n for n in activations.NAMES if n != "softmax"])
def test_vjp_is_grad_times_upstream(name):
    act = activations.get(name)
    g = np.linspace(-1, 1, Z.size).reshape(Z.shape)
    np.testing.assert_allclose(act.vjp(Z, act.forward(Z), g), g * act.grad(Z))


@pytest.mark.parametrize(
    "name", ["identity", "step", "sigmoid", "tanh", "relu", "leaky_relu"]
)
def test_output_form_derivative_equals_input_form(name):
    act = activations.get(name)
    np.testing.assert_allclose(
        act.grad_from_output(act.forward(Z)), act.grad(Z), atol=1e-15
    )


def test_softmax_jacobian_and_vjp_match_finite_differences():
    sm = activations.Softmax()
    z = np.array([[0.3, -1.2, 2.0, 0.1], [5.0, 5.0, -5.0, 0.0]])
    J = sm.grad(z)
    for r in range(len(z)):
        for k in range(z.shape[1]):
            zr = z[r : r + 1].copy()
            fd = numerical_grad(lambda: float(sm.forward(zr)[0, k]), zr)
            assert rel_error(J[r, k], fd[0]) < TOL
    g = np.array([[1.0, -2.0, 0.5, 0.0], [0.1, 0.2, 0.3, 0.4]])
    np.testing.assert_allclose(
        sm.vjp(z, sm.forward(z), g), np.einsum("rk,rkj->rj", g, J)
    )


def test_softmax_rows_are_probabilities_and_stable():
    a = activations.Softmax().forward(
        np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    )
    assert np.all(a >= 0) and np.allclose(a.sum(axis=1), 1)
    np.testing.assert_allclose(a[0], [1, 0, 0])


def test_hand_values():
    z = np.array([0.0, 1.0, -2.0])
    np.testing.assert_allclose(activations.Sigmoid().forward(z), 1 / (1 + np.exp(-z)))
    assert activations.Sigmoid().grad(np.array([0.0]))[0] == 0.25
    assert activations.Tanh().grad(np.array([0.0]))[0] == 1.0
    # ReLU' is 1 (not z) for z > 0: the lecture's slide erratum
    np.testing.assert_array_equal(
        activations.ReLU().grad(np.array([-1.0, 0.0, 3.0])), [0, 0, 1]
    )
    np.testing.assert_array_equal(
        activations.LeakyReLU(0.1).forward(np.array([-2.0, 2.0])), [-0.2, 2]
    )
    np.testing.assert_array_equal(
        activations.Step().forward(np.array([-1.0, 0.0, 1.0])), [0, 0, 1]
    )


def test_sigmoid_is_warning_free_for_huge_inputs():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = activations.Sigmoid().forward(np.array([-1e4, -800.0, 0.0, 800.0, 1e4]))
    np.testing.assert_allclose(a, [0, 0, 0.5, 1, 1])


def test_unknown_activation_name_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown activation 'relux'.*relu"):
        activations.get("relux")
    with pytest.raises(TypeError, match="activation must be a name"):
        activations.get(3)


def test_softmax_has_no_output_form_derivative():
    with pytest.raises(NotImplementedError, match="use grad"):
        activations.Softmax().grad_from_output(np.ones((1, 2)))


def test_sigmoid_derivative_is_exact_in_the_tails():
    # σ(40) rounds to 1, so a(1 − a) would give 0; the true slope is ≈ e^{−40}
    assert activations.Sigmoid().grad(np.array([40.0]))[0] == pytest.approx(
        np.exp(-40), rel=1e-12
    )
