"""Central finite differences, to check analytic gradients.

    ∂f/∂θ_i ≈ [f(θ + ε e_i) − f(θ − ε e_i)] / (2ε)      (error O(ε²))

The error of a gradient array g against its numerical estimate n is

    rel_error(g, n) = max_i |g_i − n_i| / max(max_i |g_i|, max_i |n_i|)

i.e. the worst element, relative to the array's scale.  An element-wise ratio
would blow up where the true gradient is ≈ 0 and only round-off is left.
"""

import numpy as np

__all__ = ["numerical_grad", "rel_error", "gradcheck"]


def rel_error(analytic, numeric):
    """Scale-relative max error between two gradient arrays (0 if both are 0)."""
    a, n = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    if a.shape != n.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {n.shape}")
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(n), initial=0.0))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - n)) / scale)


def numerical_grad(f, x, eps=1e-6):
    """∂f/∂x by central differences; ``x`` is perturbed in place and restored.

    ``f()`` takes no arguments and returns a scalar computed from ``x``, which
    must be a floating-point array (an integer array cannot hold x ± ε).
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError(
            "numerical_grad perturbs x in place, so x must be a floating-point "
            f"array; got {getattr(x, 'dtype', type(x).__name__)}"
        )
    g = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        g[i] = (f_plus - f_minus) / (2 * eps)
    return g


def gradcheck(net, loss, X, y, eps=1e-6, wrt_input=True, return_all=False):
    """Compare backprop with finite differences for every parameter of ``net``.

    Parameters
    ----------
    net : Sequential or Layer; should be float64 for a tight check
    loss : Loss, e.g. ``MSE()``
    X, y : a small batch, (n, n_in) and (n, n_out)
    wrt_input : also check ∂L/∂X, the gradient ``backward`` returns; without it,
        backward runs with ``need_input_grad=False``, as in ``fit``
    return_all : return ``{name: error}`` instead of the maximum

    Returns
    -------
    The maximum relative error (float), or the dict of errors per array.
    """
    X = np.array(X, dtype=float)
    y = np.asarray(y, dtype=float)

    def L():
        return loss.value(net.forward(X, train=False), y)

    out = net.forward(X, train=False)
    dX = net.backward(loss.grad(out, y), need_input_grad=wrt_input)
    named = net.named_params() if hasattr(net, "named_params") else {}
    # backward only fills gradients of trainable layers; map arrays to grads
    analytic = {id(p): g for p, g in zip(net.params(), net.grads())}
    errors = {}
    for name, p in named.items():
        if id(p) in analytic:
            errors[name] = rel_error(analytic[id(p)].copy(), numerical_grad(L, p, eps))
    if wrt_input:
        errors["X"] = rel_error(dX, numerical_grad(L, X, eps))
    if return_all:
        return errors
    return max(errors.values()) if errors else 0.0
