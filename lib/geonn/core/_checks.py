"""Private argument checks shared by the library, so every message reads alike.

Each returns the cleaned value or raises a ``TypeError`` (wrong kind) or
``ValueError`` (right kind, bad value) that names the argument and what it
expected.
"""

import numpy as np

_REAL = (int, float, np.integer, np.floating)


def number(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """A finite real number (not a bool, not a string) in an optional range."""
    if isinstance(value, bool) or not isinstance(value, _REAL):
        raise TypeError(
            f"{name} must be a number; got {type(value).__name__} {value!r}"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(
            f"{name} must be {'>' if low_open else '≥'} {low:g}; got {value:g}"
        )
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(
            f"{name} must be {'<' if high_open else '≤'} {high:g}; got {value:g}"
        )
    return value


def positive(name, value):
    """A finite number > 0 (learning rates, ε)."""
    if isinstance(value, bool) or not isinstance(value, _REAL):
        raise TypeError(
            f"{name} must be a number; got {type(value).__name__} {value!r}"
        )
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be positive and finite; got {value}")
    return float(value)


def integer(name, value, *, low=1):
    """An integer ≥ ``low`` (sizes, epochs, kernel widths); bools are refused."""
    what = {0: "a non-negative integer", 1: "a positive integer"}.get(
        low, f"an integer ≥ {low}"
    )
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be {what}; got {type(value).__name__} {value!r}")
    if value < low:
        raise ValueError(f"{name} must be {what}; got {value}")
    return int(value)


def rng(value, who):
    """A ``np.random.Generator``; ``who`` says what needs it."""
    if not isinstance(value, np.random.Generator):
        raise TypeError(
            f"{who} needs rng=np.random.default_rng(seed); got {type(value).__name__}"
        )
    return value


def float_dtype(name, dtype):
    """A floating-point dtype (an integer dtype would truncate the weights to zero)."""
    try:
        dtype = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(
            f"{name} must be a floating-point dtype such as np.float32; got {dtype!r}"
        ) from err
    if dtype.kind != "f":
        raise TypeError(
            f"{name} must be a floating-point dtype such as np.float32; got {dtype}"
        )
    return dtype


def array(name, value, *, ndim=None, min_ndim=None, dtype=None):
    """A numeric array (floats kept, integers and bools → float64), with a checked
    rank."""
    try:
        a = np.asarray(value) if dtype is None else np.asarray(value, dtype=dtype)
    except ValueError as err:  # ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular numeric array (rows of equal length): {err}"
        ) from err
    if a.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be numeric; got dtype {a.dtype}")
    if a.dtype.kind != "f":
        a = a.astype(np.float64)
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D; got shape {a.shape}")
    if min_ndim is not None and a.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} dimensions (batch, ...); "
            f"got shape {a.shape}"
        )
    return a


def traces(name, x, *, min_length=1, max_ndim=None):
    """Finite seismic traces (..., nt), time on the last axis, at least ``min_length``
    samples."""
    x = finite(name, array(name, x, min_ndim=1))
    if max_ndim is not None and x.ndim > max_ndim:
        raise ValueError(
            f"{name} must be 1-D (nt,) or 2-D (n_traces, nt); got shape {x.shape}"
        )
    if x.shape[-1] < min_length:
        raise ValueError(
            f"{name} needs at least {min_length} samples on its last (time) axis; "
            f"got shape {x.shape}"
        )
    return x


def rows(name, a, low=1):
    """``a`` (an array) with at least ``low`` samples along its first axis."""
    if a.ndim == 0 or len(a) < low:
        raise ValueError(
            f"{name} must hold at least {low} sample(s) along its first axis; "
            f"got shape {a.shape}"
        )
    return a


def sizes(name, value, *, min_len=0):
    """A tuple of positive integers (layer widths, channel counts).

    A bare integer is refused rather than guessed at (one layer of that size? every
    layer?): the message shows the one-element tuple to write instead.
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        raise TypeError(
            f"{name} must be a tuple of sizes, e.g. ({value},) for one; got the "
            f"integer {value}"
        )
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise TypeError(
            f"{name} must be a tuple of positive integers; got "
            f"{type(value).__name__} {value!r}"
        )
    value = tuple(value)
    if len(value) < min_len:
        raise ValueError(f"{name} must list at least {min_len} size(s); got {value!r}")
    return tuple(integer(f"{name}[{i}]", v) for i, v in enumerate(value))


def bool_mask(name, value, shape, meaning, *, broadcast=False):
    """A boolean array of ``shape`` (or, with ``broadcast``, one that broadcasts to it,
    returned broadcast); ``meaning`` says what True means."""
    mask = np.asarray(value)
    if mask.dtype != bool:
        raise TypeError(
            f"{name} must be a boolean array of shape {shape} ({meaning}); got "
            f"dtype {mask.dtype}"
        )
    if broadcast:
        try:
            return np.broadcast_to(mask, shape)
        except ValueError as err:
            raise ValueError(
                f"{name} of shape {mask.shape} does not broadcast to the shape "
                f"{shape} ({meaning})"
            ) from err
    if mask.shape != tuple(shape):
        raise ValueError(
            f"{name} must be a boolean array of shape {shape} ({meaning}); got "
            f"shape {mask.shape}"
        )
    return mask


def grad_out(layer, grad, shape, who=None):
    """∂L/∂out passed to ``layer.backward``: a numeric array of ``shape``, the shape of
    the layer's last output (None: forward has not run, so there is nothing to
    differentiate).  ``who`` names the layer (default its repr; a container's repr
    spans lines)."""
    if shape is None:
        raise RuntimeError(f"{type(layer).__name__}.backward called before forward")
    who = repr(layer) if who is None else who
    if not isinstance(grad, np.ndarray) or grad.dtype.kind != "f":
        grad = array(f"grad_out of {who}", grad)
    if grad.shape != tuple(shape):
        raise ValueError(
            f"grad_out of {who} must have the shape of its last output, "
            f"{tuple(shape)}; got {grad.shape}"
        )
    return grad


def unit_scale(*arrays):
    """Not a check but a guard, for functions whose result does not depend on the
    scale of the data (ratios, picks, nearest neighbours) or scales with it.

    (arrays, e): the arrays times 2⁻ᵉ, with e chosen so that their largest |value|
    is about 1, when it lies beyond 2^±100 (e = 0 otherwise: data of ordinary scale are
    left as they are).  A power of two only shifts exponents, so sums, products and
    comparisons are exact multiples of the data's: ‖x‖² no longer overflows at 1e200
    or underflows at 1e-200; a distance d of the scaled arrays is d · 2ᵉ."""
    top = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
    if top == 0 or 2.0**-100 < top < 2.0**100:
        return arrays, 0
    e = int(np.frexp(top)[1])
    return tuple(np.ldexp(a, -e) for a in arrays), e


def finite(name, a):
    """Raise if ``a`` holds NaN or inf, naming the first bad position."""
    bad = ~np.isfinite(a)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} NaN or inf value(s), the first at "
            f"index {where}"
        )
    return a


def pair(name, value):
    """A positive integer or a pair of them (2-D kernel sizes, strides, factors) as a
    tuple (rows, columns); bools are refused."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                f"{name} must be a positive integer or a pair of them; got {value!r}"
            )
        return tuple(integer(name, v) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{name} must be a positive integer or a pair of them; "
            f"got {type(value).__name__} {value!r}"
        )
    v = integer(name, value)
    return v, v
