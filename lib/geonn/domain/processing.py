"""Classical seismic processing: Wiener deconvolution, spectra, band-pass (chapter 8)
and the Wiener denoising filter (chapter 9).

The convolutional model of a trace (Yilmaz 2001, ch. 2) is

    x(t) = (r ∗ w)(t) + n(t),

with r the reflectivity, w the wavelet and n noise.  With the wavelet known,
the least-squares (Wiener) inverse filter in the frequency domain is

    R̂(f) = X(f) W*(f) / (|W(f)|² + ε · max_f |W(f)|²),

where ε is the white-noise (prewhitening) level, a fraction of the wavelet's
peak power: ε → 0 divides by the wavelet, larger ε damps the frequencies
where the wavelet is weak and noise would be amplified.

    >>> import numpy as np
    >>> w = np.array([0.5, 1.0, 0.5])
    >>> r = np.zeros(16); r[8] = 1.0
    >>> x = np.convolve(r, w, mode="same")
    >>> f, A = amplitude_spectrum(x, dt=0.002)           # zero-padded to 256 samples
    >>> f.shape, A.shape
    ((129,), (129,))
"""

import numpy as np

from geonn.core import _checks

__all__ = [
    "wiener_deconvolution",
    "amplitude_spectrum",
    "bandpass",
    "mean_power_spectrum",
    "estimate_snr_db",
    "wiener_denoise",
]


def _traces(name, x, min_length=1):
    return _checks.traces(name, x, min_length=min_length, max_ndim=2)


