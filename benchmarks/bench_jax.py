"""The benchmark network in JAX, compiled by ``jax.jit``.

The step is the forward pass, ``jax.grad`` of the ½-MSE loss and the Adam update,
compiled by XLA into one function.  The batches are those of the NumPy loop of
``bench_mlp.py`` (same weights, same ``default_rng`` batches, same Adam with ε
outside the root).  Two ways to drive it, two rows of ``bench_mlp.py``:

* "jax jit": Python calls the compiled step once per mini-batch, as most JAX
  training loops do;
* "jax jit, scan": one compiled call per epoch, ``jax.lax.scan`` looping over the
  epoch's full batches inside XLA (a last, shorter batch gets one step call).

:func:`compile_seconds` measures what the first call of the step costs.

JAX is imported on first use, with one CPU thread for XLA (``PJRT_NPROC=1``,
set before the import: it sizes XLA's CPU thread pools; the ``XLA_FLAGS``
settings quoted for older versions have no effect on them) and float64 enabled
for the float64 case.
"""

import functools
import os
import time

import numpy as np


@functools.cache
def _jax():
    os.environ.setdefault("PJRT_NPROC", "1")
    import jax

    jax.config.update("jax_enable_x64", True)  # float32 arrays stay float32
    return jax


def forward(params, X):
    """ReLU after every layer but the last: a = max(0, a W + b), ŷ = a W_L + b_L."""
    a = X
    for W, b in params[:-1]:
        a = _jax().numpy.maximum(a @ W + b, 0)
    W, b = params[-1]
    return a @ W + b


def loss(params, X, y):
    """L = 1/(2n) Σ_i Σ_k (ŷ_ik − y_ik)², geonn's MSE."""
    r = forward(params, X) - y
    return 0.5 * (r * r).sum() / len(X)


@functools.cache
def _step(beta1, beta2):
    """One jitted training step; the learning rate and ε arrive with their bias
    corrections folded in (η_t, ε_t), as in the NumPy loop."""
    jax = _jax()
    tree = jax.tree

    @jax.jit
    def step(params, m, v, X, y, eta_t, eps_t):
        g = jax.grad(loss)(params, X, y)
        m = tree.map(lambda m, g: beta1 * m + (1 - beta1) * g, m, g)
        v = tree.map(lambda v, g: beta2 * v + (1 - beta2) * g * g, v, g)
        params = tree.map(
            lambda p, m, v: p - eta_t * m / (jax.numpy.sqrt(v) + eps_t), params, m, v
        )
        return params, m, v

    return step


def _start(problem):
    jnp = _jax().numpy
    params = [(jnp.asarray(W), jnp.asarray(b)) for W, b in problem.init]
    zeros = _jax().tree.map(jnp.zeros_like, params)
    return params, zeros, zeros


@functools.cache
def _epoch(beta1, beta2):
    """The full batches of one epoch in one compiled call: lax.scan over their row
    indices and their (η_t, ε_t)."""
    jax = _jax()
    step = _step(beta1, beta2)

    @jax.jit
    def epoch(params, m, v, X, y, idx, eta_t, eps_t):
        def body(state, batch):
            rows, eta, eps = batch
            return step(*state, X[rows], y[rows], eta, eps), None

        return jax.lax.scan(body, (params, m, v), (idx, eta_t, eps_t))[0]

    return epoch


def train(problem, eta, beta1, beta2, eps, seed, scan=False):
    """Train from ``problem.init`` on the batches of ``default_rng(seed)``; return the
    test predictions as a NumPy array.  ``scan=True``: one compiled call per epoch."""
    step, epoch = _step(beta1, beta2), _epoch(beta1, beta2)
    params, m, v = _start(problem)
    X, y, batch = problem.X, problem.y, problem.batch_size
    n, full = len(X), len(X) // batch
    if scan:
        X, y = _jax().device_put(X), _jax().device_put(y)  # once, not every epoch
    rng, t = np.random.default_rng(seed), 0
    for _ in range(problem.epochs):
        order = rng.permutation(n)
        steps = t + np.arange(1, -(-n // batch) + 1)
        # Adam's bias corrections folded into η and ε, per step, in the data's dtype
        root = np.sqrt(1 - beta2**steps)
        eta_t = (eta * root / (1 - beta1**steps)).astype(problem.dtype)
        eps_t = (eps * root).astype(problem.dtype)
        t = int(steps[-1])
        if scan:
            rows = order[: full * batch].reshape(full, batch)
            params, m, v = epoch(params, m, v, X, y, rows, eta_t[:full], eps_t[:full])
            first = full
        else:
            first = 0
        for k in range(first, len(steps)):
            idx = order[k * batch : (k + 1) * batch]
            params, m, v = step(params, m, v, X[idx], y[idx], eta_t[k], eps_t[k])
    return np.asarray(forward(params, problem.X_test))


def compile_seconds(problem, beta1=0.9, beta2=0.999, clock=time.process_time):
    """CPU seconds to trace and compile one step for this problem's batch shape (what
    the first call of a jitted function pays; later calls reuse the result)."""
    step = _step.__wrapped__(beta1, beta2)  # a new jitted function: no cache
    params, m, v = _start(problem)
    batch = problem.X[: problem.batch_size], problem.y[: problem.batch_size]
    scalars = problem.dtype.type(1e-3), problem.dtype.type(1e-8)
    t0 = clock()
    step.lower(params, m, v, *batch, *scalars).compile()
    return clock() - t0
