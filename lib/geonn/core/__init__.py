"""The core: arrays in, arrays out; nothing here knows about geoscience.

- :mod:`.layers`: the :class:`Layer` contract and the layers (Dense, Conv1D, pooling,
  Dropout, ...), spectral normalisation, :func:`check_layer`
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
from .layers import (
    Activation,
    AvgPool1D,
    Conv1D,
    Dense,
    Dropout,
    Flatten,
    Layer,
    MaxPool1D,
    Reshape,
    SpectralNorm,
    Upsample1D,
    check_layer,
    spectral_norm,
)
from .losses import MSE, BCEWithLogits, SoftmaxCrossEntropy
from .network import Sequential, mlp
from .optim import SGD, Adam, Momentum
from .train import History, TrainingDiverged, fit

__all__ = [
    "check_gradients",
    "Activation",
    "Dense",
    "Dropout",
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
    "Layer",
    "Flatten",
    "Reshape",
    "Conv1D",
    "MaxPool1D",
    "AvgPool1D",
    "Upsample1D",
    "SpectralNorm",
    "spectral_norm",
    "check_layer",
]
