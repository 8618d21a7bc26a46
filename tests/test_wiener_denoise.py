"""geonn.domain.processing's Wiener denoising filter (chapter 9's classical baseline):
the mean power spectrum by hand, H = S / (S + N) at its limits, the SNR estimate, a
gain over the identity and over a band-pass on band-limited traces, and clear errors
for bad input."""

import numpy as np
import pytest

from geonn.domain.datasets import add_noise, band_limited_noise, snr_db
from geonn.domain.processing import (
    bandpass,
    estimate_snr_db,
    mean_power_spectrum,
    wiener_denoise,
)

DT = 0.002


def _signal(n, rng, nt=128):
    """Traces with power only from 10 to 50 Hz: a signal quiet above 100 Hz."""
    return band_limited_noise((n, nt), rng, DT, band=(10.0, 50.0))


def test_mean_power_spectrum_by_hand():
    x = np.zeros((2, 4))
    x[0, 0], x[1, 1] = 1.0, 2.0  # |X(f)|² = 1 and 4 at every frequency
    assert mean_power_spectrum(x).shape == (5,)  # 2 nt = 8 points, 5 of rfft
    np.testing.assert_allclose(mean_power_spectrum(x), 2.5)
    np.testing.assert_allclose(mean_power_spectrum(x[0]), 1.0)


def test_the_filter_is_s_over_s_plus_n():
    rng = np.random.default_rng(0)
    S, N = rng.uniform(0.5, 2.0, 17), rng.uniform(0.5, 2.0, 17)
    x = rng.normal(size=(3, 16))
    snr = 10 * np.log10(S.sum() / N.sum())  # N used as given
    H = S / (S + N)
    want = np.fft.irfft(np.fft.rfft(x, n=32) * H, n=32)[:, :16]
    np.testing.assert_allclose(wiener_denoise(x, S, N, snr), want, atol=1e-12)
    # one SNR per trace is the same as one call per trace
    snrs = np.array([0.0, 10.0, 20.0])
    one_by_one = np.stack([wiener_denoise(xi, S, N, s) for xi, s in zip(x, snrs)])
    np.testing.assert_allclose(wiener_denoise(x, S, N, snrs), one_by_one, atol=1e-12)
    # nearly clean: the filter passes the trace; very noisy: it passes almost nothing
    np.testing.assert_allclose(wiener_denoise(x, S, N, 80.0), x, atol=1e-6)
    assert np.abs(wiener_denoise(x, S, N, -40.0)).max() < 1e-3 * np.abs(x).max()


def test_snr_estimate_and_gain_on_band_limited_traces():
    rng = np.random.default_rng(1)
    clean, test = _signal(400, rng), _signal(200, rng)
    train_noisy = add_noise(clean, rng.uniform(0.0, 20.0, len(clean)), rng, DT)
    S, N = mean_power_spectrum(clean), mean_power_spectrum(train_noisy - clean)
    for snr in (0.0, 10.0, 20.0):
        noisy = add_noise(test, snr, rng, DT)
        est = estimate_snr_db(noisy, S, N)
        assert est.shape == (200,) and abs(np.median(est) - snr) < 0.5
        gain = np.median(snr_db(test, wiener_denoise(noisy, S, N)) - snr)
        told = np.median(snr_db(test, wiener_denoise(noisy, S, N, snr)) - snr)
        passed = bandpass(noisy, DT, (5.0, 10.0, 50.0, 60.0))
        band = np.median(snr_db(test, passed) - snr)
        # at 0 dB in-band S/N = 198 / 40 ≈ 5: the Wiener filter's error is N S / (S + N)
        # in the band, a gain of 10 log10(198 / 40 · 6 / 5) = 7.7 dB; a band-pass keeps
        # all the in-band noise (at most 6.9 dB), and its edges cost more as SNR rises
        assert 4.5 < told < 7.9 and abs(gain - told) < 0.3 and gain > band + 0.5
    assert told > 4.5  # at 20 dB: far from "nothing to gain"


def test_bad_input_is_refused_with_a_clear_message():
    S, N, x = np.ones(17), np.ones(17), np.ones((2, 16))
    with pytest.raises(
        ValueError,
        match=r"signal_power must be a power spectrum of "
        r"shape \(17,\)",
    ):
        wiener_denoise(x, np.ones(16), N)
    with pytest.raises(ValueError, match="noise_power must be a power spectrum"):
        wiener_denoise(x, S, -N)
    with pytest.raises(ValueError, match="noise_power must be a power spectrum"):
        wiener_denoise(x, S, np.zeros(17))
    with pytest.raises(ValueError, match="signal_power contains 1 NaN"):
        wiener_denoise(x, np.r_[np.nan, S[1:]], N)
    with pytest.raises(ValueError, match="snr_db must be a finite number or one per"):
        wiener_denoise(x, S, N, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="snr_db must be a finite number"):
        wiener_denoise(x, S, N, np.nan)
    with pytest.raises(ValueError, match="no frequency where the signal is quiet"):
        estimate_snr_db(x, S, N)  # a flat signal is never quiet
    with pytest.raises(ValueError, match="quiet must be"):
        estimate_snr_db(x, np.r_[1.0, np.zeros(16)], N, quiet=0.0)
    with pytest.raises(ValueError, match="mean_power_spectrum x"):
        mean_power_spectrum(np.ones((2, 2, 4)))
