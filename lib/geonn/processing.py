"""Classical seismic processing for chapter 8: Wiener deconvolution and spectra.

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

from . import _checks

__all__ = ["wiener_deconvolution", "amplitude_spectrum", "bandpass"]


def _traces(name, x, min_length=1):
    return _checks.traces(name, x, min_length=min_length, max_ndim=2)


def _centred_spectrum(wavelet, nfft):
    """FFT of a zero-phase-centred wavelet (..., m), m odd, with its centre moved to sample 0."""
    m = wavelet.shape[-1]
    padded = np.zeros(wavelet.shape[:-1] + (nfft,))
    padded[..., :m - m // 2] = wavelet[..., m // 2:]      # t ≥ 0
    if m // 2:
        padded[..., -(m // 2):] = wavelet[..., :m // 2]   # t < 0 wraps to the end
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
        raise ValueError(f"wiener_deconvolution wavelet needs an odd number of samples, centred "
                         f"on t = 0; got {m}")
    if wavelet.ndim == 2 and (x.ndim != 2 or wavelet.shape[0] != x.shape[0]):
        raise ValueError(f"wiener_deconvolution: one wavelet per trace needs as many wavelets "
                         f"as traces; got wavelets {wavelet.shape} for traces {x.shape}")
    if not np.any(wavelet):
        raise ValueError("wiener_deconvolution wavelet is all zeros")
    nfft = 1 << int(np.ceil(np.log2(nt + m)))
    W = _centred_spectrum(wavelet, nfft)
    power = np.abs(W) ** 2
    white = eps * power.max(axis=-1, keepdims=True)
    R = np.fft.rfft(x, n=nfft, axis=-1) * np.conj(W) / (power + white)
    return np.fft.irfft(R, n=nfft, axis=-1)[..., :nt]


def amplitude_spectrum(x, dt, nfft=None):
    """Amplitude spectrum |X(f)| of traces along their last axis, zero-padded to ``nfft``.

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
    nfft = _checks.integer(f"amplitude_spectrum nfft (FFT length, at least the {nt} "
                           f"samples of x)", nfft, low=nt)
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
    f1, f2, f3, f4 = (_checks.number(f"bandpass corner f{k + 1} (Hz)", c, low=0.0)
                      for k, c in enumerate(corners))
    if not (f1 < f2 <= f3 < f4 <= 0.5 / dt):
        raise ValueError(f"bandpass corners must satisfy f1 < f2 ≤ f3 < f4 ≤ Nyquist "
                         f"{0.5 / dt:g} Hz; got {tuple(corners)}")
    nt = x.shape[-1]
    f = np.fft.rfftfreq(2 * nt, dt)
    H = np.sin(0.5 * np.pi * np.clip(np.minimum((f - f1) / (f2 - f1), (f4 - f) / (f4 - f3)),
                                     0.0, 1.0)) ** 2
    return np.fft.irfft(np.fft.rfft(x, n=2 * nt, axis=-1) * H, n=2 * nt, axis=-1)[..., :nt]
