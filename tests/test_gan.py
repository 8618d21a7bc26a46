"""geonn.studies.gan, geonn.studies.gan_nets and geonn.studies.gan_metrics: the
generator losses against finite differences, the metrics against hand-computed values,
and the training loop's contract."""

import numpy as np
import pytest

from geonn import SGD, BCEWithLogits, History, TrainingDiverged, check_layer
from geonn.core.layers import Conv1D, Dense, spectral_norm
from geonn.studies.gan import GANHistory, GeneratorLoss, sample, train_gan
from geonn.studies.gan_metrics import (
    closer_to_train,
    dominant_frequency,
    frechet_distance,
    gaussian_baseline,
    memorisation,
    nearest_distance,
    one_nn_accuracy,
    report,
    rms_amplitude,
    spectrum_error,
    spread_ratio,
    wasserstein1,
)
from geonn.studies.gan_nets import (
    add_spectral_norm,
    operator_norm,
    trace_discriminator,
    trace_generator,
)


def _fd_grad(f, s, eps=1e-6):
    g = np.zeros_like(s)
    for i in np.ndindex(s.shape):
        sp, sm = s.copy(), s.copy()
        sp[i] += eps
        sm[i] -= eps
        g[i] = (f(sp) - f(sm)) / (2 * eps)
    return g


@pytest.mark.parametrize("kind", GeneratorLoss.KINDS)
def test_generator_loss_gradients_match_central_differences(kind):
    s = np.random.default_rng(0).normal(0, 3, (7, 1))
    loss = GeneratorLoss(kind)
    num, ana = _fd_grad(loss.value, s), loss.grad(s)
    assert np.max(np.abs(num - ana) / np.maximum(np.abs(ana), 1e-12)) < 1e-6


def test_generator_losses_are_the_formulas_of_the_minimax_game():
    s = np.array([[-30.0], [-2.0], [0.0], [3.0], [30.0]])
    D = 1 / (1 + np.exp(-s))
    np.testing.assert_allclose(
        GeneratorLoss("saturating").value(s[1:4]),
        np.mean(np.log(1 - D[1:4])),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        GeneratorLoss().value(s), np.mean(-np.log(D)), rtol=1e-12
    )
    # the non-saturating loss is BCE on logits with target 1
    np.testing.assert_allclose(
        GeneratorLoss().grad(s), BCEWithLogits().grad(s, np.ones_like(s))
    )
    # at s = −30 (D sure the sample is fake) only the non-saturating gradient survives
    assert abs(GeneratorLoss("saturating").grad(s)[0, 0]) < 1e-13
    assert abs(GeneratorLoss().grad(s)[0, 0] + 1 / 5) < 1e-13


def test_generator_losses_are_stable_at_extreme_logits():
    # softplus(s) = log(1 + e^s) at s = −800, 0, 800, through the two losses (no
    # overflow)
    sat, ns = GeneratorLoss("saturating"), GeneratorLoss()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        np.testing.assert_allclose(
            [-sat.value([[s]]) for s in (-800.0, 0.0, 800.0)], [0.0, np.log(2), 800.0]
        )
        np.testing.assert_allclose(
            [ns.value([[-s]]) for s in (-800.0, 0.0, 800.0)], [0.0, np.log(2), 800.0]
        )


def test_generator_loss_bad_input():
    with pytest.raises(ValueError, match="kind"):
        GeneratorLoss("wasserstein")
    with pytest.raises(ValueError, match=r"\(n, 1\)"):
        GeneratorLoss().grad(np.zeros(3))


def test_wasserstein1_of_shifted_samples_is_the_shift():
    a = np.random.default_rng(1).normal(size=500)
    assert wasserstein1(a, a + 0.7) == pytest.approx(0.7, abs=1e-12)
    assert wasserstein1([0.0, 1.0], [0.0, 0.0, 1.0, 1.0]) == pytest.approx(
        0.0, abs=1e-15
    )
    assert wasserstein1([0.0, 0.0], [1.0, 3.0, 1.0, 3.0]) == pytest.approx(2.0)


def test_frechet_distance_hand_values():
    rng = np.random.default_rng(2)
    F = rng.normal(size=(400, 3))
    assert frechet_distance(F, F) == pytest.approx(0.0, abs=1e-9)
    # a shift by m adds ‖m‖²; scaling by 2 (cov ×4): Tr(C + 4C − 2·2C) = Tr C
    shift = np.array([1.0, 2.0, 0.0])
    assert frechet_distance(F, F + shift) == pytest.approx(5.0, abs=1e-9)
    C = np.cov(F, rowvar=False)
    assert frechet_distance(F, 2 * F) == pytest.approx(
        np.trace(C) + np.sum(F.mean(0) ** 2), rel=1e-9
    )


