"""Synthetic seismic traces and shot gathers with exact labels (chapters 8–11).

:func:`make_traces` follows the convolutional model of a trace,

    x(t) = (r ∗ w)(t) + n(t),

with a blocky impedance log Z, its reflectivity r, a zero-phase Ricker
wavelet w (from bruges) and band-limited noise n at a chosen signal-to-noise
ratio.  :func:`make_gathers` draws small shot gathers whose first arrival has
linear moveout, so the first-break time of every trace is known exactly.
Times are in seconds, offsets in metres, velocities in m/s, frequencies in Hz.

    >>> import numpy as np
    >>> tr = make_traces(4, np.random.default_rng(0))
    >>> tr.x.shape, tr.reflectivity.shape
    ((4, 128), (4, 128))
    >>> g = make_gathers(2, np.random.default_rng(0))
    >>> g.x.shape, g.first_break.shape
    ((2, 32, 128), (2, 32))
"""

from typing import NamedTuple

import numpy as np

from geonn.core import _checks

from .signals import (
    _add_noise,
    _check_dt_f,
    _check_snr,
    _pair,
    _ricker_at,
    add_noise,
    band_limited_noise,
    ricker,
    snr_db,
)

__all__ = [
    "Traces",
    "Gathers",
    "ricker",
    "make_traces",
    "make_gathers",
    "snr_db",
    "band_limited_noise",
    "add_noise",
]


class Traces(NamedTuple):
    """Traces of the convolutional model; every array but ``t`` and ``f_peak`` is
    (n, nt)."""

    x: np.ndarray  # noisy traces, clean + noise
    clean: np.ndarray  # reflectivity ∗ wavelet
    reflectivity: np.ndarray  # r[i] = (Z[i] − Z[i−1]) / (Z[i] + Z[i−1]), r[0] = 0
    impedance: np.ndarray  # Z, in (m/s)·(g/cm³)
    f_peak: np.ndarray  # (n,) Hz, peak frequency of each trace's wavelet
    t: np.ndarray  # (nt,) s, two-way time of each sample
    dt: float  # s
    snr_db: float  # None for noise-free traces


class Gathers(NamedTuple):
    """Shot gathers: ``x`` and ``clean`` are (n, n_traces, nt); per-trace arrays
    (n, n_traces)."""

    x: np.ndarray  # recorded gathers: clean + noise, dead traces zero
    clean: (
        np.ndarray
    )  # noise-free signal (also for dead traces: what a live trace records)
    first_break: np.ndarray  # s, peak time of the first arrival's wavelet
    offset: np.ndarray  # (n_traces,) m, source–receiver distance
    t: np.ndarray  # (nt,) s
    v_near: np.ndarray  # (n,) m/s, apparent velocity of the first arrival
    t0: np.ndarray  # (n,) s, intercept time of the first arrival
    static: np.ndarray  # s, per-trace static shift (already inside first_break)
    f_peak: np.ndarray  # (n,) Hz
    dead: np.ndarray  # bool, trace recorded nothing
    noisy: np.ndarray  # bool, trace noise is ``noisy_gain`` times stronger
    dt: float  # s
    snr_db: float  # None for noise-free gathers


