"""Sequential.save and load: what save wrote loads back, and every broken file
(missing, truncated, garbage, pickled, a single array, wrong names or shapes, NaN)
raises one ValueError that names the file and the problem, with no weight written."""

import numpy as np
import pytest

from geonn import Activation, Dense, Sequential


@pytest.fixture
def net():
    rng = np.random.default_rng(0)
    return Sequential([Dense(2, 3, rng=rng), Activation("tanh"), Dense(3, 1, rng=rng)])


@pytest.fixture
def saved(net, tmp_path):
    net.save(tmp_path / "m")
    return tmp_path / "m.npz"


def unchanged(net, before):
    return all(
        np.array_equal(p, q) for p, q in zip(net.named_params().values(), before)
    )


def snapshot(net):
    return [p.copy() for p in net.named_params().values()]


# -- save / load ------------------------------------------------------------
@pytest.mark.parametrize("name", ["m", "m.npz"])
def test_load_accepts_what_save_wrote_with_or_without_the_suffix(net, saved, name):
    other = Sequential(
        [
            Dense(2, 3, rng=np.random.default_rng(1)),
            Activation("tanh"),
            Dense(3, 1, rng=np.random.default_rng(1)),
        ]
    )
    other.load(saved.parent / name)
    for p, q in zip(net.params(), other.params()):
        np.testing.assert_array_equal(p, q)


def _load_fails(net, path, match):
    before = snapshot(net)
    with pytest.raises(ValueError, match=match) as err:
        net.load(path)
    assert str(path.name) in str(err.value)
    assert unchanged(net, before)


def test_load_missing_file(net, tmp_path):
    _load_fails(net, tmp_path / "nothing.npz", "no such file")


def test_load_truncated_file(net, saved):
    saved.write_bytes(saved.read_bytes()[:100])
    _load_fails(net, saved, "truncated or not an .npz")


def test_load_garbage_file(net, tmp_path):
    path = tmp_path / "garbage.npz"
    path.write_bytes(b"this is not a weights file at all" * 10)
    _load_fails(
        net,
        path,
        r"not an .npz archive written by Sequential.save \(it begins b'this i'\)",
    )


@pytest.mark.parametrize("content", [b"", b"\x00" * 50])
def test_load_empty_or_zeroed_file(net, tmp_path, content):
    path = tmp_path / "empty.npz"
    path.write_bytes(content)
    _load_fails(net, path, "not an .npz archive")


def test_load_a_pickle_file(net, tmp_path):
    import pickle

    path = tmp_path / "weights.pkl"
    path.write_bytes(pickle.dumps({"0.W": np.zeros((2, 3))}))
    _load_fails(net, path, "pickled data, which is never loaded")


def test_load_pickled_file(net, tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, **{"0.W": np.array([object()], dtype=object)})
    _load_fails(net, path, "pickled")


def test_load_a_single_npy_array(net, tmp_path):
    path = tmp_path / "one.npy"
    np.save(path, np.zeros(3))
    _load_fails(net, path, "not an .npz archive")


def test_load_wrong_shapes(net, tmp_path):
    rng = np.random.default_rng(2)
    Sequential([Dense(2, 4, rng=rng), Activation("tanh"), Dense(4, 1, rng=rng)]).save(
        tmp_path / "w"
    )
    _load_fails(net, tmp_path / "w.npz", r"0.W of shape \(2, 4\)")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_load_nan_or_inf_weights(net, tmp_path, bad):
    weights = {k: v.copy() for k, v in net.named_params().items()}
    weights["2.b"][0] = bad
    np.savez(tmp_path / "bad.npz", **weights)
    _load_fails(net, tmp_path / "bad.npz", "2.b holds NaN or inf")
