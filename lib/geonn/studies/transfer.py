"""Transfer learning for first breaks with few labels (chapter 9, section 5): the parts.

Raw gathers are plentiful, picked ones scarce: pretrain a Conv1D encoder as an
autoencoder on unlabelled traces, then train a picker on N labelled traces.

Design (fixed before any number was measured):

- Inputs, one example per trace: (n, 3, nt) = the trace / its RMS, offset /
  max offset, and time t / t_max (:func:`geonn.studies.transfer_run.transfer_inputs`).
- Encoder, (n, 3, nt) → (n, 16, nt/4): [Conv1D(k=9, 'same') → ReLU → MaxPool1D(2)]
  with 8 then 16 channels (He init), 1,392 parameters.
- Autoencoder: encoder → decoder [Upsample1D(2) → Conv1D(16→8, k=9) → ReLU →
  Upsample1D(2) → Conv1D(8→1, k=9)], reconstructing channel 0, the normalised
  trace (n, 1, nt), with MSE; Adam(0.003), batch 64, 5 epochs over the 300 unlabelled
  gathers (9,600 traces) drawn for the seed. Its code is the encoder's output,
  16 × nt/4 numbers: more than the trace, so it is no bottleneck.
- Bottlenecked autoencoder (a variant, see below; same data, same encoder start):
  between the encoder and that decoder, Conv1D(16→1, k=9) (no activation: the code,
  1 × nt/4 = 32 numbers for 128 samples) → Conv1D(1→16, k=9) → ReLU.
- Picker: encoder → head [Upsample1D(2) → Conv1D(16→8, k=5) → ReLU → Upsample1D(2)
  → Conv1D(8→1, k=5) → Flatten], logits (n, nt), 689 head parameters. Fully
  convolutional: every logit is a score of a short window (about ±29 samples); the
  pick is the argmax with parabolic refinement (``pick_from_logits``). Loss: softmax
  cross-entropy on Gaussian labels (σ = 1.5 samples), as in chapter 8.
- Label units are TRACES: N live traces drawn at random (nested: the first N of one
  permutation per seed) from 20 labelled gathers; errors on the live traces of 50
  held-out gathers. Training: Adam(0.003), batch min(N, 32), 300 steps whatever N.
- Methods: "frozen" (pretrained encoder, ``freeze()``: only the head learns), "finetune"
  (pretrained, ``unfreeze()``), "scratch" (the encoder at pretraining's initial
  weights).
  Variants, added after those three were measured to test two choices that favour
  "no gain" (same seeds, N, head and batches): "slow" (fine-tuned with
  the encoder's learning rate a tenth of the head's), "warmup" (the head alone for the
  first third of the steps, then everything), and "bn_frozen", "bn_finetune", "bn_slow"
  (the same three ways, from the bottlenecked autoencoder's encoder).
- Random streams: default_rng([seed, k]), k = 0 unlabelled data, 1 labelled and test
  data, 2 encoder init and pretraining (both autoencoders), 3 label draw;
  default_rng([seed, N, 7]) per (seed, N) for the head (the same head init for every
  method) and the batch order.
  A cell thus never depends on which other cells run.

:mod:`geonn.studies.transfer_run` draws the data and runs the grid.
"""

import copy

import numpy as np

from geonn.core import _checks
from geonn.core.layers import (
    Activation,
    Conv1D,
    Flatten,
    Layer,
    MaxPool1D,
    Upsample1D,
)
from geonn.core.losses import MSE, SoftmaxCrossEntropy
from geonn.core.network import Sequential
from geonn.core.optim import Adam, Optimizer
from geonn.core.train import fit

__all__ = [
    "METHODS",
    "VARIANTS",
    "RECIPES",
    "N_LABELS",
    "make_encoder",
    "make_head",
    "make_autoencoder",
    "pretrain",
    "load_encoder",
    "make_picker",
    "SlowPart",
    "train_picker",
]

