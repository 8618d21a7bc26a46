"""geonn.domain.processing: Wiener deconvolution, amplitude spectra and the band-pass
(chapter 8)."""

import numpy as np
import pytest

from geonn.domain.processing import amplitude_spectrum, bandpass, wiener_deconvolution

DT = 0.002


def ricker(f_peak, m=65):
    t = (np.arange(m) - m // 2) * DT
    a = (np.pi * f_peak * t) ** 2
    return (1 - 2 * a) * np.exp(-a)


def band_limited_reflectivity(rng, nt=256, f_peak=30.0):
    """Spikes in the middle of the trace, smoothed by the wavelet's own band (so every
    frequency the reflectivity holds is one the wavelet carries)."""
    spikes = np.zeros(nt)
    spikes[rng.choice(np.arange(80, nt - 80), 6, replace=False)] = rng.normal(0, 0.1, 6)
    return np.convolve(spikes, ricker(f_peak), mode="same")


def test_no_noise_and_small_eps_recover_a_band_limited_reflectivity():
    rng = np.random.default_rng(0)
    w = ricker(30.0)
    r = band_limited_reflectivity(rng)
    x = np.convolve(r, w, mode="same")
    r_hat = wiener_deconvolution(x, w, eps=1e-8)
    assert np.linalg.norm(r_hat - r) / np.linalg.norm(r) < 1e-3


def test_vectorised_over_traces_with_one_wavelet_per_trace_matches_single_traces():
    rng = np.random.default_rng(1)
    f = np.array([20.0, 30.0, 40.0])
    W = np.array([ricker(fp) for fp in f])
    R = np.array([band_limited_reflectivity(rng, f_peak=fp) for fp in f])
    X = np.array([np.convolve(r, w, mode="same") for r, w in zip(R, W)]) + rng.normal(
        0, 1e-3, R.shape
    )
    together = wiener_deconvolution(X, W, eps=0.01)
    one_by_one = np.array([wiener_deconvolution(x, w, eps=0.01) for x, w in zip(X, W)])
    np.testing.assert_allclose(together, one_by_one, atol=1e-12)
    shared = wiener_deconvolution(X, W[1], eps=0.01)
    np.testing.assert_allclose(shared[1], together[1], atol=1e-12)
    assert shared.shape == X.shape


def test_larger_eps_shrinks_the_estimate():
    rng = np.random.default_rng(2)
    w = ricker(25.0)
    x = np.convolve(band_limited_reflectivity(rng, f_peak=25.0), w, mode="same")
    norms = [
        np.linalg.norm(wiener_deconvolution(x, w, eps=e))
        for e in (1e-3, 1e-2, 1e-1, 1.0)
    ]
    assert np.all(np.diff(norms) < 0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"x": np.zeros((2, 3, 4))}, "1-D"),
        ({"x": [1.0, np.nan, 2.0]}, "NaN"),
        ({"wavelet": np.ones(4)}, "odd"),
        ({"wavelet": np.zeros(5)}, "all zeros"),
        ({"wavelet": np.ones((3, 5))}, "one wavelet per trace"),
        ({"eps": 0.0}, "positive"),
        ({"eps": "small"}, "number"),
        ({"x": np.array(["a", "b"])}, "numeric"),
    ],
)
def test_bad_input_raises_a_clear_error(kwargs, message):
    args = {"x": np.ones((2, 16)), "wavelet": ricker(30.0, m=5), "eps": 0.01, **kwargs}
    with pytest.raises((ValueError, TypeError), match=message):
        wiener_deconvolution(**args)


def test_amplitude_spectrum_peaks_at_a_sine_frequency():
    t = np.arange(200) * DT
    f, A = amplitude_spectrum(np.sin(2 * np.pi * 25.0 * t), DT, nfft=200)
    assert f[-1] == pytest.approx(250.0) and f[np.argmax(A)] == pytest.approx(25.0)
    f2, A2 = amplitude_spectrum(np.ones((3, 10)), DT, nfft=10)
    assert A2.shape == (3, 6) and A2[0, 0] == pytest.approx(10.0)


def test_amplitude_spectrum_zero_pads_by_default_to_resolve_a_short_wavelet():
    w = ricker(20.0)  # 65 samples, 7.7 Hz FFT bins
    f, A = amplitude_spectrum(w, DT)
    assert f.size == 512 // 2 + 1 and f[1] == pytest.approx(1 / (512 * DT))
    # padding samples the continuous spectrum: the nt-point bins are among the padded
    # ones
    f8, A8 = amplitude_spectrum(np.pad(w, (0, 65 * 8 - 65)), DT, nfft=65 * 8)
    np.testing.assert_allclose(
        A8[::8], amplitude_spectrum(w, DT, nfft=65)[1], atol=1e-12
    )
    # a Ricker's spectrum ∝ (f/f_p)² exp(−(f/f_p)²) peaks at f_p: 20 Hz, not the 23 Hz
    # bin
    assert abs(f[np.argmax(A)] - 20.0) <= f[1] / 2
    assert f8[np.argmax(A8)] == pytest.approx(20.0, abs=0.5)
    assert (
        amplitude_spectrum(np.ones(300), DT)[0].size == 2048 // 2 + 1
    )  # 4 × 300 → 2048
    assert amplitude_spectrum(np.ones(8), DT)[0].size == 256 // 2 + 1


@pytest.mark.parametrize(
    "args, error, match",
    [
        (([1.0], DT), ValueError, "at least 2"),
        ((np.ones(8), -DT), ValueError, "positive"),
        ((np.ones(8), DT, 4), ValueError, "nfft .*at least the 8 samples"),
        ((np.ones(8), DT, 16.0), TypeError, "nfft"),
        ((np.ones((2, 2, 8)), DT), ValueError, "1-D"),
    ],
)
def test_amplitude_spectrum_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        amplitude_spectrum(*args)


def test_bandpass_keeps_the_pass_band_and_removes_the_rest():
    t = np.arange(512) * DT
    inside, outside = np.sin(2 * np.pi * 30.0 * t), np.sin(2 * np.pi * 150.0 * t)
    y = bandpass(inside + outside, DT, (5.0, 10.0, 60.0, 80.0))
    mid = slice(100, 400)  # away from the ends, where the sines are cut
    np.testing.assert_allclose(y[mid], inside[mid], atol=0.05)
    spike = np.zeros(101)
    spike[50] = 1.0
    assert np.argmax(bandpass(spike, DT)) == 50  # zero phase: the peak stays put
    with pytest.raises(ValueError, match="f1 < f2"):
        bandpass(spike, DT, (10.0, 5.0, 60.0, 80.0))
    with pytest.raises(ValueError, match="Nyquist"):
        bandpass(spike, DT, (5.0, 10.0, 60.0, 300.0))
