"""Chapter 12's DCGAN on seismic patches (geonn.studies.image_gan), its training
runs (image_gan_run) and the latent walk (image_gan_walk): shapes, the
discriminator's convolutions against the fault U-Net's encoder, its effective weights
under spectral normalisation, spectral normalisation on Conv2D through
add_spectral_norm (gradients against central differences), a short training run and
its save/load round trip, slerp, the walk's measures on images of known dip and
frequency, and chapter 10's measures on patches (image_gan_report)."""

import numpy as np
import pytest

from geonn.core.layers import Conv2D, check_layer
from geonn.core.network import Sequential
from geonn.domain.faults import coherence
from geonn.studies.gan import slerp
from geonn.studies.gan_metrics import METRICS
from geonn.studies.gan_nets import add_spectral_norm, operator_norm
from geonn.studies.image_gan import (
    PATCH,
    discriminator_weights,
    patch_discriminator,
    patch_generator,
)
from geonn.studies.image_gan_report import patch_report, patch_traces
from geonn.studies.image_gan_run import (
    GAN_SETUP,
    patch_gan,
    train_patch_gan,
)
from geonn.studies.image_gan_walk import walk_measures
from geonn.studies.images import fault_unet

DT = 0.002


def R(seed=0):
    return np.random.default_rng(seed)


def _patches(n, size=16, seed=0):
    """Dipping cosines with noise, a stand-in for real patches (n, 1, s, s)."""
    r = R(seed)
    z, x = np.mgrid[0:size, 0:size]
    p = r.uniform(-0.5, 0.5, n)[:, None, None]
    X = np.cos(2 * np.pi * (z - p * x) / 8.0) + 0.1 * r.normal(size=(n, size, size))
    return X[:, None].astype(np.float32)


def test_generator_and_discriminator_shapes():
    G = patch_generator(8, R())
    D = patch_discriminator(R())
    x = G.forward(R().normal(size=(3, 8)))
    assert x.shape == (3, 1, PATCH, PATCH) and x.dtype == np.float32
    assert D.forward(x).shape == (3, 1)
    G16 = patch_generator(4, R(), size=16, channels=(4, 4, 2))
    assert G16.forward(R().normal(size=(2, 4))).shape == (2, 1, 16, 16)


def test_the_discriminator_convolutions_have_the_unet_encoder_shapes():
    # depth first, the U-Net's first three convolutions are its encoder's, one a scale
    encoder = [c for c in fault_unet(R()).leaves() if isinstance(c, Conv2D)][:3]
    assert [c.W.shape for c in encoder] == [(8, 1, 3, 3), (16, 8, 3, 3), (32, 16, 3, 3)]
    ours = discriminator_weights(patch_discriminator(R()))
    assert [W.shape for W, _ in ours] == [c.W.shape for c in encoder]
    assert [b.shape for _, b in ours] == [c.b.shape for c in encoder]
    assert [W.dtype for W, _ in ours] == [c.W.dtype for c in encoder]


def test_discriminator_weights_are_w_over_sigma_under_spectral_norm():
    D = patch_discriminator(R(), spectral=True)
    x = _patches(1, PATCH)
    for _ in range(500):  # each training pass takes one power-iteration step
        D.forward(x, train=True)
    convs = [c for c in D.leaves() if isinstance(c, Conv2D)]
    for (W, b), conv in zip(discriminator_weights(D), convs, strict=True):
        sigma = np.linalg.svd(conv.W.reshape(len(conv.W), -1), compute_uv=False)[0]
        np.testing.assert_allclose(W, conv.W / sigma, rtol=1e-4)
        np.testing.assert_array_equal(b, conv.b)
        # and exactly what the layer's own forward pass uses
        np.testing.assert_allclose(W, conv.weight(train=False), rtol=1e-6)
    # a plain discriminator gives its raw weights, copied
    D0 = patch_discriminator(R())
    W0, _ = discriminator_weights(D0)[0]
    np.testing.assert_array_equal(W0, D0.layers[0].W)
    W0[...] = 0
    assert np.any(D0.layers[0].W)


