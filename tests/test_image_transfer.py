"""geonn.studies.image_transfer and image_transfer_run (chapter 12): the patches, the
autoencoder whose encoder is the fault U-Net's, PCA, and the few-label transfer grid:
the transferred convolutions are the ones the U-Net uses, "frozen" keeps them,
"finetune" moves them a tenth as far (SlowPart over several layers, checked against
Adam by hand), every arm gets the same head and batches, runs are deterministic, and
the gradients match central differences."""

import numpy as np
import pytest

import geonn.studies.image_transfer_run as run
from geonn import MSE, BCEWithLogits, Dense, Sequential, check_gradients
from geonn.core.layers import Activation, Conv2D
from geonn.studies.autoencoders import unexplained_variance
from geonn.studies.image_transfer import (
    PATCH,
    dream_data,
    encode,
    encoder_weights,
    patch_autoencoder,
    patches,
    pca_fit,
    pca_reconstruct,
    pretrain_autoencoder,
)
from geonn.studies.image_transfer_report import (
    fault_transfer_table,
    paired_wins,
    transfer_cells,
)
from geonn.studies.image_transfer_run import (
    ARMS,
    ETA,
    SLOW,
    encoder_convs,
    fault_ceiling,
    run_fault_transfer,
    train_faults,
    transfer_unet,
)
from geonn.studies.images import fault_unet
from geonn.studies.transfer import SlowPart

SEED = 1


@pytest.fixture(scope="module")
def data():
    return dream_data(SEED, small=True)


@pytest.fixture(scope="module")
def weights(data):
    rng = np.random.default_rng([SEED, 3])
    ae, encoder = patch_autoencoder(rng)
    pretrain_autoencoder(ae, data.unlabelled, rng, epochs=1)
    rng = np.random.default_rng(99)  # a stand-in for the discriminator's convolutions
    gan = [
        (rng.normal(0, 0.2, W.shape), rng.normal(0, 0.1, b.shape))
        for W, b in encoder_weights(encoder)
    ]
    return {"ae": encoder_weights(encoder), "gan": gan}


def _heads(net):
    encoder = encoder_convs(net)
    return [c for c in net.leaves() if isinstance(c, Conv2D) and c not in encoder]


def test_patches_are_windows_of_the_sections():
    x = np.arange(2 * 10 * 12, dtype=float).reshape(2, 10, 12)  # value = position
    P = patches(x[:, None], 4, 50, np.random.default_rng(0))
    assert P.shape == (50, 1, 4, 4) and P.dtype == np.float32
    first = P[:, 0, 0, 0].astype(int)
    s, r, c = first // 120, first % 120 // 12, first % 12
    assert r.max() <= 6 and c.max() <= 8 and set(s) == {0, 1}
    want = x[
        s[:, None, None],
        r[:, None, None] + np.arange(4)[:, None],
        c[:, None, None] + np.arange(4),
    ]
    np.testing.assert_array_equal(P[:, 0], want)


def test_dream_data_shapes_and_determinism(data):
    assert data.unlabelled.shape[1:] == data.held.shape[1:] == (1, PATCH, PATCH)
    assert data.labelled.x.shape[1:] == data.test.x.shape[1:] == (64, 64)
    rms = np.sqrt(np.mean(data.unlabelled.astype(float) ** 2))
    assert 0.5 < rms < 2  # cut from sections divided by their RMS
    again = dream_data(SEED, small=True)
    np.testing.assert_array_equal(again.unlabelled, data.unlabelled)
    np.testing.assert_array_equal(again.test.fault, data.test.fault)
    assert not np.array_equal(dream_data(SEED + 1, small=True).held, data.held)
    # the held-out patches come with the same windows without noise and of the faults
    assert data.held_clean.shape == data.held.shape
    assert data.held_fault.shape == (len(data.held), PATCH, PATCH)
    assert data.held_fault.dtype == bool and data.held_fault.any()
    noise = data.held - data.held_clean
    assert 0.05 < np.mean(noise**2) / np.mean(data.held**2) < 0.2  # 10 dB: 1/11


