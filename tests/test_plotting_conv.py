"""plot_traces and plot_kernels (chapter 8) draw, label their axes with units, and
refuse bad input."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from geonn.studies import plotting  # noqa: E402
from geonn.studies.plotting import plot_kernels, plot_traces  # noqa: E402


def teardown_function():
    plt.close("all")


def test_registered_in_the_plotting_package():
    assert {"plot_traces", "plot_kernels"} <= set(plotting.__all__)


def test_plot_traces_one_line_per_trace_and_a_legend_per_array():
    t = np.arange(64) * 0.002
    rng = np.random.default_rng(0)
    truth, estimate = rng.normal(size=(2, 3, 64))
    ax = plot_traces(
        t,
        [truth, estimate],
        labels=["truth", "estimate"],
        styles=[{"color": "k"}, {"ls": "--"}],
    )
    assert len(ax.get_lines()) == 6
    assert [txt.get_text() for txt in ax.get_legend().get_texts()] == [
        "truth",
        "estimate",
    ]
    assert (
        ax.get_ylabel() == "time (ms)" and ax.get_ylim()[0] > ax.get_ylim()[1]
    )  # time down
    assert len(plot_traces(t, truth).get_lines()) == 3


def test_plot_traces_refuses_mismatched_arrays():
    t = np.arange(64) * 0.002
    with pytest.raises(ValueError, match="every array"):
        plot_traces(t, [np.zeros((2, 64)), np.zeros((3, 64))])
    with pytest.raises(ValueError, match="labels"):
        plot_traces(t, [np.zeros((2, 64))], labels=["a", "b"])


def test_plot_kernels_time_and_spectra_with_the_wavelet():
    rng = np.random.default_rng(1)
    ax_t, ax_f = plot_kernels(rng.normal(size=(4, 15)), 0.002, wavelet=np.hanning(31))
    assert len(ax_t.get_lines()) == 4 and len(ax_f.get_lines()) == 5
    assert ax_t.get_xlabel() == "lag (ms)" and ax_f.get_xlabel() == "frequency (Hz)"
    assert ax_f.get_xlim()[1] == pytest.approx(250.0)
    peaks = [line.get_ydata().max() for line in ax_f.get_lines()]
    np.testing.assert_allclose(peaks, 1.0)


def test_plot_kernels_refuses_bad_input():
    with pytest.raises(ValueError, match="n_kernels"):
        plot_kernels(np.zeros((2, 3, 4)), 0.002)
    with pytest.raises(ValueError, match="dt"):
        plot_kernels(np.ones((2, 5)), 0.0)
    with pytest.raises(ValueError, match="nfft = 8 is shorter"):
        plot_kernels(np.ones((2, 15)), 0.002, nfft=8)


def test_plot_kernels_draws_the_spectra_in_one_colour_and_can_leave_the_legend_out():
    # twelve spectra in twelve colours were a tangle (chapter 8's kernel figure)
    rng = np.random.default_rng(2)
    _, ax_f = plot_kernels(
        rng.normal(size=(12, 15)), 0.002, wavelet=np.hanning(31), legend=False
    )
    kernel_lines = ax_f.get_lines()[:12]
    assert len({line.get_color() for line in kernel_lines}) == 1
    assert ax_f.get_legend() is None
    _, ax_f = plot_kernels(rng.normal(size=(12, 15)), 0.002, wavelet=np.hanning(31))
    assert [t.get_text() for t in ax_f.get_legend().get_texts()] == [
        "one kernel",
        "wavelet",
    ]