def test_discriminator_weights_leave_the_backward_cache_alone():
    D = patch_discriminator(R(), spectral=True, dtype=np.float64)
    x = _patches(2, PATCH).astype(float)
    D.forward(x, train=True)
    g1 = D.backward(np.ones((2, 1)))
    D.forward(x, train=False)
    discriminator_weights(D)
    assert np.allclose(D.backward(np.ones((2, 1))), g1)


def test_add_spectral_norm_reaches_conv2d_and_its_gradient_is_exact():
    net = patch_discriminator(R(), size=8, channels=(2, 2, 2), dtype=np.float64)
    add_spectral_norm(net, R(1))
    assert all(
        layer.reparam is not None for layer in net.leaves() if hasattr(layer, "W")
    )
    # the whole discriminator, every weight normalised, against central differences
    check_layer(net, R(4).normal(size=(2, 1, 8, 8)), tol=1e-6)
    conv = add_spectral_norm(
        Sequential([Conv2D(2, 3, 3, stride=2, rng=R(), dtype=float)]), R(2)
    ).layers[0]
    check_layer(conv, R(3).normal(size=(2, 2, 5, 6)), tol=1e-6)
    for _ in range(50):
        conv.forward(R().normal(size=(1, 2, 5, 6)), train=True)
    M = conv.weight(train=False).reshape(3, -1)
    assert np.linalg.norm(M, 2) == pytest.approx(1.0, rel=1e-6)
    # the operator norm of a strided 3×3 convolution can exceed the matrix norm
    assert operator_norm(conv, (2, 5, 6)) >= 1.0 - 1e-9


def test_train_patch_gan_runs_and_the_runs_survive_save_and_load(tmp_path):
    X = _patches(64, 16)
    runs = {
        name: train_patch_gan(X, 3, spectral, steps=4)
        for name, spectral in (("plain", False), ("sn", True))
    }
    G, D, hist, cpu = runs["plain"]
    assert hist.steps == 4 and len(hist.d_loss) == 4 and cpu > 0
    # same initial weights with and without SN: the first D step differs only by SN
    assert GAN_SETUP["latent_dim"] == G.layers[0].W.shape[0]
    G0, D0 = patch_gan(3, True)  # the untrained pair it started from
    np.testing.assert_array_equal(G0.layers[0].W, patch_gan(3, False)[0].layers[0].W)
    z = R().normal(size=(3, GAN_SETUP["latent_dim"])).astype(np.float32)
    assert not np.array_equal(G0.predict(z), runs["sn"][0].predict(z))
    assert runs["sn"][1].layers[0].reparam is not None
    assert runs["plain"][1].layers[0].reparam is None


def test_a_short_run_is_the_start_of_a_long_one():
    X = _patches(32, 16)
    short, full = (train_patch_gan(X, 2, True, steps=k)[2] for k in (3, 6))
    for k in ("d_loss", "g_loss", "d_real", "d_fake"):
        np.testing.assert_array_equal(getattr(short, k), getattr(full, k)[:3])


def test_the_same_seed_gives_the_same_run():
    X = _patches(32, 16)
    a = train_patch_gan(X, 1, True, steps=3)
    b = train_patch_gan(X, 1, True, steps=3)
    np.testing.assert_array_equal(a[2].d_loss, b[2].d_loss)


def test_slerp_ends_and_norm():
    r = R()
    z0, z1 = r.normal(size=16), r.normal(size=16)
    z1 *= np.linalg.norm(z0) / np.linalg.norm(z1)
    path = slerp(z0, z1, np.linspace(0, 1, 9))
    assert path.shape == (9, 16)
    np.testing.assert_allclose(path[0], z0, atol=1e-12)
    np.testing.assert_allclose(path[-1], z1, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), np.linalg.norm(z0))
    # equal angles between neighbours: constant speed on the circle
    cos = np.sum(path[1:] * path[:-1], axis=1) / np.linalg.norm(z0) ** 2
    np.testing.assert_allclose(cos, cos[0])
    # parallel endpoints: the straight line
    np.testing.assert_allclose(slerp(z0, 2 * z0, [0, 0.5, 1])[1], 1.5 * z0)
    with pytest.raises(ValueError, match="opposite"):
        slerp(z0, -z0, [0, 0.5, 1])
    with pytest.raises(ValueError, match="z0 and z1"):
        slerp(z0, z1[:3], [0, 0.5, 1])
    with pytest.raises(ValueError, match="non-zero"):
        slerp(np.zeros(16), z1, [0, 0.5, 1])


