"""``fit``: mini-batch training with a history, validation and a progress bar,
plus two remedies for overfitting: early stopping and L2 weight decay.

L2 weight decay here is a **penalty in the loss** (coupled, not AdamW's
decoupled decay), applied to the weight matrices ``W`` only, never to biases:

    J(θ) = L(θ) + (λ/2) Σ_layers ‖W‖²,     ∂J/∂W = ∂L/∂W + λ W,   ∂J/∂b = ∂L/∂b.

With plain SGD this equals shrinking W by the factor (1 − ηλ) each step; with
Adam the λW term is rescaled per parameter like the rest of the gradient.
"""

from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from . import _checks
from .losses import Loss
from .optim import Optimizer

__all__ = [
    "fit",
    "History",
    "TrainingDiverged",
    "check_arrays",
    "l2_pairs",
    "l2_penalty",
]


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite during training."""


@dataclass
class History:
    """Loss per epoch: ``train_loss[ℓ]`` and ``val_loss[ℓ]`` of epoch ℓ + 1.

    ``train_loss`` is the mean of the epoch's mini-batch losses (weighted by
    rows), or with ``fit(..., full_pass=True)`` the loss on the whole
    training set after the epoch; ``val_loss`` is always a full pass.

    With early stopping, ``best_epoch`` is the (1-based) epoch of the lowest
    validation loss and ``stopped_epoch`` the epoch training stopped at
    (``None`` if it ran all its epochs).
    """

    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    steps: int = 0
    best_epoch: int = None
    stopped_epoch: int = None

    @property
    def epochs(self):
        return len(self.train_loss)


def check_arrays(X, y, what="X"):
    """Return X, y as float arrays, or raise a ValueError naming the problem.

    Both have shape (n_samples, ...): 2-D tables, or (n, channels, length)
    traces.  Floating-point arrays keep their dtype (float32 stays float32, for
    speed); integer and boolean arrays become float64.
    """
    label = "y" + what[1:]  # X → y, X_val → y_val
    X = np.asarray(X)
    y = np.asarray(y)
    for name, a in ((what, X), (label, y)):
        if a.dtype.kind not in "fiub":
            raise TypeError(f"{name} must be numeric; got dtype {a.dtype}")
        if a.ndim < 2:
            raise ValueError(
                f"{name} must be 2-D or more (n_samples, n_columns, ...); got shape "
                f"{a.shape}. For a single column use .reshape(-1, 1)"
            )
        bad = ~np.isfinite(a)
        if bad.any():
            row, col = np.argwhere(bad)[0][:2]
            raise ValueError(
                f"{name} contains {int(bad.sum())} NaN or inf value(s), the first at "
                f"row {row}, column {col}; clean or impute the data first"
            )
    if len(X) != len(y):
        raise ValueError(
            f"{what} has {len(X)} rows but {label} has {len(y)}; they must match"
        )
    if len(X) == 0:
        raise ValueError(f"{what} is empty")
    return tuple(a if a.dtype.kind == "f" else a.astype(np.float64) for a in (X, y))


def l2_pairs(net):
    """``[(W, dW), …]`` for the trainable weights of ``net`` at any depth: each
    leaf layer's ``decay_names`` (Dense and Conv1D: W, never the biases), i.e.
    what L2 weight decay acts on."""
    return [
        (getattr(leaf, n), getattr(leaf, "d" + n))
        for leaf in net.leaves()
        if leaf.trainable
        for n in leaf.decay_names
    ]


def l2_penalty(net, weight_decay):
    """The penalty (λ/2) Σ ‖W‖² that ``fit(..., weight_decay=λ)`` adds to the loss."""
    return 0.5 * weight_decay * sum(float(np.sum(W * W)) for W, _ in l2_pairs(net))


def fit(
    net,
    loss,
    opt,
    X,
    y,
    epochs,
    batch_size,
    rng,
    val=None,
    progress=False,
    *,
    patience=None,
    weight_decay=0.0,
    restore_best=True,
    full_pass=False,
):
    """Train ``net`` in place by mini-batch gradient descent.

    Parameters
    ----------
    net : Sequential (or any Layer)
    loss : geonn.core.losses.Loss, e.g. ``MSE()``
    opt : geonn.core.optim.Optimizer, e.g. ``Adam(eta=0.01)``
    X, y : arrays (n, ...), e.g. (n, n_features) and (n, n_outputs)
    epochs : number of passes over the training data
    batch_size : rows per step; ⌈n / batch_size⌉ steps per epoch
    rng : ``np.random.default_rng(seed)``, shuffles the rows each epoch
    val : optional ``(X_val, y_val)``, scored after every epoch
    progress : show a tqdm bar over epochs (off by default)
    patience : early stopping: stop when the validation loss has not improved
        (strictly decreased) for ``patience`` epochs; needs ``val``
    weight_decay : λ ≥ 0 of the L2 penalty (λ/2) Σ‖W‖² on the weights (not the
        biases), added to the loss gradient; see the module docstring
    restore_best : with ``patience``, copy back the weights of the epoch with
        the lowest validation loss when training ends
    full_pass : record the training loss on the whole training set after each
        epoch (an extra forward pass) instead of the mean of the mini-batch
        losses (free: computed during the epoch, each before its update)

    Returns
    -------
    History with ``train_loss`` and ``val_loss`` per epoch; ``val_loss`` is
    measured on the whole validation set in evaluation mode after the epoch's
    updates.  Both are the data loss only: the L2 penalty is not included
    (see :func:`l2_penalty`).

    Gradients are fetched from ``net.grads()`` at every step, so a layer may
    replace its gradient arrays; each step overwrites them.

    Raises
    ------
    TrainingDiverged if the loss becomes NaN or inf.
    """
    if not isinstance(loss, Loss):
        raise TypeError(
            f"loss must be a geonn Loss such as MSE(); got {type(loss).__name__}"
        )
    if not isinstance(opt, Optimizer):
        raise TypeError(
            f"opt must be a geonn Optimizer such as Adam(); got {type(opt).__name__}"
        )
    _checks.rng(rng, "fit (to shuffle the batches)")
    batch_size = _checks.integer("batch_size", batch_size)
    epochs = _checks.integer("epochs", epochs, low=0)
    if val is not None and (not isinstance(val, (tuple, list)) or len(val) != 2):
        raise TypeError(
            "val must be a pair (X_val, y_val); got "
            f"{type(val).__name__}"
            + (f" of length {len(val)}" if isinstance(val, (tuple, list)) else "")
        )
    weight_decay = _checks.number("weight_decay", weight_decay, low=0.0)
    if patience is not None:
        patience = _checks.integer("patience", patience)
        if val is None:
            raise ValueError(
                "early stopping (patience=…) monitors the validation loss: "
                "pass val=(X_val, y_val)"
            )
    X, y = check_arrays(X, y)
    if val is not None:
        X_val, y_val = check_arrays(*val, what="X_val")
    n = len(X)
    history = History()
    best, best_params = np.inf, None
    # parameters are updated in place (the Layer contract), so they are listed once;
    # gradient arrays may be replaced by a layer, so those are fetched every step
    params = net.params()

    def checked(value, epoch, which):
        if not np.isfinite(value):
            raise TrainingDiverged(
                f"{which} loss became {value} at epoch {epoch}: training diverged. "
                f"Hint: lower the learning rate (eta is {opt.eta:g}), scale the "
                "inputs, or use a smaller initialisation"
            )
        return value

    def score(Xs, ys, epoch, which):
        return checked(loss.value(net.forward(Xs, train=False), ys), epoch, which)

    bar = tqdm(range(1, epochs + 1), desc="epochs", disable=not progress, leave=True)
    # overflow inside a diverging run is expected; we report it as one clear error
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in bar:
            opt.set_epoch(epoch - 1)
            order = rng.permutation(n)
            total = 0.0
            for start in range(0, n, batch_size):
                idx = order[start : start + batch_size]
                value, delta = loss.value_and_grad(
                    net.forward(X[idx], train=True), y[idx]
                )
                total += value * len(idx)
                net.backward(delta, need_input_grad=False)  # ∂L/∂X is not used
                if weight_decay > 0:
                    for W, dW in l2_pairs(net):
                        dW += weight_decay * W
                opt.step(params, net.grads())
            history.steps += -(-n // batch_size)
            history.train_loss.append(
                score(X, y, epoch, "training")
                if full_pass
                else checked(float(total) / n, epoch, "training")
            )
            if val is not None:
                history.val_loss.append(score(X_val, y_val, epoch, "validation"))
            if progress:
                bar.set_postfix(loss=f"{history.train_loss[-1]:.4g}", refresh=False)
            if patience is not None:
                if history.val_loss[-1] < best:
                    best, history.best_epoch = history.val_loss[-1], epoch
                    best_params = (
                        [(p, p.copy()) for p in params] if restore_best else None
                    )
                elif epoch - history.best_epoch >= patience:
                    history.stopped_epoch = epoch
                    break
    bar.close()
    if best_params is not None:
        for p, saved in best_params:
            p[...] = saved
    return history
