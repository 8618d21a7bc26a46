"""The house style of the book's figures: fixed sizes, fonts and colours, so the
chapters look alike and read well in the book's text column.

The column is 772 px wide at 1400 px, about 7.7 inches at the 100 dpi of the
notebook's inline figures. A figure no wider than ``TEXT_WIDTH`` is shown at
its own size, so a 10 pt font stays 10 pt on the page; a wider one would be
shrunk, fonts with it. Inline figures are stored at 2× resolution
("retina": sharp on HiDPI screens) and displayed at 1×.
"""

import matplotlib as mpl
import matplotlib.pyplot as plt

TEXT_WIDTH = 7.5  # inches: the widest figure that is not shrunk
FIGSIZE = (6.0, 4.0)
WIDE = (TEXT_WIDTH, 3.4)  # two panels side by side
NODE_COLOURS = {"input": "#9ecae1", "hidden": "#fdd49e", "output": "#a1d99b"}
GRAD_COLOUR = "#762a83"  # gradients (purple), apart from the red/blue of the weights

# No font under 10 pt at page size (figures are never wider than TEXT_WIDTH).
# MIN_FONT is the floor for text a figure sets itself (a crowded legend, labels
# on a diagram's edges); tests/test_figure_style.py holds the chapters to it.
MIN_FONT = 9
RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "figure.titlesize": 12,
}


def use_book_style():
    """Apply ``RC``; in a Jupyter kernel, also store inline figures at 2× ("retina").

    Called when :mod:`geonn.studies.plotting` is imported, so a chapter's figures get
    it without a line of set-up."""
    mpl.rcParams.update(RC)
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None and "inline" in mpl.get_backend():
        set_matplotlib_formats("retina")


def new_ax(ax, figsize=FIGSIZE):
    """``ax`` itself, or the axes of a new figure of ``figsize``."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    elif not isinstance(ax, mpl.axes.Axes):
        raise TypeError(
            f"ax must be matplotlib axes (or None for a new figure); got "
            f"{type(ax).__name__}"
        )
    return ax
