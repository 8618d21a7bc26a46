"""2-D test surfaces: gradients and Hessians against finite differences, known
minima, the trajectory returned by ``descend`` and its divergence error."""

import numpy as np
import pytest

from geonn import SGD, Adam, Momentum, TrainingDiverged
from geonn.core.gradcheck import numerical_grad, rel_error
from geonn.studies.surfaces import Bowl, Rosenbrock, descend

SURFACES = [
    Bowl(a=1, b=50, angle=30),
    Bowl(a=2, b=3),
    Rosenbrock(),
    Rosenbrock(a=0.5, b=10),
]
POINTS = [np.array([-1.5, 2.5]), np.array([0.3, -0.7]), np.array([1.2, 1.0])]


@pytest.mark.parametrize("surface", SURFACES, ids=repr)
@pytest.mark.parametrize("point", POINTS, ids=str)
def test_gradient_matches_finite_differences(surface, point):
    theta = point.copy()
    fd = numerical_grad(lambda: surface(theta), theta)
    assert rel_error(surface.grad(point), fd) < 1e-6


@pytest.mark.parametrize("surface", SURFACES, ids=repr)
@pytest.mark.parametrize("point", POINTS, ids=str)
def test_hessian_matches_finite_differences_of_the_gradient(surface, point):
    theta = point.copy()
    fd = np.stack(
        [numerical_grad(lambda: surface.grad(theta)[i], theta) for i in range(2)]
    )
    H = surface.hessian(point)
    assert rel_error(H, fd) < 1e-6 and np.allclose(H, H.T)


@pytest.mark.parametrize("surface", SURFACES, ids=repr)
def test_minimum_has_zero_value_and_gradient(surface):
    assert surface(surface.minimum) == pytest.approx(0.0, abs=1e-15)
    np.testing.assert_allclose(surface.grad(surface.minimum), 0.0, atol=1e-12)


def test_surfaces_evaluate_a_grid_at_once():
    grid = np.stack(
        np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 3, 4)), axis=-1
    )  # (4, 5, 2)
    for surface in SURFACES:
        values, grads = surface(grid), surface.grad(grid)
        assert values.shape == (4, 5) and grads.shape == (4, 5, 2)
        assert values[2, 3] == pytest.approx(surface(grid[2, 3]))
        np.testing.assert_allclose(grads[2, 3], surface.grad(grid[2, 3]))


def test_bowl_curvatures_are_its_hessian_eigenvalues():
    bowl = Bowl(a=1, b=50, angle=30)
    np.testing.assert_allclose(
        np.linalg.eigvalsh(bowl.hessian([0.0, 0.0])), [1.0, 50.0]
    )
    # along the steep axis, rotated by 30°, f = ½ b r²
    axis = np.array([-np.sin(np.radians(30)), np.cos(np.radians(30))])
    assert bowl(2 * axis) == pytest.approx(0.5 * 50 * 4)


def test_descend_by_hand_two_sgd_steps():
    # f = ½(x² + 4y²): grad (x, 4y); η = 0.1 → (1, 1) → (0.9, 0.6) → (0.81, 0.36)
    path = descend(SGD(0.1), Bowl(a=1, b=4), (1.0, 1.0), steps=2)
    np.testing.assert_allclose(path.theta, [[1, 1], [0.9, 0.6], [0.81, 0.36]])
    np.testing.assert_allclose(
        path.loss, [2.5, 0.5 * (0.81 + 4 * 0.36), 0.5 * (0.81**2 + 4 * 0.36**2)]
    )
    theta, loss = path  # a NamedTuple unpacks
    assert theta.shape == (3, 2) and loss.shape == (3,)


def test_descend_applies_learning_rate_decay_per_step():
    # each step is a full-batch epoch: η = 0.1/(1 + 1·ℓ) at step ℓ + 1
    path = descend(SGD(0.1, decay=1.0), Bowl(a=1, b=1), (1.0, 0.0), steps=2)
    np.testing.assert_allclose(path.theta[:, 0], [1.0, 0.9, 0.9 * (1 - 0.05)])


@pytest.mark.parametrize("opt", [SGD(0.002), Momentum(0.01), Adam(0.1)], ids=repr)
def test_every_optimizer_reaches_the_rosenbrock_minimum(opt):
    path = descend(opt, Rosenbrock(), (-1.2, 1.0), steps=3000)
    assert path.loss[-1] < 1e-3 * path.loss[0]


def test_divergence_raises_with_the_stable_learning_rate_in_the_hint():
    with pytest.raises(
        TrainingDiverged,
        match=r"(?s)diverged.*lower the learning rate \(eta is 0.042\).*"
        r"stable only for eta < 2/50 = 0.04",
    ):
        descend(SGD(0.042), Bowl(a=1, b=50, angle=30), (-4.0, 2.0), steps=500)


def test_divergence_to_nan_is_caught_too():
    with np.errstate(all="raise"):  # nothing may leak out as a warning either
        with pytest.raises(TrainingDiverged, match="Rosenbrock"):
            descend(SGD(1.0), Rosenbrock(), (3.0, -3.0), steps=100)


def test_descend_bad_input():
    with pytest.raises(TypeError, match="geonn Optimizer"):
        descend("sgd", Rosenbrock(), (0.0, 0.0), steps=3)
    with pytest.raises(ValueError, match="non-negative integer"):
        descend(SGD(0.1), Rosenbrock(), (0.0, 0.0), steps=-1)
    with pytest.raises(ValueError, match=r"one point"):
        descend(SGD(0.1), Rosenbrock(), np.zeros((3, 2)), steps=3)
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        Rosenbrock()(np.zeros(3))
    with pytest.raises(ValueError, match="positive"):
        Bowl(a=0, b=1)
