"""Layers.  Every layer follows the contract of :class:`Layer` (see its docstring and
``lib/geonn/README.md``): ``forward(x, train)``, ``backward(grad_out,
need_input_grad=True)`` returning ∂L/∂(input), ``params()``, ``grads()``, one
``trainable`` flag.

- :mod:`.dense`, :mod:`.simple`: Dense; activations, dropout, shape changes
- :mod:`.conv`: Conv1D, 1-D pooling and upsampling on (batch, channels, length)
- :mod:`.conv2d`, :mod:`.pool2d`: Conv2D, 2-D pooling and upsampling on (batch,
  channels, height, width)
- :mod:`.skip`: layers made of layers: ``Container`` (the base of ``Sequential``),
  the skip connections ``Concat`` and ``Residual``
- :mod:`.spectral`: spectral normalisation; :mod:`.check`: :func:`check_layer`
"""

from .base import Layer
from .check import check_layer
from .conv import AvgPool1D, Conv1D, MaxPool1D, Upsample1D
from .conv2d import Conv2D
from .dense import Dense
from .pool2d import AvgPool2D, MaxPool2D, Upsample2D
from .simple import Activation, Dropout, Flatten, Reshape
from .skip import Concat, Residual
from .spectral import SpectralNorm, spectral_norm

__all__ = [
    "Layer",
    "Dense",
    "Activation",
    "Dropout",
    "Flatten",
    "Reshape",
    "Conv1D",
    "MaxPool1D",
    "AvgPool1D",
    "Upsample1D",
    "Conv2D",
    "MaxPool2D",
    "AvgPool2D",
    "Upsample2D",
    "Concat",
    "Residual",
    "SpectralNorm",
    "spectral_norm",
    "check_layer",
]
