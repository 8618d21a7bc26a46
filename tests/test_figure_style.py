"""The house style: fonts of at least 10 pt at page size (no figure wider than
the text column), and inline figures stored at 2× (retina)."""
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt

import geonn.studies.plotting as gp
from geonn.studies.plotting import style

matplotlib.use("Agg")


def test_fonts_are_at_least_10_pt():
    for key in ("font.size", "axes.labelsize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize"):
        size = matplotlib.rcParams[key]
        size = matplotlib.font_manager.font_scalings.get(size, 1) * 10 if isinstance(size, str) else size
        assert size >= 10, f"{key} is {size} pt"


def test_shared_figures_fit_the_text_column():
    assert style.WIDE[0] <= style.TEXT_WIDTH and style.FIGSIZE[0] <= style.TEXT_WIDTH
    # every figure size the library writes as a number is at most TEXT_WIDTH wide
    for path in Path(gp.__file__).parent.glob("*.py"):
        for width in re.findall(r"figsize=\(\s*([\d.]+)", path.read_text()):
            assert float(width) <= style.TEXT_WIDTH, f"{path.name}: a {width}-inch figure is shrunk on the page"


def test_retina_in_a_kernel(monkeypatch):
    calls = []
    import matplotlib_inline.backend_inline as bi
    import IPython
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(bi, "set_matplotlib_formats", lambda *f: calls.append(f))
    monkeypatch.setattr(matplotlib, "get_backend", lambda: "module://matplotlib_inline.backend_inline")
    style.use_book_style()
    assert calls == [("retina",)]