def _centred_spectrum(wavelet, nfft):
    """FFT of a zero-phase-centred wavelet (..., m), m odd, with its centre moved to
    sample 0."""
    m = wavelet.shape[-1]
    padded = np.zeros(wavelet.shape[:-1] + (nfft,))
    padded[..., : m - m // 2] = wavelet[..., m // 2 :]  # t ≥ 0
    if m // 2:
        padded[..., -(m // 2) :] = wavelet[..., : m // 2]  # t < 0 wraps to the end
    return np.fft.rfft(padded, axis=-1)


def wiener_deconvolution(x, wavelet, eps=0.01):
    """Least-squares estimate of the reflectivity of traces with a known wavelet.

    Parameters
    ----------
    x : (nt,) or (n_traces, nt) array
        Traces, r ∗ w + n, with r ∗ w the centred ("same") convolution.
    wavelet : (m,) or (n_traces, m) array, m odd
        The wavelet, sample m // 2 at t = 0 (as ``ricker`` returns it); one
        shared by all traces, or one per trace.
    eps : float > 0
        White-noise level as a fraction of the wavelet's peak power |W|².

    Returns
    -------
    r_hat : array shaped like ``x``
        R̂(f) = X W* / (|W|² + ε max|W|²), back in time.  The traces are padded
        with zeros to at least nt + m samples, so the filter does not wrap
        around the end of the trace.
    """
    x = _traces("wiener_deconvolution x", x)
    wavelet = _traces("wiener_deconvolution wavelet", wavelet)
    eps = _checks.positive("wiener_deconvolution eps", eps)
    m, nt = wavelet.shape[-1], x.shape[-1]
    if m % 2 == 0:
        raise ValueError(
            f"wiener_deconvolution wavelet needs an odd number of samples, centred "
            f"on t = 0; got {m}"
        )
    if wavelet.ndim == 2 and (x.ndim != 2 or wavelet.shape[0] != x.shape[0]):
        raise ValueError(
            f"wiener_deconvolution: one wavelet per trace needs as many wavelets "
            f"as traces; got wavelets {wavelet.shape} for traces {x.shape}"
        )
    if not np.any(wavelet):
        raise ValueError("wiener_deconvolution wavelet is all zeros")
    nfft = 1 << int(np.ceil(np.log2(nt + m)))
    W = _centred_spectrum(wavelet, nfft)
    power = np.abs(W) ** 2
    white = eps * power.max(axis=-1, keepdims=True)
    R = np.fft.rfft(x, n=nfft, axis=-1) * np.conj(W) / (power + white)
    return np.fft.irfft(R, n=nfft, axis=-1)[..., :nt]


def amplitude_spectrum(x, dt, nfft=None):
    """Amplitude spectrum |X(f)| of traces along their last axis, zero-padded to
    ``nfft``.

    Parameters
    ----------
    x : (nt,) or (n_traces, nt) array
    dt : float > 0, sample interval in seconds
    nfft : int ≥ nt, or None
        Length of the FFT: x is padded with zeros to nfft samples. An nt-point FFT
        samples the spectrum every 1 / (nt dt) Hz, 7.7 Hz for a 65-sample wavelet at
        2 ms, as wide as the wavelet's band edges are uncertain; zero padding samples
        the same continuous spectrum more densely (it adds no resolution: two lines
        closer than 1 / (nt dt) stay unresolved). None (the default): the smallest
        power of two ≥ max(4 nt, 256), bins of at most 1 / (4 nt dt) Hz.

    Returns
    -------
    f : (nfft // 2 + 1,) frequencies in Hz, 0 to the Nyquist frequency 1 / (2 dt)
    A : (..., nfft // 2 + 1) |Σ_k x_k e^{−2πi f k dt}|, in the units of x
    """
    x = _traces("amplitude_spectrum x", x, min_length=2)
    dt = _checks.positive("amplitude_spectrum dt (s)", dt)
    nt = x.shape[-1]
    if nfft is None:
        nfft = 1 << int(np.ceil(np.log2(max(4 * nt, 256))))
    nfft = _checks.integer(
        f"amplitude_spectrum nfft (FFT length, at least the {nt} samples of x)",
        nfft,
        low=nt,
    )
    return np.fft.rfftfreq(nfft, dt), np.abs(np.fft.rfft(x, n=nfft, axis=-1))


def bandpass(x, dt, corners=(5.0, 10.0, 60.0, 80.0)):
    """Zero-phase trapezoid (Ormsby-style) band-pass of traces along their last axis.

    The gain H(f) is 0 below f1 and above f4, 1 from f2 to f3, and rises and
    falls as sin² between (no phase shift, so spikes stay in place).  Traces
    are zero-padded to twice their length so the filter does not wrap around.

    Parameters
    ----------
    x : (nt,) or (n_traces, nt) array
    dt : float > 0, sample interval in seconds
    corners : (f1, f2, f3, f4) in Hz, 0 ≤ f1 < f2 ≤ f3 < f4 ≤ 1 / (2 dt)

    Returns
    -------
    array shaped like ``x``, the filtered traces
    """
    x = _traces("bandpass x", x, min_length=2)
    dt = _checks.positive("bandpass dt (s)", dt)
    what = "bandpass corners must be four frequencies (f1, f2, f3, f4) in Hz"
    if isinstance(corners, str) or not hasattr(corners, "__len__"):
        raise TypeError(f"{what}; got {type(corners).__name__} {corners!r}")
    if len(corners) != 4:
        raise ValueError(f"{what}; got {corners!r}")
    f1, f2, f3, f4 = (
        _checks.number(f"bandpass corner f{k + 1} (Hz)", c, low=0.0)
        for k, c in enumerate(corners)
    )
    if not (f1 < f2 <= f3 < f4 <= 0.5 / dt):
        raise ValueError(
            f"bandpass corners must satisfy f1 < f2 ≤ f3 < f4 ≤ Nyquist "
            f"{0.5 / dt:g} Hz; got {tuple(corners)}"
        )
    nt = x.shape[-1]
    f = np.fft.rfftfreq(2 * nt, dt)
    H = (
        np.sin(
            0.5
            * np.pi
            * np.clip(np.minimum((f - f1) / (f2 - f1), (f4 - f) / (f4 - f3)), 0.0, 1.0)
        )
        ** 2
    )
    return np.fft.irfft(np.fft.rfft(x, n=2 * nt, axis=-1) * H, n=2 * nt, axis=-1)[
        ..., :nt
    ]


def mean_power_spectrum(x):
    """Mean power spectrum (1/n) Σᵢ |Xᵢ(f)|² of n traces, each zero-padded to 2 nt.

    x : (n, nt) array (or (nt,), one trace) → (nt + 1,) powers at the frequencies
    ``np.fft.rfftfreq(2 * nt, dt)``, the grid :func:`wiener_denoise` filters on.
    """
    x = _traces("mean_power_spectrum x", x, min_length=2)
    nt = x.shape[-1]
    return np.mean(np.abs(np.fft.rfft(x.reshape(-1, nt), n=2 * nt)) ** 2, axis=0)


def _spectra(who, x, signal_power, noise_power):
    x = _traces(f"{who} x", x, min_length=2)
    shape = (x.shape[-1] + 1,)
    spectra = []
    for name, p in (("signal_power", signal_power), ("noise_power", noise_power)):
        p = _checks.finite(f"{who} {name}", _checks.array(f"{who} {name}", p))
        if p.shape != shape or p.min() < 0 or not p.any():
            raise ValueError(
                f"{who} {name} must be a power spectrum of shape {shape} "
                f"(mean_power_spectrum of traces of {shape[0] - 1} "
                f"samples), non-negative and not all zero; got shape {p.shape}"
            )
        spectra.append(p)
    return x, *spectra


def estimate_snr_db(x, signal_power, noise_power, quiet=1e-3):
    """SNR (dB) of each noisy trace, estimated from its own spectrum.

    Where the signal is quiet, S(f) < ``quiet`` · max S, and the noise is strong,
    N(f) > ½ max N, a trace's power |X(f)|² is noise alone, c N(f): c = Σ|X|² / ΣN
    over those frequencies.  The noise energy is then c ΣN, the signal energy
    Σ|X|² − c ΣN, and SNR = 10 log₁₀ (signal / noise), at least −40 dB.

    x : (nt,) or (n, nt); signal_power, noise_power : (nt + 1,), the mean power
    spectra (:func:`mean_power_spectrum`) of clean traces and of noise.
    Returns the SNR of each trace, (n,) (a float for one trace).
    """
    x, S, N = _spectra("estimate_snr_db", x, signal_power, noise_power)
    quiet = _checks.number(
        "estimate_snr_db quiet", quiet, low=0.0, high=1.0, low_open=True
    )
    band = (S < quiet * S.max()) & (N > 0.5 * N.max())
    if not band.any():
        raise ValueError(
            "estimate_snr_db: no frequency where the signal is quiet and "
            f"the noise strong (S < {quiet:g} max S, N > max N / 2): the "
            "noise level is not measurable; raise quiet"
        )
    P = np.abs(np.fft.rfft(x, n=2 * x.shape[-1], axis=-1)) ** 2
    noise = P[..., band].sum(axis=-1) / N[band].sum() * N.sum()
    signal = np.maximum(P.sum(axis=-1) - noise, 1e-4 * noise)  # floor: −40 dB
    return 10.0 * np.log10(signal / noise)


def wiener_denoise(x, signal_power, noise_power, snr_db=None):
    """Zero-phase Wiener filter H(f) = S(f) / (S(f) + N(f)) of traces in additive noise.

    S and N are the mean power spectra of the signal and of the noise
    (:func:`mean_power_spectrum`, e.g. of training traces and of their noise); N is
    rescaled to each trace's SNR, ΣN / ΣS = 10^(−SNR/10), so the filter passes
    nearly everything on a clean trace and only the strongest part of the signal's
    band on a noisy one.  Of all linear time-invariant filters it minimises the
    expected squared error for stationary signal and noise with these spectra
    (Wiener 1949).  Traces are zero-padded to 2 nt, as in :func:`bandpass`.

    x : (nt,) or (n, nt) noisy traces; signal_power, noise_power : (nt + 1,)
    snr_db : the input SNR in dB, a number or one per trace; None (default):
        estimated per trace by :func:`estimate_snr_db`
    Returns the filtered traces, shaped like ``x``.
    """
    x, S, N = _spectra("wiener_denoise", x, signal_power, noise_power)
    if snr_db is None:
        snr_db = estimate_snr_db(x, S, N)
    snr = np.asarray(snr_db, dtype=float)
    if snr.shape not in ((), x.shape[:-1]) or not np.all(np.isfinite(snr)):
        raise ValueError(
            f"wiener_denoise snr_db must be a finite number or one per "
            f"trace, shape {x.shape[:-1]}; got {snr_db!r}"
        )
    N = N * (S.sum() / N.sum()) * 10.0 ** (-snr[..., None] / 10.0)
    H = np.divide(S, S + N, out=np.zeros(N.shape), where=S + N > 0)  # 0 where both are
    nt = x.shape[-1]
    X = np.fft.rfft(x, n=2 * nt, axis=-1)
    return np.fft.irfft(X * H, n=2 * nt, axis=-1)[..., :nt]
