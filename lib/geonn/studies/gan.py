"""Generative adversarial networks (chapter 10): the two generator losses and a training loop.

A discriminator D outputs a logit s(x) with D(x) = σ(s(x)); a generator G maps
latent noise z ~ N(0, I) to a sample x = G(z).  The minimax game of Goodfellow
et al. (2014) is

    min_G max_D  E_x[log D(x)] + E_z[log(1 − D(G(z)))].

D maximises it by minimising binary cross-entropy on its logits (real → 1,
fake → 0), :class:`geonn.BCEWithLogits`.  G has two choices of loss, written on
the logit s = s(G(z)) of a batch of n fakes:

    saturating       L_sat = (1/n) Σ log(1 − σ(s)) = −(1/n) Σ softplus(s),   ∂L/∂s = −σ(s)/n
    non-saturating   L_ns  = −(1/n) Σ log σ(s)     =  (1/n) Σ softplus(−s),  ∂L/∂s = (σ(s) − 1)/n

Both push s up.  When D confidently rejects the fakes (s ≪ 0) the saturating
gradient σ(s) ≈ e^{s} vanishes while the non-saturating one stays near −1/n.

G is trained *through* D: D is frozen, ∂L/∂x = D.backward(∂L/∂s) is the
gradient with respect to the fake samples, and G.backward(∂L/∂x) writes G's
parameter gradients.
"""
import numpy as np
from tqdm import tqdm     # text bar on stderr, as in train.fit: nbval leaves stderr out

from geonn.core import _checks
from geonn.core.activations import Sigmoid
from geonn.core.losses import BCEWithLogits
from geonn.core.network import Sequential
from geonn.core.optim import Adam
from geonn.core.train import TrainingDiverged

__all__ = ["GeneratorLoss", "train_gan", "sample"]


class GeneratorLoss:
    """The generator's loss on the discriminator's logits s (n, 1) of a batch of fakes.

    ``kind="non_saturating"`` (the default, −log D) or ``"saturating"`` (log(1 − D),
    the minimax game as written); equations in the module docstring.  Both are
    :class:`geonn.BCEWithLogits` in disguise: the non-saturating loss is BCE with
    the label 1, the saturating one is minus BCE with the label 0.
    """
    KINDS = ("non_saturating", "saturating")

    def __init__(self, kind="non_saturating"):
        if kind not in self.KINDS:
            raise ValueError(f"GeneratorLoss kind must be one of {self.KINDS}; got {kind!r}")
        self.kind = kind
        self._bce = BCEWithLogits()

    def _pair(self, s):
        """(s, labels, sign): the logits checked, the BCE labels and the sign of this loss."""
        s = np.asarray(s)
        if s.dtype.kind != "f":
            s = s.astype(float)
        if s.ndim != 2 or s.shape[0] == 0:
            raise ValueError(f"GeneratorLoss expects logits of shape (n, 1) with n ≥ 1; got {s.shape}")
        if self.kind == "saturating":
            return s, np.zeros_like(s), -1.0
        return s, np.ones_like(s), 1.0

    def value(self, s):
        s, y, sign = self._pair(s)
        return sign * float(self._bce.value(s, y))

    def grad(self, s):
        s, y, sign = self._pair(s)
        return sign * self._bce.grad(s, y)

    def __repr__(self):
        return f"GeneratorLoss({self.kind!r})"


def sample(G, n, latent_dim, rng):
    """n samples G(z), z ~ N(0, I) of shape (n, latent_dim), drawn from ``rng``."""
    z = _checks.rng(rng, "sample").normal(size=(n, latent_dim))
    return G.forward(z, train=False)


