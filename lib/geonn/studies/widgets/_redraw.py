"""The one redraw step every dashboard shares."""

import matplotlib.pyplot as plt
import numpy as np


def redraw_in(out, box, draw):
    """Draw a dashboard's figure afresh in its ``Output`` widget ``out``.

    ``draw()`` makes the new figure with a ``geonn.studies.plotting`` function and
    returns its axes.  The figure drawn last, kept in ``box.figure``, is closed
    first: pyplot would otherwise keep every figure a slider ever drew open.
    """
    with out:
        out.clear_output(wait=True)
        if box.figure is not None:  # plt.close(None) would close some other figure
            plt.close(box.figure)
        box.figure = np.ravel(draw())[0].figure
        plt.show()
