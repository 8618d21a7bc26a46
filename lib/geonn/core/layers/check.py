"""``check_layer``: test any layer against the ``Layer`` contract and finite
differences."""

import numpy as np

from ..gradcheck import numerical_grad, rel_error
from .base import Layer

__all__ = ["check_layer"]


def check_layer(layer, x, *, rng=None, tol=1e-6, eps=1e-6):
    """Raise ``AssertionError`` unless ``layer`` keeps the contract of :class:`Layer`.

    With a float64 input ``x`` (batch, ...) it checks that forward keeps the
    batch size and the dtype; ``backward`` returns ∂L/∂x of x's shape; params()
    and grads() pair up by shape and are listed in named_params(); the
    parameter and input gradients match central finite differences (max
    relative error < ``tol``) for L = Σ r ⊙ out with a fixed random r;
    ``backward(r, need_input_grad=False)`` writes the same parameter gradients
    (overwriting, not adding) and returns None or ∂L/∂x; ``zero_grad`` clears;
    a frozen layer lists no parameters but still passes gradients.  Returns the
    errors by name.
    """
    assert isinstance(layer, Layer), f"{type(layer).__name__} is not a geonn Layer"
    rng = rng or np.random.default_rng(0)
    x = np.array(x, dtype=np.float64)
    out = layer.forward(x, train=False)
    assert isinstance(out, np.ndarray), (
        f"{layer!r}.forward returned {type(out).__name__}"
    )
    assert len(out) == len(x), f"{layer!r} changed the batch size {len(x)} → {len(out)}"
    assert out.dtype == np.float64, f"{layer!r} turned float64 input into {out.dtype}"
    r = rng.normal(size=out.shape)
    dx = layer.backward(r)
    assert isinstance(dx, np.ndarray) and dx.shape == x.shape, (
        f"{layer!r}.backward must return ∂L/∂x of shape {x.shape}; got "
        f"{getattr(dx, 'shape', dx)}"
    )
    params, grads, named = layer.params(), layer.grads(), layer.named_params()
    assert len(params) == len(grads), (
        f"{layer!r}: {len(params)} params but {len(grads)} grads"
    )
    ids = {id(p) for p in named.values()}
    for p, g in zip(params, grads):
        assert p.shape == g.shape, (
            f"{layer!r}: a parameter {p.shape} has gradient {g.shape}"
        )
        assert id(p) in ids, (
            f"{layer!r}: params() holds an array missing from named_params()"
        )
    assert layer.n_params == sum(p.size for p in named.values())

    def L():
        return float(np.sum(r * layer.forward(x, train=False)))

    errors = {"x": rel_error(dx, numerical_grad(L, x, eps))}
    analytic = [g.copy() for g in grads]
    for (name, p), g in zip(
        ((n, p) for n, p in named.items() if any(p is q for q in params)), analytic
    ):
        errors[name] = rel_error(g, numerical_grad(L, p, eps))
    bad = {k: v for k, v in errors.items() if not v < tol}
    assert not bad, f"{layer!r}: finite-difference errors above {tol}: {bad}"

    # the first layer's call in fit: the same gradients, written over the last ones
    layer.forward(x, train=False)
    try:
        skipped = layer.backward(r, need_input_grad=False)
    except TypeError as err:
        raise AssertionError(
            f"{layer!r}.backward must take (grad_out, need_input_grad=True): {err}"
        ) from err
    assert skipped is None or (
        np.shape(skipped) == dx.shape
        and np.allclose(skipped, dx, rtol=1e-12, atol=1e-12)
    ), f"{layer!r}.backward(..., need_input_grad=False) must return None or ∂L/∂x"
    for g, a in zip(layer.grads(), analytic):
        np.testing.assert_allclose(
            g,
            a,
            rtol=1e-12,
            atol=1e-12,
            err_msg=f"{layer!r}: backward(need_input_grad="
            "False) must write the same gradients",
        )
    if params:  # zero_grad clears; a frozen layer lists nothing but passes ∂L/∂x
        layer.zero_grad()
        assert all(not g.any() for g in layer.grads()), (
            f"{layer!r}: zero_grad left gradients"
        )
        flags = [
            leaf.trainable for leaf in layer.leaves()
        ]  # a partly frozen net stays so
        layer.freeze()
        try:
            assert layer.params() == [] and layer.grads() == [], (
                f"{layer!r}: a frozen layer must list no parameters"
            )
            layer.forward(x, train=False)
            np.testing.assert_allclose(layer.backward(r), dx, rtol=1e-12, atol=1e-12)
        finally:
            for leaf, flag in zip(layer.leaves(), flags):
                leaf.trainable = flag
    return errors
