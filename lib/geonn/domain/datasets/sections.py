"""Synthetic faulted seismic sections with exact fault labels (chapter 11).

In the spirit of the training sets of fault segmentation (Wu et al., 2019): a
layered earth, folded, cut by one to three planar faults, imaged by the
convolutional model along time. Every output pixel (z, x) (z in samples down,
x in traces) is *pulled back* to where its rock was before the deformation:

1. faults, youngest first: a pixel on the hanging wall of fault k (the block above
   its plane x = x₀ + s (z − H/2) cot θ, s = ±1 its dip direction, θ its dip from
   the horizontal) came from (z − d, x − s d cot θ), d the throw in samples
   (d > 0 normal: the hanging wall moved down the dip; d < 0 reverse: up);
2. folding: relative geologic time τ = z − g(x)(1 + z/H)/2 − a (x − W/2), g a sum
   of Gaussians in x (amplitude growing with depth) and a a tilt;
3. layers: ln Z(τ) is blocky (beds of geometric thickness), its interfaces τ_j
   on a grid every 1/8 sample with coefficients r_j = tanh(Δ ln Z_j / 2) =
   (Z_j − Z_j−1)/(Z_j + Z_j−1); an interface crossing a trace between samples k
   and k+1 at z_j = k + (τ_j − τ_k)/(τ_k+1 − τ_k) (sub-sample throws and folds) is
   shared between them linearly; the sample interval cut by a fault reflects
   nothing (no fault-plane reflection: steep planes are seldom imaged);
4. clean(z, x) = Σ_k r_k(x) w((z − k) dt), a Ricker w of peak f_peak, over the
   section and P samples above and below it; then band-limited noise (2 Hz to
   0.8 Nyquist, as in :mod:`.seismic`) at ``snr_db`` dB per section:
   10 log10(Σ clean² / Σ noise²) over the section's pixels.

Label: pixel (z, x) is a fault pixel of fault k when |x' − x_k(z')| < 1, with
(z', x') the pixel pulled back through the faults younger than k (so an older
fault is offset by a younger one) and x_k(z') its plane: in every row, the one or
two traces less than one trace from the plane (two where it passes between traces,
one where it passes through a trace), i.e. where the layers of the two blocks meet
displaced; ``throw`` holds d there (the youngest fault's where two meet). Faults
with |d| < ``min_throw`` are drawn but not labelled.

    >>> import numpy as np
    >>> s = make_sections(3, np.random.default_rng(0))
    >>> s.x.shape, s.fault.dtype, s.dip.shape
    ((3, 64, 64), dtype('bool'), (3, 3))
"""

from typing import NamedTuple

import numpy as np

from geonn.core import _checks

from .signals import _add_noise, _check_dt_f, _check_snr, _ricker_at

__all__ = ["Sections", "make_sections"]

_STEPS = 8  # interfaces on a grid of τ every 1/8 sample
_CHUNK = 128  # sections drawn at a time


class Sections(NamedTuple):
    """Faulted sections: images are (n, H, W) (time down, traces across); per-fault
    arrays are (n, max_faults) with NaN (or "") where a section has fewer faults."""

    x: np.ndarray  # clean + noise
    clean: np.ndarray  # reflectivity ∗ Ricker
    fault: np.ndarray  # bool, fault pixels (see the module docstring)
    throw: np.ndarray  # signed throw (samples) on fault pixels, 0 elsewhere
    rgt: np.ndarray  # τ, relative geologic time (samples) of each pixel's rock
    n_faults: np.ndarray  # (n,) int
    dip: np.ndarray  # degrees from the horizontal
    fault_throw: np.ndarray  # samples, > 0 normal, < 0 reverse
    kind: np.ndarray  # "normal" / "reverse" / "" (no fault)
    direction: np.ndarray  # +1: plane deepens towards larger x; −1 the other way
    x0: np.ndarray  # trace where the plane crosses z = H/2 (before younger faults)
    labelled: np.ndarray  # bool, |throw| ≥ min_throw
    f_peak: np.ndarray  # (n,) Hz
    t: np.ndarray  # (H,) s
    dt: float  # s
    snr_db: np.ndarray  # (n,) dB per section; None without noise


def _pair(name, value, low=None, high=None):
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise ValueError(f"{name} must be a pair (low, high); got {value!r}")
    lo, hi = (
        _checks.number(f"{name}[{i}]", v, low=low, high=high)
        for i, v in enumerate(value)
    )
    if lo > hi:
        raise ValueError(f"{name} must be (low, high) with low ≤ high; got {value!r}")
    return lo, hi


