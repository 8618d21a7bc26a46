"""Seismic dreams (chapter 12), the data and the autoencoder: patches of unlabelled
sections, a convolutional autoencoder whose encoder has the shapes of the fault
U-Net's encoder, PCA at the same code size, and the encoder's weights to transfer.

Design (fixed before any transfer number was measured; only the autoencoder's batch
was tried: 8 rebuilt seed 3's held-out patches better than 16 and 32 at equal CPU,
and Adam(0.01) collapsed to the mean patch):

- Patches: PATCH × PATCH = 48 × 48 pixels cut at random (a section drawn uniformly, a
  corner uniformly) from sections of ``make_sections(·, height=128, width=128)``, each
  divided by its RMS first (``section_inputs``): large enough to hold dips, folds
  and faults. ``unlabelled``: 3,000 patches of 300 sections, to train on; ``held``:
  1,000 patches of 100 other sections, held out (same source), with the same
  windows of the sections without noise (``held_clean``, divided by the same RMS)
  and of their fault labels (``held_fault``).
- The fault task as chapter 11 draws it: a pool of 200 labelled 64 × 64 sections and
  100 test sections (``make_sections`` defaults).
- Autoencoder (:func:`patch_autoencoder`), 3 × 3 kernels, 'same' padding: encoder
  [Conv2D(1→8) ReLU MaxPool2D(2) Conv2D(8→16) ReLU MaxPool2D(2) Conv2D(16→32) ReLU],
  the three encoder convolutions of ``fault_unet(channels=(8, 16, 32))`` in shape
  and order (He init); the code Conv2D(32→c) (no activation) at a quarter of the
  scale, c × 12 × 12 numbers (c = 2: 288 for a patch of 2,304 pixels); a decoder
  mirroring the encoder, [Conv2D(c→32) ReLU Upsample2D(2) Conv2D(32→16) ReLU
  Upsample2D(2) Conv2D(16→8) ReLU Conv2D(8→1)]. Trained on the patches with MSE,
  L = 1/n Σᵢ ‖xᵢ − x′ᵢ‖² (geonn's MSE; :func:`pretrain_autoencoder`: Adam(0.003),
  batch 8, 4 epochs, about 30 s of CPU).
- PCA at the same code size k = c × 12 × 12, fitted on the same training patches
  (:func:`pca_fit`): x′ = x̄ + Vₖᵀ Vₖ (x − x̄).
- Random streams: default_rng([seed, k]): k = 0 the unlabelled sections and their
  patches, 1 the held-out ones, 2 the labelled and test sections, 3 the
  autoencoder's initial weights and then its batches (``rng =
  default_rng([seed, 3])``, ``patch_autoencoder(rng)``, ``pretrain_autoencoder(ae,
  X, rng)``); :mod:`geonn.studies.image_transfer_run` uses 4 and 5.

:mod:`geonn.studies.image_transfer_run` trains the fault U-Nets on few labels.
"""

import time
from typing import NamedTuple

import numpy as np

from geonn.core import _checks
from geonn.core.layers import Activation, Conv2D, MaxPool2D, Upsample2D
from geonn.core.losses import MSE
from geonn.core.network import Sequential
from geonn.core.optim import Adam
from geonn.core.train import fit
from geonn.domain.datasets.sections import Sections, make_sections

from .images import section_inputs

__all__ = [
    "PATCH",
    "CHANNELS",
    "DreamData",
    "patches",
    "dream_data",
    "patch_autoencoder",
    "pretrain_autoencoder",
    "encode",
    "pca_fit",
    "pca_reconstruct",
    "encoder_weights",
]

PATCH = 48
CHANNELS = (8, 16, 32)  # chapter 11's fault_unet
EPOCHS, BATCH, ETA = 4, 8, 0.003
SIZES = dict(
    n_sections=300,
    n_patches=3000,
    n_held_sections=100,
    n_held=1000,
    n_labelled=200,
    n_test=100,
)
SMALL = dict(
    n_sections=4, n_patches=64, n_held_sections=2, n_held=32, n_labelled=24, n_test=6
)


def patches(x, size, n, rng):
    """``n`` square patches (n, 1, size, size), float32, cut at random from sections
    x (m, H, W) or images (m, 1, H, W): for each, a section drawn uniformly and its
    top-left corner uniformly in [0, H − size] × [0, W − size]."""
    x = _checks.array("patches: x", x)
    if x.ndim == 3:
        x = x[:, None]
    if x.ndim != 4 or x.shape[1] != 1:
        raise ValueError(
            f"patches: x must be sections (m, H, W) or images (m, 1, H, W); got "
            f"shape {x.shape}"
        )
    x = _images("patches: x", x)[:, 0]
    size = _checks.integer("size", size)
    n = _checks.integer("n", n)
    _checks.rng(rng, "patches")
    _, H, W = x.shape
    if size > min(H, W):
        raise ValueError(
            f"size must be at most the sections' height and width ({H} × {W}); "
            f"got {size}"
        )
    return x[_windows(x.shape, size, n, rng)][:, None].astype(np.float32)


