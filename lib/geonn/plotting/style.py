"""The house style of the book's figures: fixed sizes and colours, so the
chapters look alike."""
import matplotlib.pyplot as plt

FIGSIZE = (6.0, 4.0)
WIDE = (10.0, 4.0)
NODE_COLOURS = {"input": "#9ecae1", "hidden": "#fdd49e", "output": "#a1d99b"}
GRAD_COLOUR = "#762a83"  # gradients (purple), apart from the red/blue of the weights


def new_ax(ax, figsize=FIGSIZE):
    """``ax`` itself, or the axes of a new figure of ``figsize``."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax
