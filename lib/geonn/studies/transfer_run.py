"""Run the transfer-learning design of :mod:`geonn.studies.transfer` (chapter 9,
section 5): draw one seed's data, pretrain the encoders, train and score the pickers.

Inputs, one example per trace: (n, 3, nt) = the trace / its RMS, offset / max offset,
and time t / t_max (:func:`transfer_inputs`). Errors are on the live traces of the
seed's held-out test gathers.
"""

import time

import numpy as np

from geonn.core import _checks
from geonn.core.network import Sequential
from geonn.domain.datasets import make_gathers
from geonn.domain.picking import (
    cnn_pick,
    gaussian_labels,
    median_abs_ms,
    picker_inputs,
    rms_ms,
)

from .transfer import (
    METHODS,
    N_LABELS,
    RECIPES,
    SIGMA_SAMPLES,
    SIZES,
    SMALL,
    load_encoder,
    make_encoder,
    make_head,
    make_picker,
    pretrain,
    train_picker,
)

__all__ = ["transfer_inputs", "transfer_data", "run_transfer"]
KINDS = ("plain", "bottleneck")  # the two pretraining autoencoders


def transfer_inputs(g):
    """Gathers g (x (n, n_traces, nt)) → (n·n_traces, 3, nt): trace/RMS, offset,
    t/t_max."""
    x = picker_inputs(g.x, g.offset)
    t = np.broadcast_to(g.t / g.t[-1], (len(x), 1, g.t.size))
    return np.concatenate([x, t], axis=1)


def transfer_data(seed, small=False, unlabelled=True):
    """(unlabelled, labelled, test) Gathers of ``seed``; sizes in SIZES (or SMALL).
    With ``unlabelled=False`` the first is None (not drawn: it has its own stream)."""
    s = SMALL if small else SIZES
    rng = np.random.default_rng([seed, 0])
    unlabelled = (
        make_gathers(s["n_unlabelled"], rng, snr_db=10.0) if unlabelled else None
    )
    rng = np.random.default_rng([seed, 1])
    return (
        unlabelled,
        make_gathers(s["n_labelled"], rng, snr_db=10.0),
        make_gathers(s["n_test"], rng, snr_db=10.0),
    )


def _pretrained(kind, seed, unlabelled, s):
    """Pretrain an encoder ("plain" or "bottleneck") from default_rng([seed, 2]): both
    start from the same weights. Returns (encoder, CPU seconds, autoencoder size)."""
    rng = np.random.default_rng([seed, 2])
    encoder = make_encoder(rng)
    t0 = time.process_time()
    ae, _ = pretrain(
        encoder,
        transfer_inputs(unlabelled),
        rng,
        epochs=s["pretrain_epochs"],
        bottleneck=1 if kind == "bottleneck" else None,
    )
    return encoder, time.process_time() - t0, ae.n_params


def run_transfer(
    seed, n_labels=N_LABELS, methods=METHODS, *, small=False, encoders=None
):
    """Pick errors (ms) of every (N, method) for one seed.

    n_labels: int or sequence of N (labelled traces); methods: names in RECIPES;
    encoders: None (pretrain here what the methods need), or a dict
    {"plain": …, "bottleneck": …} of pretrained encoders or paths to them
    (``Sequential.save``). Returns (rows, info): rows are dicts with seed, n_labels,
    n_gathers (the labelled gathers the N traces come from), method, rms_ms,
    median_ms (median |error|), n_params, n_trainable, cpu_s (training CPU seconds);
    info has encoders, and pretrain_cpu_s and ae_params per encoder pretrained here.
    """
    seed = _checks.integer("seed", seed, low=0)
    n_labels = [
        _checks.integer("n_labels", n) for n in np.atleast_1d(n_labels).tolist()
    ]
    methods = [methods] if isinstance(methods, str) else list(methods)
    for m in (m for m in methods if m not in RECIPES):
        raise ValueError(f"unknown method {m!r}; choose from {', '.join(RECIPES)}")
    kinds = list(dict.fromkeys(RECIPES[m][0] for m in methods))
    encoders = dict(encoders or {})
    for k in (k for k in encoders if k not in KINDS):
        raise ValueError(
            f"encoders has an unknown key {k!r}; use 'plain' and 'bottleneck'"
        )
    s = SMALL if small else SIZES
    unlabelled, labelled, test = transfer_data(
        seed, small, unlabelled=any(k not in encoders for k in kinds)
    )
    live = np.flatnonzero(~labelled.dead.ravel())
    if max(n_labels) > live.size:
        raise ValueError(
            f"n_labels = {max(n_labels)} is more than the {live.size} "
            f"live labelled traces of the {s['n_labelled']} labelled "
            "gathers"
        )
    info = dict(pretrain_cpu_s={}, ae_params={})
    for k in kinds:
        if k not in encoders:
            encoders[k], info["pretrain_cpu_s"][k], info["ae_params"][k] = _pretrained(
                k, seed, unlabelled, s
            )
        elif not isinstance(encoders[k], Sequential):
            encoders[k] = load_encoder(encoders[k])
    info["encoders"] = encoders
    # the label draw: nested, the first N of one permutation of the live traces
    order = live[np.random.default_rng([seed, 3]).permutation(live.size)]
    X_all, fb, dt = transfer_inputs(labelled), labelled.first_break.ravel(), labelled.dt
    X_test, rows = transfer_inputs(test), []
    per_gather = labelled.first_break.shape[1]
    for n in n_labels:
        idx = order[:n]
        X, Y = X_all[idx], gaussian_labels(fb[idx], labelled.t, SIGMA_SAMPLES * dt)
        for m in methods:
            kind, mode, schedule = RECIPES[m]
            rng = np.random.default_rng([seed, n, 7])
            head = make_head(rng)
            net = make_picker(
                encoders[kind], head, mode, rng=np.random.default_rng([seed, 2])
            )
            t0 = time.process_time()
            train_picker(net, X, Y, rng, steps=s["steps"], schedule=schedule)
            cpu = time.process_time() - t0
            pick = cnn_pick(net, X_test, dt).reshape(test.first_break.shape)
            truth, dead = test.first_break, test.dead
            rows.append(
                dict(
                    seed=seed,
                    n_labels=n,
                    n_gathers=int(np.unique(idx // per_gather).size),
                    method=m,
                    rms_ms=rms_ms(pick, truth, dead),
                    median_ms=median_abs_ms(pick, truth, dead),
                    n_params=net.n_params,
                    n_trainable=net.n_trainable,
                    cpu_s=cpu,
                )
            )
    return rows, info
