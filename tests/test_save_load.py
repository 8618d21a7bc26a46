"""Every failure of save/load, and each silent or unclear case the fuzz found, now
raises one clear error that names the problem.  One test each."""
import re

import numpy as np
import pytest

from geonn import (MSE, SGD, Activation, Adam, BCEWithLogits, Dense, Dropout, Flatten, Momentum,
                   Reshape, Sequential, SoftmaxCrossEntropy, fit)
from geonn.domain.datasets import porosity as P
from geonn.core.gradcheck import numerical_grad


@pytest.fixture
def net():
    rng = np.random.default_rng(0)
    return Sequential([Dense(2, 3, rng=rng), Activation("tanh"), Dense(3, 1, rng=rng)])


@pytest.fixture
def saved(net, tmp_path):
    net.save(tmp_path / "m")
    return tmp_path / "m.npz"


def unchanged(net, before):
    return all(np.array_equal(p, q) for p, q in zip(net.named_params().values(), before))


def snapshot(net):
    return [p.copy() for p in net.named_params().values()]


# -- save / load ------------------------------------------------------------
@pytest.mark.parametrize("name", ["m", "m.npz"])
def test_load_accepts_what_save_wrote_with_or_without_the_suffix(net, saved, name):
    other = Sequential([Dense(2, 3, rng=np.random.default_rng(1)), Activation("tanh"),
                        Dense(3, 1, rng=np.random.default_rng(1))])
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
    _load_fails(net, path, r"not an .npz archive written by Sequential.save \(it begins b'this i'\)")


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
    Sequential([Dense(2, 4, rng=rng), Activation("tanh"), Dense(4, 1, rng=rng)]).save(tmp_path / "w")
    _load_fails(net, tmp_path / "w.npz", r"0.W of shape \(2, 4\)")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_load_nan_or_inf_weights(net, tmp_path, bad):
    weights = {k: v.copy() for k, v in net.named_params().items()}
    weights["2.b"][0] = bad
    np.savez(tmp_path / "bad.npz", **weights)
    _load_fails(net, tmp_path / "bad.npz", "2.b holds NaN or inf")


# -- constructors and layers ---------------------------------------------------
def test_dense_integer_dtype_is_refused():
    with pytest.raises(TypeError, match="floating-point dtype"):
        Dense(3, 2, rng=np.random.default_rng(0), dtype=int)


def test_dense_bool_size_is_refused():
    with pytest.raises(TypeError, match="n_in must be a positive integer; got bool"):
        Dense(True, 2, rng=np.random.default_rng(0))


@pytest.mark.parametrize("where", ["W", "b"])
def test_dense_nan_weights_are_refused(where):
    W, b = np.ones((2, 2)), np.zeros(2)
    (W if where == "W" else b).flat[0] = np.nan
    with pytest.raises(ValueError, match=f"Dense {where} contains 1 NaN"):
        Dense(2, 2, W=W, b=b)


def test_dense_forward_accepts_a_list_and_refuses_text():
    layer = Dense(2, 1, W=[[1.0], [2.0]])
    np.testing.assert_allclose(layer.forward([[1, 1]]), [[3.0]])
    with pytest.raises(TypeError, match="numeric"):
        layer.forward([["a", "b"]])


def test_parameterless_layers_take_a_list_and_refuse_text():
    rng = np.random.default_rng(0)
    for layer in (Activation("relu"), Dropout(0.5, rng=rng), Flatten(), Reshape((2,))):
        out = layer.forward([[1.0, -2.0]], train=True)
        assert isinstance(out, np.ndarray) and out.shape == (1, 2)
        assert layer.backward(np.ones((1, 2))).shape == (1, 2)
        with pytest.raises(TypeError, match=rf"input of {re.escape(repr(layer))} must be numeric"):
            layer.forward([["a", "b"]])


def test_ragged_lists_name_the_problem():
    layer = Dense(2, 1, W=[[1.0], [2.0]])
    with pytest.raises(ValueError, match=r"input of Dense\(2→1\) must be a rectangular numeric array"):
        layer.forward([[1, 2], [3]])
    with pytest.raises(ValueError, match="X must be a rectangular numeric array"):
        Sequential([layer]).forward([[1, 2], [3]])


def test_dropout_probability_as_text():
    with pytest.raises(TypeError, match="Dropout probability p must be a number; got str"):
        Dropout("0.5", rng=np.random.default_rng(0))


def test_activation_parameters_it_does_not_take():
    with pytest.raises(TypeError, match="'relu' takes no parameters; got slope"):
        Activation("relu", slope=0.1)


# -- losses -----------------------------------------------------------------------
def test_softmax_cross_entropy_refuses_one_column():
    with pytest.raises(ValueError, match="at least 2 columns.*BCEWithLogits"):
        SoftmaxCrossEntropy().value(np.zeros((3, 1)), np.ones((3, 1)))


def test_softmax_cross_entropy_refuses_multi_hot_targets_and_accepts_soft_labels():
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="target row 1 is .*one-hot"):
        SoftmaxCrossEntropy().grad(z, [[1, 0, 0], [1, 1, 0]])
    soft = np.array([[0.2, 0.3, 0.5], [1, 0, 0]])
    np.testing.assert_allclose(SoftmaxCrossEntropy().grad(z, soft), (1 / 3 - soft) / 2)


