"""``fit``: mini-batch training with a history, validation and a progress bar."""
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from .losses import Loss
from .optim import Optimizer

__all__ = ["fit", "History", "TrainingDiverged", "check_arrays"]


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite during training."""


@dataclass
class History:
    """Loss per epoch: ``train_loss[ℓ]`` and ``val_loss[ℓ]`` after epoch ℓ + 1."""
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    steps: int = 0

    @property
    def epochs(self):
        return len(self.train_loss)


def check_arrays(X, y, what="X"):
    """Return X, y as float arrays, or raise a ValueError naming the problem."""
    label = "y" + what[1:]          # X → y, X_val → y_val
    X = np.asarray(X)
    y = np.asarray(y)
    for name, a in ((what, X), (label, y)):
        if a.dtype.kind not in "fiub":
            raise TypeError(f"{name} must be numeric; got dtype {a.dtype}")
        if a.ndim != 2:
            raise ValueError(f"{name} must be 2-D (n_samples, n_columns); got shape {a.shape}. "
                             "For a single column use .reshape(-1, 1)")
        bad = ~np.isfinite(a)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise ValueError(f"{name} contains {int(bad.sum())} NaN or inf value(s), the first at "
                             f"row {row}, column {col}; clean or impute the data first")
    if len(X) != len(y):
        raise ValueError(f"{what} has {len(X)} rows but {label} has {len(y)}; they must match")
    if len(X) == 0:
        raise ValueError(f"{what} is empty")
    return X.astype(float, copy=False), y.astype(float, copy=False)


def fit(net, loss, opt, X, y, epochs, batch_size, rng, val=None, progress=True):
    """Train ``net`` in place by mini-batch gradient descent.

    Parameters
    ----------
    net : Sequential (or any Layer)
    loss : geonn.losses.Loss, e.g. ``MSE()``
    opt : geonn.optim.Optimizer, e.g. ``Adam(eta=0.01)``
    X, y : arrays (n, n_features) and (n, n_outputs)
    epochs : number of passes over the training data
    batch_size : rows per step; ⌈n / batch_size⌉ steps per epoch
    rng : ``np.random.default_rng(seed)``, shuffles the rows each epoch
    val : optional ``(X_val, y_val)``, scored after every epoch
    progress : show a tqdm bar over epochs

    Returns
    -------
    History with ``train_loss`` and ``val_loss`` per epoch, both measured on the
    whole set in evaluation mode after the epoch's updates.

    Raises
    ------
    TrainingDiverged if the loss becomes NaN or inf.
    """
    if not isinstance(loss, Loss):
        raise TypeError(f"loss must be a geonn Loss such as MSE(); got {type(loss).__name__}")
    if not isinstance(opt, Optimizer):
        raise TypeError(f"opt must be a geonn Optimizer such as Adam(); got {type(opt).__name__}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError("fit needs rng=np.random.default_rng(seed) to shuffle the batches")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer; got {batch_size!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer; got {epochs!r}")
    X, y = check_arrays(X, y)
    if val is not None:
        X_val, y_val = check_arrays(*val, what="X_val")
    n = len(X)
    history = History()
    params, grads = net.params(), net.grads()   # the same arrays every step

    def score(Xs, ys, epoch, which):
        value = loss.value(net.forward(Xs, train=False), ys)
        if not np.isfinite(value):
            raise TrainingDiverged(
                f"{which} loss became {value} at epoch {epoch}: training diverged. "
                f"Hint: lower the learning rate (eta is {opt.eta:g}), scale the inputs, "
                "or use a smaller initialisation")
        return value

    bar = tqdm(range(1, epochs + 1), desc="epochs", disable=not progress, leave=True)
    # overflow inside a diverging run is expected; we report it as one clear error
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in bar:
            opt.set_epoch(epoch - 1)
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                idx = order[start:start + batch_size]
                out = net.forward(X[idx], train=True)
                net.backward(loss.grad(out, y[idx]))
                opt.step(params, grads)
            history.steps += -(-n // batch_size)
            history.train_loss.append(score(X, y, epoch, "training"))
            if val is not None:
                history.val_loss.append(score(X_val, y_val, epoch, "validation"))
            if progress:
                bar.set_postfix(loss=f"{history.train_loss[-1]:.4g}", refresh=False)
    bar.close()
    return history
