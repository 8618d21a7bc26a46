"""Two-parameter test surfaces, and gradient descent on them with any geonn optimizer.

A surface ``f`` maps θ = (θ₁, θ₂) to a loss.  ``f(theta)`` accepts arrays of
shape (..., 2), so the same call evaluates one point or a whole contour grid;
``f.grad(theta)`` returns ∂f/∂θ with the shape of ``theta`` and
``f.hessian(theta)`` the 2 × 2 matrix of second derivatives at one point.

    >>> import numpy as np
    >>> from geonn import SGD
    >>> path = descend(SGD(0.05), Bowl(a=1, b=10), start=(-4.0, 2.0), steps=100)
    >>> path.theta.shape, bool(path.loss[-1] < 1e-3)
    ((101, 2), True)
"""

from typing import NamedTuple

import numpy as np

from geonn.core.optim import Optimizer
from geonn.core.train import TrainingDiverged

__all__ = ["Bowl", "Rosenbrock", "Trajectory", "descend"]

EXPLODE = 1e6  # a loss this many times its starting value (or 1) counts as divergence


def _point(theta):
    theta = np.asarray(theta, dtype=float)
    if theta.shape[-1:] != (2,):
        raise ValueError(
            f"theta must have shape (..., 2), one (θ₁, θ₂) pair per point; "
            f"got shape {theta.shape}"
        )
    return theta


class Bowl:
    """Quadratic bowl  f(θ) = ½ θᵀ A θ,  A = R diag(a, b) Rᵀ,  minimum 0 at θ = 0.

    R rotates by ``angle`` degrees.  The curvatures along the two principal
    axes are a and b, so the condition number is κ = b/a; gradient descent is
    stable for η < 2/max(a, b).  Gradient: A θ; Hessian: A.
    """

    def __init__(self, a=1.0, b=10.0, angle=0.0):
        if not (a > 0 and b > 0):
            raise ValueError(
                f"the curvatures a and b must be positive; got a={a}, b={b}"
            )
        c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
        R = np.array([[c, -s], [s, c]])
        self.a, self.b, self.angle = float(a), float(b), float(angle)
        self.A = R @ np.diag([a, b]) @ R.T
        self.minimum = np.zeros(2)

    def __call__(self, theta):
        theta = _point(theta)
        return 0.5 * np.einsum("...i,ij,...j->...", theta, self.A, theta)

    def grad(self, theta):
        return _point(theta) @ self.A  # A is symmetric

    def hessian(self, theta):
        _point(theta)
        return self.A.copy()

    def __repr__(self):
        return f"Bowl(a={self.a:g}, b={self.b:g}, angle={self.angle:g})"


class Rosenbrock:
    """Rosenbrock's banana valley  f(θ) = (a − θ₁)² + b (θ₂ − θ₁²)²,  minimum 0 at
    (a, a²).

    ∂f/∂θ₁ = −2(a − θ₁) − 4b θ₁ (θ₂ − θ₁²)        ∂f/∂θ₂ = 2b (θ₂ − θ₁²)
    H = [[2 − 4b(θ₂ − θ₁²) + 8b θ₁²,  −4b θ₁], [−4b θ₁,  2b]]
    """

    def __init__(self, a=1.0, b=100.0):
        self.a, self.b = float(a), float(b)
        self.minimum = np.array([a, a * a], dtype=float)

    def __call__(self, theta):
        x, y = np.moveaxis(_point(theta), -1, 0)
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def grad(self, theta):
        x, y = np.moveaxis(_point(theta), -1, 0)
        r = y - x * x
        return np.stack(
            [-2 * (self.a - x) - 4 * self.b * x * r, 2 * self.b * r], axis=-1
        )

    def hessian(self, theta):
        x, y = _point(theta)
        b = self.b
        return np.array(
            [[2 - 4 * b * (y - x * x) + 8 * b * x * x, -4 * b * x], [-4 * b * x, 2 * b]]
        )

    def __repr__(self):
        return f"Rosenbrock(a={self.a:g}, b={self.b:g})"


class Trajectory(NamedTuple):
    """The iterates ``theta`` (steps + 1, 2), starting point first, and ``loss``
    (steps + 1,)."""

    theta: np.ndarray
    loss: np.ndarray


def descend(opt, surface, start, steps):
    """Run ``steps`` updates of ``opt`` on ``surface`` from ``start``.

    The surface is the whole "data set", so each step is one full-batch epoch:
    ``opt.set_epoch(k)`` is called before step k + 1, and learning-rate decay
    applies per step.

    Raises
    ------
    TrainingDiverged, with a hint, if θ or f(θ) stops being finite, or f(θ)
    exceeds ``EXPLODE`` times max(f(start), 1).
    """
    if not isinstance(opt, Optimizer):
        raise TypeError(
            f"opt must be a geonn Optimizer such as SGD(0.1); got {type(opt).__name__}"
        )
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer; got {steps!r}")
    theta = _point(start).astype(float).copy()
    if theta.shape != (2,):
        raise ValueError(f"start must be one point (θ₁, θ₂); got shape {theta.shape}")
    path, loss = np.empty((steps + 1, 2)), np.empty(steps + 1)
    path[0], loss[0] = theta, surface(theta)
    limit = EXPLODE * max(abs(loss[0]), 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            opt.set_epoch(k - 1)
            opt.step([theta], [surface.grad(theta)])
            path[k], loss[k] = theta, surface(theta)
            if not (
                np.all(np.isfinite(theta)) and np.isfinite(loss[k]) and loss[k] <= limit
            ):
                _diverged(opt, surface, path[0], k, loss[k], loss[0])
    return Trajectory(path, loss)


def _diverged(opt, surface, start, k, value, value0):
    curvature = np.linalg.eigvalsh(surface.hessian(start)).max()
    # line breaks, so that the message stays readable in a notebook's error box
    hint = (
        f"Hint: lower the learning rate (eta is {opt.eta:g}). The largest curvature at "
        f"the\nstart is {curvature:.4g}, and plain gradient descent there is stable "
        f"only for eta < 2/{curvature:.4g} = {2 / curvature:.4g}"
    )
    raise TrainingDiverged(
        f"the loss grew from {value0:.4g} to {value:.4g} in {k} steps of {opt!r}\n"
        f"on {surface!r}: gradient descent diverged.\n{hint}"
    )
