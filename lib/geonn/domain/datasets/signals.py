"""Signals for the synthetic seismic data: the Ricker wavelet, band-limited noise, SNR.

Helpers of :mod:`.seismic` (which re-exports the public ones). Times in s,
frequencies in Hz.
"""

import numpy as np

from geonn.core import _checks

from .elastic import _import_bruges

__all__ = ["ricker", "band_limited_noise", "snr_db", "add_noise"]


def _ricker_at(tau, f):
    """Zero-phase Ricker w(τ) = (1 − 2π²f²τ²) exp(−π²f²τ²), the formula of bruges."""
    a = (np.pi * f * tau) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def _pair(name, value, what):
    """A (low, high) pair, as a tuple or list of two; ``what`` names its entries."""
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise ValueError(f"{name} must be a pair {what}; got {value!r}")
    return value


def _check_dt_f(dt, f_range):
    dt = _checks.positive("dt", dt)
    _pair("f_range", f_range, "(f_low, f_high) in Hz")
    f_lo = _checks.positive("f_range[0]", f_range[0])
    f_hi = _checks.positive("f_range[1]", f_range[1])
    if f_lo > f_hi:
        raise ValueError(
            f"f_range must be (low, high) with low ≤ high; got {f_range!r}"
        )
    # a Ricker carries energy up to about 2.5 f_peak: keep it below Nyquist = 1/(2 dt)
    if f_hi > 1.0 / (5.0 * dt):
        raise ValueError(
            f"f_range[1] = {f_hi:g} Hz would alias at dt = {dt:g} s: a Ricker "
            f"needs f_peak ≤ 1/(5 dt) = {1 / (5 * dt):g} Hz"
        )
    return dt, f_lo, f_hi


def _check_snr(snr_db):
    return (
        None
        if snr_db is None
        else _checks.number("snr_db", snr_db, low=-40.0, high=80.0)
    )


def ricker(f_peak, dt=0.002, duration=0.128):
    """Zero-phase Ricker wavelet from ``bruges.filters.ricker``.

    Returns ``(t, w)``: t (m,) s, centred on 0 with m odd; w (m,) or, for an
    array of frequencies (k,), (k, m); w = 1 at t = 0.
    """
    dt = _checks.positive("dt", dt)
    duration = _checks.positive("duration", duration)
    f = _checks.array("f_peak", f_peak)
    if f.ndim > 1 or f.size == 0:
        raise ValueError(
            f"f_peak must be one frequency or a 1-D array of them (Hz); got shape "
            f"{f.shape}"
        )
    if not np.all(np.isfinite(f)) or np.any(f <= 0):
        raise ValueError(f"f_peak must be positive and finite (Hz); got {f_peak!r}")
    if np.any(f > 1.0 / (5.0 * dt)):
        raise ValueError(
            f"f_peak above 1/(5 dt) = {1 / (5 * dt):g} Hz would alias at dt = {dt:g} s"
        )
    if duration > 1e6 * dt:
        raise ValueError(
            f"duration = {duration:g} s is over a million samples of dt = {dt:g} s"
        )
    if duration < 2 * dt:
        raise ValueError(
            f"duration = {duration:g} s is shorter than two samples of dt = {dt:g} s"
        )
    w, t = _import_bruges().filters.ricker(duration, dt, f, return_t=True)
    return t, w


def band_limited_noise(shape, rng, dt=0.002, band=None):
    """Gaussian noise with a flat spectrum inside ``band`` (Hz) and none outside.

    Shape ``shape = (..., nt)``; every trace (last axis) has an RMS of exactly 1,
    so scaling by σ gives noise of RMS σ. The default band, 2 Hz to 0.8 × Nyquist,
    is that of a recording system's low-cut and anti-alias filters: the noise
    covers every frequency the signal has, so no band of a trace is noise-free.
    """
    rng = _checks.rng(rng, "band_limited_noise")
    dt = _checks.positive("dt", dt)
    shape = _checks.sizes("shape", shape, min_len=1)
    nt = _checks.integer("the trace length (last entry of shape)", shape[-1], low=2)
    if band is None:
        band = (2.0, 0.4 / dt)
    _pair("band", band, "(f_low, f_high) in Hz")
    lo, hi = (
        _checks.number(f"band[{i}]", b, low=0.0, high=0.5 / dt)
        for i, b in enumerate(band)
    )
    f = np.fft.rfftfreq(nt, dt)
    keep = (f >= lo) & (f <= hi)
    if lo >= hi or keep.sum() < 2:
        raise ValueError(
            f"band = {band!r} Hz holds fewer than two frequencies of a "
            f"{nt}-sample trace at dt = {dt:g} s"
        )
    spectrum = np.fft.rfft(rng.standard_normal(shape), axis=-1) * keep
    n = np.fft.irfft(spectrum, nt, axis=-1)
    return n / np.sqrt(np.mean(n**2, axis=-1, keepdims=True))