METHODS = ("frozen", "finetune", "scratch")
VARIANTS = ("slow", "warmup", "bn_frozen", "bn_finetune", "bn_slow")
# method → (which pretrained encoder, make_picker mode, train_picker schedule)
RECIPES = {
    "frozen": ("plain", "frozen", "all"),
    "finetune": ("plain", "finetune", "all"),
    "scratch": ("plain", "scratch", "all"),
    "slow": ("plain", "finetune", "slow"),
    "warmup": ("plain", "finetune", "warmup"),
    "bn_frozen": ("bottleneck", "frozen", "all"),
    "bn_finetune": ("bottleneck", "finetune", "all"),
    "bn_slow": ("bottleneck", "finetune", "slow"),
}
SLOW = 0.1  # the "slow" encoder's learning rate, a fraction of the head's
N_LABELS = (10, 30, 100, 300)
SIZES = dict(n_unlabelled=300, n_labelled=20, n_test=50, pretrain_epochs=5, steps=300)
SMALL = dict(n_unlabelled=8, n_labelled=12, n_test=4, pretrain_epochs=1, steps=10)
SIGMA_SAMPLES, ETA, BATCH = 1.5, 0.003, 32


def _layer(net, who, name):
    if not isinstance(net, Layer):
        raise TypeError(
            f"{who} needs {name} as a geonn network (a Sequential); got "
            f"{type(net).__name__}"
        )
    return net


def make_encoder(rng, in_channels=3, channels=(8, 16), kernel_size=9):
    """(n, in_channels, L) → (n, channels[-1], L / 2^len(channels)); He-initialised."""
    _checks.rng(rng, "make_encoder")
    channels = _checks.sizes("make_encoder channels", channels, min_len=1)
    layers, c_in = [], _checks.integer("in_channels", in_channels)
    for c in channels:
        layers += [
            Conv1D(c_in, c, kernel_size, rng=rng, init="he"),
            Activation("relu"),
            MaxPool1D(2),
        ]
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
    """Picking head: (n, 16, L/4) → logits (n, L), Upsample1D(2) + Conv1D per stage."""
    _checks.rng(rng, "make_head")
    channels = _checks.sizes("make_head channels", channels, min_len=2)
    return Sequential(_upsampler(rng, channels, kernel_size) + [Flatten()])


def make_autoencoder(encoder, rng, channels=(16, 8, 1), kernel_size=9, bottleneck=None):
    """Sequential([encoder, decoder]): (n, C, L) → channel 0 rebuilt, (n, 1, L).

    bottleneck: None (the code is the encoder's output, channels[0] × L/4 numbers) or
    a number of channels c: the decoder starts with Conv1D(channels[0] → c), the code
    (c × L/4, no activation), and Conv1D(c → channels[0]) → ReLU.
    """
    _checks.rng(rng, "make_autoencoder")
    _layer(encoder, "make_autoencoder", "encoder")
    channels = _checks.sizes("make_autoencoder channels", channels, min_len=2)
    narrow = []
    if bottleneck is not None:
        c = _checks.integer("bottleneck (code channels)", bottleneck)
        narrow = [
            Conv1D(channels[0], c, kernel_size, rng=rng, init="he"),
            Conv1D(c, channels[0], kernel_size, rng=rng, init="he"),
            Activation("relu"),
        ]
    decoder = Sequential(narrow + _upsampler(rng, channels, kernel_size))
    return Sequential([encoder, decoder])


def pretrain(encoder, X, rng, epochs=5, batch_size=64, eta=ETA, bottleneck=None):
    """Train ``encoder`` in place as the front of an autoencoder (``bottleneck`` as in
    :func:`make_autoencoder`) on X (n, C, L), target X[:, :1] (MSE); the decoder is
    drawn from ``rng``. Returns (autoencoder, History)."""
    _layer(encoder, "pretrain", "encoder")
    X = _checks.array("pretrain: X", X, ndim=3)
    ae = make_autoencoder(encoder, rng, bottleneck=bottleneck)
    return ae, fit(ae, MSE(), Adam(eta=eta), X, X[:, :1], epochs, batch_size, rng=rng)


def load_encoder(path):
    """An encoder of :func:`make_encoder`'s default shape, weights from ``path``."""
    return make_encoder(np.random.default_rng(0)).load(path)


