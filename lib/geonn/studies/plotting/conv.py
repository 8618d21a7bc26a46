"""Figures for convolutional networks on traces (chapter 8): traces, kernels,
spectra."""

import matplotlib.pyplot as plt
import numpy as np

from geonn.domain.processing import amplitude_spectrum

from .style import TEXT_WIDTH, new_ax

__all__ = ["plot_traces", "plot_kernels"]


def plot_traces(t, traces, ax=None, labels=None, spacing=None, title=None, styles=None):
    """Traces side by side, time down, each offset to its own column.

    Parameters
    ----------
    t : (nt,) times in seconds (drawn in ms)
    traces : (n, nt) array, or a list of such arrays drawn over each other
        (e.g. truth and estimates) with one label per array
    labels : one legend label per array in ``traces`` (optional)
    spacing : horizontal distance between trace columns, in trace units
        (default: 2.2 × the largest absolute amplitude)
    styles : one dict of matplotlib keyword arguments per array (optional)
    """
    ax = new_ax(ax, figsize=(TEXT_WIDTH, 4.0))
    t_ms = 1000.0 * np.asarray(t, dtype=float)
    sets = (
        [np.atleast_2d(np.asarray(traces, dtype=float))]
        if not isinstance(traces, (list, tuple))
        else [np.atleast_2d(np.asarray(a, dtype=float)) for a in traces]
    )
    if any(s.shape != sets[0].shape or s.shape[1] != t_ms.size for s in sets):
        raise ValueError(
            f"plot_traces: every array must be (n, {t_ms.size}) like the others; "
            f"got {[s.shape for s in sets]}"
        )
    labels = labels or [None] * len(sets)
    styles = styles or [{} for _ in sets]
    if len(labels) != len(sets) or len(styles) != len(sets):
        raise ValueError(
            f"plot_traces: {len(sets)} arrays need as many labels and styles; "
            f"got {len(labels)} labels and {len(styles)} styles"
        )
    if spacing is None:
        spacing = 2.2 * max(np.abs(s).max() for s in sets) or 1.0
    for k, (s, label, style) in enumerate(zip(sets, labels, styles)):
        style = {"color": f"C{k}", "lw": 1.0, **style}
        for i, trace in enumerate(s):
            ax.plot(i * spacing + trace, t_ms, label=label if i == 0 else None, **style)
    ax.set_xticks(
        np.arange(sets[0].shape[0]) * spacing,
        [str(i + 1) for i in range(sets[0].shape[0])],
    )
    ax.set(xlabel="trace", ylabel="time (ms)", ylim=(t_ms[-1], t_ms[0]))
    if any(labels):
        ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return ax


def plot_kernels(
    kernels, dt, wavelet=None, axes=None, nfft=256, title=None, legend=True
):
    """First-layer kernels in time and their amplitude spectra, next to a wavelet's.

    Parameters
    ----------
    kernels : (n_kernels, k) array, e.g. ``conv.W[:, 0, :]`` of a Conv1D with one input
        channel (drawn as the correlation weights they are, tap 0 first)
    dt : sample interval in seconds (time axes in ms, frequencies in Hz)
    wavelet : optional (m,) wavelet, its spectrum drawn in black for comparison
    nfft : FFT length for the spectra (zero padding smooths the curves)
    legend : label the wavelet in a legend on the spectra (``False`` leaves the
        legend to the caller, e.g. one figure legend for several panels)

    Each spectrum is scaled to a peak of 1, so the shapes compare. The kernels
    are drawn in one colour, thin: a dozen spectra in a dozen colours is a
    tangle, and it is their common shape that tells what the layer learned.
    Returns the two axes (time, frequency).
    """
    kernels = np.atleast_2d(np.asarray(kernels, dtype=float))
    if kernels.ndim != 2:
        raise ValueError(
            f"plot_kernels needs kernels of shape (n_kernels, k); got {kernels.shape}"
        )
    if not np.isfinite(dt) or dt <= 0:
        raise ValueError(
            f"plot_kernels dt must be a positive time in seconds; got {dt!r}"
        )
    k = kernels.shape[1]
    longest = max(k, 0 if wavelet is None else np.size(wavelet))
    if nfft < longest:
        raise ValueError(
            f"plot_kernels nfft = {nfft} is shorter than the longest signal "
            f"({longest} samples)"
        )
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(TEXT_WIDTH, 3.4), layout="constrained")
    ax_t, ax_f = axes
    lag_ms = 1000.0 * dt * (np.arange(k) - k // 2)
    f, A_k = amplitude_spectrum(kernels, dt, nfft=nfft)
    for i, (kern, A) in enumerate(zip(kernels, A_k)):
        ax_t.plot(
            lag_ms, kern / (np.abs(kern).max() or 1.0) + 2.2 * i, color="C0", lw=1.0
        )
        ax_f.plot(
            f,
            A / (A.max() or 1.0),
            color="C0",
            lw=0.8,
            alpha=0.5,
            label="one kernel" if i == 0 else None,
        )
    if wavelet is not None:
        wavelet = np.asarray(wavelet, dtype=float)
        _, A = amplitude_spectrum(wavelet, dt, nfft=nfft)
        ax_f.plot(f, A / A.max(), color="k", lw=2.2, label="wavelet")
        if legend:
            ax_f.legend(loc="upper right")
    ax_t.set(xlabel="lag (ms)", ylabel="kernel (scaled, offset)", yticks=[])
    ax_f.set(
        xlabel="frequency (Hz)", ylabel="amplitude (scaled to peak 1)", xlim=(0, f[-1])
    )
    for ax in axes:
        ax.grid(alpha=0.3)
    if title:
        ax_t.figure.suptitle(title)
    return axes