def test_the_autoencoder_shares_the_encoder_and_has_a_real_bottleneck(data):
    ae, encoder = patch_autoencoder(np.random.default_rng(0))
    assert ae[0] is encoder
    X = data.held[:3]
    assert ae.predict(X).shape == X.shape
    assert encode(ae, X).shape == (3, 2 * 12 * 12)  # 288 numbers for 2,304 pixels
    assert encode(encoder, X).shape == (3, 32 * 12 * 12)
    ae4, encoder4 = patch_autoencoder(np.random.default_rng(0), code_channels=4)
    assert encode(ae4, X).shape == (3, 4 * 12 * 12)
    for (W, b), (W4, b4) in zip(encoder_weights(encoder), encoder_weights(encoder4)):
        np.testing.assert_array_equal(W, W4)  # the encoder is drawn first
    unet_shapes = [
        c.W.shape for c in encoder_convs(fault_unet(np.random.default_rng(0)))
    ]
    assert (
        [W.shape for W, _ in encoder_weights(ae)]
        == unet_shapes
        == [(8, 1, 3, 3), (16, 8, 3, 3), (32, 16, 3, 3)]
    )
    history, cpu = pretrain_autoencoder(
        ae, data.unlabelled, np.random.default_rng(1), epochs=2
    )
    assert history.steps == 2 * len(data.unlabelled) // 8 and cpu > 0
    assert history.train_loss[-1] < history.train_loss[0]
    assert ae[0] is encoder and encoder_weights(encoder)[0][0].dtype == np.float32


def test_the_unet_computes_the_encoders_features_with_its_weights(data):
    _, encoder = patch_autoencoder(np.random.default_rng(2))
    net = transfer_unet(encoder_weights(encoder), np.random.default_rng(3))
    first, middle, bottom = net[0], net[2].inner, net[2].inner[3].inner
    assert encoder_convs(net) == [first, middle[1], bottom[1]]
    path = Sequential([net[0], net[1], *middle.layers[:3], *bottom.layers[:3]])
    X = data.held[:4]
    np.testing.assert_array_equal(path.predict(X), encoder.predict(X))


def test_pca_matches_the_svd_and_is_exact_at_full_rank():
    X = np.random.default_rng(0).normal(size=(30, 1, 4, 4)) @ np.diag([3, 1, 0.5, 0.1])
    F = X.reshape(30, -1)
    _, _, Vt = np.linalg.svd(F - F.mean(0))
    mean, V = pca_fit(X, 5)
    np.testing.assert_allclose(np.abs(V @ Vt[:5].T), np.eye(5), atol=1e-9)
    np.testing.assert_allclose(
        pca_reconstruct((mean, V), X).reshape(30, -1),
        F.mean(0) + (F - F.mean(0)) @ Vt[:5].T @ Vt[:5],
        atol=1e-12,
    )
    np.testing.assert_allclose(pca_reconstruct(pca_fit(X, 16), X), X, atol=1e-12)
    uv = [unexplained_variance(X, pca_reconstruct(pca_fit(X, k), X)) for k in (1, 4, 8)]
    assert uv[0] > uv[1] > uv[2] > 0


def _images(n=4, size=16, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 1, size, size)).astype(np.float32)
    return X, (rng.random(X.shape) < 0.1).astype(np.float32)


def _copies(layers):
    return [(c.W.copy(), c.b.copy()) for c in layers]


def test_frozen_keeps_the_encoder_and_finetune_moves_it_a_tenth_as_far(weights):
    X, Y = _images()
    net = transfer_unet(weights["ae"], np.random.default_rng(0), frozen=True)
    before, head = _copies(encoder_convs(net)), _copies(_heads(net))
    train_faults(net, X, Y, np.random.default_rng(1), steps=5)
    for conv, (W, b) in zip(encoder_convs(net), before):
        np.testing.assert_array_equal(conv.W, W)
        np.testing.assert_array_equal(conv.b, b)
    for W, W0 in zip((c.W for c in _heads(net)), (w for w, _ in head)):
        assert not np.array_equal(W, W0)

    # Adam's first step moves each weight by η g / (|g| + ε) ≈ η: the encoder SLOW · η
    net = transfer_unet(weights["ae"], np.random.default_rng(0))
    before = (_copies(encoder_convs(net)), _copies(_heads(net)))
    history, _ = train_faults(net, X, Y, np.random.default_rng(1), steps=1, slow=True)
    assert history.steps == 1
    for layers, old, eta in (
        (encoder_convs(net), before[0], SLOW * ETA),
        (_heads(net), before[1], ETA),
    ):
        step = np.concatenate(
            [np.abs(c.W - W).ravel() for c, (W, _) in zip(layers, old)]
        )
        moved = step[step > 0]
        assert moved.size > 0.5 * step.size
        np.testing.assert_allclose(np.median(moved), eta, rtol=1e-3)