def _windows(shape, size, n, rng):
    """Fancy indices of n random size × size windows of sections ``shape`` (m, H, W):
    the section, then the rows, then the columns of each (drawn in that order)."""
    m, H, W = shape
    i = rng.integers(0, m, n)
    r = rng.integers(0, H - size + 1, n)[:, None] + np.arange(size)
    c = rng.integers(0, W - size + 1, n)[:, None] + np.arange(size)
    return i[:, None, None], r[:, :, None], c[:, None, :]


class DreamData(NamedTuple):
    """One seed's data (module docstring): patches (n, 1, 48, 48), float32, and the
    fault task's Sections (x, fault (n, 64, 64), ...)."""

    unlabelled: np.ndarray  # training patches of the autoencoder (and the GAN)
    held: np.ndarray  # held-out patches, same source
    labelled: Sections  # the pool of labelled sections
    test: Sections  # the test sections
    held_clean: np.ndarray  # the same windows of the sections without noise
    held_fault: np.ndarray  # (n, 48, 48) bool: the same windows of the fault labels


def _patches_of(seed, n_sections, n_patches):
    """Patches of sections drawn from default_rng(seed), and the same windows of
    the clean sections (divided by the RMS of the noisy ones) and of the faults."""
    rng = np.random.default_rng(seed)
    s = make_sections(n_sections, rng, height=128, width=128)
    X = section_inputs(s.x)[:, 0]
    at = _windows(X.shape, PATCH, n_patches, rng)
    rms = np.sqrt(np.mean(s.x**2, axis=(1, 2), keepdims=True))
    clean = (s.clean / rms)[at][:, None].astype(np.float32)
    return X[at][:, None], clean, s.fault[at]


def dream_data(seed, small=False):
    """:class:`DreamData` of ``seed`` (an integer ≥ 0): sizes as in the module
    docstring, or tiny ones with ``small=True`` (for tests)."""
    seed = _checks.integer("seed", seed, low=0)
    if not isinstance(small, bool):
        raise TypeError(f"small must be True or False; got {small!r}")
    s = SMALL if small else SIZES
    unlabelled, _, _ = _patches_of([seed, 0], s["n_sections"], s["n_patches"])
    held, held_clean, held_fault = _patches_of(
        [seed, 1], s["n_held_sections"], s["n_held"]
    )
    rng = np.random.default_rng([seed, 2])
    labelled = make_sections(s["n_labelled"], rng)
    test = make_sections(s["n_test"], rng)
    return DreamData(unlabelled, held, labelled, test, held_clean, held_fault)


class _PatchAutoencoder(Sequential):
    """Sequential([encoder, code, decoder]): :func:`encode` reads the code."""


def _conv(c_in, c_out, rng, dtype, init="he"):
    return Conv2D(c_in, c_out, 3, rng=rng, init=init, dtype=dtype)


def patch_autoencoder(rng, code_channels=2, dtype=np.float32):
    """(autoencoder, encoder): patches (n, 1, H, W) → (n, 1, H, W), H and W divisible
    by 4, with the layers of the module docstring; ``autoencoder[0] is encoder``
    (the same layer objects: training one trains the other). The encoder's convs
    are drawn first from ``rng``, so the same rng gives the same encoder whatever
    ``code_channels`` (c < 16: a code of c · H/4 · W/4 numbers, fewer than H · W).
    """
    _checks.rng(rng, "patch_autoencoder")
    c = _checks.integer("code_channels", code_channels)
    if c >= 16:
        raise ValueError(
            f"code_channels must be below 16, so that the code (c × H/4 × W/4) is "
            f"smaller than the patch (H × W); got {c}"
        )
    dtype = _checks.float_dtype("dtype", dtype)
    c1, c2, c3 = CHANNELS

    def relu():
        return Activation("relu")

    encoder = Sequential(
        [
            _conv(1, c1, rng, dtype),
            relu(),
            MaxPool2D(2),
            _conv(c1, c2, rng, dtype),
            relu(),
            MaxPool2D(2),
            _conv(c2, c3, rng, dtype),
            relu(),
        ]
    )
    code = _conv(c3, c, rng, dtype, init="glorot")
    decoder = Sequential(
        [
            _conv(c, c3, rng, dtype),
            relu(),
            Upsample2D(2),
            _conv(c3, c2, rng, dtype),
            relu(),
            Upsample2D(2),
            _conv(c2, c1, rng, dtype),
            relu(),
            _conv(c1, 1, rng, dtype, init="glorot"),
        ]
    )
    return _PatchAutoencoder([encoder, code, decoder]), encoder


def _autoencoder(who, ae):
    if not isinstance(ae, _PatchAutoencoder):
        raise TypeError(
            f"{who} needs ae, the autoencoder of patch_autoencoder; got "
            f"{type(ae).__name__}"
        )
    return ae


