"""A submission's answers, in the grader's process, as the kinds its master declares.

The sandbox sends each declared answer as a node (harness.answer): ``{"value": data}``,
``{"function": name}``, ``{"network": layers}`` or ``{"missing": reason}``.  Here each
is converted to its kind or refused with a reason: plain Python and NumPy types only
(the wire format cannot carry anything else), numbers through ``float`` or
``np.asarray(..., dtype=float)``, no strings for numbers, no bools for ints.  A
``function`` becomes a :class:`RemoteFunction`, which calls the student's function in
the sandbox and returns its result as data; a ``network`` becomes a geonn Sequential
built here from the weights.
"""

import numpy as np

BUILTIN_ERRORS = {
    e.__name__: e
    for e in (
        ArithmeticError,
        AssertionError,
        AttributeError,
        FloatingPointError,
        IndexError,
        KeyError,
        NameError,
        NotImplementedError,
        OverflowError,
        RecursionError,
        RuntimeError,
        TypeError,
        ValueError,
        ZeroDivisionError,
    )
}


class Refused(ValueError):
    """An answer that is missing or not of its declared kind."""


class SubmissionError(Exception):
    """An exception raised by the student's function, or its sandbox ending."""


def _number(name, value, kind):
    if isinstance(value, (str, bytes, np.str_)) or type(value) in (list, tuple, dict):
        raise Refused(
            f"{name} should be a number ({kind}); got a {type(value).__name__}"
        )
    a = np.asarray(value)
    if a.shape != ():
        raise Refused(
            f"{name} should be one number ({kind}); got an array of shape {a.shape}"
        )
    if kind == "int":
        if a.dtype.kind not in "iu":
            raise Refused(f"{name} should be an integer; got {a.dtype} {a.item()!r}")
        return int(a)
    if kind == "bool":
        if a.dtype.kind != "b":
            raise Refused(f"{name} should be True or False; got {a.item()!r}")
        return bool(a)
    if a.dtype.kind not in "biuf":
        raise Refused(f"{name} should be a real number; got {a.dtype}")
    return float(a)


def convert(name, kind, node, call=None):
    """The answer ``name`` as ``kind``, from the sandbox's ``node``; raises Refused."""
    if type(node) is not dict or len(node) != 1:
        raise Refused(f"{name}: the sandbox sent no answer")
    ((tag, value),) = node.items()
    if tag == "missing":
        raise Refused(str(value)[:200])
    if kind == "function":
        if tag != "function":
            raise Refused(f"{name} should be a function")
        return RemoteFunction(name, call)
    if kind == "network":
        if tag != "network":
            raise Refused(f"{name} should be a geonn Sequential")
        return network(name, value)
    if tag != "value":
        raise Refused(f"{name} should be data ({kind})")
    if kind in ("int", "float", "bool"):
        return _number(name, value, kind)
    if kind == "str":
        if type(value) is not str and not isinstance(value, np.str_):
            raise Refused(f"{name} should be a string; got a {type(value).__name__}")
        return str(value)
    try:  # "array": lists, tuples and arrays of real numbers
        a = np.asarray(value)
        a = a.astype(float) if a.dtype.kind in "biuf" else None
    except (ValueError, TypeError):
        a = None
    if a is None:
        raise Refused(f"{name} should be an array of real numbers")
    return a


def network(name, layers):
    """A geonn Sequential from the layers the sandbox read (Dense, Activation,
    Dropout)."""
    from geonn import Activation, Dense, Dropout, Sequential

    built = []
    try:
        for layer in layers:
            kind = layer["layer"]
            if kind == "Dense":
                W, b = (np.asarray(layer[k], dtype=float) for k in ("W", "b"))
                if W.ndim != 2:
                    raise ValueError(f"W of shape {W.shape}")
                built.append(Dense(*W.shape, W=W, b=b))
            elif kind == "Activation":
                built.append(Activation(str(layer["name"])))
            elif kind == "Dropout":
                built.append(Dropout(float(layer["p"]), rng=np.random.default_rng(0)))
            else:
                raise ValueError(f"a {kind} layer")
    except (KeyError, TypeError, ValueError) as e:
        raise Refused(f"{name} is not a network the grader can read: {e}") from None
    return Sequential(built)


class RemoteFunction:
    """The student's function ``name``, called in the sandbox through ``call``."""

    def __init__(self, name, call):
        self.__name__ = self.name = name
        self._call = call

    def __repr__(self):
        return f"<the submission's {self.name}>"

    def __call__(self, *args, **kwargs):
        reply = self._call(self.name, args, kwargs)
        if type(reply) is not dict:
            raise SubmissionError(f"{self.name}: the sandbox sent no result")
        if "raised" in reply:
            error = BUILTIN_ERRORS.get(str(reply["raised"]), SubmissionError)
            message = reply.get("message", "")
            raise error(f"{self.name} raised {reply['raised']}: {message}")
        # arrays the student's function changed in place change here too
        for i, new in dict(reply.get("changed") or {}).items():
            if str(i).isdigit() and int(i) < len(args):
                old = args[int(i)]
                if (
                    type(old) is np.ndarray
                    and type(new) is np.ndarray
                    and new.shape == old.shape
                    and old.flags.writeable
                ):
                    np.copyto(old, new, casting="unsafe")
        return reply.get("value")
