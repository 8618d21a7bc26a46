"""The house style: fonts of at least 10 pt at page size (no figure wider than
the text column), and inline figures stored at 2× (retina)."""

import json
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import geonn.studies.plotting as gp
from geonn.studies.plotting import style

matplotlib.use("Agg")


def test_fonts_are_at_least_10_pt():
    for key in (
        "font.size",
        "axes.labelsize",
        "xtick.labelsize",
        "ytick.labelsize",
        "legend.fontsize",
    ):
        size = matplotlib.rcParams[key]
        size = (
            matplotlib.font_manager.font_scalings.get(size, 1) * 10
            if isinstance(size, str)
            else size
        )
        assert size >= 10, f"{key} is {size} pt"


def test_shared_figures_fit_the_text_column():
    assert style.WIDE[0] <= style.TEXT_WIDTH and style.FIGSIZE[0] <= style.TEXT_WIDTH
    # every figure size the library writes as a number is at most TEXT_WIDTH wide
    for path in Path(gp.__file__).parent.glob("*.py"):
        for width in re.findall(r"figsize=\(\s*([\d.]+)", path.read_text()):
            assert float(width) <= style.TEXT_WIDTH, (
                f"{path.name}: a {width}-inch figure is shrunk on the page"
            )


def test_retina_in_a_kernel(monkeypatch):
    calls = []
    import IPython
    import matplotlib_inline.backend_inline as bi

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(bi, "set_matplotlib_formats", lambda *f: calls.append(f))
    monkeypatch.setattr(
        matplotlib, "get_backend", lambda: "module://matplotlib_inline.backend_inline"
    )
    style.use_book_style()
    assert calls == [("retina",)]


# --- a floor for text that a figure sizes itself (legends of 7-8 pt were unreadable)

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("[01][0-9]*.ipynb"))
SET_SIZE = re.compile(
    r"""(?:fontsize|labelsize|titlesize|["']size["']\s*:)\s*=?\s*"""
    r"""(?:(?P<pt>\d+(?:\.\d+)?)\b|["'](?P<name>xx-small|x-small|small)["'])"""
)


def sizes_below_the_floor(code):
    """The font sizes written in ``code`` that are under ``style.MIN_FONT``."""
    return [
        m.group(0)
        for m in SET_SIZE.finditer(code)
        if m.group("name") or float(m.group("pt")) < style.MIN_FONT
    ]


def test_the_floor_is_below_the_house_sizes():
    assert 9 <= style.MIN_FONT <= min(v for k, v in style.RC.items() if "size" in k)


def test_the_matcher_finds_small_sizes():
    code = (
        'ax.legend(fontsize=8)\nax.text(0, 0, "a", fontsize = 7.5)\n'
        'ax.legend(fontsize="small")\nax.tick_params(labelsize=6)\n'
        'ax.legend(prop={"size": 8})\n'
        'ax.legend(fontsize=9)\nax.text(0, 0, "b", fontsize=12)\n'
        'ax.legend(fontsize="large")'
    )
    assert sizes_below_the_floor(code) == [
        "fontsize=8",
        "fontsize = 7.5",
        'fontsize="small"',
        "labelsize=6",
        '"size": 8',
    ]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapters_set_no_font_below_the_floor(path):
    cells = json.loads(path.read_text())["cells"]
    small = {
        i: sizes_below_the_floor("".join(c["source"]))
        for i, c in enumerate(cells)
        if c["cell_type"] == "code"
    }
    small = {i: s for i, s in small.items() if s}
    assert not small, f"{path.name}: fonts under {style.MIN_FONT} pt in cells {small}"


def texts_below_the_floor(fig):
    """Visible texts of a drawn figure (legends, labels, ticks, annotations) under the
    floor."""
    fig.canvas.draw()
    return [
        (t.get_text(), t.get_fontsize())
        for t in fig.findobj(matplotlib.text.Text)
        if t.get_visible()
        and t.get_text().strip()
        and t.get_fontsize() < style.MIN_FONT
    ]


def _figure(name):
    """The library's figure ``name`` as chapters 6, 8 and 10 draw it, on made-up
    data."""
    from geonn import History

    rng = np.random.default_rng(0)
    x, y = rng.uniform(2500, 5500, 30), rng.uniform(0.1, 0.27, 30)
    t = np.arange(128) * 0.002
    history = History(train_loss=[1.0, 0.5, 0.4], val_loss=[1.2, 0.7, 0.6])
    draw = {
        "draw_network": lambda: gp.draw_network(
            [1, 3, 1],
            labels=[["AI"], ["H1", "H2", "H3"], ["φ"]],
            title="1 → 3 ReLU → 1",
        ),
        "plot_well_map": lambda: gp.plot_well_map(x / 6, y * 3000, y),
        "plot_map": lambda: gp.plot_map(
            rng.normal(size=(20, 20)), label="porosity", wells=(x / 6, y * 3000)
        ),
        "plot_fit_and_loss": lambda: gp.plot_fit_and_loss(x, y, x, y, (x, y), history)[
            0
        ],
        "plot_kernels": lambda: gp.plot_kernels(
            rng.normal(size=(12, 15)), 0.002, wavelet=np.hanning(31)
        )[0],
        "plot_traces": lambda: gp.plot_traces(
            t, [rng.normal(size=(4, 128))] * 2, labels=["truth", "estimate"]
        ),
        "plot_gather": lambda: gp.plot_gather(
            t,
            np.arange(12) * 10.0 + 10,
            rng.normal(size=(12, 128)),
            picks={"true": np.full(12, 0.05)},
        ),
    }
    return draw[name]().figure


@pytest.mark.parametrize(
    "name",
    [
        "draw_network",
        "plot_well_map",
        "plot_map",
        "plot_fit_and_loss",
        "plot_kernels",
        "plot_traces",
        "plot_gather",
    ],
)
def test_library_figures_of_chapters_6_to_10_have_no_text_below_the_floor(name):
    fig = _figure(name)
    try:
        assert texts_below_the_floor(fig) == [], (
            f"{name} writes text under {style.MIN_FONT} pt"
        )
    finally:
        plt.close(fig)
