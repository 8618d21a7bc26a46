"""Chapters 1-4: the corrected hand values, what an epoch costs, the two readings
of the lecture's target, and the presentation rules of these chapters (figures,
hidden checks, dashboards, timings). Their errata are in test_errata.py."""

import importlib.util
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from geonn import MSE, SGD, Activation, Dense, Sequential, fit
from geonn.core import init

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("0[1-4]_*.ipynb"))


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _source(cell):
    return "".join(cell["source"])


def _has_image(cell):
    return any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


# --- chapter 4: initialisation limits of node H4 (issue 15, item 3)


def test_h4_limits_use_the_fan_out_of_the_layer():
    # λ_{1,4}, λ_{2,4}, λ_{3,4} are a column of W1, which maps 3 inputs to 2 hidden
    # nodes
    p, k = 3, 2
    np.testing.assert_allclose(
        init.glorot(p, k, np.random.default_rng(5)),
        np.random.default_rng(5).uniform(-np.sqrt(6 / 5), np.sqrt(6 / 5), (3, 2)),
    )
    np.testing.assert_allclose(
        init.normalized_xavier(p, k, np.random.default_rng(5)),
        np.random.default_rng(5).uniform(-1 / np.sqrt(5), 1 / np.sqrt(5), (3, 2)),
    )
    assert (
        round(np.sqrt(6 / (p + k)), 3) == 1.095
        and round(1 / np.sqrt(p + k), 3) == 0.447
    )
    assert (
        round(np.sqrt(6 / (3 + 1)), 3) == 1.225
    )  # the lecture's k = 1 would give this


# --- chapter 4: an epoch costs n sample gradients for any batch size (issue 15, item 2)


