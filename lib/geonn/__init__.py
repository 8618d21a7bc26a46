"""geonn: a small, pure-NumPy neural-network library for the course
*Neural Networks for the Subsurface*.

    >>> import numpy as np
    >>> from geonn import Sequential, Dense, Activation
    >>> rng = np.random.default_rng(0)
    >>> net = Sequential([Dense(3, 2, rng=rng), Activation("sigmoid"), Dense(2, 1, rng=rng)])
    >>> net.n_params
    11
"""
from . import activations, datasets, gradcheck, init, layers, losses, network, optim, train
from .gradcheck import gradcheck as check_gradients
from .layers import (Activation, AvgPool1D, Conv1D, Dense, Dropout, Flatten, Layer, MaxPool1D,
                     Reshape, SpectralNorm, Upsample1D, check_layer, spectral_norm)
from .losses import MSE, BCEWithLogits, SoftmaxCrossEntropy
from .network import Sequential, mlp
from .optim import SGD, Adam, Momentum
from .train import History, TrainingDiverged, fit

__version__ = "0.1.0"

__all__ = ["activations", "datasets", "gradcheck", "init", "layers", "losses", "network", "optim",
           "train", "check_gradients", "Activation", "Dense", "Dropout", "MSE",
           "BCEWithLogits", "SoftmaxCrossEntropy", "Sequential", "mlp", "SGD", "Adam", "Momentum",
           "History", "TrainingDiverged", "fit", "Layer", "Flatten", "Reshape", "Conv1D",
           "MaxPool1D", "AvgPool1D", "Upsample1D", "SpectralNorm", "spectral_norm", "check_layer"]

# chapter 4: 2-D loss surfaces and gradient descent on them
from . import surfaces  # noqa: E402
__all__ += ["surfaces"]

# chapter 6b: ensembles, MC dropout, calibration coverage, input sensitivity; blocked
# K-fold, paired comparisons and residual correlograms for wells in a map
from . import uncertainty, validation  # noqa: E402
__all__ += ["uncertainty", "validation"]

# chapter 8: classical seismic processing (Wiener deconvolution, spectra) and first-break picking
from . import picking, processing  # noqa: E402
__all__ += ["picking", "processing"]

# chapter 9: autoencoders (bottleneck, PCA, denoising) and transfer learning for first
# breaks (an autoencoder-pretrained encoder, few labels)
from . import autoencoders, transfer, transfer_report, transfer_run  # noqa: E402
__all__ += ["autoencoders", "transfer", "transfer_report", "transfer_run"]

# chapter 10: generative adversarial networks and measures of sample quality
from . import gan, gan_metrics, gan_nets  # noqa: E402
__all__ += ["gan", "gan_metrics", "gan_nets"]