def make_sections(
    n,
    rng,
    *,
    height=64,
    width=64,
    dt=0.002,
    f_range=(25.0, 45.0),
    snr_db=10.0,
    n_faults=(1, 3),
    dip_range=(55.0, 80.0),
    throw_range=(2.0, 6.0),
    p_reverse=0.5,
    min_throw=1.0,
    bed_samples=3.0,
    sigma_log_z=0.2,
    fold_amp=6.0,
    tilt=0.15,
):
    """Draw ``n`` faulted sections (n, height, width) with exact fault labels.

    Per section: a Ricker of f_peak ~ U(f_range) Hz; beds of geometric thickness,
    mean ``bed_samples`` samples, ln Z stepping by N(0, ``sigma_log_z``); 1–3
    Gaussian folds of amplitude U(±``fold_amp``) samples and width U(W/8, W/3)
    traces plus a tilt U(±``tilt``) samples per trace; m ~ U{n_faults} faults, their
    x₀ spread over the middle 70 % of the traces, dip ~ U(dip_range) degrees,
    direction ±1, |throw| ~ U(throw_range) samples, reverse with probability
    ``p_reverse``. ``snr_db``: a number, a pair (low, high) drawn per section, or
    None (no noise). The equations and the label are in the module docstring.
    """
    kw = {k: v for k, v in locals().items() if k not in ("n", "rng")}
    n = _checks.integer("n", n)
    rng = _checks.rng(rng, "make_sections")
    if n > _CHUNK:  # in chunks, so that the work arrays (~0.5 MB a section) stay small
        parts = [
            make_sections(min(_CHUNK, n - i), rng, **kw) for i in range(0, n, _CHUNK)
        ]

        def join(name, values):  # t, dt (and snr_db = None) are the same in all
            shared = name in ("t", "dt") or values[0] is None
            return values[0] if shared else np.concatenate(values)

        columns = zip(Sections._fields, zip(*parts, strict=True), strict=True)
        return Sections(*(join(name, values) for name, values in columns))
    H = _checks.integer("height", height, low=8)
    W = _checks.integer("width", width, low=8)
    dt, f_lo, f_hi = _check_dt_f(dt, f_range)
    if isinstance(snr_db, (tuple, list)):
        snr_lo, snr_hi = _pair("snr_db", snr_db, low=-40.0, high=80.0)
    else:
        snr_lo = snr_hi = _check_snr(snr_db)
    if not (isinstance(n_faults, (tuple, list)) and len(n_faults) == 2):
        raise ValueError(f"n_faults must be a pair (low, high); got {n_faults!r}")
    m_lo, m_hi = n_faults
    m_lo = _checks.integer("n_faults[0]", m_lo, low=0)
    m_hi = _checks.integer("n_faults[1]", m_hi, low=m_lo)
    dip_lo, dip_hi = _pair("dip_range", dip_range, low=1.0, high=90.0)
    d_lo, d_hi = _pair("throw_range", throw_range, low=0.0)
    if d_hi > H / 4:
        raise ValueError(
            f"throw_range[1] must be ≤ height/4 = {H / 4:g} samples; got {d_hi:g} "
            f"(lower it or raise height)"
        )
    p_reverse = _checks.number("p_reverse", p_reverse, low=0.0, high=1.0)
    min_throw = _checks.number("min_throw", min_throw, low=0.0)
    p_bed = 1.0 / _checks.number("bed_samples", bed_samples, low=1.0 / _STEPS)
    sigma = _checks.positive("sigma_log_z", sigma_log_z)
    # |g| ≤ 3 fold_amp keeps ∂τ/∂z = 1 − g/(2H) within (0.5, 1.5): time increases
    # downwards, and no fold is mistaken for a fault by _reflectivity
    fold_amp = _checks.number("fold_amp", fold_amp, low=0.0)
    if fold_amp > H / 4:
        raise ValueError(
            f"fold_amp must be ≤ height/4 = {H / 4:g} samples; got {fold_amp:g} "
            f"(lower it or raise height)"
        )
    tilt = _checks.number("tilt", tilt, low=0.0, high=1.0)

    F = max(m_hi, 1)
    f_peak = rng.uniform(f_lo, f_hi, n)
    m = rng.integers(m_lo, m_hi + 1, n)
    exists = np.arange(F) < m[:, None]
    # one fault per slot of the middle 70 % of the traces, so that they rarely merge
    slot = (np.arange(F) + rng.uniform(0.15, 0.85, (n, F))) / np.maximum(m, 1)[:, None]
    x0 = (W - 1) * (0.15 + 0.7 * slot)
    dip = rng.uniform(dip_lo, dip_hi, (n, F))
    direction = rng.choice([-1.0, 1.0], (n, F))
    sign = np.where(rng.random((n, F)) < p_reverse, -1.0, 1.0)
    d = np.where(exists, sign * rng.uniform(d_lo, d_hi, (n, F)), 0.0)
    cot = direction / np.tan(np.radians(dip))

    # P samples above and below the section, so that reflections from outside it
    # reach into it, as in a window of a longer record; traces along the last axis
    P = int(np.ceil(1.0 / (f_lo * dt)))
    z = np.arange(-P, H + P, dtype=float)
    zz = np.broadcast_to(z, (n, W, z.size)).copy()
    xx = np.broadcast_to(np.arange(W, dtype=float)[:, None], zz.shape).copy()
    near = np.zeros((F, n, W, H), dtype=bool)
    for k in reversed(range(F)):  # youngest first: undo it, then the older ones
        ck, dk = cot[:, k, None, None], d[:, k, None, None]
        dist = xx - (x0[:, k, None, None] + (zz - H / 2) * ck)
        near[k] = np.abs(dist[..., P : P + H]) < 1.0
        hanging = direction[:, k, None, None] * dist > 0
        zz -= np.where(hanging, dk, 0.0)
        xx -= np.where(hanging, dk * ck, 0.0)

    n_g = np.arange(3) < rng.integers(1, 4, (n, 1))
    amp = rng.uniform(-fold_amp, fold_amp, (n, 3)) * n_g
    centre, sd = rng.uniform(0.0, W, (n, 3)), rng.uniform(W / 8, W / 3, (n, 3))
    g = sum(
        amp[:, j, None, None]
        * np.exp(-0.5 * ((xx - centre[:, j, None, None]) / sd[:, j, None, None]) ** 2)
        for j in range(3)
    )
    a = rng.uniform(-tilt, tilt, (n, 1, 1))
    tau = zz - g * (1.0 + zz / H) / 2.0 - a * (xx - W / 2)
    r = _reflectivity(tau, rng, p_bed, sigma)

    lag = (np.arange(H) - z[:, None]) * dt  # (Nz, H): w(t_i − z_m dt)
    clean_T = np.matmul(r, _ricker_at(lag, f_peak[:, None, None]))  # (n, W, H)
    snr, x_T = None, clean_T
    if snr_lo is not None:
        snr = rng.uniform(snr_lo, snr_hi, n)
        live = np.ones((n, W), dtype=bool)
        x_T = clean_T + _add_noise(clean_T, rng, dt, snr, live=live)

    labelled = exists & (np.abs(d) >= min_throw)
    fault = np.zeros((n, W, H), dtype=bool)
    throw = np.zeros((n, W, H))
    for k in range(F):  # older first, so a younger fault's throw wins where they meet
        mask = near[k] & labelled[:, k, None, None]
        fault |= mask
        throw[mask] = np.broadcast_to(d[:, k, None, None], mask.shape)[mask]

    def image(a):  # (n, W, H) → (n, H, W)
        return np.ascontiguousarray(a.transpose(0, 2, 1))

    kind = np.where(exists, np.where(d < 0, "reverse", "normal"), "")
    nan = np.where(exists, 1.0, np.nan)
    return Sections(
        image(x_T),
        image(clean_T),
        image(fault),
        image(throw),
        image(tau[..., P : P + H]),
        m,
        dip * nan,
        d * nan,
        kind,
        direction * nan,
        x0 * nan,
        labelled,
        f_peak,
        np.arange(H) * dt,
        dt,
        snr,
    )


