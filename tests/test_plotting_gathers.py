"""plot_gather: a gather in ms and m with its pick curves, as wiggles or an image."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from geonn.domain.datasets import make_gathers  # noqa: E402
from geonn.studies.plotting import plot_gather  # noqa: E402


def teardown_function():
    plt.close("all")


@pytest.mark.parametrize("style", ["wiggle", "image"])
def test_plot_gather_draws_the_picks_in_ms_against_offset_in_m(style):
    g = make_gathers(
        1,
        np.random.default_rng(0),
        n_traces=8,
        nt=64,
        offset0=10.0,
        d_offset=10.0,
        v_range=(2000.0, 2500.0),
    )
    fb = g.first_break[0]
    picks = {"true": fb, "shifted": (fb + 0.004, {"color": "r"})}
    ax = plot_gather(g.t, g.offset, g.x[0], picks=picks, style=style)
    assert "ms" in ax.get_ylabel() and "(m)" in ax.get_xlabel()
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["true"].get_ydata(), 1e3 * fb)
    np.testing.assert_allclose(lines["true"].get_xdata(), g.offset)
    assert lines["shifted"].get_color() == "r"
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # time increases downwards
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["true", "shifted"]


def test_plot_gather_on_given_axes_and_bad_shapes():
    _, ax = plt.subplots()
    t, offset = np.arange(16) * 0.002, np.arange(4) * 10.0
    assert plot_gather(t, offset, np.zeros((4, 16)), ax=ax) is ax
    with pytest.raises(ValueError, match="n_traces, nt"):
        plot_gather(t, offset, np.zeros((16, 4)))
    with pytest.raises(ValueError, match="picks 'p'"):
        plot_gather(t, offset, np.zeros((4, 16)), picks={"p": np.zeros(3)})
    with pytest.raises(ValueError, match="style"):
        plot_gather(t, offset, np.zeros((4, 16)), style="contour")
