"""Few-label fault segmentation from transferred encoders (chapter 12): the design of
:mod:`geonn.studies.transfer` (chapter 9) on images.

Design (fixed before any number was measured):

- Network: chapter 11's ``fault_unet(channels=(8, 16, 32))`` (float32). Its three
  encoder convolutions (:func:`encoder_convs`: 1→8 at full scale, 8→16 at half,
  16→32 at a quarter) take given weights [(W, b)] * 3; the other three, the head
  (48→16, 24→8, 8→1), keep fault_unet's draw from default_rng([seed, N, 7]), and
  the same generator then shuffles the batches: for every arm at a given (seed, N)
  the same head and the same batches (:func:`transfer_unet`).
- Arms (ARMS): "frozen", the autoencoder's encoder, frozen; "finetune", the same,
  everything learning, the encoder at SLOW = 0.1 × the head's rate (``SlowPart``);
  "scratch", the encoder at the autoencoder's INITIAL weights (default_rng([seed,
  3]), :mod:`geonn.studies.image_transfer`), everything at the full rate; "gan",
  the discriminator's three convolutions, the finetune recipe.
- Labels: N ∈ N_LABELS = (5, 10, 30, 100) labelled SECTIONS (64 × 64), nested: the
  first N of one permutation (default_rng([seed, 4])) of the pool of 200.
- Training (:func:`train_faults`): chapter 11's loss and optimiser,
  BCEWithLogits(pos_weight=5), Adam(0.005), batch min(N, 16), about STEPS = 104
  steps whatever N (epochs = round(STEPS / steps per epoch)): the ceiling's 8
  epochs of 200 sections, so that every arm trains as long as the ceiling and
  only the labels differ (about 9 s of CPU at batch 16; chosen for the budget
  before any two arms were compared).
- Scores: θ tuned on the run's N training sections (``tune_threshold``, a
  tolerance of 1 pixel as in chapter 11), then precision, recall, F1 and IoU of
  σ(logit) > θ on the 100 test sections.
- Ceiling (:func:`fault_ceiling`): chapter 11's recipe on all 200 labelled
  sections, fault_unet from default_rng([seed, 5]) (which shuffles too), 8 epochs.
"""

import time

import numpy as np

from geonn.core import _checks
from geonn.core.layers import Conv2D
from geonn.core.losses import BCEWithLogits
from geonn.core.optim import Adam
from geonn.core.train import fit
from geonn.domain.faults import fault_scores, tune_threshold

from .image_transfer import (
    CHANNELS,
    _images,
    dream_data,
    encoder_weights,
    patch_autoencoder,
)
from .images import fault_probability, fault_unet, section_inputs
from .transfer import SlowPart

__all__ = [
    "ARMS",
    "N_LABELS",
    "encoder_convs",
    "transfer_unet",
    "train_faults",
    "run_fault_transfer",
    "fault_ceiling",
]

ARMS = ("frozen", "finetune", "scratch", "gan")
# arm → (key of the weights it starts from, frozen, slow); None: the initial weights
RECIPES = {
    "frozen": ("ae", True, False),
    "finetune": ("ae", False, True),
    "scratch": (None, False, False),
    "gan": ("gan", False, True),
}
N_LABELS = (5, 10, 30, 100)
STEPS, ETA, BATCH, POS_WEIGHT, SLOW = 104, 0.005, 16, 5.0, 0.1
CEILING_EPOCHS = 8  # chapter 11's: 104 steps on 200 sections
SMALL_STEPS = 3


def encoder_convs(net):
    """The three encoder convolutions of a :func:`~geonn.studies.images.fault_unet`,
    in order: [1→8 (full scale), 8→16 (half), 16→32 (a quarter)]."""
    try:
        middle = net[2].inner
        convs = [net[0], middle[1], middle[3].inner[1]]
    except (TypeError, IndexError, AttributeError, KeyError):
        convs = []
    if len(convs) != 3 or not all(isinstance(c, Conv2D) for c in convs):
        raise TypeError(
            f"encoder_convs needs net, a fault_unet; got {type(net).__name__}"
        )
    return convs