def test_slow_part_over_several_layers_is_adam_by_hand():
    rng = np.random.default_rng(0)
    net = Sequential(
        [
            Dense(2, 3, rng=rng),
            Activation("tanh"),
            Dense(3, 2, rng=rng),
            Activation("tanh"),
            Dense(2, 1, rng=rng),
        ]
    )
    eta, ratio, b1, b2, eps = 0.01, 0.1, 0.9, 0.999, 1e-8
    opt = SlowPart([net[0], net[4]], eta=eta, ratio=ratio)
    params = net.params()
    slow = {id(p) for p in net[0].params() + net[4].params()}
    start = [p.copy() for p in params]
    grads = [[rng.normal(size=p.shape) for p in params] for _ in range(2)]
    for g in grads:
        opt.step(params, g)
    for p, p0, g1, g2 in zip(params, start, *grads):
        rate = ratio * eta if id(p) in slow else eta
        m, v, want = 0.0, 0.0, p0.copy()
        for t, g in enumerate((g1, g2), start=1):
            m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
            want -= rate * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        np.testing.assert_allclose(p, want, rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="non-empty list"):
        SlowPart([])
    with pytest.raises(TypeError, match="SlowPart needs part"):
        SlowPart([net[0], "conv"])


def test_every_arm_gets_the_same_head_and_batches(monkeypatch, data, weights):
    seen, real_fit = [], run.fit

    def recording_fit(net, loss, opt, X, y, epochs, batch_size, rng, **kw):
        seen.append(
            (
                len(X),
                rng.bit_generator.state["state"]["state"],
                _copies(_heads(net)),
                _copies(encoder_convs(net)),
            )
        )
        return real_fit(net, loss, opt, X, y, epochs, batch_size, rng, **kw)

    monkeypatch.setattr(run, "fit", recording_fit)
    run_fault_transfer(SEED, weights, n_labels=(2, 4), small=True, data=data)
    assert len(seen) == 2 * len(ARMS)
    initial = encoder_weights(patch_autoencoder(np.random.default_rng([SEED, 3]))[1])
    starts = {
        "frozen": weights["ae"],
        "finetune": weights["ae"],
        "scratch": initial,
        "gan": weights["gan"],
    }
    for i, n in enumerate((2, 4)):
        group = seen[i * len(ARMS) : (i + 1) * len(ARMS)]
        assert {g[0] for g in group} == {n} and len({g[1] for g in group}) == 1
        for (_, _, head, encoder), arm in zip(group, ARMS):
            for (W, b), (W0, b0) in zip(head, group[0][2]):
                np.testing.assert_array_equal(W, W0)
                np.testing.assert_array_equal(b, b0)
            for (W, b), (W0, b0) in zip(encoder, starts[arm]):
                np.testing.assert_allclose(W, W0, rtol=1e-6)
    assert seen[0][1] != seen[len(ARMS)][1]  # another N, another stream


def test_the_small_grid_runs_end_to_end_and_is_deterministic(data, weights):
    rows = run_fault_transfer(SEED, weights, n_labels=(2, 4), small=True, data=data)
    assert [(r["n_labels"], r["arm"]) for r in rows] == [
        (n, a) for n in (2, 4) for a in ARMS
    ]
    keys = {
        "seed",
        "n_labels",
        "arm",
        "f1",
        "precision",
        "recall",
        "iou",
        "cpu_s",
        "steps",
    }
    for r in rows:
        assert set(r) == keys and 0 <= r["iou"] <= r["f1"] <= 1 and r["cpu_s"] > 0
    again = run_fault_transfer(SEED, weights, n_labels=(2, 4), small=True)
    for r, r2 in zip(rows, again):
        assert {k: v for k, v in r.items() if k != "cpu_s"} == {
            k: v for k, v in r2.items() if k != "cpu_s"
        }
    ceiling, net = fault_ceiling(SEED, small=True, data=data)
    assert ceiling["arm"] == "ceiling" and ceiling["n_labels"] == len(data.labelled.x)
    assert fault_ceiling(SEED, small=True)[0]["f1"] == ceiling["f1"]
    assert net.n_params == fault_unet(np.random.default_rng(0)).n_params


