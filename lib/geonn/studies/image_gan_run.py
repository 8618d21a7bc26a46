"""Training runs of chapter 12's DCGAN (:mod:`.image_gan`): one pair G, D trained
on patches with :func:`geonn.studies.gan.train_gan` (BCE on logits, non-saturating
G loss) at :data:`GAN_SETUP`, and runs saved to and loaded from one ``.npz`` (no
pickle).

Random streams, ``np.random.default_rng([seed, k])``: k = 20 the initial weights of
G and D (the same with and without spectral normalisation), k = 21 the
power-iteration vectors of spectral normalisation, k = 22 the batches and latent
draws of training.
"""

import os
import time

import numpy as np

from geonn.core import _checks

from .gan import GANHistory, train_gan
from .gan_nets import add_spectral_norm
from .image_gan import patch_discriminator, patch_generator

__all__ = ["GAN_SETUP", "train_patch_gan", "save_gan_runs", "load_gan_runs"]

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
    G, D = _pair(seed, spectral, setup["latent_dim"], X.shape[2])
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


def _pair(seed, spectral, latent_dim, size):
    """G and D of a seed before training (spectral normalisation drawn from its own
    stream, so that D's weights are the same without it)."""
    rng = np.random.default_rng([seed, _K_INIT])
    G = patch_generator(latent_dim, rng, size=size)
    D = patch_discriminator(rng, size=size)
    if spectral:
        add_spectral_norm(D, np.random.default_rng([seed, _K_SN]))
    return G, D


_SERIES = ("d_loss", "g_loss", "d_real", "d_fake")


def save_gan_runs(path, runs):
    """Write ``runs`` {name: (G, D, history, cpu_seconds)} (e.g. "plain", "sn") to one
    ``.npz`` (no pickle): per run, G's and D's weights and buffers, the four loss
    series of the history, the CPU seconds and whether D is spectrally normalised."""
    if not isinstance(runs, dict) or not runs:
        raise TypeError("save_gan_runs runs must be a non-empty dict {name: run}")
    arrays = {}
    for name, run in runs.items():
        if not (isinstance(name, str) and name and "/" not in name):
            raise ValueError(f"save_gan_runs: run names must be words; got {name!r}")
        if not (isinstance(run, tuple) and len(run) == 4):
            raise TypeError(
                f"save_gan_runs runs[{name!r}] must be (G, D, history, cpu_seconds)"
            )
        G, D, history, cpu = run
        for net, who in ((G, "G"), (D, "D")):
            for k, v in {**net.named_params(), **net.named_buffers()}.items():
                arrays[f"{name}/{who}/{k}"] = v
        for k in _SERIES:
            arrays[f"{name}/{k}"] = np.asarray(getattr(history, k))
        arrays[f"{name}/cpu_seconds"] = np.float64(cpu)
        arrays[f"{name}/spectral"] = np.bool_(_spectral(D))
        # latent_dim, and the patch size from D's Dense input, C₃ (s/8)²
        s3 = np.sqrt(D.layers[-1].W.shape[0] / D.layers[-4].c_out)
        arrays[f"{name}/shape"] = np.array([G.layers[0].W.shape[0], 8 * round(s3)])
    np.savez(path, **arrays)


def _spectral(D):
    return any(getattr(layer, "reparam", None) is not None for layer in D.leaves())


def load_gan_runs(path):
    """The runs of :func:`save_gan_runs`: {name: (G, D, history, cpu_seconds)}, the
    networks rebuilt and their weights checked (names, shapes, finite) before they
    are copied in; any problem raises one ValueError naming the file."""
    path = os.fspath(path)

    def fail(problem):
        return ValueError(f"load_gan_runs: cannot load {path!r}: {problem}")

    try:
        with np.load(path, allow_pickle=False) as f:
            stored = {k: f[k] for k in f.files}
    except (OSError, ValueError, EOFError) as err:  # missing, pickled, not an .npz
        raise fail(err) from err
    runs = {}
    for name in sorted({k.split("/")[0] for k in stored}):
        needed = [f"{name}/{k}" for k in ("shape", "spectral", "cpu_seconds")]
        needed += [f"{name}/{k}" for k in _SERIES]
        if any(k not in stored for k in needed):
            raise fail(f"run {name!r} lacks some of {needed}")
        latent_dim, size = (int(v) for v in stored[f"{name}/shape"])
        G, D = _pair(0, bool(stored[f"{name}/spectral"]), latent_dim, size)
        for net, who in ((G, "G"), (D, "D")):
            mine = {**net.named_params(), **net.named_buffers()}
            for k, v in mine.items():
                theirs = stored.get(f"{name}/{who}/{k}")
                if theirs is None or theirs.shape != v.shape:
                    raise fail(f"{name}/{who}/{k} is missing or has another shape")
                if not np.all(np.isfinite(theirs)):
                    raise fail(f"{name}/{who}/{k} holds NaN or inf")
            for k, v in mine.items():
                v[...] = stored[f"{name}/{who}/{k}"]
        series = {k: stored[f"{name}/{k}"] for k in _SERIES}
        history = GANHistory(**series, steps=len(series["d_loss"]))
        runs[name] = (G, D, history, float(stored[f"{name}/cpu_seconds"]))
    return runs