def _weights(name, weights):
    """[(W, b)] * 3 with fault_unet's encoder shapes, as float arrays."""
    want = [(c, a, 3, 3) for a, c in zip((1, *CHANNELS), CHANNELS)]
    if not isinstance(weights, (list, tuple)) or len(weights) != 3:
        raise TypeError(
            f"{name} must be a list of three (W, b) pairs (encoder_weights); got "
            f"{type(weights).__name__}"
        )
    out = []
    for i, (pair, shape) in enumerate(zip(weights, want)):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"{name}[{i}] must be a pair (W, b)")
        W = _checks.finite(f"{name}[{i}] W", _checks.array(f"{name}[{i}] W", pair[0]))
        b = _checks.finite(f"{name}[{i}] b", _checks.array(f"{name}[{i}] b", pair[1]))
        if W.shape != shape or b.shape != shape[:1]:
            raise ValueError(
                f"{name}[{i}] must be W {shape} and b {shape[:1]}; got {W.shape} "
                f"and {b.shape}"
            )
        out.append((W, b))
    return out


def transfer_unet(weights, rng, frozen=False, dtype=np.float32):
    """``fault_unet(rng, channels=(8, 16, 32))`` whose encoder convolutions hold
    ``weights`` ([(W, b)] * 3, copied in), frozen with ``frozen=True``."""
    weights = _weights("weights", weights)
    if not isinstance(frozen, bool):
        raise TypeError(f"frozen must be True or False; got {frozen!r}")
    net = fault_unet(rng, channels=CHANNELS, dtype=dtype)
    for conv, (W, b) in zip(encoder_convs(net), weights):
        conv.W[...], conv.b[...] = W, b
        if frozen:
            conv.freeze()
    return net


