"""First-break picking: classical pickers, pick errors and a small 1-D CNN picker
(chapter 8).

Traces are arrays (..., nt) with the time axis last, sampled every ``dt``
seconds; picks are times in seconds, shaped like the traces without their
last axis, NaN where a trace holds nothing to pick (all zeros: a dead trace).

- :func:`sta_lta`, :func:`pick_sta_lta`: short-term over long-term average of
  the energy x² (Allen 1978), picked where it first crosses a threshold.
- :func:`energy_ratio`, :func:`pick_energy_ratio`: energy of a short window over
  all the energy so far (Coppens 1985), picked where it rises most steeply.
- :func:`expected_first_break`, :func:`search_window`: the mean moveout of labelled
  gathers and a window around it, for a picker to search instead of the whole trace.
- :func:`rms_ms`, :func:`median_abs_ms`: pick errors in milliseconds;
  :func:`calibrate`: a picker's setting and bias from labelled traces.
- :func:`normalise_traces`: per-trace scaling to unit RMS.
- :func:`picker_inputs`, :func:`cnn_picker`, :func:`gaussian_labels`,
  :func:`pick_from_logits`, :func:`cnn_pick`: the network treats picking as
  classification over the nt samples of a trace.
- :func:`fit_linear_moveout`: a robust line t₀ + offset/v through the picks of each
  gather (chapter 11).
"""

from . import classical, cnn, moveout, window
from .classical import *  # noqa: F401,F403  (each module lists its names in __all__)
from .cnn import *  # noqa: F401,F403
from .moveout import *  # noqa: F401,F403
from .window import *  # noqa: F401,F403

__all__ = classical.__all__ + window.__all__ + cnn.__all__ + moveout.__all__
