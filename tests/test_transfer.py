"""geonn.studies.transfer, transfer_run and tools/transfer_ch9.py (chapter 9, section
5): freezing really keeps the pretrained encoder fixed, the slow encoder steps a tenth
as far, the warm-up is frozen-then-unfrozen training, the bottleneck is one channel, bad
input is refused, the script's --small mode runs, and the stored grid is complete and
reproduced by live runs of its cheapest cells."""

import numpy as np
import pytest
from _tools import load_tool

from geonn import MSE, Adam, SoftmaxCrossEntropy, check_gradients, fit
from geonn.domain.picking import gaussian_labels
from geonn.studies.transfer import (
    ETA,
    METHODS,
    N_LABELS,
    RECIPES,
    SLOW,
    SlowPart,
    make_autoencoder,
    make_encoder,
    make_head,
    make_picker,
    pretrain,
    train_picker,
)
from geonn.studies.transfer_report import (
    CEILING,
    encoder_path,
    error_table,
    plot_against_scratch,
    plot_transfer,
    read_transfer,
    transfer_table,
)
from geonn.studies.transfer_run import run_transfer, transfer_data, transfer_inputs

SEEDS = (0, 1, 2, 3, 4)


def _weights(net):
    return {k: v.copy() for k, v in net.named_params().items()}


def _small_batch(n=12):
    _, labelled, _ = transfer_data(0, small=True, unlabelled=False)
    live = np.flatnonzero(~labelled.dead.ravel())[:n]
    X = transfer_inputs(labelled)[live]
    Y = gaussian_labels(
        labelled.first_break.ravel()[live], labelled.t, 1.5 * labelled.dt
    )
    return X, Y


def _trained(mode, encoder):
    X, Y = _small_batch()
    net = make_picker(
        encoder, make_head(np.random.default_rng(1)), mode, rng=np.random.default_rng(2)
    )
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
        np.testing.assert_array_equal(v, original[k])  # the pretrained weights
    assert any(
        not np.array_equal(v, head0[k]) for k, v in net[1].named_params().items()
    )

    net, (enc0, _) = _trained("finetune", encoder)
    assert net[0].trainable and net.n_trainable == net.n_params
    np.testing.assert_array_equal(enc0["0.W"], original["0.W"])  # starts pretrained
    for k, v in net[0].named_params().items():
        assert not np.array_equal(v, enc0[k]), k  # and every array moves
    for k, v in encoder.named_params().items():  # the picker holds a copy
        np.testing.assert_array_equal(v, original[k])


def test_scratch_starts_where_pretraining_started():
    start = make_encoder(np.random.default_rng([0, 2]))
    trained = make_encoder(np.random.default_rng(5))
    pretrain(trained, _small_batch()[0], np.random.default_rng(6), epochs=1)
    net = make_picker(
        trained,
        make_head(np.random.default_rng(1)),
        "scratch",
        rng=np.random.default_rng([0, 2]),
    )
    for k, v in start.named_params().items():
        np.testing.assert_array_equal(net[0].named_params()[k], v)
    assert net.n_trainable == net.n_params


def test_the_slow_encoder_takes_a_tenth_of_the_heads_first_step():
    # Adam's first step moves each weight by η · g / (|g| + ε) ≈ η; the encoder SLOW · η
    X, Y = _small_batch()
    net = make_picker(
        make_encoder(np.random.default_rng(0)),
        make_head(np.random.default_rng(1)),
        "finetune",
    )
    before = (_weights(net[0]), _weights(net[1]))
    train_picker(net, X[:4], Y[:4], np.random.default_rng(3), steps=1, schedule="slow")
    for part, old, eta in ((net[0], before[0], SLOW * ETA), (net[1], before[1], ETA)):
        step = np.concatenate(
            [np.abs(v - old[k]).ravel() for k, v in part.named_params().items()]
        )
        moved = step[step > 0]
        assert moved.size > 0.9 * step.size
        np.testing.assert_allclose(np.median(moved), eta, rtol=1e-3)
    with pytest.raises(ValueError, match="SlowPart ratio must be"):
        SlowPart(net[0], ratio=0.0)


def test_the_warm_up_is_frozen_then_unfrozen_training_with_one_adam():
    X, Y = _small_batch()
    start = make_picker(
        make_encoder(np.random.default_rng(0)),
        make_head(np.random.default_rng(1)),
        "finetune",
    )
    by_hand = make_picker(start[0], make_head(np.random.default_rng(1)), "finetune")
    net = start
    train_picker(net, X, Y, np.random.default_rng(3), steps=9, schedule="warmup")
    rng, opt, loss = np.random.default_rng(3), Adam(eta=ETA), SoftmaxCrossEntropy()
    by_hand[0].freeze()
    fit(by_hand, loss, opt, X, Y, epochs=3, batch_size=len(X), rng=rng)  # a third of 9
    by_hand[0].unfreeze()
    fit(by_hand, loss, opt, X, Y, epochs=6, batch_size=len(X), rng=rng)
    for k, v in net.named_params().items():
        np.testing.assert_array_equal(v, by_hand.named_params()[k])
    with pytest.raises(ValueError, match="unknown schedule 'fast'"):
        train_picker(net, X, Y, rng, schedule="fast")


