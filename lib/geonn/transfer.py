"""Transfer learning for first breaks with few labels (chapter 9, section 5).

Raw gathers are plentiful, picked ones scarce: pretrain a Conv1D encoder as an
autoencoder on unlabelled traces, then train a picker on N labelled traces.

Design (fixed before any number was measured):

- Inputs, one example per trace: (n, 3, nt) = the trace / its RMS, offset /
  max offset, and time t / t_max (:func:`transfer_inputs`).
- Encoder, (n, 3, nt) → (n, 16, nt/4): [Conv1D(k=9, 'same') → ReLU → MaxPool1D(2)]
  with 8 then 16 channels (He init), 1,392 parameters.
- Autoencoder: encoder → decoder [Upsample1D(2) → Conv1D(16→8, k=9) → ReLU →
  Upsample1D(2) → Conv1D(8→1, k=9)], reconstructing channel 0, the normalised
  trace (n, 1, nt), with MSE; Adam(0.003), batch 64, 5 epochs over the 300 unlabelled
  gathers (9,600 traces) drawn for the seed.
- Picker: encoder → head [Upsample1D(2) → Conv1D(16→8, k=5) → ReLU → Upsample1D(2)
  → Conv1D(8→1, k=5) → Flatten], logits (n, nt), 689 head parameters. Fully
  convolutional: every logit is a score of a short window (about ±29 samples); the
  pick is the argmax with parabolic refinement (``pick_from_logits``). Loss: softmax
  cross-entropy on Gaussian labels (σ = 1.5 samples), as in chapter 8.
- Label units are TRACES: N live traces drawn at random (nested: the first N of one
  permutation per seed) from 20 labelled gathers; errors on the live traces of 50
  held-out gathers. Training: Adam(0.003), batch min(N, 32), 300 steps whatever N.
- Methods: "frozen" (pretrained encoder, ``freeze()``: only the head learns), "finetune"
  (pretrained, ``unfreeze()``), "scratch" (the encoder at pretraining's initial weights).
- Random streams: default_rng([seed, k]), k = 0 unlabelled data, 1 labelled and test
  data, 2 encoder init and pretraining, 3 label draw; default_rng([seed, N, 7]) per
  (seed, N) for the head (same head init for the three methods) and the batch order.
  A cell thus never depends on which other cells run.
"""
import copy
import time

import numpy as np

from . import _checks
from .datasets import make_gathers
from .layers import Activation, Conv1D, Flatten, MaxPool1D, Upsample1D
from .losses import MSE, SoftmaxCrossEntropy
from .network import Sequential
from .optim import Adam
from .picking import cnn_pick, gaussian_labels, picker_inputs, rms_ms
from .train import fit

__all__ = ["METHODS", "N_LABELS", "transfer_inputs", "transfer_data", "make_encoder", "make_head",
           "make_autoencoder", "pretrain", "load_encoder", "make_picker", "train_picker",
           "run_transfer"]

METHODS = ("frozen", "finetune", "scratch")
N_LABELS = (10, 30, 100, 300)
SIZES = dict(n_unlabelled=300, n_labelled=20, n_test=50, pretrain_epochs=5, steps=300)
SMALL = dict(n_unlabelled=8, n_labelled=12, n_test=4, pretrain_epochs=1, steps=10)
SIGMA_SAMPLES, ETA, BATCH = 1.5, 0.003, 32


def transfer_inputs(g):
    """Gathers g (x (n, n_traces, nt)) → (n·n_traces, 3, nt): trace/RMS, offset, t/t_max."""
    x = picker_inputs(g.x, g.offset)
    t = np.broadcast_to(g.t / g.t[-1], (len(x), 1, g.t.size))
    return np.concatenate([x, t], axis=1)


def transfer_data(seed, small=False, unlabelled=True):
    """(unlabelled, labelled, test) Gathers of ``seed``; sizes in SIZES (or SMALL).
    With ``unlabelled=False`` the first is None (not drawn: it has its own stream)."""
    s = SMALL if small else SIZES
    rng = np.random.default_rng([seed, 0])
    unlabelled = make_gathers(s["n_unlabelled"], rng, snr_db=10.0) if unlabelled else None
    rng = np.random.default_rng([seed, 1])
    return unlabelled, make_gathers(s["n_labelled"], rng, snr_db=10.0), \
        make_gathers(s["n_test"], rng, snr_db=10.0)


def make_encoder(rng, in_channels=3, channels=(8, 16), kernel_size=9):
    """(n, in_channels, L) → (n, channels[-1], L / 2^len(channels)); He-initialised."""
    _checks.rng(rng, "make_encoder")
    layers, c_in = [], _checks.integer("in_channels", in_channels)
    for c in channels:
        layers += [Conv1D(c_in, c, kernel_size, rng=rng, init="he"), Activation("relu"),
                   MaxPool1D(2)]
        c_in = c
    return Sequential(layers)


def _upsampler(rng, channels, kernel_size):
    layers = []
    for c_in, c_out in zip(channels[:-1], channels[1:]):
        if layers:
            layers.append(Activation("relu"))
        layers += [Upsample1D(2), Conv1D(c_in, c_out, kernel_size, rng=rng, init="he")]
    return layers


def make_head(rng, channels=(16, 8, 1), kernel_size=5):
    """Picking head: (n, 16, L/4) → logits (n, L), one Upsample1D(2) + Conv1D per stage."""
    _checks.rng(rng, "make_head")
    return Sequential(_upsampler(rng, channels, kernel_size) + [Flatten()])


def make_autoencoder(encoder, rng, channels=(16, 8, 1), kernel_size=9):
    """Sequential([encoder, decoder]): (n, C, L) → reconstruction of channel 0, (n, 1, L)."""
    _checks.rng(rng, "make_autoencoder")
    return Sequential([encoder, Sequential(_upsampler(rng, channels, kernel_size))])