@pytest.mark.parametrize("p", [-0.8, -0.3, 0.0, 0.45, 1.0])
def test_walk_measures_finds_a_known_dip_and_frequency(p):
    f = 30.0  # Hz, events z − p x = const
    z, x = np.mgrid[0:48, 0:48]
    images = np.cos(2 * np.pi * f * (z - p * x) * DT)[None, None]
    images = np.concatenate([images, 0.5 * images])
    m = walk_measures(images, DT)
    np.testing.assert_allclose(m.dip, p, atol=0.05)
    # resolution of the zero-padded spectrum: 1 / (256 dt) ≈ 2 Hz
    np.testing.assert_allclose(m.f_dom, f, atol=2.0)
    assert np.all(np.isnan(m.fault))


def test_walk_measures_fault_presence_from_a_score():
    z, x = np.mgrid[0:48, 0:48]
    layered = np.cos(2 * np.pi * 30.0 * z * DT)
    faulted = np.where(x < 24, layered, np.roll(layered, 5, axis=0))
    images = np.stack([layered, faulted])[:, None]

    def score(imgs):
        return coherence(imgs[:, 0], window=(9, 3))

    m = walk_measures(images, DT, fault_score=score, threshold=0.3)
    assert m.fault[0] == 0 and m.fault[1] > 0.01


def test_walk_measures_refuses_bad_input():
    good = np.ones((2, 1, 8, 8))
    with pytest.raises(ValueError, match="images"):
        walk_measures(np.ones((2, 3, 8, 8)), DT)
    with pytest.raises(ValueError, match="dt"):
        walk_measures(good, -1.0)
    with pytest.raises(TypeError, match="fault_score"):
        walk_measures(good, DT, fault_score=3)
    with pytest.raises(ValueError, match="fault_score"):
        walk_measures(good, DT, fault_score=lambda x: np.ones((2, 4, 4)))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="size"):
        patch_generator(4, R(), size=20)
    with pytest.raises(ValueError, match="channels"):
        patch_discriminator(R(), channels=(8, 16))
    with pytest.raises(TypeError, match="spectral"):
        patch_discriminator(R(), spectral="yes")
    with pytest.raises(ValueError, match="3 Conv2D layers of stride 2"):
        discriminator_weights(patch_generator(4, R()))
    with pytest.raises(ValueError, match="X"):
        train_patch_gan(np.ones((4, 2, 8, 8)), 0, False, steps=1)


def test_patch_traces_are_the_columns_and_patch_report_has_chapter_10s_keys():
    X = _patches(3, 8)
    traces = patch_traces(X)
    assert traces.shape == (24, 8)
    np.testing.assert_array_equal(traces[9], X[1, 0, :, 1])
    real, other = _patches(60, 16, seed=1), _patches(60, 16, seed=2)
    flat = R().normal(size=(60, 1, 16, 16)).astype(np.float32)

    def features(Y):
        return Y.reshape(len(Y), -1)[:, ::16]

    same = patch_report(real, other, DT, features)
    noise = patch_report(real, flat, DT, features)
    assert tuple(same) == METRICS
    # two draws of one source are closer than the source and white noise
    for key in ("W1", "spectrum", "1-NN", "FD"):
        assert same[key] < noise[key], key
    with pytest.raises(ValueError, match="one size"):
        patch_report(real, _patches(60, 8), DT, features)
    with pytest.raises(TypeError, match="features"):
        patch_report(real, other, DT, None)


def test_patch_report_is_chapter_10s_report_on_flat_patches_and_their_columns():
    from geonn.studies.gan_metrics import report

    X, Y = _patches(6, 8), _patches(5, 8) * 0.5

    def codes(P):
        return P.reshape(len(P), -1)[:, :4]

    flat = report(
        X.reshape(6, -1),
        Y.reshape(5, -1),
        DT,
        lambda F: F[:, :4],
        (patch_traces(X), patch_traces(Y)),
    )
    assert patch_report(X, Y, DT, codes) == flat
    with pytest.raises(TypeError, match="traces must be None or a pair"):
        report(X.reshape(6, -1), Y.reshape(5, -1), DT, codes, traces=patch_traces(X))
