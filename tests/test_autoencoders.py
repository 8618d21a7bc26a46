"""geonn.studies.autoencoders and datasets.add_noise: shapes, gradients against central
differences, the linear autoencoder against PCA, hand values of the error share,
and clear errors for bad input."""

import numpy as np
import pytest
from sklearn.decomposition import PCA

from geonn import MSE, Adam, check_layer, fit
from geonn.domain.datasets import add_noise, make_gathers, snr_db
from geonn.studies.autoencoders import (
    conv_denoiser,
    dense_autoencoder,
    unexplained_variance,
)


def test_dense_autoencoder_is_an_encoder_and_a_decoder_of_mirror_sizes():
    net = dense_autoencoder(32, 3, hidden=(16, 8), rng=np.random.default_rng(0))
    encoder, decoder = net[0], net[1]
    x = np.random.default_rng(1).normal(size=(5, 32))
    assert encoder.predict(x).shape == (5, 3)
    assert decoder.predict(encoder.predict(x)).shape == (5, 32)
    assert [layer.W.shape for layer in encoder.layers if hasattr(layer, "W")] == [
        (32, 16),
        (16, 8),
        (8, 3),
    ]
    assert [layer.W.shape for layer in decoder.layers if hasattr(layer, "W")] == [
        (3, 8),
        (8, 16),
        (16, 32),
    ]
    # no activation on the code or the output: both can be negative
    assert (
        type(encoder.layers[-1]).__name__ == "Dense"
        and type(decoder.layers[-1]).__name__ == "Dense"
    )
    linear = dense_autoencoder(32, 3, hidden=(), rng=np.random.default_rng(0))
    assert [type(layer).__name__ for layer in linear.leaves()] == ["Dense", "Dense"]


@pytest.mark.parametrize("hidden", [(), (6,)])
def test_dense_autoencoder_gradients_match_central_differences(hidden):
    rng = np.random.default_rng(2)
    net = dense_autoencoder(10, 2, hidden=hidden, activation="tanh", rng=rng)
    errors = check_layer(net, rng.normal(size=(4, 10)), rng=rng)
    assert max(errors.values()) < 1e-6


def test_conv_denoiser_keeps_the_trace_length_and_its_gradients_are_right():
    rng = np.random.default_rng(3)
    net = conv_denoiser(channels=3, kernel_size=3, levels=2, rng=rng)
    x = rng.normal(size=(2, 1, 16))
    assert net.predict(x).shape == (2, 1, 16)
    # biases start at 0: behind a channel that is dead everywhere, a ReLU would sit
    # exactly on its kink, where central differences give 1/2; move them off it
    for name, p in net.named_params().items():
        if name.endswith(".b"):
            p += rng.normal(0.0, 0.1, p.shape)
    errors = check_layer(net, x, rng=rng)
    assert max(errors.values()) < 1e-6


def test_linear_autoencoder_reaches_the_pca_error_and_subspace():
    # a well-conditioned low-rank problem: 3 strong directions in 12 dimensions
    rng = np.random.default_rng(4)
    X = (
        rng.normal(size=(600, 3)) @ (rng.normal(size=(3, 12)) * [[3.0], [2.0], [1.0]])
        + 0.3 * rng.normal(size=(600, 12))
        + 1.0
    )
    net = dense_autoencoder(12, 3, hidden=(), rng=rng)
    fit(net, MSE(), Adam(eta=0.01), X, X, epochs=60, batch_size=32, rng=rng)
    fit(net, MSE(), Adam(eta=0.001), X, X, epochs=20, batch_size=32, rng=rng)  # settle
    pca = PCA(3).fit(X)
    e_pca = unexplained_variance(X, pca.inverse_transform(pca.transform(X)))
    assert unexplained_variance(X, net.predict(X)) == pytest.approx(e_pca, rel=0.02)
    Q, _ = np.linalg.qr(net[1][0].W.T)
    cos = np.linalg.svd(Q.T @ pca.components_.T, compute_uv=False)
    assert np.degrees(np.arccos(cos.min())) < 1.0


def test_unexplained_variance_hand_values():
    x = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 0.0]])
    assert unexplained_variance(x, x) == 0.0
    assert unexplained_variance(
        x, np.broadcast_to(x.mean(axis=0), x.shape)
    ) == pytest.approx(1.0)
    # total Σ(x − x̄)² = (4 + 0 + 4) + (0 + 4 + 4) = 16; error Σ = 1 + 1 = 2
    x_hat = x + np.array([[1.0, 0.0], [0.0, 0.0], [0.0, -1.0]])
    assert unexplained_variance(x, x_hat) == pytest.approx(2.0 / 16.0)


def test_add_noise_gives_exactly_the_snr_asked_for_each_trace():
    rng = np.random.default_rng(5)
    clean = make_gathers(2, rng, snr_db=None, p_dead=0.0).clean.reshape(-1, 128)
    snr = rng.uniform(-5.0, 25.0, len(clean))
    assert np.allclose(snr_db(clean, add_noise(clean, snr, rng)), snr)
    assert np.allclose(snr_db(clean, add_noise(clean, 7.0, rng)), 7.0)
    a = add_noise(clean, 3.0, np.random.default_rng(6))
    assert np.array_equal(a, add_noise(clean, 3.0, np.random.default_rng(6)))


def test_bad_input_gets_a_clear_error():
    rng = np.random.default_rng(7)
    with pytest.raises(ValueError, match="smaller than the input"):
        dense_autoencoder(8, 8, rng=rng)
    with pytest.raises(ValueError, match="same shape"):
        unexplained_variance(np.ones((3, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="no variance"):
        unexplained_variance(np.ones((3, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="NaN"):
        unexplained_variance(np.array([[np.nan, 1.0]]), np.ones((1, 2)))
    clean = np.ones((2, 16))
    with pytest.raises(ValueError, match="all zero"):
        add_noise(np.vstack([clean[:1], np.zeros((1, 16))]), 5.0, rng)
    with pytest.raises(ValueError, match="between -40 and 80"):
        add_noise(clean, 100.0, rng)
    with pytest.raises(ValueError, match="between -40 and 80"):
        add_noise(clean, [5.0, np.nan], rng)