def _reflectivity(tau, rng, p_bed, sigma):
    """Reflectivity (n, W, Nz) on the pixels, from the rock time τ (n, W, Nz).

    Interfaces lie on a grid of τ every 1/_STEPS sample, with probability
    p_bed/_STEPS each, coefficients r_j = tanh(Δ ln Z_j / 2), Δ ln Z_j ~ N(0, σ).
    The interfaces of a sample interval (k, k+1] of a trace, τ_j ∈ (τ_k, τ_k+1],
    lie at z_j = k + (τ_j − τ_k)/Δτ_k; each is split between samples k and k+1 in
    proportion to its distance (linear interpolation of a spike, exact for the
    first moment), through the cumulative sums C₀ = Σ r_j and C₁ = Σ r_j τ_j.
    An interval cut by a fault (Δτ < 1/2 or > 3/2) reflects nothing: steep fault
    planes are seldom imaged.
    """
    n = tau.shape[0]
    lo = int(np.floor(tau.min() * _STEPS)) - 1
    n_tau = int(np.ceil(tau.max() * _STEPS)) - lo + 1
    tau_j = (lo + np.arange(n_tau)) / _STEPS
    bed = rng.random((n, n_tau)) < p_bed / _STEPS
    r_j = np.tanh(bed * rng.normal(0.0, sigma / 2, (n, n_tau)))
    idx = (np.floor(tau * _STEPS).astype(np.intp) - lo).reshape(n, -1)
    c0 = np.take_along_axis(np.cumsum(r_j, 1), idx, 1).reshape(tau.shape)
    c1 = np.take_along_axis(np.cumsum(r_j * tau_j, 1), idx, 1).reshape(tau.shape)
    d_tau = np.diff(tau, axis=-1)
    smooth = (d_tau > 0.5) & (d_tau < 1.5)
    R = np.where(smooth, np.diff(c0, axis=-1), 0.0)
    M = np.where(smooth, (np.diff(c1, axis=-1) - tau[..., :-1] * R) / d_tau, 0.0)
    r = np.zeros_like(tau)
    r[..., :-1] += R - M
    r[..., 1:] += M
    return r