def train_gan(G, D, X, *, steps, latent_dim, rng, batch_size=64, eta_g=2e-3, eta_d=2e-3,
              beta1=0.5, loss="non_saturating", record_every=0, record=None, progress=False,
              opt_d=None, opt_g=None):
    """Alternate one D step and one G step ``steps`` times; return the history.

    Per step, with a real batch x (batch_size rows of X, drawn with replacement)
    and fakes G(z), z ~ N(0, I):

    1. D step: BCE on logits of [x; G(z)] against labels [1; 0]; Adam(eta_d, beta1).
    2. G step: D frozen, s = D(G(z)) on the same z, ∂L/∂s from :class:`GeneratorLoss`,
       ∂L/∂x = D.backward(∂L/∂s), then G.backward(∂L/∂x); Adam(eta_g, beta1).

    ``opt_d``/``opt_g`` replace either Adam by another optimizer (e.g. ``SGD``, whose
    steps, unlike Adam's, shrink with the gradient).

    ``record(G, D, step)``, if given, is called every ``record_every`` steps (and at
    the end) and its return values are stored in ``history["records"]``.

    Returns a dict of per-step arrays: ``d_loss`` (the BCE of step 1, the mean over
    real and fake rows), ``g_loss``, ``d_real`` and ``d_fake`` (mean D(x) and D(G(z)),
    probabilities), ``steps_recorded`` and ``records``.  Raises
    :class:`geonn.TrainingDiverged` if a loss becomes NaN or infinite.
    """
    if not isinstance(G, Sequential) or not isinstance(D, Sequential):
        raise TypeError("train_gan needs G and D as geonn Sequential networks")
    X = _checks.array("train_gan X", X)
    steps = _checks.integer("train_gan steps", steps)
    latent_dim = _checks.integer("train_gan latent_dim", latent_dim)
    batch_size = _checks.integer("train_gan batch_size", batch_size)
    rng = _checks.rng(rng, "train_gan")
    g_loss = GeneratorLoss(loss)
    bce = BCEWithLogits()
    opt_d = Adam(eta_d, beta1=beta1) if opt_d is None else opt_d
    opt_g = Adam(eta_g, beta1=beta1) if opt_g is None else opt_g
    labels = np.concatenate([np.ones((batch_size, 1)), np.zeros((batch_size, 1))])
    hist = {k: np.empty(steps) for k in ("d_loss", "g_loss", "d_real", "d_fake")}
    hist["steps_recorded"], hist["records"] = [], []
    sig = Sigmoid()
    for t in tqdm(range(steps), desc="GAN steps", disable=not progress, mininterval=1.0):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):   # caught below
            d_loss, s = _step(G, D, X, batch_size, latent_dim, rng, bce, g_loss, opt_d, opt_g,
                              labels, hist, t)
            p = sig.forward(s)
            hist["d_real"][t], hist["d_fake"][t] = p[:batch_size].mean(), p[batch_size:].mean()
        if not (np.isfinite(d_loss) and np.isfinite(hist["g_loss"][t])):
            raise TrainingDiverged(f"the GAN losses became NaN or infinite at step {t + 1}: "
                                   "lower eta_g and eta_d, standardise X, or use spectral "
                                   "normalisation on D")
        if record is not None and record_every and ((t + 1) % record_every == 0 or t + 1 == steps):
            hist["steps_recorded"].append(t + 1)
            hist["records"].append(record(G, D, t + 1))
    return hist


def _step(G, D, X, batch_size, latent_dim, rng, bce, g_loss, opt_d, opt_g, labels, hist, t):
    """One D step and one G step (see :func:`train_gan`); returns D's loss and logits."""
    x = X[rng.integers(0, len(X), batch_size)]
    z = rng.normal(size=(batch_size, latent_dim))
    fake = G.forward(z, train=True)
    # 1. the discriminator, on real and fake rows at once
    s = D.forward(np.concatenate([x, fake]), train=True)
    d_loss, delta = bce.value_and_grad(s, labels)
    D.backward_params(delta)               # the samples' gradient is not needed here
    opt_d.step(D.params(), D.grads())
    # 2. the generator, through the frozen discriminator
    D.freeze()
    s_fake = D.forward(fake, train=False)
    G.backward(D.backward(g_loss.grad(s_fake)))
    D.unfreeze()
    opt_g.step(G.params(), G.grads())
    hist["d_loss"][t], hist["g_loss"][t] = d_loss, g_loss.value(s_fake)
    return d_loss, s