def test_bce_refuses_targets_outside_0_1():
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\].*found 2"):
        BCEWithLogits().value(np.zeros((2, 1)), [[1.0], [2.0]])


@pytest.mark.parametrize("loss", [MSE(), BCEWithLogits(), SoftmaxCrossEntropy()])
def test_losses_refuse_an_empty_batch(loss):
    with pytest.raises(ValueError, match="the batch is empty"):
        loss.value(np.zeros((0, 2)), np.zeros((0, 2)))


# -- optimizers -------------------------------------------------------------------
@pytest.mark.parametrize("Opt", [SGD, Momentum, Adam])
def test_a_wrong_shaped_gradient_is_refused_before_any_update(Opt):
    good, p = np.zeros(3), np.zeros((2, 2))
    opt = Opt(0.1)
    with pytest.raises(ValueError, match=r"shape \(2, 2\) got a gradient of shape \(2,\)"):
        opt.step([good, p], [np.ones(3), np.ones(2)])
    assert not p.any() and not good.any() and opt.t == 0


@pytest.mark.parametrize("decay", [1, 2])
def test_negative_epoch_is_refused(decay):
    with pytest.raises(ValueError, match="epoch must be a non-negative integer; got -1"):
        SGD(0.1, decay=decay).set_epoch(-1)


def test_non_numeric_decay():
    with pytest.raises(TypeError, match="learning-rate decay must be a number; got str"):
        SGD(0.1, decay="x")


# -- fit, gradcheck -----------------------------------------------------------------
def test_fit_val_must_be_a_pair(net):
    X, y = np.zeros((4, 2)), np.zeros((4, 1))
    with pytest.raises(TypeError, match=r"val must be a pair \(X_val, y_val\); got ndarray"):
        fit(net, MSE(), SGD(0.1), X, y, 1, 2, np.random.default_rng(0), val=X)


def test_numerical_grad_on_an_integer_array():
    with pytest.raises(TypeError, match="floating-point array"):
        numerical_grad(lambda: 0.0, np.arange(3))


# -- data ---------------------------------------------------------------------------
def test_zoeppritz_labels_refuses_a_non_positive_block():
    from geonn.domain.datasets.elastic import zoeppritz_labels
    X = np.array([[2500, 1200, 2.3, 2700, 1400, 2.4, 10.0]])
    with pytest.raises(ValueError, match="block must be an integer ≥ 1; got -1"):
        zoeppritz_labels(X, block=-1)


@pytest.mark.parametrize("name", ["range_major", "range_minor"])
def test_gaussian_random_field_refuses_a_zero_range(name):
    with pytest.raises(ValueError, match=f"{name} must be a positive length"):
        P.gaussian_random_field(np.random.default_rng(0), shape=(8, 8), **{name: 0})


WELLS = "X,Y,porosity,AI,facies\n1,2,0.2,6000,1\n3,4,0.1,7000,0\n"


def _wells(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "wells.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_with_trailing_blank_lines_loads(tmp_path):
    assert len(P.load_porosity_wells(_wells(tmp_path, WELLS + "\n\n"))["AI"]) == 2


def test_csv_short_row_names_file_and_row(tmp_path):
    with pytest.raises(ValueError, match=r"wells.csv: data row 2 has 3 field\(s\) but the header has 5"):
        P.load_porosity_wells(_wells(tmp_path, WELLS.replace("3,4,0.1,7000,0", "3,4,0.1")))


def test_csv_non_number_names_the_row(tmp_path):
    with pytest.raises(TypeError, match="column 'AI' must hold numbers.*data row 2 has 'x'"):
        P.load_porosity_wells(_wells(tmp_path, WELLS.replace("7000", "x")))


def test_csv_with_a_utf8_bom_loads(tmp_path):
    assert len(P.load_porosity_wells(_wells(tmp_path, "\ufeff" + WELLS))["X"]) == 2


def test_latin1_csv_names_the_encoding(tmp_path):
    with pytest.raises(ValueError, match="wells.csv is not UTF-8"):
        P.load_porosity_wells(_wells(tmp_path, WELLS.replace("facies", "faciès"), "latin-1"))


def test_header_only_csv(tmp_path):
    with pytest.raises(ValueError, match="header but no data rows"):
        P.load_porosity_wells(_wells(tmp_path, WELLS.splitlines()[0] + "\n"))


def test_ai_map_from_an_npz_archive(tmp_path):
    np.savez(tmp_path / "ai.npz", ai=np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"ai.npz is an .npz archive; the AI map is one .npy"):
        P.load_ai_map(tmp_path / "ai.npz")


@pytest.mark.parametrize("content", [b"garbage" * 20, b"", "truncated"])
def test_ai_map_from_a_broken_file_names_the_file(tmp_path, content):
    path = tmp_path / "ai.npy"
    np.save(path, np.ones((3, 3)))
    path.write_bytes(path.read_bytes()[:60] if content == "truncated" else content)
    with pytest.raises(ValueError, match=r"ai.npy is not a readable .npy array"):
        P.load_ai_map(path)