def test_one_nn_accuracy_of_separated_and_identical_sets():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 4))
    assert one_nn_accuracy(X, X + 100.0) == 1.0
    # copies: every sample's nearest neighbour is its twin of the other kind
    assert one_nn_accuracy(X, X + 1e-9) == 0.0


def test_a_copier_of_the_training_set_passes_the_1nn_test_against_held_out_data():
    # X_held is held out, so copies of *other* draws (the training set) look like new
    # draws
    rng = np.random.default_rng(10)
    X_train, X_held = rng.normal(size=(300, 8)), rng.normal(size=(300, 8))
    assert abs(one_nn_accuracy(X_held, X_train) - 0.5) < 0.06
    copies = memorisation(X_train[:200], X_train, X_held)
    assert copies["ratio"] == 0.0 and copies["share"] == 1.0
    assert closer_to_train(X_train[:200], X_train, X_held) == 1.0
    # new draws are as often nearer the one set as the other
    assert abs(closer_to_train(rng.normal(size=(400, 8)), X_train, X_held) - 0.5) < 0.07


def test_closer_to_train_hand_values_and_bad_input():
    X_train, X_held = np.array([[0.0], [10.0]]), np.array([[1.0], [7.0]])
    # 0.4 is nearer 0 (train), 6 nearer 7 (held), 9.5 nearer 10 (train), 4 nearer 1
    # (held)
    Y = np.array([[0.4], [6.0], [9.5], [4.0]])
    assert closer_to_train(Y, X_train, X_held) == 0.5
    with pytest.raises(
        ValueError, match=r"same number of samples \(pass X_train\[:2\]\)"
    ):
        closer_to_train(Y, np.r_[X_train, X_train], X_held)


def test_nearest_distance_and_memorisation_hand_values():
    X_train = np.array([[0.0, 0.0], [10.0, 0.0]])
    X_held = np.array(
        [[0.0, 1.0], [10.0, 2.0], [0.0, 3.0], [10.0, 4.0]]
    )  # d = 1, 2, 3, 4
    Y = np.array([[0.0, 0.5], [10.0, 5.0], [0.0, 2.0], [10.0, 6.0]])  # d = 0.5, 5, 2, 6
    np.testing.assert_allclose(
        nearest_distance(Y, X_train), [0.5, 5.0, 2.0, 6.0], rtol=1e-15
    )
    # medians 3.5 and 2.5; below the held-out median (q = 0.5, 2.5): 0.5 and 2, half of
    # Y
    m = memorisation(Y, X_train, X_held, q=0.5)
    assert m == {
        "ratio": 1.4,
        "share": 0.5,
        "median_generated": 3.5,
        "median_held_out": 2.5,
    }
    # an exact copy is at distance 0, not at the square root of the round-off
    big = np.random.default_rng(11).normal(1e3, 1.0, (50, 64))
    assert np.all(nearest_distance(big[:10], big) == 0.0)
    with pytest.raises(ValueError, match="held-out"):
        memorisation(Y, X_train, X_train)
    with pytest.raises(ValueError, match="quantile"):
        memorisation(Y, X_train, X_held, q=1.0)
    with pytest.raises(ValueError, match="features"):
        nearest_distance(Y, np.zeros((3, 5)))


