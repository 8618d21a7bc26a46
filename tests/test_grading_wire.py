"""What may cross from a sandbox into the grader (tools/grading/wire.py, answers.py).

Only data crosses: plain numbers, strings, arrays of numbers, bools or strings, and
lists, tuples and dicts of them; objects, subclasses and pickles never do, and a
malformed message is refused rather than trusted.  No sandbox is started here.
"""

import json
import math
import pickle
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from grading import answers as A  # noqa: E402
from grading import wire  # noqa: E402


class Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)


class AlwaysFloat(float):
    def __eq__(self, other):
        return True


def test_data_round_trips_with_its_types():
    value = {
        "a": [1, 2.5, float("nan"), -math.inf, True, None, "x", 10**30],
        "b": (
            np.arange(6.0).reshape(2, 3),
            np.float32(1.5),
            np.array(3, dtype=np.int16),
        ),
        "c": np.array(["inverse", "bayes"]),
        "d": np.zeros((0, 3)),
        "e": np.bool_(True),
    }
    back = wire.decode(wire.encode(value))
    assert (
        back["a"][:2] == [1, 2.5]
        and math.isnan(back["a"][2])
        and back["a"][3] == -math.inf
    )
    assert back["a"][4:] == [True, None, "x", 10**30] and type(back["a"][0]) is int
    arr, f32, i16 = back["b"]
    assert (
        type(arr) is np.ndarray
        and arr.shape == (2, 3)
        and np.array_equal(arr, value["b"][0])
    )
    assert type(f32) is np.float32 and f32 == 1.5 and type(back["b"]) is tuple
    assert type(i16) is np.ndarray and i16.shape == () and i16.dtype == np.int16
    assert back["c"].tolist() == ["inverse", "bayes"] and back["d"].shape == (0, 3)
    assert type(back["e"]) is np.bool_


@pytest.mark.parametrize(
    "value",
    [
        np.zeros(3).view(Liar),
        AlwaysFloat(1.0),
        object(),
        np.array([object()]),
        {1: 2},
        lambda x: x,
        np.zeros(2, dtype=complex),
        [Liar((1,))],
    ],
)
def test_objects_and_subclasses_are_not_data(value):
    with pytest.raises(wire.NotData):
        wire.encode(value)


def _body(tree, payload=b""):
    raw = json.dumps(tree).encode()
    return struct.pack(">I", len(raw)) + raw + payload


@pytest.mark.parametrize(
    "body",
    [
        _body({"array": ["<f8", [1000], 8000]}, b"\0" * 8),  # shorter than its shape
        _body({"array": ["<f8", [10**12], 8 * 10**12]}),  # an absurd size
        _body({"array": ["|O", [1], 8]}, b"\0" * 8),  # objects
        _body({"array": ["<f8", [1], 8]}, b"\0" * 16),  # trailing bytes
        _body({"pickle": "gASVAAAAAAAAAAB9lC4="}),  # an unknown tag
        _body({"int": "9" * 5000}),  # too long an int
        _body([1, 2]),  # a bare JSON list
        b"\0\0\0\x05abc",
    ],
)
def test_malformed_messages_are_refused(body):
    with pytest.raises((ValueError, TypeError)):
        wire.decode(body)


def test_a_pickle_is_never_read_as_data():
    payload = pickle.dumps({"scores": {"q1": 1}})
    with pytest.raises((ValueError, TypeError, UnicodeDecodeError)):
        wire.decode(payload)


def _node(value):
    return wire.decode(wire.encode({"value": value}))


@pytest.mark.parametrize(
    "kind, value, expected",
    [
        ("float", 2, 2.0),
        ("float", np.float32(0.5), 0.5),
        ("float", np.array(1.5), 1.5),
        ("int", np.int64(7), 7),
        ("bool", np.bool_(False), False),
        ("str", "bayes", "bayes"),
    ],
)
def test_answers_are_converted_to_their_kind(kind, value, expected):
    got = A.convert("x", kind, _node(value))
    assert got == expected and type(got) is type(expected)


def test_arrays_become_float_arrays():
    got = A.convert("x", "array", _node([1, 2, 3]))
    assert got.dtype == float and got.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    "kind, value",
    [
        ("float", "0.5"),
        ("float", [0.5]),
        ("float", np.array([0.5])),
        ("int", 3.0),
        ("int", True),
        ("bool", 1),
        ("str", 5),
        ("array", ["1", "2"]),
        ("array", [[1, 2], [3]]),
    ],
)
def test_answers_of_the_wrong_kind_are_refused(kind, value):
    with pytest.raises(A.Refused):
        A.convert("x", kind, _node(value))


def test_missing_answers_and_functions_as_data_are_refused():
    with pytest.raises(A.Refused, match="x is not answered"):
        A.convert("x", "float", {"missing": "x is not answered (still ...)"})
    with pytest.raises(A.Refused, match="should be data"):
        A.convert("x", "float", {"function": "x"})
    with pytest.raises(A.Refused, match="should be a function"):
        A.convert("f", "function", _node(1.0))


def test_a_network_is_rebuilt_from_its_weights():
    layers = [
        {"layer": "Dense", "W": np.ones((1, 3)), "b": np.zeros(3)},
        {"layer": "Activation", "name": "relu"},
        {"layer": "Dense", "W": np.ones((3, 1)), "b": np.array([0.5])},
    ]
    net = A.convert("net", "network", wire.decode(wire.encode({"network": layers})))
    assert [p.shape for p in net.params()] == [(1, 3), (3,), (3, 1), (1,)]
    assert net.predict(np.array([[2.0], [-1.0]])).ravel().tolist() == [6.5, 0.5]
    with pytest.raises(A.Refused):
        A.convert(
            "net", "network", {"network": [{"layer": "Lambda", "source": "os.system"}]}
        )


def test_remote_functions_return_data_and_copy_back_changed_arrays():
    def call(name, args, kwargs):
        return {"value": np.array([2.0]), "changed": {"0": np.array([9.0, 9.0])}}

    u = np.zeros(2)
    assert A.RemoteFunction("f", call)(u).tolist() == [2.0] and u.tolist() == [9.0, 9.0]
    with pytest.raises(FloatingPointError, match="f raised FloatingPointError"):
        A.RemoteFunction(
            "f", lambda *a: {"raised": "FloatingPointError", "message": "overflow"}
        )()
    with pytest.raises(A.SubmissionError):
        A.RemoteFunction("f", lambda *a: {"raised": "SystemExit", "message": ""})()