def pretrain(encoder, X, rng, epochs=5, batch_size=64, eta=ETA):
    """Train ``encoder`` in place as the front of an autoencoder on X (n, C, L), target
    X[:, :1] (MSE); the decoder is drawn from ``rng``. Returns (autoencoder, History)."""
    X = _checks.array("pretrain: X", X, ndim=3)
    ae = make_autoencoder(encoder, rng)
    return ae, fit(ae, MSE(), Adam(eta=eta), X, X[:, :1], epochs, batch_size, rng=rng)


def load_encoder(path):
    """An encoder of :func:`make_encoder`'s default shape with weights from ``path`` (.npz)."""
    return make_encoder(np.random.default_rng(0)).load(path)


def make_picker(encoder, head, mode, *, rng=None):
    """Sequential([copy of encoder, head]) → logits (n, L), trained as ``mode`` says:

    "frozen": the encoder's weights are kept (``freeze``), only the head learns;
    "finetune": everything learns (``unfreeze``); "scratch": the encoder's
    Conv1D weights are redrawn from ``rng`` (He, zero biases; needs ``rng``) and
    everything learns. The encoder is deep-copied, so one pretrained encoder
    serves every picker.
    """
    if mode not in METHODS:
        raise ValueError(f"unknown method {mode!r}; choose one of {', '.join(METHODS)}")
    if not isinstance(encoder, Sequential) or not isinstance(head, Sequential):
        raise TypeError("make_picker needs the encoder and the head as geonn Sequentials")
    encoder = copy.deepcopy(encoder)
    if mode == "scratch":
        _checks.rng(rng, "make_picker (mode='scratch' redraws the encoder)")
        for leaf in encoder.leaves():
            if isinstance(leaf, Conv1D):
                leaf.W[...] = Conv1D(leaf.c_in, leaf.c_out, leaf.k, rng=rng, init="he").W
                leaf.b[...] = 0.0
    if mode == "frozen":
        encoder.freeze()
    else:
        encoder.unfreeze()
    return Sequential([encoder, head.unfreeze()])


def train_picker(net, X, Y, rng, steps=300):
    """Adam(0.003) on softmax cross-entropy, batch min(n, 32), about ``steps`` steps."""
    batch = min(len(X), BATCH)
    epochs = max(1, round(steps / -(-len(X) // batch)))
    return fit(net, SoftmaxCrossEntropy(), Adam(eta=ETA), X, Y, epochs=epochs,
               batch_size=batch, rng=rng)


def run_transfer(seed, n_labels=N_LABELS, methods=METHODS, *, small=False, encoder=None):
    """RMS pick errors (ms) of every (N, method) for one seed.

    n_labels: int or sequence of N (labelled traces); methods: names in METHODS;
    encoder: None (pretrain here), a pretrained encoder, or a path to one saved with
    ``Sequential.save``. Returns (rows, info): rows are dicts with seed, n_labels,
    method, rms_ms, n_params, n_trainable, cpu_s (training CPU seconds); info has
    encoder, pretrain_cpu_s (None when given), n_params of the autoencoder.
    """
    seed = _checks.integer("seed", seed, low=0)
    n_labels = [_checks.integer("n_labels", n) for n in np.atleast_1d(n_labels).tolist()]
    methods = [methods] if isinstance(methods, str) else list(methods)
    for m in (m for m in methods if m not in METHODS):
        raise ValueError(f"unknown method {m!r}; choose one of {', '.join(METHODS)}")
    s = SMALL if small else SIZES
    unlabelled, labelled, test = transfer_data(seed, small, unlabelled=encoder is None)
    live = np.flatnonzero(~labelled.dead.ravel())
    if max(n_labels) > live.size:
        raise ValueError(f"n_labels = {max(n_labels)} is more than the {live.size} live labelled "
                         f"traces of the {s['n_labelled']} labelled gathers")
    info = dict(pretrain_cpu_s=None)
    if encoder is None:     # pretrain: the encoder's init and batch order from [seed, 2]
        rng = np.random.default_rng([seed, 2])
        encoder = make_encoder(rng)
        t0 = time.process_time()
        ae, _ = pretrain(encoder, transfer_inputs(unlabelled), rng, epochs=s["pretrain_epochs"])
        info.update(pretrain_cpu_s=time.process_time() - t0, ae_params=ae.n_params)
    elif not isinstance(encoder, Sequential):
        encoder = load_encoder(encoder)
    info["encoder"] = encoder           # the label draw: nested, the first N of one permutation
    order = live[np.random.default_rng([seed, 3]).permutation(live.size)]
    X_all, fb, dt = transfer_inputs(labelled), labelled.first_break.ravel(), labelled.dt
    X_test, rows = transfer_inputs(test), []
    for n in n_labels:
        idx = order[:n]
        X, Y = X_all[idx], gaussian_labels(fb[idx], labelled.t, SIGMA_SAMPLES * dt)
        for m in methods:
            rng = np.random.default_rng([seed, n, 7])
            head = make_head(rng)
            net = make_picker(encoder, head, m, rng=np.random.default_rng([seed, 2]))
            t0 = time.process_time()
            train_picker(net, X, Y, rng, steps=s["steps"])
            cpu = time.process_time() - t0
            pick = cnn_pick(net, X_test, dt).reshape(test.first_break.shape)
            rows.append(dict(seed=seed, n_labels=n, method=m,
                             rms_ms=rms_ms(pick, test.first_break, test.dead),
                             n_params=net.n_params, n_trainable=net.n_trainable, cpu_s=cpu))
    return rows, info
