"""geonn.domain.datasets.seismic: shapes, labels, determinism, SNR and argument
errors."""

import time

import numpy as np
import pytest

from geonn.domain.datasets import (
    Gathers,
    Traces,
    band_limited_noise,
    make_gathers,
    make_traces,
    ricker,
    snr_db,
)


def rng(seed=0):
    return np.random.default_rng(seed)


def test_ricker_is_bruges_zero_phase_wavelet():
    t, w = ricker(30.0, dt=0.002, duration=0.128)
    assert t.shape == w.shape == (65,)
    assert t[32] == 0.0 and w[32] == 1.0 and np.argmax(w) == 32
    np.testing.assert_allclose(w, w[::-1])  # zero phase: symmetric
    a = (np.pi * 30.0 * t) ** 2
    np.testing.assert_allclose(w, (1 - 2 * a) * np.exp(-a), atol=1e-15)
    _, W = ricker(np.array([20.0, 40.0]))
    assert W.shape == (2, 65)


def test_traces_shapes_and_convolutional_model():
    tr = make_traces(6, rng(), nt=100, snr_db=None)
    assert isinstance(tr, Traces)
    for a in (tr.x, tr.clean, tr.reflectivity, tr.impedance):
        assert a.shape == (6, 100)
    assert tr.f_peak.shape == (6,) and np.all((tr.f_peak >= 20) & (tr.f_peak <= 40))
    np.testing.assert_allclose(tr.t, 0.002 * np.arange(100))
    np.testing.assert_array_equal(tr.x, tr.clean)
    # r from Z, and clean = r ∗ w sample-aligned (numpy's 'same' keeps the wavelet
    # centred)
    Z = tr.impedance
    np.testing.assert_allclose(
        tr.reflectivity[:, 1:], (Z[:, 1:] - Z[:, :-1]) / (Z[:, 1:] + Z[:, :-1])
    )
    assert np.all(tr.reflectivity[:, 0] == 0) and np.all(
        np.any(tr.reflectivity != 0, axis=1)
    )
    for i in range(6):
        _, w = ricker(tr.f_peak[i])
        np.testing.assert_allclose(
            tr.clean[i], np.convolve(tr.reflectivity[i], w, "same"), atol=1e-12
        )


def test_snr_is_what_was_asked():
    for snr in (0.0, 10.0, 25.0):
        tr = make_traces(50, rng(1), snr_db=snr)
        np.testing.assert_allclose(snr_db(tr.clean, tr.x), snr, atol=1e-9)
    g = make_gathers(20, rng(2), snr_db=5.0)
    normal = ~(g.dead | g.noisy)
    signal = np.sum(g.clean**2 * normal[..., None], axis=(1, 2))
    noise = np.sum((g.x - g.clean) ** 2 * normal[..., None], axis=(1, 2))
    np.testing.assert_allclose(10 * np.log10(signal / noise), 5.0, atol=1e-9)


def test_noise_is_band_limited_with_unit_rms():
    n = band_limited_noise((3, 4, 256), rng(), dt=0.002, band=(10.0, 60.0))
    np.testing.assert_allclose(np.sqrt(np.mean(n**2, axis=-1)), 1.0)
    f = np.fft.rfftfreq(256, 0.002)
    power = np.abs(np.fft.rfft(n, axis=-1)) ** 2
    assert power[..., (f < 10) | (f > 60)].max() < 1e-20
    # the default covers the whole signal band: 2 Hz to 0.8 × Nyquist (200 Hz at 2 ms)
    power = np.abs(np.fft.rfft(band_limited_noise((200, 256), rng(1)), axis=-1)) ** 2
    inside = (f >= 2) & (f <= 200)
    assert (
        power[:, ~inside].max() < 1e-20
        and power[:, inside].mean(axis=0).min() > 0.3 * power.mean()
    )