def test_the_table_pairs_each_arm_with_scratch_on_the_same_seed():
    f1 = {
        ("frozen", 0): 0.6,
        ("scratch", 0): 0.5,
        ("frozen", 1): 0.4,
        ("scratch", 1): 0.7,
        ("frozen", 2): 0.9,
        ("scratch", 2): 0.8,
    }
    rows = [
        dict(seed=s, n_labels=10, arm=a, f1=v, iou=v / 2) for (a, s), v in f1.items()
    ]
    rows.append(dict(seed=0, n_labels=200, arm="ceiling", f1=0.85, iou=0.7))
    assert transfer_cells(rows)[10, "frozen"] == {0: 0.6, 1: 0.4, 2: 0.9}
    wins, seeds, d = paired_wins(rows)[10, "frozen"]
    assert (wins, seeds) == (2, 3)
    np.testing.assert_allclose(d, [0.1, -0.3, 0.1])
    table = fault_transfer_table(rows)
    assert "0.60 [0.40, 0.90]" in table and "2/3 +0.10" in table
    assert "ceiling (chapter 11's recipe, 200 sections): 0.85" in table
    assert "IoU on the test sections" in fault_transfer_table(rows, "iou")
    with pytest.raises(ValueError, match="key must be one of"):
        fault_transfer_table(rows, "auc")
    with pytest.raises(ValueError, match="each of rows must be a dict"):
        transfer_cells([dict(seed=0, arm="frozen", f1=0.5)])


def test_gradients_match_central_differences():
    rng = np.random.default_rng(5)
    ae, _ = patch_autoencoder(rng, dtype=np.float64)
    X = rng.normal(size=(2, 1, 8, 8))
    assert check_gradients(ae, MSE(), X, X) < 1e-6
    _, encoder = patch_autoencoder(rng)
    net = transfer_unet(encoder_weights(encoder), rng, frozen=True, dtype=np.float64)
    Y = (rng.random(X.shape) < 0.2).astype(float)
    errors = check_gradients(net, BCEWithLogits(pos_weight=5.0), X, Y, return_all=True)
    assert max(errors.values()) < 1e-6
    assert "0.W" not in errors  # the frozen encoder has no gradient
    assert len(errors) == 1 + 2 * 3  # X and the head's three (W, b)


def test_bad_input_is_refused_with_a_clear_message(data, weights):
    with pytest.raises(ValueError, match="arm 'gan' needs weights\\['gan'\\]"):
        run_fault_transfer(0, {"ae": weights["ae"]}, 2, small=True, data=data)
    with pytest.raises(ValueError, match="arm 'frozen' needs weights\\['ae'\\]"):
        run_fault_transfer(0, None, 2, "frozen", small=True, data=data)
    with pytest.raises(ValueError, match="unknown arm 'pretrained'"):
        run_fault_transfer(0, weights, 2, ("frozen", "pretrained"), small=True)
    with pytest.raises(ValueError, match="unknown key 'd'"):
        run_fault_transfer(0, {"d": weights["gan"]}, 2, "scratch", small=True)
    with pytest.raises(ValueError, match="n_labels = 500 is more than the 24"):
        run_fault_transfer(0, weights, 500, "scratch", small=True, data=data)
    with pytest.raises(ValueError, match=r"weights\['ae'\]\[1\] must be W \(16, 8"):
        bad = [weights["ae"][0], weights["ae"][0], weights["ae"][2]]
        run_fault_transfer(0, {"ae": bad}, 2, "frozen", small=True, data=data)
    with pytest.raises(ValueError, match="code_channels must be below 16"):
        patch_autoencoder(np.random.default_rng(0), code_channels=16)
    with pytest.raises(ValueError, match="size must be at most"):
        patches(np.ones((2, 8, 8)), 9, 3, np.random.default_rng(0))
    with pytest.raises(TypeError, match="encoder_convs needs net, a fault_unet"):
        encoder_convs(Sequential([Conv2D(1, 1, 3, rng=np.random.default_rng(0))]))
    with pytest.raises(ValueError, match="encoder must hold three"):
        encoder_weights(Sequential([Conv2D(1, 8, 3, rng=np.random.default_rng(0))]))
    with pytest.raises(ValueError, match="k must be at most"):
        pca_fit(data.held[:3], 5)
    with pytest.raises(ValueError, match="train_faults: Y must be the fault masks"):
        train_faults(
            fault_unet(np.random.default_rng(0)),
            *_images()[:1],
            np.zeros((4, 16, 16)),
            np.random.default_rng(0),
        )
