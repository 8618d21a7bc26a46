"""Chapter 11's studies: geonn.studies.images (the gather picker, the U-Net),
geonn.studies.images_report (classical pickers, scores by class, step cost) and
geonn.studies.plotting.images."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from geonn import (  # noqa: E402
    Activation,
    Adam,
    BCEWithLogits,
    Conv2D,
    Dense,
    MaxPool2D,
    Sequential,
    SoftmaxCrossEntropy,
    fit,
)
from geonn.core.gradcheck import rel_error  # noqa: E402
from geonn.domain.datasets import make_gathers  # noqa: E402
from geonn.domain.datasets.sections import make_sections  # noqa: E402
from geonn.domain.picking import gaussian_labels, normalise_traces  # noqa: E402
from geonn.studies.images import (  # noqa: E402
    TraceSoftmax,
    fault_probability,
    fault_unet,
    gather_inputs,
    gather_pick,
    gather_picker,
    receptive_field,
    section_inputs,
)
from geonn.studies.images_report import (  # noqa: E402
    pick_scores,
    score_table,
    step_cost,
    trace_classes,
    windowed_pickers,
)
from geonn.studies.plotting.images import (  # noqa: E402
    plot_class_errors,
    plot_fault_hits,
    plot_kernels_2d,
    plot_recall_curves,
    plot_section,
)


@pytest.fixture(scope="module")
def gathers():
    return make_gathers(8, np.random.default_rng(0), n_traces=8, nt=64)


def picker_data(g):
    X = gather_inputs(g.x, g.offset)
    Y = gaussian_labels(g.first_break, g.t, 1.5 * g.dt)[:, None].astype(np.float32)
    return X, Y


def test_gather_inputs_are_chapter_8s_channels_and_the_time_as_an_image(gathers):
    X = gather_inputs(gathers.x, gathers.offset)
    assert X.shape == (8, 3, 8, 64) and X.dtype == np.float32
    np.testing.assert_allclose(X[:, 0], normalise_traces(gathers.x), atol=1e-6)
    ramp = gathers.offset / gathers.offset.max()
    np.testing.assert_allclose(X[3, 1], np.broadcast_to(ramp[:, None], (8, 64)))
    np.testing.assert_allclose(X[5, 2, 4], np.arange(64) / 64)
    with pytest.raises(ValueError, match="x"):
        gather_inputs(gathers.x[0], gathers.offset)


def test_gather_picker_scores_every_sample_of_every_trace(gathers):
    X, _ = picker_data(gathers)
    net = gather_picker(np.random.default_rng(1), channels=(4, 8))
    out = net.predict(X)
    assert out.shape == (8, 1, 8, 64) and out.dtype == np.float32
    picks = gather_pick(net, X, gathers.dt, batch_size=3)
    assert picks.shape == (8, 8)
    assert np.all((picks >= 0) & (picks <= gathers.t[-1]))
    with pytest.raises(ValueError):  # three poolings by 2 along time: nt % 8 == 0
        net.predict(X[..., :60])


def test_same_seed_same_network(gathers):
    X, _ = picker_data(gathers)
    a, b = (gather_picker(np.random.default_rng(5)) for _ in range(2))
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    u, v = (fault_unet(np.random.default_rng(5), (2, 4, 4)) for _ in range(2))
    x = section_inputs(
        make_sections(2, np.random.default_rng(0), height=32, width=32).x
    )
    np.testing.assert_array_equal(u.predict(x), v.predict(x))


def test_trace_softmax_is_chapter_8s_loss_per_trace_and_its_gradient():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(2, 1, 3, 6))
    y = rng.random((2, 1, 3, 6))
    y /= y.sum(-1, keepdims=True)
    loss = TraceSoftmax()
    flat = SoftmaxCrossEntropy()
    assert loss.value(z, y) == pytest.approx(
        flat.value(z.reshape(-1, 6), y.reshape(-1, 6))
    )
    g, h = loss.grad(z, y), 1e-6
    numeric = np.zeros_like(z)
    for i in np.ndindex(z.shape):
        e = np.zeros_like(z)
        e[i] = h
        numeric[i] = (loss.value(z + e, y) - loss.value(z - e, y)) / (2 * h)
    assert g.shape == z.shape and rel_error(g, numeric) < 1e-6
    with pytest.raises(ValueError, match="same shape"):
        loss.value(z, y[..., :5])


def test_a_few_steps_lower_the_picking_loss(gathers):
    X, Y = picker_data(gathers)
    rng = np.random.default_rng(2)
    net = gather_picker(rng, channels=(4, 8))
    history = fit(net, TraceSoftmax(), Adam(eta=0.01), X, Y, 6, 4, rng)
    assert history.train_loss[-1] < history.train_loss[0]


def test_unet_segments_every_pixel_and_learns():
    s = make_sections(8, np.random.default_rng(3), height=32, width=32)
    X, Y = section_inputs(s.x), s.fault[:, None].astype(np.float32)
    assert X.shape == (8, 1, 32, 32) and X.dtype == np.float32
    np.testing.assert_allclose(np.sqrt((X**2).mean(axis=(1, 2, 3))), 1, rtol=1e-5)
    rng = np.random.default_rng(4)
    net = fault_unet(rng, channels=(4, 4, 8))
    p = fault_probability(net, X, batch_size=3)
    assert p.shape == (8, 32, 32) and np.all((p > 0) & (p < 1))
    history = fit(net, BCEWithLogits(pos_weight=5.0), Adam(eta=0.01), X, Y, 6, 4, rng)
    assert history.train_loss[-1] < history.train_loss[0]


def test_section_inputs_refuse_bad_sections():
    with pytest.raises(ValueError, match="all zeros"):
        section_inputs(np.zeros((2, 8, 8)))
    with pytest.raises(ValueError, match="section_inputs: x"):
        section_inputs(np.ones((8, 8)))
    with pytest.raises(ValueError, match="section_inputs: x"):
        section_inputs(np.full((1, 8, 8), np.nan))


def test_receptive_field_per_axis():
    rng = np.random.default_rng(0)
    stack = Sequential([Conv2D(1, 2, (3, 5), rng=rng), Conv2D(2, 1, 3, rng=rng)])
    assert receptive_field(stack) == (1 + 2 + 2, 1 + 4 + 2)
    pooled = Sequential(
        [Conv2D(1, 1, 3, rng=rng), MaxPool2D(2), Conv2D(1, 1, 3, rng=rng)]
    )
    assert receptive_field(pooled) == (3 + 1 + 2 * 2,) * 2
    assert receptive_field(gather_picker(rng)) == (11, 72)
    assert receptive_field(gather_picker(rng, kernel=(1, 5), levels=2)) == (1, 36)
    assert receptive_field(fault_unet(rng)) == (26, 26)
    with pytest.raises(TypeError, match="cannot follow"):
        receptive_field(Sequential([Dense(2, 2, rng=rng), Activation("relu")]))


def test_trace_classes_partition_the_traces(gathers):
    classes = trace_classes(gathers, static_ms=2.0)
    total = sum(m.astype(int) for m in classes.values())
    assert set(classes) == {"normal", "noisy", "dead", "static-heavy"}
    np.testing.assert_array_equal(total, 1)
    heavy = classes["static-heavy"]
    assert np.all(np.abs(gathers.static[heavy]) > 0.002)
    with pytest.raises(ValueError, match="static_ms"):
        trace_classes(gathers, static_ms=0)


def test_pick_scores_by_class_and_the_table():
    truth = np.zeros((2, 3))
    pick = np.array([[0.001, -0.001, np.nan], [0.020, 0.0, np.nan]])
    classes = {"good": np.array([[1, 1, 0], [0, 1, 0]], bool)}
    classes |= {"far": np.array([[0, 0, 0], [1, 0, 0]], bool)}
    classes |= {"dead": np.array([[0, 0, 1], [0, 0, 1]], bool)}
    scores = pick_scores(pick, truth, classes)
    assert scores["good"][0] == pytest.approx(np.sqrt(2 / 3))
    assert scores["good"][1] == pytest.approx(1.0) and scores["good"][2] == 0
    assert scores["far"] == pytest.approx((20.0, 20.0, 100.0))
    assert np.isnan(scores["dead"]).all()
    table = score_table({"picker": scores}, column=0)
    assert table.splitlines()[1].split() == ["picker", "0.8", "20.0", "–"]


def test_windowed_pickers_are_calibrated_on_the_training_gathers(gathers):
    x = normalise_traces(gathers.x)
    pickers = windowed_pickers(gathers, x)
    assert set(pickers) == {"STA/LTA, windowed", "energy ratio, windowed"}
    for pick, setting, shift in pickers.values():
        p = pick(x)
        assert p.shape == gathers.first_break.shape
        assert np.isnan(p[gathers.dead]).all() and np.isfinite(p[~gathers.dead]).all()
        assert abs(np.median((gathers.first_break - p)[~gathers.dead])) < 1e-9
        assert len(setting) in (3, 4) and abs(shift) < 0.05


def test_step_cost_measures_a_forward_and_backward_pass(gathers):
    X, Y = picker_data(gathers)
    net = gather_picker(np.random.default_rng(0), channels=(2, 2))
    seconds, mb = step_cost(net, TraceSoftmax(), X, Y)
    assert seconds >= 0 and mb > X.nbytes / 1e6


def test_figures_return_their_axes_and_refuse_bad_shapes():
    s = make_sections(1, np.random.default_rng(0), height=32, width=32)
    assert plot_section(s.x[0], mask=s.fault[0]) is not None
    ax = plot_fault_hits(s.x[0], s.fault[0], np.roll(s.fault[0], 2, axis=1))
    assert len(ax.get_legend_handles_labels()[1]) == 3
    assert len(plot_kernels_2d(np.ones((3, 3, 5)))) == 3
    scores = {"a": {"x": (1.0, 0.5, 0.0), "y": (np.nan,) * 3}}
    assert plot_class_errors(scores) is not None
    assert plot_recall_curves({"a": ([0.01, 0.1], [0.5, 0.9])}) is not None
    with pytest.raises(ValueError, match="one image"):
        plot_section(s.x)
    with pytest.raises(ValueError, match="kernels"):
        plot_kernels_2d(np.ones((3, 3)))
    plt.close("all")


@pytest.mark.parametrize(
    "build, channels, err, words",
    [
        (gather_picker, 8, TypeError, "gather_picker channels must be a tuple"),
        (gather_picker, (8, 16, 32), ValueError, "must list 2 sizes"),
        (fault_unet, 8, TypeError, "fault_unet channels must be a tuple"),
        (fault_unet, (8, 16), ValueError, "must list 3 sizes"),
        (fault_unet, (8, 0, 32), ValueError, r"channels\[1\] must be a positive"),
    ],
)
def test_channel_sizes_are_checked(build, channels, err, words):
    with pytest.raises(err, match=words):
        build(np.random.default_rng(0), channels=channels)