def snr_db(clean, noisy):
    """Signal-to-noise ratio per trace, 10 log10(Σ clean² / Σ (noisy − clean)²), in dB.

    Shapes (..., nt) → (...): sums run over the last axis (time). A noise-free
    trace (noisy = clean) has an SNR of +inf; an all-zero clean trace has no signal
    to measure against, and is refused.
    """
    clean = _checks.traces("clean", clean)
    noisy = _checks.traces("noisy", noisy)
    if clean.shape != noisy.shape:
        raise ValueError(
            f"clean and noisy must have the same shape; got {clean.shape} "
            f"and {noisy.shape}"
        )
    # each scaled by a power of two at 1e200 (exactly; e = 0 otherwise), so that the
    # squares cannot overflow: the exponents come back as 20 log10(2) per step
    (signal,), e_s = _checks.unit_scale(clean)
    (noise,), e_n = _checks.unit_scale(noisy - clean)
    signal, noise = np.sum(signal**2, axis=-1), np.sum(noise**2, axis=-1)
    if np.any(signal == 0):
        raise ValueError(
            f"{int(np.sum(signal == 0))} trace(s) of clean are all zero: an SNR "
            f"needs signal (drop dead traces first)"
        )
    with np.errstate(divide="ignore"):  # a noise-free trace has an infinite SNR
        return 10.0 * np.log10(signal / noise) + 20.0 * np.log10(2.0) * (e_s - e_n)


def _add_noise(clean, rng, dt, snr_db, live=None):
    """clean + noise whose power is Σclean²/10^(snr/10) over the (live) traces of
    axis -2."""
    noise = band_limited_noise(clean.shape, rng, dt)
    power = clean**2 if live is None else clean**2 * live[..., None]
    count = (
        clean.shape[-1]
        if live is None
        else clean.shape[-1] * np.maximum(live.sum(-1), 1)
    )
    axes = -1 if live is None else (-2, -1)
    sigma = np.sqrt(power.sum(axis=axes) / count / 10.0 ** (snr_db / 10.0))
    return noise * (sigma[..., None] if live is None else sigma[..., None, None])


def add_noise(clean, snr_db, rng, dt=0.002):
    """``clean`` plus band-limited noise at exactly ``snr_db`` dB on every trace.

    clean : (..., nt) traces, each with some signal; snr_db : a number, or an
    array of shape (...) with one SNR per trace (dB, between −40 and 80).
    The noise of trace i has RMS σᵢ = RMS(cleanᵢ) · 10^(−snrᵢ/20), so
    :func:`snr_db` of the result gives back ``snr_db``.
    """
    clean = _checks.traces("clean", clean, min_length=2)
    if clean.size == 0:
        raise ValueError(f"clean holds no traces; got shape {clean.shape}")
    snr = _checks.array("snr_db", snr_db)
    try:
        snr = np.broadcast_to(snr, clean.shape[:-1])
    except ValueError as err:
        raise ValueError(
            f"snr_db must be a number or one SNR per trace, shape {clean.shape[:-1]}; "
            f"got shape {snr.shape}"
        ) from err
    if not np.all(np.isfinite(snr)) or snr.min() < -40.0 or snr.max() > 80.0:
        raise ValueError(
            f"snr_db must be finite and between -40 and 80 dB; got "
            f"{snr.min():g} to {snr.max():g}"
        )
    (scaled,), e = _checks.unit_scale(clean)  # clean² would overflow at 1e200
    rms = np.ldexp(np.sqrt(np.mean(scaled**2, axis=-1)), e)
    if np.any(rms == 0):
        raise ValueError(
            f"{int(np.sum(rms == 0))} trace(s) of clean are all zero: an SNR needs "
            f"signal (drop dead traces first)"
        )
    noise = band_limited_noise(clean.shape, rng, dt)
    return clean + (rms * 10.0 ** (-snr / 20.0))[..., None] * noise