def train_faults(net, X, Y, rng, steps=STEPS, slow=False):
    """Train ``net`` (a fault_unet) on images X (n, 1, H, W) and fault masks Y (same
    shape, 0/1): BCEWithLogits(pos_weight=5), batch min(n, 16), max(1, round(steps /
    ⌈n / batch⌉)) epochs of Adam(0.005), or with ``slow`` of ``SlowPart`` (the encoder
    convolutions at 0.1 × 0.005). Returns (History, CPU seconds)."""
    encoder = encoder_convs(net)
    X = _images("train_faults: X", X)
    Y = _checks.array("train_faults: Y", Y)
    if Y.shape != X.shape:
        raise ValueError(
            f"train_faults: Y must be the fault masks shaped like X, {X.shape}; got "
            f"shape {Y.shape}"
        )
    if not np.all((Y == 0) | (Y == 1)):
        raise ValueError("train_faults: Y must be fault masks of 0/1 values")
    steps = _checks.integer("steps", steps)
    if not isinstance(slow, bool):
        raise TypeError(f"slow must be True or False; got {slow!r}")
    batch = min(len(X), BATCH)
    epochs = max(1, round(steps / -(-len(X) // batch)))
    opt = SlowPart(encoder, eta=ETA, ratio=SLOW) if slow else Adam(eta=ETA)
    start = time.process_time()
    loss = BCEWithLogits(pos_weight=POS_WEIGHT)
    history = fit(net, loss, opt, X, Y, epochs, batch, rng)
    return history, time.process_time() - start


def _scored(net, train, test):
    """FaultScores on ``test`` at the θ tuned on ``train`` (Sections)."""
    # 20 sections at a time: the U-Net's im2col copies cost about 7 MB a section
    p_train = fault_probability(net, section_inputs(train.x), batch_size=20)
    theta = tune_threshold(p_train, train.fault)
    prob = fault_probability(net, section_inputs(test.x), batch_size=20)
    return fault_scores(prob > theta.threshold, test.fault)


def _row(seed, n, arm, net, history, cpu, train, test):
    s = _scored(net, train, test)
    return dict(
        seed=seed,
        n_labels=n,
        arm=arm,
        f1=s.f1,
        precision=s.precision,
        recall=s.recall,
        iou=s.iou,
        cpu_s=cpu,
        steps=history.steps,
    )


def _data(seed, small, data):
    if not isinstance(small, bool):
        raise TypeError(f"small must be True or False; got {small!r}")
    if data is None:
        return dream_data(seed, small)
    if not hasattr(data, "labelled") or not hasattr(data, "test"):
        raise TypeError("data must be dream_data(seed, small) (labelled and test)")
    return data


def _subset(s, idx):
    return s._replace(x=s.x[idx], fault=s.fault[idx])


def run_fault_transfer(
    seed, weights=None, n_labels=N_LABELS, arms=ARMS, small=False, data=None
):
    """F1, precision, recall, IoU of every (N, arm) for one seed (module docstring).

    weights: {"ae": [(W, b)] * 3, "gan": [(W, b)] * 3} (``encoder_weights``,
    ``discriminator_weights``); an arm whose weights are missing is refused.
    data: ``dream_data(seed, small)`` if already drawn (else drawn here). Returns
    rows: dicts with seed, n_labels, arm, f1, precision, recall, iou, cpu_s (the
    training's CPU seconds) and steps.
    """
    seed = _checks.integer("seed", seed, low=0)
    n_labels = [
        _checks.integer("n_labels", n) for n in np.atleast_1d(n_labels).tolist()
    ]
    if not n_labels:
        raise ValueError("n_labels must list at least one number of sections")
    arms = [arms] if isinstance(arms, str) else arms
    if not isinstance(arms, (list, tuple)) or not arms:
        raise TypeError(
            f"arms must be an arm or a non-empty list of them ({', '.join(ARMS)}); "
            f"got {arms!r}"
        )
    for arm in (a for a in arms if not isinstance(a, str) or a not in RECIPES):
        raise ValueError(f"unknown arm {arm!r} in arms; choose from {', '.join(ARMS)}")
    if weights is not None and not isinstance(weights, dict):
        raise TypeError(
            f"weights must be a dict {{'ae': …, 'gan': …}} of [(W, b)] * 3; got "
            f"{type(weights).__name__}"
        )
    weights = dict(weights or {})
    for key in (k for k in weights if k not in ("ae", "gan")):
        raise ValueError(f"weights has an unknown key {key!r}; use 'ae' and 'gan'")
    for arm in arms:
        key = RECIPES[arm][0]
        if key is not None and key not in weights:
            raise ValueError(
                f"arm {arm!r} needs weights[{key!r}], the three encoder convolutions "
                f"({'encoder_weights' if key == 'ae' else 'discriminator_weights'})"
            )
    start = {k: _weights(f"weights[{k!r}]", w) for k, w in weights.items()}
    initial = patch_autoencoder(np.random.default_rng([seed, 3]))[1]
    start[None] = encoder_weights(initial)
    data = _data(seed, small, data)
    pool = len(data.labelled.x)
    if max(n_labels) > pool:
        raise ValueError(
            f"n_labels = {max(n_labels)} is more than the {pool} labelled sections"
        )
    order = np.random.default_rng([seed, 4]).permutation(pool)
    steps, rows = SMALL_STEPS if small else STEPS, []
    for n in n_labels:
        train = _subset(data.labelled, order[:n])
        X, Y = section_inputs(train.x), train.fault[:, None].astype(np.float32)
        for arm in arms:
            key, frozen, slow = RECIPES[arm]
            rng = np.random.default_rng([seed, n, 7])
            net = transfer_unet(start[key], rng, frozen=frozen)
            history, cpu = train_faults(net, X, Y, rng, steps=steps, slow=slow)
            rows.append(_row(seed, n, arm, net, history, cpu, train, data.test))
    return rows


def fault_ceiling(seed, small=False, data=None):
    """Chapter 11's fully supervised U-Net on all the labelled sections of
    ``dream_data(seed, small)``. Returns (row, the trained U-Net): the row as
    :func:`run_fault_transfer`'s, arm "ceiling", n_labels the pool's size."""
    seed = _checks.integer("seed", seed, low=0)
    data = _data(seed, small, data)  # checks small
    train = data.labelled
    X, Y = section_inputs(train.x), train.fault[:, None].astype(np.float32)
    rng = np.random.default_rng([seed, 5])
    net = fault_unet(rng, channels=CHANNELS)
    per_epoch = -(-len(X) // BATCH)
    steps = SMALL_STEPS if small else CEILING_EPOCHS * per_epoch
    history, cpu = train_faults(net, X, Y, rng, steps=steps)
    return _row(seed, len(X), "ceiling", net, history, cpu, train, data.test), net