def test_the_bottleneck_is_one_channel_at_a_quarter_of_the_length():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(2, 3, 16))
    plain = make_autoencoder(make_encoder(rng), rng)
    narrow = make_autoencoder(make_encoder(rng), rng, bottleneck=1)
    assert plain[0].predict(X).shape == (2, 16, 4)  # 64 numbers for 16 samples
    code = narrow[1][0].forward(narrow[0].predict(X))
    assert code.shape == (2, 1, 4) and narrow.predict(X).shape == (2, 1, 16)
    assert narrow.n_params - plain.n_params == (16 * 9 + 1) + (9 * 16 + 16)
    for name, p in narrow.named_params().items():  # off the ReLU kinks
        if name.endswith(".b"):
            p += rng.normal(0.0, 0.1, p.shape)
    assert check_gradients(narrow, MSE(), X, X[:, :1]) < 1e-6
    with pytest.raises(ValueError, match="bottleneck"):
        make_autoencoder(make_encoder(rng), rng, bottleneck=0)


@pytest.mark.parametrize("mode", METHODS)
def test_picker_and_autoencoder_gradients_match_finite_differences(mode):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(2, 3, 16))
    Y = gaussian_labels(rng.uniform(0.005, 0.025, 2), np.arange(16) * 0.002, 0.003)
    net = make_picker(make_encoder(rng), make_head(rng), mode, rng=rng)
    errors = check_gradients(net, SoftmaxCrossEntropy(), X, Y, return_all=True)
    # the last bias shifts every logit alike, which a softmax ignores: its true
    # gradient is 0 and both estimates are round-off (relative error 1); the rest must
    # match
    bias = net[1].layers[-2].db
    assert np.max(np.abs(bias)) < 1e-12
    assert max(v for k, v in errors.items() if k != "1.4.b") < 1e-6
    checked = (
        {"1", "X"} if mode == "frozen" else {"0", "1", "X"}
    )  # frozen: no encoder grads
    assert {k.split(".")[0] for k in errors} == checked
    ae, _ = pretrain(make_encoder(rng), X, rng, epochs=0)
    assert check_gradients(ae, MSE(), X, X[:, :1]) < 1e-6


def test_bad_input_is_refused_with_a_clear_message():
    enc, head = (
        make_encoder(np.random.default_rng(0)),
        make_head(np.random.default_rng(0)),
    )
    with pytest.raises(ValueError, match="unknown method 'frozn'"):
        make_picker(enc, head, "frozn")
    with pytest.raises(ValueError, match="unknown method 'pretrained'"):
        run_transfer(0, 10, ["frozen", "pretrained"], small=True)
    with pytest.raises(ValueError, match="unknown key 'bn'"):
        run_transfer(0, 10, "bn_frozen", small=True, encoders={"bn": enc})
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
    assert cells >= {(n, m) for n in (10, 30) for m in RECIPES}
    out = capsys.readouterr().out
    assert "beat scratch" in out and "median |error|" in out and "CPU time" in out
    again = read_transfer(tmp_path / "t.csv")
    assert [round(r["rms_ms"], 3) for r in rows] == [r["rms_ms"] for r in again]
    assert [round(r["median_ms"], 3) for r in rows] == [r["median_ms"] for r in again]
    assert (tmp_path / "t_times.csv").read_text().count("autoencoder pretrain") == 2
    assert "whole grid" in (tmp_path / "t_times.csv").read_text()
    assert plot_transfer(rows) is not None
    assert plot_against_scratch(rows, ["finetune", "bn_finetune"]) is not None
    rows2, _ = run_transfer(0, (10, 30), METHODS, small=True)
    assert [r["rms_ms"] for r in rows2] == [
        r["rms_ms"] for r in rows if r["method"] in METHODS
    ]


def test_the_stored_grid_is_complete():
    rows, seeds = read_transfer(), SEEDS
    cells = [
        (r["seed"], r["n_labels"], r["method"]) for r in rows if r["method"] in RECIPES
    ]
    assert sorted(cells) == sorted(
        (s, n, m) for s in seeds for n in N_LABELS for m in RECIPES
    )
    ceiling = [r for r in rows if r["method"] == CEILING]
    assert sorted(r["seed"] for r in ceiling) == list(seeds)
    assert all(r["n_labels"] > 9000 and r["n_gathers"] == 300 for r in ceiling)
    assert all(np.isfinite(r["rms_ms"]) and r["rms_ms"] > 0 for r in rows)
    # |error| ≥ its median on half the traces, so mean error² ≥ median² / 2
    assert all(r["median_ms"] <= np.sqrt(2) * r["rms_ms"] for r in rows)
    for r in rows:  # the label draw is nested
        if r["method"] in RECIPES:
            assert 1 <= r["n_gathers"] <= min(r["n_labels"], 20)
    assert "beat scratch" in transfer_table(rows)
    assert "median |error|" in error_table(rows, 10)


def test_a_live_run_with_the_saved_encoders_reproduces_the_stored_cells():
    # the cheapest cells: frozen encoders, 10 labelled traces (about 1 s each)
    stored = {(r["seed"], r["n_labels"], r["method"]): r for r in read_transfer()}
    seed = 0
    rows, info = run_transfer(
        seed,
        10,
        ["frozen", "bn_frozen"],
        encoders={k: encoder_path(seed, k) for k in ("plain", "bottleneck")},
    )
    assert info["pretrain_cpu_s"] == {}
    for row in rows:
        want = stored[(seed, 10, row["method"])]
        for k in ("rms_ms", "median_ms"):
            assert f"{row[k]:.3f}" == f"{want[k]:.3f}"
        for k in ("n_gathers", "n_params", "n_trainable"):
            assert row[k] == want[k]