def make_traces(
    n,
    rng,
    *,
    nt=128,
    dt=0.002,
    f_range=(20.0, 40.0),
    snr_db=10.0,
    bed_samples=8.0,
    sigma_log_z=0.12,
    duration=0.128,
):
    """Draw ``n`` traces of the convolutional model x = r ∗ w + noise.

    Impedance: beds with geometric thicknesses of mean ``bed_samples`` samples
    (at least one interface per trace); ln Z starts at ln U(4000, 9000) (m/s·g/cm³)
    and steps by N(0, ``sigma_log_z``) at each interface, so |r| ≈ 0.05 on average
    (``sigma_log_z`` ≤ 1: a step of σ = 1 already gives |r| ≈ 0.4, and far larger
    ones overflow Z).
    Wavelet: a Ricker of f_peak ~ U(f_range) Hz per trace, ``duration`` s long,
    convolved with r keeping the samples aligned ('same'). Noise: band-limited
    (2 Hz to 0.8 × Nyquist, :func:`band_limited_noise`) at exactly ``snr_db`` dB
    per trace (None: no noise).
    """
    n = _checks.integer("n", n)
    rng = _checks.rng(rng, "make_traces")
    nt = _checks.integer("nt", nt, low=8)
    dt, f_lo, f_hi = _check_dt_f(dt, f_range)
    snr_db = _check_snr(snr_db)
    p = 1.0 / _checks.number("bed_samples", bed_samples, low=1.0)
    sigma = _checks.number("sigma_log_z", sigma_log_z, low=0.0, low_open=True, high=1.0)

    interface = rng.random((n, nt)) < p
    interface[np.arange(n), rng.integers(1, nt, n)] = True
    interface[:, 0] = False
    log_z = np.log(rng.uniform(4000.0, 9000.0, (n, 1))) + np.cumsum(
        interface * rng.normal(0.0, sigma, (n, nt)), axis=1
    )
    Z = np.exp(log_z)
    r = np.zeros((n, nt))
    r[:, 1:] = (Z[:, 1:] - Z[:, :-1]) / (Z[:, 1:] + Z[:, :-1])

    f_peak = rng.uniform(f_lo, f_hi, n)
    _, w = ricker(f_peak, dt, duration)
    m = w.shape[-1]
    size = nt + m - 1
    full = np.fft.irfft(np.fft.rfft(r, size) * np.fft.rfft(w, size), size)
    clean = full[:, m // 2 : m // 2 + nt]  # 'same': the wavelet's centre on the spike
    x = clean if snr_db is None else clean + _add_noise(clean, rng, dt, snr_db)
    return Traces(x, clean, r, Z, f_peak, np.arange(nt) * dt, dt, snr_db)


def make_gathers(
    n,
    rng,
    *,
    n_traces=32,
    nt=128,
    dt=0.002,
    offset0=20.0,
    d_offset=10.0,
    v_range=(1800.0, 3000.0),
    t0_range=(0.01, 0.04),
    f_range=(20.0, 40.0),
    static_ms=4.0,
    n_reflections=3,
    p_dead=0.03,
    p_noisy=0.03,
    noisy_gain=4.0,
    snr_db=10.0,
):
    """Draw ``n`` shot gathers with an exactly known first break on every trace.

    First arrival (direct/refracted wave), per gather v_near ~ U(v_range) m/s and
    t0 ~ U(t0_range) s, per trace a static ~ U(±static_ms) ms:

        first_break = t0 + offset / v_near + static    (s),

    the time of the peak of its zero-phase Ricker (f_peak ~ U(f_range) per gather),
    amplitude ∝ 1/√offset, 1 on the nearest trace: the geometrical spreading of a
    cylindrical wavefront, as in a 2-D model (a spherical wavefront in 3-D decays as
    1/r). Offsets are offset0 + d_offset·k m, k < n_traces.
    Then ``n_reflections`` hyperbolae t = √(τ² + offset²/v²) + static, τ after the
    first arrival's intercept, v ~ U(1.1, 1.8)·v_near, amplitude ±U(0.2, 0.6); a
    reflection is muted where it would arrive within 1.5/f_peak of the first break.
    Each live trace is dead (all zero) with probability ``p_dead`` or noisy (noise ×
    ``noisy_gain``) with probability ``p_noisy``. Noise: as in :func:`make_traces`, at
    ``snr_db`` dB per gather over its live, normal traces (None: no noise).
    """
    n = _checks.integer("n", n)
    rng = _checks.rng(rng, "make_gathers")
    n_traces = _checks.integer("n_traces", n_traces)
    nt = _checks.integer("nt", nt, low=8)
    dt, f_lo, f_hi = _check_dt_f(dt, f_range)
    snr_db = _check_snr(snr_db)
    offset0 = _checks.number("offset0", offset0, low=0.0)
    d_offset = _checks.positive("d_offset", d_offset)
    v_lo, v_hi = (
        _checks.positive(f"v_range[{i}]", v)
        for i, v in enumerate(_pair("v_range", v_range, "(v_low, v_high) in m/s"))
    )
    t_lo, t_hi = (
        _checks.number(f"t0_range[{i}]", v, low=0.0)
        for i, v in enumerate(_pair("t0_range", t0_range, "(t_low, t_high) in s"))
    )
    if v_lo > v_hi or t_lo > t_hi:
        raise ValueError(
            f"v_range and t0_range must be (low, high); got {v_range!r}, {t0_range!r}"
        )
    s = _checks.number("static_ms", static_ms, low=0.0) / 1000.0
    n_refl = _checks.integer("n_reflections", n_reflections, low=0)
    p_dead = _checks.number("p_dead", p_dead, low=0.0, high=1.0)
    p_noisy = _checks.number("p_noisy", p_noisy, low=0.0, high=1.0)
    if p_dead + p_noisy > 1.0:
        raise ValueError(f"p_dead + p_noisy must be ≤ 1; got {p_dead:g} + {p_noisy:g}")
    noisy_gain = _checks.positive("noisy_gain", noisy_gain)

    offset = offset0 + d_offset * np.arange(n_traces)
    t = np.arange(nt) * dt
    earliest, latest = t_lo - s, t_hi + offset[-1] / v_lo + s
    if earliest < 0 or latest > t[-1]:
        raise ValueError(
            f"first breaks would span {earliest * 1e3:.4g}–{latest * 1e3:.4g} ms, "
            f"outside the trace (0–{t[-1] * 1e3:.0f} ms): raise nt or v_range, "
            f"or shrink the offsets (offset0, d_offset), t0_range or static_ms"
        )

    v_near = rng.uniform(v_lo, v_hi, n)
    t0 = rng.uniform(t_lo, t_hi, n)
    f_peak = rng.uniform(f_lo, f_hi, n)
    static = rng.uniform(-s, s, (n, n_traces))
    first_break = t0[:, None] + offset / v_near[:, None] + static
    f3 = f_peak[:, None, None]
    near = max(offset0, d_offset)  # no 1/√0 at a zero offset
    clean = np.sqrt(near / np.maximum(offset, near))[:, None] * _ricker_at(
        t - first_break[..., None], f3
    )
    for _ in range(n_refl):
        tau = rng.uniform(t_hi + 0.03, t[-1], (n, 1))
        v = rng.uniform(1.1, 1.8, (n, 1)) * v_near[:, None]
        amp = rng.uniform(0.2, 0.6, (n, 1)) * rng.choice([-1.0, 1.0], (n, 1))
        arrival = np.sqrt(tau**2 + (offset / v) ** 2) + static
        amp = np.where(arrival > first_break + 1.5 / f_peak[:, None], amp, 0.0)
        clean += amp[..., None] * _ricker_at(t - arrival[..., None], f3)

    u = rng.random((n, n_traces))
    dead, noisy = u < p_dead, (u >= p_dead) & (u < p_dead + p_noisy)
    x = clean.copy()
    if snr_db is not None:
        noise = _add_noise(clean, rng, dt, snr_db, live=~(dead | noisy))
        x += noise * np.where(noisy, noisy_gain, 1.0)[..., None]
    x[dead] = 0.0
    return Gathers(
        x,
        clean,
        first_break,
        offset,
        t,
        v_near,
        t0,
        static,
        f_peak,
        dead,
        noisy,
        dt,
        snr_db,
    )
