"""The fuzz shared by tests/test_fuzz_*.py: a battery of bad values for each argument
of a valid call, and the check that a call either raises a clear error (TypeError or
ValueError, RuntimeError, FloatingPointError, naming the argument) or returns a
finite result (lib/geonn/README.md, "Errors and NaN")."""

import copy
import inspect
import re
import types
import warnings

import numpy as np
import pytest

BAD = {
    "None": None,
    "str": "abc",
    "bool": True,
    "neg": -1,
    "zero": 0,
    "huge": 1e300,
    "nan": float("nan"),
    "emptylist": [],
    "complex": np.ones((2, 3), complex),
}


def variants(v):
    """The battery for an argument whose valid value is ``v``: BAD, and for a float
    array NaN or inf inside, no rows, an extra axis, complex, ×1e200, all zeros."""
    out = dict(BAD)
    if isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.size:
        nan, inf = v.copy(), v.copy()
        nan.flat[0], inf.flat[-1] = np.nan, np.inf
        out.update(
            nan_in=nan,
            inf_in=inf,
            empty=v[:0],
            extra_axis=v[None],
            complex_values=v.astype(complex),
            scaled=v * 1e200,
            zeros=np.zeros_like(v),
        )
    return out


def calls(cases):
    """pytest parameters (name, arg, bad): every argument of every case, every bad
    value of its battery."""
    return [
        pytest.param(name, arg, bad, id=f"{name}({arg}={bad})")
        for name, (_, kwargs) in cases.items()
        for arg, value in kwargs.items()
        for bad in variants(value)
    ]


def names_argument(name, arg, message, layers=r"Dense|Conv1D|Reshape"):
    """Does ``message`` name ``arg``? A layer's input error names the input (or the
    logits of a loss); a network's, the first layer (one of ``layers``)."""
    if name.endswith((".forward", ".backward", ".value", ".grad")):
        # a layer's input, its grad_out, a loss's logits, prediction or target
        words = ("input", "logits", "grad_out", "prediction", "target")
        return any(w in message for w in words)
    if arg in ("X", "x", "net", "nets") and re.search(layers, message):
        return True  # the network's first layer names the input it expects
    return re.search(rf"\b{re.escape(arg)}\b", message, re.IGNORECASE) is not None


def check(
    cases,
    name,
    arg,
    bad,
    *,
    propagates=(),
    warns=(),
    named_otherwise=None,
    layers=r"Dense|Conv1D|Reshape",
):
    """Call case ``name`` with ``arg`` replaced by the bad value ``bad``: it must
    raise a clear error or return a finite result (except the keys in
    ``propagates``: NaN out as documented; ``warns``: NumPy's own warning;
    ``named_otherwise``: key → the words the error says instead of the argument)."""
    fn, kwargs = cases[name]
    call = {
        k: v if isinstance(v, types.FunctionType) else copy.deepcopy(v)
        for k, v in kwargs.items()
    }
    call[arg] = variants(kwargs[arg])[bad]
    key, named_otherwise = (name, arg, bad), named_otherwise or {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            out = fn(**call)
        except RuntimeWarning as warning:
            assert key in warns, f"{name}({arg}={bad}): NumPy warned: {warning}"
            return
        except (TypeError, ValueError, RuntimeError, FloatingPointError) as err:
            message = str(err)
            if key in named_otherwise:
                assert named_otherwise[key] in message, message
            else:
                assert names_argument(name, arg, message, layers), (
                    f"{name}({arg}={bad}): {type(err).__name__}: {message}"
                )
            return
    arrays = out if isinstance(out, tuple) else (out,)
    finite = all(
        np.all(np.isfinite(a))
        for a in arrays
        if isinstance(a, (float, np.ndarray)) and np.asarray(a).dtype.kind == "f"
    )
    assert finite or key in propagates, f"{name}({arg}={bad}) returned NaN or inf"


def public(module):
    """The public functions and classes of ``module`` (its ``__all__``)."""
    for n in module.__all__:
        obj = getattr(module, n)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            yield n


def missing(cases, modules, extra=(), not_fuzzed=()):
    """Public names of ``modules`` (and ``extra``) without a case, and the names of
    ``not_fuzzed`` that are not public (stale)."""
    fuzzed = {name.split(".")[0] for name in cases}
    names = {n for m in modules for n in public(m)} | set(extra)
    return sorted(names - fuzzed - set(not_fuzzed)), sorted(set(not_fuzzed) - names)