def make_picker(encoder, head, mode, *, rng=None):
    """Sequential([copy of encoder, head]) → logits (n, L), trained as ``mode`` says:

    "frozen": the encoder's weights are kept (``freeze``), only the head learns;
    "finetune": everything learns (``unfreeze``); "scratch": the encoder's
    Conv1D weights are redrawn from ``rng`` (He, zero biases; needs ``rng``) and
    everything learns. The encoder is deep-copied, so one pretrained encoder
    serves every picker.
    """
    if not isinstance(mode, str) or mode not in METHODS:
        raise ValueError(
            f"unknown method {mode!r}: make_picker mode must be one of "
            f"{', '.join(METHODS)}"
        )
    if not isinstance(encoder, Sequential) or not isinstance(head, Sequential):
        raise TypeError(
            "make_picker needs the encoder and the head as geonn Sequentials"
        )
    encoder = copy.deepcopy(encoder)
    if mode == "scratch":
        _checks.rng(rng, "make_picker (mode='scratch' redraws the encoder)")
        for leaf in encoder.leaves():
            if isinstance(leaf, Conv1D):
                fresh = Conv1D(leaf.c_in, leaf.c_out, leaf.k, rng=rng, init="he")
                leaf.W[...] = fresh.W
                leaf.b[...] = 0.0
    if mode == "frozen":
        encoder.freeze()
    else:
        encoder.unfreeze()
    return Sequential([encoder, head.unfreeze()])


class SlowPart(Optimizer):
    """Adam at η for most arrays, at ``ratio`` · η for the arrays of ``part`` (a layer
    of the network being trained, or a list of them, e.g. three convolutions at
    different depths of a U-Net): discriminative fine-tuning (Howard & Ruder 2018).
    Each group keeps its own Adam state, keyed by the array as in every optimizer."""

    def __init__(self, part, eta=ETA, ratio=SLOW):
        super().__init__(eta)
        parts = list(part) if isinstance(part, (list, tuple)) else [part]
        if not parts:
            raise ValueError("SlowPart part must be a layer or a non-empty list")
        for layer in parts:
            _layer(layer, "SlowPart", "part")
        ratio = _checks.number(
            "SlowPart ratio", ratio, low=0.0, high=1.0, low_open=True
        )
        self._slow_ids = {id(p) for layer in parts for p in layer.params()}
        self.fast, self.slow = Adam(eta=eta), Adam(eta=ratio * eta)

    def set_epoch(self, epoch):
        super().set_epoch(epoch)
        self.fast.set_epoch(epoch)
        self.slow.set_epoch(epoch)

    def step(self, params, grads):
        if len(params) != len(grads):
            raise ValueError(
                f"{len(params)} parameter arrays but {len(grads)} gradients"
            )
        self.t += 1
        for opt, slow in ((self.slow, True), (self.fast, False)):
            pairs = [
                (p, g)
                for p, g in zip(params, grads)
                if (id(p) in self._slow_ids) == slow
            ]
            if pairs:
                opt.step(*map(list, zip(*pairs)))


def train_picker(net, X, Y, rng, steps=300, schedule="all"):
    """Softmax cross-entropy, batch min(n, 32), about ``steps`` steps of Adam(0.003).

    schedule (net = Sequential([encoder, head])): "all", every trainable array at
    η = 0.003; "slow", the encoder at SLOW · η (:class:`SlowPart`); "warmup", the
    encoder frozen for the first third of the steps, then everything (one Adam).
    """
    if not isinstance(schedule, str) or schedule not in ("all", "slow", "warmup"):
        raise ValueError(
            f"unknown schedule {schedule!r}; choose 'all', 'slow' or 'warmup'"
        )
    if not isinstance(net, Sequential):
        raise TypeError(
            f"train_picker needs net, the picker, as a Sequential([encoder, head]) "
            f"(make_picker); got {type(net).__name__}"
        )
    X = _checks.rows("train_picker: X", _checks.array("train_picker: X", X, ndim=3))
    steps = _checks.integer("train_picker steps", steps)
    batch = min(len(X), BATCH)
    per_epoch = -(-len(X) // batch)
    opt = SlowPart(net[0]) if schedule == "slow" else Adam(eta=ETA)
    loss = SoftmaxCrossEntropy()
    if schedule == "warmup":  # the head alone first; the same Adam goes on after
        warm = max(1, round(steps / 3 / per_epoch))
        net[0].freeze()
        fit(net, loss, opt, X, Y, epochs=warm, batch_size=batch, rng=rng)
        net[0].unfreeze()
        steps -= warm * per_epoch
    return fit(
        net,
        loss,
        opt,
        X,
        Y,
        epochs=max(1, round(steps / per_epoch)),
        batch_size=batch,
        rng=rng,
    )