@pytest.mark.parametrize("batch_size", [1, 7, 100, 1000])
def test_an_epoch_computes_one_gradient_per_sample_whatever_the_batch_size(batch_size):
    rng = np.random.default_rng(0)
    n = 1000
    X, y = rng.uniform(-1, 1, (n, 1)), rng.normal(size=(n, 1))
    net = Sequential([Dense(1, 1, rng=rng)])
    rows, forward = [], net.forward

    def counting_forward(X, train=False):
        if train:
            rows.append(len(X))
        return forward(X, train=train)

    net.forward = counting_forward
    history = fit(
        net,
        MSE(),
        SGD(0.1),
        X,
        y,
        epochs=2,
        batch_size=batch_size,
        rng=rng,
        progress=False,
    )
    assert history.steps == 2 * -(-n // batch_size)
    assert sum(rows) == 2 * n


# --- chapter 3: the lecture's target is inferred (issue 15, item 4)


def _lecture_network():
    W1 = np.array([[0.06, 0.01], [0.24, 0.45], [-0.24, 0.46]])
    W2 = np.array([[-0.53], [-0.41]])
    return Sequential(
        [
            Dense(3, 2, W=W1, b=[-0.22, -0.03]),
            Activation("sigmoid"),
            Dense(2, 1, W=W2, b=[-0.2316]),
        ]
    )


@pytest.mark.parametrize("target, sign", [(0.3, -1.0), (-1.7, +1.0)])
def test_both_targets_reproduce_the_printed_gradients(target, sign):
    # the slides print dL/dO6_in = 1.00, dL/dλ46 = 0.42, dL/dH4_in = -0.13: they are the
    # negative gradient if y = 0.3 (our reading) and the true gradient if y = -1.7
    net, X, Y = _lecture_network(), np.array([[0.5, 0.2, 0.7]]), np.array([[target]])
    out = net.forward(X)
    net.backward(MSE().grad(out, Y))
    dH_in = net[1].backward(net[2].backward(MSE().grad(out, Y)))
    assert round(sign * net[2].db[0], 2) == 1.0
    assert round(sign * net[2].dW[0, 0], 2) == 0.42
    assert round(sign * dH_in[0, 0], 2) == -0.13


def test_only_the_target_0_3_makes_the_printed_update_a_descent_step():
    X = np.array([[0.5, 0.2, 0.7]])
    printed = _lecture_network()
    printed[2].W[0, 0] = -0.53 + 0.1 * 0.42
    printed[0].W[0, 0] = 0.06 + 0.1 * -0.065
    printed[0].b[0] = -0.22 + 0.1 * -0.13
    for target, descends in ((0.3, True), (-1.7, False)):
        Y = np.array([[target]])
        before = MSE().value(_lecture_network().forward(X), Y)
        after = MSE().value(printed.forward(X), Y)
        assert (after < before) == descends


# --- chapter 1: the chapter 5 classifier "16-8-4-2" is 8-16-8-4-2-2 (issue 15, item 8)


def test_chapter_5_classifier_parameter_count():
    sizes = [8, 16, 8, 4, 2, 2]
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [Dense(n_in, n_out, rng=np.random.default_rng(0)), Activation("tanh")]
    assert Sequential(layers[:-1]).n_params == 332
    text = (ROOT / "book" / "01_neurons.ipynb").read_text()
    assert "8-16-8-4-2-2" in text and "**332**" in text


# --- what a reader sees (issue 17) and portable replays (issue 15)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_figure_has_a_caption_alt_text_and_a_numbered_reference(path):
    chapter = path.name[1]
    cells = _cells(path)
    markdown = "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown")
    for i, cell in enumerate(cells):
        if (
            cell["cell_type"] != "code"
            or not _has_image(cell)
            or "remove-cell" in cell["metadata"].get("tags", [])
        ):
            continue
        meta = cell["metadata"].get("mystnb", {})
        figure, image = meta.get("figure", {}), meta.get("image", {})
        assert figure.get("caption") and image.get("alt"), (
            f"{path.name} cell {i}: figure without caption or alt text"
        )
        name = figure.get("name", "")
        assert name.startswith(f"fig-ch{chapter}-"), (
            f"{path.name} cell {i}: figure name {name!r}"
        )
        assert "{numref}`" + name + "`" in markdown, (
            f"{path.name}: the text never refers to {name}"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_hidden_checks_hide_their_output_too(path):
    # an output box without its code ("Check passed...") confuses a reader: hide the
    # whole cell
    for i, cell in enumerate(_cells(path)):
        tags = cell["metadata"].get("tags", [])
        if cell["cell_type"] == "code" and "remove-input" in tags:
            assert not cell["outputs"], (
                f"{path.name} cell {i}: remove-input cell shows output; use remove-cell"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_dashboards_render_no_widget_in_the_static_page(path):
    for i, cell in enumerate(_cells(path)):
        source = _source(cell)
        if cell["cell_type"] == "code" and re.search(
            r"geonn\.studies\.widgets\.\w+_(dashboard|explorer)\(\)", source
        ):
            assert "remove-output" in cell["metadata"].get("tags", []), (
                f"{path.name} cell {i}"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_timings_are_printed_never_compared(path):
    # wall-clock or CPU timings vary by machine: their cells are not replayed, and
    # no assertion compares a time or a speed ratio with a threshold
    cells = _cells(path)
    for i, cell in enumerate(cells):
        source = _source(cell)
        if cell["cell_type"] == "code" and re.search(
            r"time\.(perf_counter|process_time|time)\(", source
        ):
            assert "nbval-ignore-output" in cell["metadata"].get("tags", []), (
                f"{path.name} cell {i}"
            )
        assert "ratio > 300" not in source


def test_conftest_measures_the_notebook_budget_in_cpu_time():
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not Path(f"/proc/{os.getpid()}/stat").exists():
        assert module._process_cpu_seconds(os.getpid()) is None
        return
    before = module._process_cpu_seconds(os.getpid())
    np.linalg.eigvalsh(np.random.default_rng(0).normal(size=(300, 300)) + np.eye(300))
    sum(i * i for i in range(2_000_000))
    after = module._process_cpu_seconds(os.getpid())
    assert after > before >= 0