def test_operator_norm_of_a_normalised_convolution_exceeds_the_bound():
    # three equal taps, 'same' padding, 64 samples: the tridiagonal Toeplitz matrix with
    # ones, whose largest eigenvalue is 1 + 2 cos(π/65); its reshaped kernel has norm √3
    conv = Conv1D(1, 1, 3, W=np.ones((1, 1, 3)))
    assert operator_norm(conv, (1, 64)) == pytest.approx(
        1 + 2 * np.cos(np.pi / 65), rel=1e-12
    )
    spectral_norm(conv, 1.0, rng=np.random.default_rng(12))
    for _ in range(3):
        conv.weight(train=True)  # power iteration (exact at once here)
    assert np.linalg.norm(conv.weight().reshape(1, -1), 2) == pytest.approx(1.0)
    assert operator_norm(conv, (1, 64)) == pytest.approx(
        (1 + 2 * np.cos(np.pi / 65)) / np.sqrt(3)
    )
    # but never above bound · √⌈k/stride⌉: each input sample sits in at most ⌈k/s⌉
    # windows
    rng = np.random.default_rng(13)
    for c_in, c_out, k, s in ((1, 8, 9, 2), (8, 16, 9, 2), (4, 4, 5, 1)):
        conv = Conv1D(c_in, c_out, k, stride=s, rng=rng)
        M = conv.W.reshape(c_out, -1)
        conv.W /= np.linalg.norm(M, 2)
        assert 1.0 <= operator_norm(conv, (c_in, 64)) <= np.sqrt(-(-k // s)) + 1e-12


def test_operator_norm_of_dense_is_its_largest_singular_value_and_bad_input():
    dense = Dense(5, 3, rng=np.random.default_rng(14))
    dense.b[:] = 7.0  # the bias does not count
    assert operator_norm(dense, (5,)) == pytest.approx(
        np.linalg.norm(dense.W, 2), rel=1e-12
    )
    before = dense.W.copy()
    operator_norm(dense, 5)
    np.testing.assert_array_equal(dense.W, before)
    with pytest.raises(TypeError, match="Dense or Conv1D"):
        operator_norm(lambda x: x, (5,))
    with pytest.raises(ValueError, match="in_shape"):
        operator_norm(dense, (0,))


def test_spectrum_spread_and_property_measures():
    dt = 0.002
    t = np.arange(64) * dt
    X = np.sin(2 * np.pi * 31.25 * t)[None, :] * np.linspace(1, 2, 10)[:, None]
    assert spectrum_error(X, X, dt) == 0.0
    assert spectrum_error(X, 2 * X, dt) == pytest.approx(1.0)
    np.testing.assert_allclose(dominant_frequency(X, dt), 31.25)
    assert spread_ratio(2 * rms_amplitude(X), rms_amplitude(X)) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="does not vary"):
        spread_ratio([1.0, 2.0], [3.0, 3.0])
    with pytest.raises(ValueError, match="features"):
        one_nn_accuracy(np.zeros((3, 2)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="wasserstein1 a contains 1 NaN or inf"):
        wasserstein1([0.0, np.nan], [1.0, 2.0])


def test_gaussian_baseline_matches_mean_and_covariance():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(3000, 2)) @ np.array([[1.0, 0.5], [0.0, 2.0]]) + 3.0
    B = gaussian_baseline(X, 20000, np.random.default_rng(5))
    np.testing.assert_allclose(B.mean(0), X.mean(0), atol=0.05)
    np.testing.assert_allclose(
        np.cov(B, rowvar=False), np.cov(X, rowvar=False), atol=0.1
    )


def test_report_keys_and_a_perfect_copy():
    X = np.random.default_rng(6).normal(size=(40, 16))
    r = report(X, X, 0.002, lambda F: F[:, :3])
    assert (
        r["W1"] == 0 and r["spectrum"] == 0 and r["spread RMS"] == 1 and r["1-NN"] == 0
    )
    assert abs(r["FD"]) < 1e-9


def test_the_chapters_networks_pass_the_layer_contract():
    rng = np.random.default_rng(7)
    G, D = (
        trace_generator(4, 16, rng, channels=2, kernel_size=3),
        trace_discriminator(16, rng, channels=(2, 3), kernel_size=3),
    )
    assert G.forward(rng.normal(size=(5, 4))).shape == (5, 16)
    assert D.forward(rng.normal(size=(5, 16))).shape == (5, 1)
    check_layer(G, rng.normal(size=(3, 4)), rng=rng)
    check_layer(D, rng.normal(size=(3, 16)), rng=rng)
    add_spectral_norm(D, rng, bound=2.0)
    assert (
        sum(leaf.reparam is not None for leaf in D.leaves() if hasattr(leaf, "reparam"))
        == 3
    )
    with pytest.raises(ValueError, match="multiple of 4"):
        trace_generator(4, 18, rng)


def _gan(rng, latent=4, nt=16):
    return (
        trace_generator(latent, nt, rng, channels=2, kernel_size=3),
        trace_discriminator(nt, rng, channels=(2, 3), kernel_size=3),
    )


def test_train_gan_trains_G_through_a_frozen_D_and_records():
    rng = np.random.default_rng(8)
    X = rng.normal(2.0, 0.5, (200, 16))
    G, D = _gan(rng)
    start = float(sample(G, 200, 4, np.random.default_rng(0)).mean())
    hist = train_gan(
        G,
        D,
        X,
        steps=210,
        latent_dim=4,
        rng=rng,
        batch_size=16,
        record_every=100,
        record=lambda G, D, t: float(
            sample(G, 200, 4, np.random.default_rng(0)).mean()
        ),
    )
    assert isinstance(hist, GANHistory) and isinstance(hist, History)
    assert hist.steps == 210 and hist.steps_recorded == [100, 200, 210]
    assert len(hist.records) == 3
    for series in (hist.d_loss, hist.g_loss, hist.d_real, hist.d_fake):
        assert series.shape == (210,) and np.all(np.isfinite(series))
    assert all(np.all((p > 0) & (p < 1)) for p in (hist.d_real, hist.d_fake))
    assert hist.train_loss == hist.val_loss == [] and hist.epochs == 0  # no epochs
    assert D.trainable and G.trainable  # D unfrozen again after each G step
    # the generator's mean moved towards the data's (2.0) from about 0
    assert abs(hist.records[-1] - 2.0) < 0.5 * abs(start - 2.0)


def test_train_gan_history_holds_the_losses_of_each_step():
    """d_loss is D's BCE on [x; G(z)] before its update; g_loss G's loss on the same
    fakes through the updated D: replayed by hand for the first step."""
    X = np.random.default_rng(1).normal(size=(50, 16))
    G, D = _gan(np.random.default_rng(2))
    G0, D0 = _gan(np.random.default_rng(2))
    hist = train_gan(
        G, D, X, steps=1, latent_dim=4, rng=np.random.default_rng(3), batch_size=8
    )
    rng = np.random.default_rng(3)
    x = X[rng.integers(0, len(X), 8)]
    fake = G0.forward(rng.normal(size=(8, 4)), train=True)
    s = D0.forward(np.concatenate([x, fake]), train=True)
    labels = np.r_[np.ones((8, 1)), np.zeros((8, 1))]
    assert hist.d_loss[0] == pytest.approx(BCEWithLogits().value(s, labels), rel=1e-12)
    p = 1 / (1 + np.exp(-s))
    assert hist.d_real[0] == pytest.approx(p[:8].mean())
    assert hist.d_fake[0] == pytest.approx(p[8:].mean())
    s_after = D.forward(fake)  # D after its update, as G saw it
    assert hist.g_loss[0] == pytest.approx(GeneratorLoss().value(s_after), rel=1e-12)


def test_train_gan_keeps_a_partly_frozen_D_as_it_found_it():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(60, 16))
    G, D = _gan(rng)
    weighted = [leaf for leaf in D.leaves() if leaf.param_names]
    weighted[0].freeze()  # the caller's choice: keep D's first conv
    flags = [leaf.trainable for leaf in D.leaves()]
    frozen = [weighted[0].W.copy(), weighted[0].b.copy()]
    assert [leaf.trainable for leaf in weighted] == [False, True, True]
    before = [p.copy() for p in D.params()]
    train_gan(G, D, X, steps=3, latent_dim=4, rng=rng, batch_size=8)
    assert [leaf.trainable for leaf in D.leaves()] == flags
    assert [leaf.trainable for leaf in weighted] == [False, True, True]
    np.testing.assert_array_equal(weighted[0].W, frozen[0])  # never updated
    np.testing.assert_array_equal(weighted[0].b, frozen[1])
    # the rest of D trained
    assert all(not np.array_equal(p, q) for p, q in zip(D.params(), before))


