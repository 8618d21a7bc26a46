"""geonn.transfer and tools/transfer_ch9.py (chapter 9, section 5): freezing really keeps the
pretrained encoder fixed, bad input is refused, the script's --small mode runs, and the stored
full grid is complete and reproduced by a live run of its cheapest cell."""
import numpy as np
import pytest

from _tools import load_tool
from geonn import MSE, SoftmaxCrossEntropy, check_gradients
from geonn.transfer import (METHODS, N_LABELS, make_encoder, make_head, make_picker, pretrain,
                            run_transfer, train_picker, transfer_data, transfer_inputs)
from geonn.picking import gaussian_labels
from geonn.transfer_report import encoder_path, plot_transfer, read_transfer, transfer_table

SEEDS = (0, 1, 2, 3, 4)


def _weights(net):
    return {k: v.copy() for k, v in net.named_params().items()}


def _small_batch(n=12):
    _, labelled, _ = transfer_data(0, small=True, unlabelled=False)
    live = np.flatnonzero(~labelled.dead.ravel())[:n]
    X = transfer_inputs(labelled)[live]
    Y = gaussian_labels(labelled.first_break.ravel()[live], labelled.t, 1.5 * labelled.dt)
    return X, Y


def _trained(mode, encoder):
    X, Y = _small_batch()
    net = make_picker(encoder, make_head(np.random.default_rng(1)), mode,
                      rng=np.random.default_rng(2))
    before = (_weights(net[0]), _weights(net[1]))
    train_picker(net, X, Y, np.random.default_rng(3), steps=5)
    return net, before


def test_frozen_keeps_the_encoder_fixed_and_finetune_changes_it():
    encoder = make_encoder(np.random.default_rng(0))
    original = _weights(encoder)
    net, (enc0, head0) = _trained("frozen", encoder)
    assert not net[0].trainable and net[1].trainable
    assert net.n_trainable == net[1].n_params < net.n_params
    for k, v in net[0].named_params().items():
        np.testing.assert_array_equal(v, enc0[k])
        np.testing.assert_array_equal(v, original[k])          # the pretrained weights
    assert any(not np.array_equal(v, head0[k]) for k, v in net[1].named_params().items())

    net, (enc0, _) = _trained("finetune", encoder)
    assert net[0].trainable and net.n_trainable == net.n_params
    np.testing.assert_array_equal(enc0["0.W"], original["0.W"])     # starts pretrained
    for k, v in net[0].named_params().items():
        assert not np.array_equal(v, enc0[k]), k                    # and every array moves
    for k, v in encoder.named_params().items():                     # the picker holds a copy
        np.testing.assert_array_equal(v, original[k])


def test_scratch_starts_where_pretraining_started():
    start = make_encoder(np.random.default_rng([0, 2]))
    trained = make_encoder(np.random.default_rng(5))
    pretrain(trained, _small_batch()[0], np.random.default_rng(6), epochs=1)
    net = make_picker(trained, make_head(np.random.default_rng(1)), "scratch",
                      rng=np.random.default_rng([0, 2]))
    for k, v in start.named_params().items():
        np.testing.assert_array_equal(net[0].named_params()[k], v)
    assert net.n_trainable == net.n_params


@pytest.mark.parametrize("mode", METHODS)
def test_picker_and_autoencoder_gradients_match_finite_differences(mode):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(2, 3, 16))
    Y = gaussian_labels(rng.uniform(0.005, 0.025, 2), np.arange(16) * 0.002, 0.003)
    net = make_picker(make_encoder(rng), make_head(rng), mode, rng=rng)
    errors = check_gradients(net, SoftmaxCrossEntropy(), X, Y, return_all=True)
    # the last bias shifts every logit alike, which a softmax ignores: its true gradient is 0
    # and both estimates are round-off (relative error 1); the rest must match
    bias = net[1].layers[-2].db
    assert np.max(np.abs(bias)) < 1e-12
    assert max(v for k, v in errors.items() if k != "1.4.b") < 1e-6
    checked = {"1", "X"} if mode == "frozen" else {"0", "1", "X"}   # frozen: no encoder grads
    assert {k.split(".")[0] for k in errors} == checked
    ae, _ = pretrain(make_encoder(rng), X, rng, epochs=0)
    assert check_gradients(ae, MSE(), X, X[:, :1]) < 1e-6


def test_bad_input_is_refused_with_a_clear_message():
    enc, head = make_encoder(np.random.default_rng(0)), make_head(np.random.default_rng(0))
    with pytest.raises(ValueError, match="unknown method 'frozn'"):
        make_picker(enc, head, "frozn")
    with pytest.raises(ValueError, match="unknown method 'pretrained'"):
        run_transfer(0, 10, ["frozen", "pretrained"], small=True)
    with pytest.raises(ValueError, match="n_labels = 5000 is more than the"):
        run_transfer(0, (10, 5000), small=True)
    with pytest.raises(ValueError, match="n_labels must be a positive integer"):
        run_transfer(0, 0, small=True)
    with pytest.raises(TypeError, match="mode='scratch'"):
        make_picker(enc, head, "scratch")
    with pytest.raises(TypeError, match="Sequential"):
        make_picker(enc.layers[0], head, "frozen")


def test_the_scripts_small_mode_runs_and_is_deterministic(tmp_path, capsys):
    tool = load_tool("transfer_ch9")
    rows = tool.main(["--small", "--out", str(tmp_path / "t.csv"), "0"])
    cells = {(r["n_labels"], r["method"]) for r in rows}
    assert cells >= {(n, m) for n in (10, 30) for m in METHODS}
    assert "finetune < scratch" in capsys.readouterr().out
    again = read_transfer(tmp_path / "t.csv")
    assert [round(r["rms_ms"], 3) for r in rows] == [r["rms_ms"] for r in again]
    assert (tmp_path / "t_times.csv").exists()
    assert "finetune < scratch" in transfer_table(rows) and plot_transfer(rows) is not None
    rows2, _ = run_transfer(0, (10, 30), small=True)
    assert [r["rms_ms"] for r in rows2] == [r["rms_ms"] for r in rows if r["method"] in METHODS]


def test_the_stored_grid_is_complete():
    rows = read_transfer()
    cells = [(r["seed"], r["n_labels"], r["method"]) for r in rows if r["method"] in METHODS]
    assert sorted(cells) == sorted((s, n, m) for s in SEEDS for n in N_LABELS for m in METHODS)
    ceiling = [r for r in rows if r["method"] not in METHODS]
    assert sorted(r["seed"] for r in ceiling) == list(SEEDS)
    assert all(r["n_labels"] > 9000 for r in ceiling)
    assert all(np.isfinite(r["rms_ms"]) and r["rms_ms"] > 0 for r in rows)


def test_a_live_run_with_the_saved_encoder_reproduces_the_stored_cell():
    # the cheapest cell: frozen encoder, 10 labelled traces (about 1 s)
    stored = {(r["seed"], r["n_labels"], r["method"]): r for r in read_transfer()}
    seed = 0
    rows, info = run_transfer(seed, 10, "frozen", encoder=encoder_path(seed))
    assert info["pretrain_cpu_s"] is None
    want = stored[(seed, 10, "frozen")]
    assert f"{rows[0]['rms_ms']:.3f}" == f"{want['rms_ms']:.3f}"
    assert (rows[0]["n_params"], rows[0]["n_trainable"]) == (want["n_params"], want["n_trainable"])
