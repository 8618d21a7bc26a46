"""The core: arrays in, arrays out; nothing here knows about geoscience.

- :mod:`.layers`: the :class:`Layer` contract and the layers (Dense, Conv1D, Conv2D,
  pooling, Dropout, the skip connections Concat and Residual, ...), spectral
  normalisation, :func:`check_layer`
- :mod:`.activations`, :mod:`.losses`, :mod:`.init`: element-wise functions, losses,
  weight initialisation
- :mod:`.network`: :class:`Sequential`, :func:`mlp`, save and load
- :mod:`.optim`, :mod:`.train`: optimizers, :func:`fit` and its :class:`History`
- :mod:`.gradcheck`: central finite differences; :mod:`._checks`: argument checks

``geonn`` re-exports every name of ``__all__``; the modules stay here
(``from geonn.core import activations``).
"""

# the submodules are API too (from geonn.core import activations), not in __all__
from . import (  # noqa: F401
    activations,
    gradcheck,
    init,
    layers,
    losses,
    network,
    optim,
    train,
)
from .gradcheck import gradcheck as check_gradients
from .layers import *  # noqa: F403  (layers.__all__: Dense, Conv1D, Layer, ...)
from .losses import MSE, BCEWithLogits, SoftmaxCrossEntropy
from .network import Sequential, mlp
from .optim import SGD, Adam, Momentum
from .train import History, TrainingDiverged, fit

# the layers' names come from their own package's __all__, so a new layer is listed once
__all__ = [
    "check_gradients",
    "MSE",
    "BCEWithLogits",
    "SoftmaxCrossEntropy",
    "Sequential",
    "mlp",
    "SGD",
    "Adam",
    "Momentum",
    "History",
    "TrainingDiverged",
    "fit",
] + layers.__all__
