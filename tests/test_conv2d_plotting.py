"""draw_network on convolutional networks with skip connections: a block diagram,
one box per layer with its output shape and an arrow per skip; dense networks are
still drawn node by node."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from geonn import (  # noqa: E402
    Activation,
    Concat,
    Conv2D,
    Dense,
    Flatten,
    MaxPool2D,
    Residual,
    Sequential,
    Upsample2D,
)
from geonn.studies import plotting  # noqa: E402
from geonn.studies.plotting import style  # noqa: E402


def teardown_function():
    plt.close("all")


def unet(rng):
    down = Sequential(
        [MaxPool2D(2), Conv2D(4, 8, 3, rng=rng), Activation("relu"), Upsample2D(2)]
    )
    return Sequential(
        [Conv2D(1, 4, 3, rng=rng), Concat(down), Conv2D(12, 1, 1, rng=rng)]
    )


def test_a_unet_draws_one_box_per_layer_with_shapes_and_a_skip_arrow():
    net = unet(np.random.default_rng(0))
    ax = plotting.draw_network(net, input_shape=(1, 16, 16), title="U-Net")
    texts = [t.get_text() for t in ax.texts if t.get_text()]
    assert texts[0] == "input   1×16×16"
    assert "MaxPool2D(2)   4×8×8" in texts
    assert "concat channels   12×16×16" in texts
    assert texts[-1] == "Conv2D(12→1, k=1×1, same)   1×16×16"
    assert len(texts) == len(net.leaves()) + 2  # the input and the merge
    assert len(ax.get_lines()) == 1  # the skip, out and down
    assert all(t.get_fontsize() >= style.MIN_FONT for t in ax.texts)


def test_nested_residual_and_dense_heads_draw_without_shapes():
    rng = np.random.default_rng(1)
    inner = Sequential([Conv2D(2, 2, 3, rng=rng), Residual(Activation("tanh"))])
    net = Sequential([Residual(inner), Flatten(), Dense(2 * 4 * 4, 1, rng=rng)])
    ax = plotting.draw_network(net)
    assert [t.get_text() for t in ax.texts].count("add (x + f(x))") == 2
    assert len(ax.get_lines()) == 2
    ax.figure.canvas.draw()


def test_dense_networks_are_still_drawn_node_by_node():
    rng = np.random.default_rng(2)
    net = Sequential(
        [Dense(3, 2, rng=rng), Activation("sigmoid"), Dense(2, 1, rng=rng)]
    )
    texts = {t.get_text() for t in plotting.draw_network(net).texts}
    assert {"I1", "H4", "O6"} <= texts
    with pytest.raises(TypeError, match="net must be a geonn Layer"):
        plotting.draw_blocks([3, 2])
