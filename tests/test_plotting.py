"""Smoke tests of the shared figures: they draw without error and label what they
show."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from geonn import Activation, Dense, History, Sequential  # noqa: E402
from geonn.core import activations  # noqa: E402
from geonn.studies import plotting, widgets  # noqa: E402


def teardown_function():
    plt.close("all")


def test_draw_network_from_sizes_and_from_a_network():
    ax = plotting.draw_network([3, 2, 1])
    assert {t.get_text() for t in ax.texts} == {"I1", "I2", "I3", "H4", "H5", "O6"}
    rng = np.random.default_rng(0)
    net = Sequential(
        [Dense(3, 2, rng=rng), Activation("sigmoid"), Dense(2, 1, rng=rng)]
    )
    ax = plotting.draw_network(net, show_weights=True)
    assert sum(t.get_text().startswith("b=") for t in ax.texts) == 3


def test_plot_loss_with_validation():
    ax = plotting.plot_loss(History(train_loss=[1.0, 0.5], val_loss=[1.2, 0.7]))
    assert [line.get_label() for line in ax.get_lines()] == ["train", "validation"]


@pytest.mark.parametrize("name", activations.NAMES)
def test_activation_panels_for_every_activation(name):
    ax0, ax1 = plotting.plot_activation_panels(name, zmax=3.0, depth=4)
    assert ax0.get_title() == name
    assert ax1.get_title() == (
        "" if name == "softmax" else "gradient factor through 4 layers"
    )


def test_activation_explorer_redraws_and_closes_its_old_figure():
    box = widgets.activation_explorer()
    first = box.figure
    box.children[0].children[1].value = 8.0  # |z| max
    assert box.figure is not first
    assert plt.get_fignums() == [box.figure.number], "the old figure must be closed"