def test_first_break_definition():
    g = make_gathers(5, rng(3), snr_db=None, n_reflections=0, static_ms=0.0)
    np.testing.assert_allclose(
        g.first_break, g.t0[:, None] + g.offset / g.v_near[:, None]
    )
    g = make_gathers(5, rng(3), snr_db=None, n_reflections=0)
    np.testing.assert_allclose(
        g.first_break, g.t0[:, None] + g.offset / g.v_near[:, None] + g.static
    )
    assert np.all(np.abs(g.static) <= 0.004)
    # the first break is the peak of the zero-phase wavelet: the trace is largest there
    live = ~g.dead
    peak = g.t[np.argmax(g.clean, axis=-1)]
    assert np.all(np.abs(peak - g.first_break)[live] <= g.dt / 2 + 1e-12)
    # with reflections, nothing arrives before the first break's wavelet
    g = make_gathers(20, rng(4), snr_db=None, n_traces=24)
    for i, j in zip(*np.nonzero(~g.dead)):
        early = g.t < g.first_break[i, j] - 1.5 / g.f_peak[i]
        assert np.max(np.abs(g.clean[i, j, early]), initial=0.0) < 0.02


def test_gathers_shapes_dead_and_noisy_traces():
    g = make_gathers(40, rng(5), n_traces=16, nt=100, p_dead=0.1, p_noisy=0.1)
    assert isinstance(g, Gathers)
    assert g.x.shape == g.clean.shape == (40, 16, 100)
    for a in (g.first_break, g.static, g.dead, g.noisy):
        assert a.shape == (40, 16)
    assert g.offset.shape == (
        16,
    ) and g.v_near.shape == g.t0.shape == g.f_peak.shape == (40,)
    assert np.all(g.x[g.dead] == 0) and not np.any(g.dead & g.noisy)
    assert 0.03 < g.dead.mean() < 0.2 and 0.03 < g.noisy.mean() < 0.2
    assert np.all((g.first_break > 0) & (g.first_break < g.t[-1]))
    rms = np.sqrt(np.mean((g.x - g.clean) ** 2, axis=-1))
    normal = ~(g.dead | g.noisy)
    assert np.median(rms[g.noisy]) > 3 * np.median(rms[normal])


def test_determinism_under_a_seed():
    a, b = make_gathers(3, rng(7)), make_gathers(3, rng(7))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    a, b = make_traces(3, rng(7)), make_traces(3, rng(7))
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(make_traces(3, rng(8)).x, a.x)


def test_generation_is_fast():
    make_traces(2, rng()), make_gathers(2, rng())  # bruges' import is not timed
    start = time.process_time()
    make_traces(2000, rng())
    make_gathers(500, rng())
    assert time.process_time() - start < 5.0  # ~0.4 s here; generous for CI


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(snr_db=float("nan")), "snr_db must be finite"),
        (dict(snr_db="10"), "snr_db must be a number"),
        (dict(f_range=(40.0, 20.0)), "low ≤ high"),
        (dict(f_range=(20.0, 150.0)), "would alias"),
        (dict(f_range=(0.0, 30.0)), r"f_range\[0\] must be positive"),
        (dict(f_range=30.0), "must be a pair"),
        (dict(nt=4), "nt must be an integer ≥ 8"),
        (dict(dt=-0.002), "dt must be positive"),
    ],
)
def test_traces_bad_arguments(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make_traces(4, rng(), **kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(nt=64), "outside the trace"),
        (dict(v_range=(500.0, 3000.0)), "outside the trace"),
        (dict(t0_range=(0.0, 0.03)), "outside the trace"),
        (dict(v_range=(3000.0, 1800.0)), r"\(low, high\)"),
        (dict(p_dead=0.7, p_noisy=0.5), "p_dead \\+ p_noisy"),
        (dict(p_dead=-0.1), "p_dead must be ≥ 0"),
        (dict(n_traces=0), "n_traces must be a positive integer"),
        (dict(snr_db=200.0), "snr_db must be ≤ 80"),
    ],
)
def test_gathers_bad_arguments(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make_gathers(2, rng(), **kwargs)


def test_bad_rng_and_sizes():
    with pytest.raises(TypeError, match="default_rng"):
        make_traces(3, 0)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        make_gathers(0, rng())
    with pytest.raises(ValueError, match="same shape"):
        snr_db(np.zeros((2, 5)), np.zeros((2, 6)))
    with pytest.raises(ValueError, match="fewer than two frequencies"):
        band_limited_noise((2, 16), rng(), band=(100.0, 90.0))
    with pytest.raises(ValueError, match="band\\[1\\] must be ≤ 250"):
        band_limited_noise((2, 16), rng(), band=(5.0, 300.0))
