"""Messages between the grader and a sandboxed submission.

A message is a frame: one type byte, a 4-byte big-endian length, then the body.

- ``D`` (data, sandbox → grader): a JSON tree, then the raw bytes of its arrays.  Only
  None, bool, int, float, str, lists, tuples, dicts with str keys, NumPy arrays and
  NumPy scalars of numeric, bool or str dtype survive the trip; the decoder builds plain
  ``np.ndarray`` objects from (dtype, shape, bytes) and checks every size, so nothing
  the sandbox sends can run code or carry a subclass into the grader.
- ``P`` (pickle, grader → sandbox only): the grader's own objects (a job, the arguments
  of a call).  The sandbox unpickles what the grader sends; the grader never unpickles.

This file is copied into the sandbox, so it imports nothing but NumPy and the standard
library.
"""

import json
import math
import pickle
import struct

import numpy as np

MAX_FRAME = 256 * 2**20  # bytes; a submission's answers are far smaller
MAX_DEPTH = 32  # nesting of lists, tuples and dicts
DTYPE_KINDS = "biufU"  # bool, signed and unsigned ints, floats, str
HEADER = struct.Struct(">cI")


class NotData(TypeError):
    """A value that cannot leave the sandbox as data (an object, a subclass, ...)."""


def _is_plain_scalar(value):
    return isinstance(value, np.generic) and type(value) is np.dtype(type(value)).type


def encode(value):
    """``value`` as the body of a D frame; raises NotData for what is not data."""
    arrays = []

    def array_node(a, tag):
        if a.dtype.kind not in DTYPE_KINDS:
            raise NotData(f"an array of dtype {a.dtype} is not data")
        a = a if a.flags.c_contiguous else a.copy(order="C")  # keeps 0-d arrays 0-d
        arrays.append(a)
        return {tag: [a.dtype.str, list(a.shape), a.nbytes]}

    def walk(v, depth):
        if depth > MAX_DEPTH:
            raise NotData(f"nested more than {MAX_DEPTH} levels deep")
        t = type(v)
        if v is None or t in (bool, str):
            return v
        if t is int:
            return {"int": str(v)}
        if t is float:
            return v if math.isfinite(v) else {"float": repr(v)}
        if t is np.ndarray:
            return array_node(v, "array")
        if _is_plain_scalar(v):
            return array_node(np.asarray(v), "scalar")
        if t in (list, tuple):
            return {t.__name__: [walk(x, depth + 1) for x in v]}
        if t is dict:
            if not all(type(k) is str for k in v):
                raise NotData("a dict with keys that are not strings is not data")
            return {"dict": [[k, walk(x, depth + 1)] for k, x in v.items()]}
        raise NotData(f"a {t.__module__}.{t.__qualname__} is not data")

    tree = json.dumps(walk(value, 0)).encode()
    return struct.pack(">I", len(tree)) + tree + b"".join(a.tobytes() for a in arrays)


def decode(body):
    """The value of a D frame's body; raises ValueError for anything malformed."""
    if len(body) < 4:
        raise ValueError("a data message shorter than its header")
    (n,) = struct.unpack(">I", body[:4])
    tree = json.loads(body[4 : 4 + n].decode())
    payload, offset = memoryview(body)[4 + n :], 0

    def array(spec):
        nonlocal offset
        dtype_str, shape, nbytes = spec
        dtype = np.dtype(str(dtype_str))
        if dtype.kind not in DTYPE_KINDS or dtype.fields is not None or dtype.subdtype:
            raise ValueError(f"dtype {dtype} is not allowed")
        shape = tuple(int(s) for s in shape)
        if any(s < 0 for s in shape) or math.prod(shape) * dtype.itemsize != nbytes:
            raise ValueError("an array whose size does not match its shape")
        if offset + nbytes > len(payload):
            raise ValueError("an array longer than the message")
        a = np.frombuffer(payload[offset : offset + nbytes], dtype=dtype)
        a = a.reshape(shape).copy()
        offset += nbytes
        return a

    def walk(node, depth):
        if depth > MAX_DEPTH:
            raise ValueError("nested too deeply")
        if node is None or type(node) in (bool, str, float):
            return node
        if type(node) is not dict or len(node) != 1:
            raise ValueError(f"unexpected node {str(node)[:80]}")
        ((tag, inner),) = node.items()
        if tag == "int" and type(inner) is str and len(inner) <= 4300:
            return int(inner)
        if tag == "float":
            return float({"nan": "nan", "inf": "inf", "-inf": "-inf"}[inner])
        if tag == "array":
            return array(inner)
        if tag == "scalar":
            return array(inner)[()]
        if tag in ("list", "tuple") and type(inner) is list:
            items = [walk(x, depth + 1) for x in inner]
            return items if tag == "list" else tuple(items)
        if tag == "dict" and type(inner) is list:
            return {str(k): walk(x, depth + 1) for k, x in inner}
        raise ValueError(f"unknown tag {tag!r}")

    value = walk(tree, 0)
    if offset != len(payload):
        raise ValueError("trailing bytes after the arrays")
    return value


def frame(kind, body):
    return HEADER.pack(kind, len(body)) + body


def data_frame(value):
    return frame(b"D", encode(value))


def pickle_frame(obj):
    return frame(b"P", pickle.dumps(obj, protocol=5))
