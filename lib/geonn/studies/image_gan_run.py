"""Training runs of chapter 12's DCGAN (:mod:`.image_gan`): one pair G, D trained
on patches with :func:`geonn.studies.gan.train_gan` (BCE on logits, non-saturating
G loss) at :data:`GAN_SETUP`. A chapter stores the trained networks with
:func:`geonn.studies.stored.stored_run` (one ``np.savez`` file per network), into the
untrained pair :func:`patch_gan` builds.

Random streams, ``np.random.default_rng([seed, k])``: k = 20 the initial weights of
G and D (the same with and without spectral normalisation), k = 21 the
power-iteration vectors of spectral normalisation, k = 22 the batches and latent
draws of training.
"""

import time

import numpy as np

from geonn.core import _checks

from .gan import train_gan
from .gan_nets import add_spectral_norm
from .image_gan import PATCH, patch_discriminator, patch_generator

__all__ = ["GAN_SETUP", "patch_gan", "train_patch_gan"]

# chosen in short runs on 48 × 48 patches (≈ 23 ms of CPU a step, ≈ 2 min a run):
# batch 32 for 1,500 steps gave horizontal bands; a faster D (η_d = 4η_g) or G
# (η_g = 2η_d) gave noisier, fainter samples; batch 16 for 5,000 steps gave continuous,
# gently folded and dipping events
GAN_SETUP = dict(
    latent_dim=32,
    steps=5000,
    batch_size=16,
    eta_g=2e-3,
    eta_d=2e-3,
    beta1=0.5,
)
_K_INIT, _K_SN, _K_TRAIN = 20, 21, 22


def train_patch_gan(X, seed, spectral, *, steps=None, progress=False):
    """Train G and D from ``seed`` on patches X (n, 1, s, s) at :data:`GAN_SETUP`
    (``steps`` overrides its step count); return (G, D, history, cpu_seconds).

    G and D start from the same weights with and without spectral normalisation,
    and see the same batches and latent draws (streams in the module docstring),
    so the two runs of a seed differ only by the normalisation. ``cpu_seconds`` is
    the process CPU time of the training loop.
    """
    X = _checks.array("train_patch_gan X", X, ndim=4)
    if X.shape[1] != 1 or X.shape[2] != X.shape[3]:
        raise ValueError(
            f"train_patch_gan X must be square one-channel patches (n, 1, s, s); got "
            f"shape {X.shape}"
        )
    seed = _checks.integer("train_patch_gan seed", seed, low=0)
    for name, flag in (("spectral", spectral), ("progress", progress)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(
                f"train_patch_gan {name} must be True or False; got {flag!r}"
            )
    setup = dict(GAN_SETUP)
    if steps is not None:
        setup["steps"] = _checks.integer("train_patch_gan steps", steps)
    G, D = patch_gan(seed, spectral, setup["latent_dim"], X.shape[2])
    start = time.process_time()
    history = train_gan(
        G,
        D,
        X,
        rng=np.random.default_rng([seed, _K_TRAIN]),
        progress=progress,
        **setup,
    )
    return G, D, history, time.process_time() - start


def patch_gan(seed, spectral, latent_dim=GAN_SETUP["latent_dim"], size=PATCH):
    """(G, D) of ``seed`` before training: the networks :func:`train_patch_gan`
    starts from (spectral normalisation drawn from its own stream, so that D's
    weights are the same without it), and the shapes a stored run loads into."""
    seed = _checks.integer("patch_gan seed", seed, low=0)
    if not isinstance(spectral, bool):
        raise TypeError(f"patch_gan spectral must be True or False; got {spectral!r}")
    rng = np.random.default_rng([seed, _K_INIT])
    G = patch_generator(latent_dim, rng, size=size)
    D = patch_discriminator(rng, size=size)
    if spectral:
        add_spectral_norm(D, np.random.default_rng([seed, _K_SN]))
    return G, D