def _images(name, X):
    """Images (n ≥ 1, C, H, W), finite and within float32's range (the networks')."""
    X = _checks.rows(name, _checks.finite(name, _checks.array(name, X, ndim=4)))
    if np.abs(X).max() > np.finfo(np.float32).max:
        raise ValueError(
            f"{name} holds values beyond float32's range; scale the patches first "
            "(section_inputs divides each section by its RMS)"
        )
    return X


def pretrain_autoencoder(ae, X, rng, epochs=EPOCHS, batch_size=BATCH, eta=ETA):
    """Train ``ae`` (:func:`patch_autoencoder`) in place to rebuild patches X
    (n, 1, H, W): MSE, Adam(eta), ``rng`` shuffles the batches. Returns
    (History, CPU seconds of the training)."""
    _autoencoder("pretrain_autoencoder", ae)
    X = _images("pretrain_autoencoder: X", X)
    eta = _checks.positive("eta", eta)
    start = time.process_time()
    history = fit(ae, MSE(), Adam(eta=eta), X, X, epochs, batch_size, rng)
    return history, time.process_time() - start


def encode(net, X, batch_size=100):
    """Codes (n, d) of patches X (n, 1, H, W), ``batch_size`` at a time.

    net: the autoencoder of :func:`patch_autoencoder` (its code, d = c · H/4 · W/4:
    288 for 48 × 48 patches and c = 2, a feature map for the Fréchet distance) or
    any other network, e.g. the encoder alone (its output flattened: 32 · H/4 · W/4).
    """
    if not isinstance(net, Sequential):
        raise TypeError(
            f"encode needs net, the autoencoder or an encoder (a Sequential); got "
            f"{type(net).__name__}"
        )
    X = _images("encode: X", X)
    if isinstance(net, _PatchAutoencoder):
        net = Sequential(net.layers[:2])  # the same layers: encoder, code
    return net.predict(X, batch_size=batch_size).reshape(len(X), -1)


def _rows(name, X):
    X = _images(name, X)
    (scaled,), e = _checks.unit_scale(X.reshape(len(X), -1).astype(np.float64))
    if e:
        raise ValueError(
            f"{name} must be of ordinary scale (patches divided by their section's "
            f"RMS); its largest |value| is about 2^{e}"
        )
    return scaled


def pca_fit(X, k):
    """(mean x̄ (d,), components Vₖ (k, d)) of patches X (n, ...), d the pixels of a
    patch: the k leading eigenvectors of Σᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ (float64)."""
    F = _rows("pca_fit: X", X)
    k = _checks.integer("k", k)
    if k > min(F.shape):
        raise ValueError(
            f"k must be at most min(n, d) = {min(F.shape)} (n patches, d pixels); "
            f"got {k}"
        )
    mean = F.mean(axis=0)
    # the eigenvectors of the d × d scatter matrix are the right singular vectors of
    # F − x̄: an eigh of 2,304 × 2,304 costs a quarter of the SVD of 3,000 × 2,304
    _, V = np.linalg.eigh((F - mean).T @ (F - mean))
    return mean, V[:, ::-1][:, :k].T.copy()


def pca_reconstruct(pca, X):
    """x′ = x̄ + Vₖᵀ Vₖ (x − x̄) for patches X (n, ...), shaped like X (float64);
    pca = (x̄, Vₖ) from :func:`pca_fit`."""
    if not (isinstance(pca, tuple) and len(pca) == 2):
        raise TypeError("pca must be the pair (mean, components) of pca_fit")
    mean, V = (np.asarray(a, dtype=np.float64) for a in pca)
    F = _rows("pca_reconstruct: X", X)
    if mean.ndim != 1 or V.ndim != 2 or not V.shape[1] == mean.size == F.shape[1]:
        raise ValueError(
            f"pca (mean {mean.shape}, components {V.shape}) does not fit patches of "
            f"{F.shape[1]} pixels"
        )
    return (mean + (F - mean) @ V.T @ V).reshape(np.shape(X))


def encoder_weights(encoder):
    """[(W, b)] * 3, copies of the three encoder convolutions' weights, W (8, 1, 3, 3),
    (16, 8, 3, 3), (32, 16, 3, 3): of an encoder of :func:`patch_autoencoder`
    (or the autoencoder itself)."""
    if isinstance(encoder, _PatchAutoencoder):
        encoder = encoder[0]
    if not isinstance(encoder, Sequential):
        raise TypeError(
            f"encoder_weights needs encoder, a Sequential; got {type(encoder).__name__}"
        )
    convs = [leaf for leaf in encoder.leaves() if isinstance(leaf, Conv2D)]
    want = [(c, a) for a, c in zip((1, *CHANNELS), CHANNELS)]
    got = [(c.c_out, c.c_in) for c in convs]
    if got != want or any(c.k != (3, 3) for c in convs):
        raise ValueError(
            f"encoder must hold three 3 × 3 Conv2D, {want} (out, in) channels as "
            f"fault_unet's encoder; got {got}"
        )
    return [(c.W.copy(), c.b.copy()) for c in convs]
