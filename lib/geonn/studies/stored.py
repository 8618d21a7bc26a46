"""Networks trained ahead of time: stored in ``data/`` and loaded by the chapter.

Some of chapter 12's networks take minutes to train, more than a chapter's minute of
run time. The chapter trains them with its own code, once, when run by
``python tools/seeds.py 12 --retrain`` (its ``RETRAIN = True``), and stores them; on
every other run it loads them. Every network is a file of its own, written by
``Sequential.save`` (``np.savez``, never pickle), next to one file of the arrays the
training returned (loss histories, CPU seconds, scores):

    data/ch12/seed3/ae.npz          a network
    data/ch12/seed3/ae_run.npz      what its training returned

:func:`stored_run` is the one place that decides between training and loading.
"""

import time
from pathlib import Path

import numpy as np

from geonn.core import _checks
from geonn.core.layers import Layer
from geonn.domain.datasets.porosity import DATA_DIR

__all__ = ["run_dir", "stored_run"]


def run_dir(chapter, seed):
    """``data/ch<chapter>/seed<seed>/``, where a chapter's stored runs of one seed
    live (created when first written)."""
    if not isinstance(chapter, str) or not chapter.isalnum():
        raise ValueError(
            f"run_dir: chapter must be a string like '12'; got {chapter!r}"
        )
    seed = _checks.integer("run_dir seed", seed, low=0)
    return Path(DATA_DIR) / f"ch{chapter}" / f"seed{seed}"


def stored_run(folder, name, nets, train, retrain=False):
    """Load a stored training run, or train and store it.

    folder: a :func:`run_dir`; name: the run's name (``"ae"``); nets: {file name:
    network}, networks of the stored shapes, into which stored weights are loaded;
    train: a function of no arguments that trains and returns ({file name: trained
    network}, {array name: array}), the same file names as ``nets``. When
    ``retrain`` is true or a file is missing, ``train()`` runs, its CPU seconds are
    added to the arrays as ``cpu_s``, and every network and the arrays are written;
    otherwise ``nets`` are loaded in place. Returns (networks, arrays): the trained
    or the loaded ones; ``arrays["stored"]`` is True when loaded.
    """
    folder = Path(folder)
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"stored_run: name must be a plain word; got {name!r}")
    _networks("nets", nets)
    if not callable(train):
        raise TypeError(
            f"stored_run: train must be a function of no arguments; got "
            f"{type(train).__name__}"
        )
    run_file = folder / f"{name}_run.npz"
    files = {k: folder / f"{k}.npz" for k in nets}
    if retrain or not run_file.exists() or not all(f.exists() for f in files.values()):
        start = time.process_time()
        out = train()
        if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], dict)):
            raise TypeError(
                "stored_run: train() must return ({file name: network}, {name: array})"
            )
        trained = _networks("train()'s networks", out[0])
        if set(trained) != set(nets):
            raise ValueError(
                f"stored_run: train() returned networks {sorted(trained)}; "
                f"nets names {sorted(nets)}"
            )
        arrays = {k: np.asarray(v) for k, v in out[1].items()}
        arrays["cpu_s"] = np.asarray(time.process_time() - start)
        folder.mkdir(parents=True, exist_ok=True)
        for k, net in trained.items():
            net.save(files[k])
        np.savez(run_file, **arrays)
        return trained, arrays | {"stored": False}
    for k, net in nets.items():
        net.load(files[k])
    with np.load(run_file, allow_pickle=False) as f:
        return nets, {k: f[k] for k in f.files} | {"stored": True}


def _networks(name, nets):
    if not isinstance(nets, dict) or not all(
        isinstance(k, str) and k.isidentifier() and isinstance(v, Layer)
        for k, v in nets.items()
    ):
        raise TypeError(
            f"stored_run: {name} must be a dict {{file name: geonn network}}; got "
            f"{type(nets).__name__}"
        )
    return nets