def test_train_gan_restores_D_flags_when_a_step_raises(monkeypatch):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 16))
    G, D = _gan(rng)
    weighted = [leaf for leaf in D.leaves() if leaf.param_names]
    weighted[1].freeze()
    flags = [leaf.trainable for leaf in D.leaves()]

    class Broken(GeneratorLoss):  # fails inside the G step, D frozen
        def grad(self, s):
            assert not D.trainable
            raise RuntimeError("broken loss")

    monkeypatch.setattr("geonn.studies.gan.GeneratorLoss", Broken)
    with pytest.raises(RuntimeError, match="broken loss"):
        train_gan(G, D, X, steps=2, latent_dim=4, rng=rng, batch_size=8)
    assert [leaf.trainable for leaf in D.leaves()] == flags


def test_train_gan_takes_any_geonn_layer_and_refuses_other_objects():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(40, 3))
    G, D = Dense(2, 3, rng=rng), Dense(3, 1, rng=rng)  # single layers, not nets
    hist = train_gan(G, D, X, steps=4, latent_dim=2, rng=rng, batch_size=4)
    assert hist.steps == 4 and G.trainable and D.trainable
    with pytest.raises(TypeError, match="train_gan needs D as a geonn network"):
        train_gan(G, lambda x: x, X, steps=1, latent_dim=2, rng=rng)


def test_train_gan_reports_divergence():
    rng = np.random.default_rng(9)
    G, D = (
        trace_generator(2, 8, rng, channels=2, kernel_size=3),
        trace_discriminator(8, rng, channels=(2, 2), kernel_size=3),
    )
    X = rng.normal(size=(20, 8))
    with pytest.raises(TrainingDiverged, match="lower eta"):
        train_gan(
            G,
            D,
            X,
            steps=5,
            latent_dim=2,
            rng=rng,
            batch_size=4,
            opt_d=SGD(1e6),
            opt_g=SGD(1e6),
        )
    assert D.trainable
