"""Generative adversarial networks (chapter 10): the two generator losses and a
training loop.

A discriminator D outputs a logit s(x) with D(x) = σ(s(x)); a generator G maps
latent noise z ~ N(0, I) to a sample x = G(z).  The minimax game of Goodfellow
et al. (2014) is

    min_G max_D  E_x[log D(x)] + E_z[log(1 − D(G(z)))].

D maximises it by minimising binary cross-entropy on its logits (real → 1,
fake → 0), :class:`geonn.BCEWithLogits`.  G has two choices of loss, written on
the logit s = s(G(z)) of a batch of n fakes:

    saturating       L_sat = (1/n) Σ log(1 − σ(s)) = −(1/n) Σ softplus(s),
                     ∂L/∂s = −σ(s)/n
    non-saturating   L_ns  = −(1/n) Σ log σ(s)     =  (1/n) Σ softplus(−s),
                     ∂L/∂s = (σ(s) − 1)/n

Both push s up.  When D confidently rejects the fakes (s ≪ 0) the saturating
gradient σ(s) ≈ e^{s} vanishes while the non-saturating one stays near −1/n.

G is trained *through* D: D is frozen, ∂L/∂x = D.backward(∂L/∂s) is the
gradient with respect to the fake samples, and G.backward(∂L/∂x) writes G's
parameter gradients.
"""

from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm  # text bar on stderr, as in train.fit: nbval leaves stderr out

from geonn.core import _checks
from geonn.core.activations import Sigmoid
from geonn.core.layers import Layer
from geonn.core.losses import BCEWithLogits
from geonn.core.optim import Adam
from geonn.core.train import History, TrainingDiverged

__all__ = ["GeneratorLoss", "GANHistory", "train_gan", "sample", "slerp"]


class GeneratorLoss:
    """The generator's loss on the discriminator's logits s (n, 1) of a batch of fakes.

    ``kind="non_saturating"`` (the default, −log D) or ``"saturating"`` (log(1 − D),
    the minimax game as written); equations in the module docstring.  Both are
    :class:`geonn.BCEWithLogits` in disguise: the non-saturating loss is BCE with
    the label 1, the saturating one is minus BCE with the label 0.
    """

    KINDS = ("non_saturating", "saturating")

    def __init__(self, kind="non_saturating"):
        if not isinstance(kind, str) or kind not in self.KINDS:
            raise ValueError(
                f"GeneratorLoss kind must be one of {self.KINDS}; got {kind!r}"
            )
        self.kind = kind
        self._bce = BCEWithLogits()

    def _pair(self, s):
        """(s, labels, sign): the logits checked, the BCE labels and the sign of this
        loss."""
        s = np.asarray(s)
        if s.dtype.kind not in "fiub":  # complex too: its imaginary part means nothing
            raise TypeError(
                f"GeneratorLoss: the logits s must be real numbers; got dtype {s.dtype}"
            )
        if s.dtype.kind != "f":
            s = s.astype(float)
        if s.ndim != 2 or s.shape[0] == 0 or s.shape[1] != 1:
            raise ValueError(
                "GeneratorLoss expects logits s of shape (n, 1) with n ≥ 1, one per "
                f"fake; got {s.shape}"
            )
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


def sample(G, n, latent_dim, rng, batch_size=None):
    """n samples G(z), z ~ N(0, I) of shape (n, latent_dim), drawn from ``rng``;
    with ``batch_size``, G runs on that many codes at a time (the same samples, less
    memory: an image generator's convolutions copy their input once per kernel tap)."""
    if not isinstance(G, Layer):
        raise TypeError(
            f"sample needs G as a geonn network (a Sequential or another Layer); got "
            f"{type(G).__name__}"
        )
    n = _checks.integer("sample n", n)
    latent_dim = _checks.integer("sample latent_dim", latent_dim)
    z = _checks.rng(rng, "sample").normal(size=(n, latent_dim))
    b = n if batch_size is None else _checks.integer("sample batch_size", batch_size)
    return np.concatenate(
        [G.forward(z[i : i + b], train=False) for i in range(0, n, b)]
    )


def slerp(z0, z1, t):
    """(k, d): the points at fractions t (k,) of the way along the great circle from
    z₀ (d,) to z₁ (d,) (Shoemake 1985; White 2016 for GANs): with
    cos Ω = z₀·z₁ / (‖z₀‖ ‖z₁‖),

        z(t) = [sin((1 − t) Ω) z₀ + sin(t Ω) z₁] / sin Ω,   t = 0 … 1.

    For endpoints of equal norm every z(t) keeps that norm, as draws of N(0, I) in
    many dimensions do (‖z‖ ≈ √d), while the straight line between them passes
    through codes of smaller norm that G never saw. Parallel endpoints give the
    straight line; opposite ones have no single great circle and are refused."""
    z0 = _checks.finite("slerp z0", _checks.array("slerp z0", z0, ndim=1))
    z1 = _checks.finite("slerp z1", _checks.array("slerp z1", z1, ndim=1))
    if z0.shape != z1.shape or z0.size == 0:
        raise ValueError(
            f"slerp z0 and z1 must be non-empty vectors of one length; got shapes "
            f"{z0.shape} and {z1.shape}"
        )
    t = _checks.finite("slerp t", _checks.array("slerp t", t, ndim=1))[:, None]
    (z0s, z1s), _ = _checks.unit_scale(z0, z1)  # ‖z‖² would overflow at 1e200
    norms = np.linalg.norm(z0s) * np.linalg.norm(z1s)
    if norms == 0:
        raise ValueError("slerp z0 and z1 must be non-zero: a zero code has no angle")
    cos = np.clip(np.dot(z0s, z1s) / norms, -1.0, 1.0)
    omega = np.arccos(cos)
    if omega < 1e-6:  # sin Ω ≈ Ω: the great circle is the line
        return (1 - t) * z0 + t * z1
    if np.pi - omega < 1e-6:
        raise ValueError(
            "slerp z0 and z1 point in opposite directions: every great circle "
            "through them is as short as another; pick other endpoints"
        )
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)


@dataclass
class GANHistory(History):
    """What :func:`train_gan` records: ``steps`` (as in :class:`History`) and, per step
    t, arrays of length ``steps``:

    * ``d_loss[t]``: D's BCE on the real and fake rows of step t (their mean);
    * ``g_loss[t]``: G's loss on the same fakes, through D after its update;
    * ``d_real[t]``, ``d_fake[t]``: mean D(x) and D(G(z)) (probabilities) in D's step.

    ``records`` holds what ``record(G, D, step)`` returned at the steps listed in
    ``steps_recorded``.  A GAN has no epochs and no single training loss, so the
    inherited ``train_loss`` and ``val_loss`` stay empty.
    """

    d_loss: np.ndarray = None
    g_loss: np.ndarray = None
    d_real: np.ndarray = None
    d_fake: np.ndarray = None
    steps_recorded: list = field(default_factory=list)
    records: list = field(default_factory=list)


def train_gan(
    G,
    D,
    X,
    *,
    steps,
    latent_dim,
    rng,
    batch_size=64,
    eta_g=2e-3,
    eta_d=2e-3,
    beta1=0.5,
    loss="non_saturating",
    record_every=0,
    record=None,
    progress=False,
    opt_d=None,
    opt_g=None,
):
    """Alternate one D step and one G step ``steps`` times; return their
    :class:`GANHistory`.

    Per step, with a real batch x (batch_size rows of X, drawn with replacement)
    and fakes G(z), z ~ N(0, I):

    1. D step: BCE on logits of [x; G(z)] against labels [1; 0]; Adam(eta_d, beta1).
    2. G step: D frozen, s = D(G(z)) on the same z, ∂L/∂s from :class:`GeneratorLoss`,
       ∂L/∂x = D.backward(∂L/∂s), then G.backward(∂L/∂x); Adam(eta_g, beta1).
       Every layer of D gets back the ``trainable`` flag it had (a layer frozen by
       the caller stays frozen), also when the step raises.

    G and D are geonn networks: a :class:`Sequential` or any other :class:`Layer`
    (the loop needs forward, backward, params, grads, freeze and leaves).
    ``opt_d``/``opt_g`` replace either Adam by another optimizer (e.g. ``SGD``, whose
    steps, unlike Adam's, shrink with the gradient).

    ``record(G, D, step)``, if given, is called every ``record_every`` steps (and at
    the end; ``record_every=0``, the default, never); its return values are stored in
    ``history.records``.

    X (n, ...) must be finite and of moderate scale (|X| ≤ 10⁶; standardise it
    otherwise): G starts with outputs of order 1 and Adam moves each weight by about
    η per step, so G could never reach data a million times larger.  Raises
    :class:`geonn.TrainingDiverged` if a loss becomes NaN or infinite.
    """
    for name, net in (("G", G), ("D", D)):
        if not isinstance(net, Layer):
            raise TypeError(
                f"train_gan needs {name} as a geonn network (a Sequential "
                f"or another Layer); got {type(net).__name__}"
            )
    X = _check_data(X)
    steps = _checks.integer("train_gan steps", steps)
    latent_dim = _checks.integer("train_gan latent_dim", latent_dim)
    batch_size = _checks.integer("train_gan batch_size", batch_size)
    record_every = _checks.integer("train_gan record_every", record_every, low=0)
    if record is not None and not callable(record):
        raise TypeError(
            f"train_gan record must be a function record(G, D, step); got "
            f"{type(record).__name__}"
        )
    rng = _checks.rng(rng, "train_gan")
    if not isinstance(loss, str) or loss not in GeneratorLoss.KINDS:
        raise ValueError(
            f"train_gan loss must be one of {GeneratorLoss.KINDS}; got {loss!r}"
        )
    g_loss = GeneratorLoss(loss)
    if opt_d is None:
        opt_d = Adam(_checks.positive("train_gan eta_d", eta_d), beta1=beta1)
    if opt_g is None:
        opt_g = Adam(_checks.positive("train_gan eta_g", eta_g), beta1=beta1)
    series = ("d_loss", "g_loss", "d_real", "d_fake")
    hist = GANHistory(**{k: np.empty(steps) for k in series})
    sig = Sigmoid()
    for t in tqdm(
        range(steps), desc="GAN steps", disable=not progress, mininterval=1.0
    ):
        # an overflow shows as a non-finite loss, caught below
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            x = X[rng.integers(0, len(X), batch_size)]
            fake = G.forward(rng.normal(size=(batch_size, latent_dim)), train=True)
            if fake.shape[1:] != X.shape[1:]:
                raise ValueError(
                    f"train_gan: G makes samples of shape {fake.shape[1:]} but the "
                    f"rows of X have shape {X.shape[1:]}; D needs one shape for both"
                )
            hist.d_loss[t], s = _d_step(D, x, fake, opt=opt_d)
            hist.g_loss[t] = _g_step(G, D, fake, g_loss=g_loss, opt=opt_g)
            p = sig.forward(s)
            hist.d_real[t] = p[:batch_size].mean()
            hist.d_fake[t] = p[batch_size:].mean()
        hist.steps += 1
        if not (np.isfinite(hist.d_loss[t]) and np.isfinite(hist.g_loss[t])):
            raise TrainingDiverged(
                f"the GAN losses became NaN or infinite at step {t + 1}: "
                "lower eta_g and eta_d, standardise X, or use spectral "
                "normalisation on D"
            )
        if (
            record is not None
            and record_every
            and ((t + 1) % record_every == 0 or t + 1 == steps)
        ):
            hist.steps_recorded.append(t + 1)
            hist.records.append(record(G, D, t + 1))
    return hist


def _check_data(X):
    """train_gan's X: real samples (n, ...), n ≥ 1, finite, |X| ≤ 10⁶."""
    X = _checks.array("train_gan X", X, min_ndim=2)
    X = _checks.finite("train_gan X", _checks.rows("train_gan X", X))
    top = float(np.max(np.abs(X)))
    if top > 1e6:
        raise ValueError(
            f"train_gan X holds values up to {top:.3g}: G starts with outputs of "
            f"order 1 and cannot reach data at this scale; standardise X "
            f"(e.g. X / X.std()) and scale the samples back"
        )
    return X


def _d_step(D, real, fake, *, opt):
    """Step 1 of :func:`train_gan`, on real and fake rows at once: returns D's BCE and
    its logits (2n, 1)."""
    n = len(real)
    labels = np.concatenate([np.ones((n, 1)), np.zeros((n, 1))])
    s = D.forward(np.concatenate([real, fake]), train=True)
    d_loss, delta = BCEWithLogits().value_and_grad(s, labels)
    D.backward(delta, need_input_grad=False)  # the samples' gradient is not used
    opt.step(D.params(), D.grads())
    return d_loss, s


def _g_step(G, D, fake, *, g_loss, opt):
    """Step 2 of :func:`train_gan`: G through D, frozen for this step only (every
    layer's flag restored as it was, also on an exception); returns G's loss."""
    flags = [(leaf, leaf.trainable) for leaf in D.leaves()]
    D.freeze()
    try:
        s_fake = D.forward(fake, train=False)
        G.backward(D.backward(g_loss.grad(s_fake)), need_input_grad=False)
    finally:
        for leaf, flag in flags:
            leaf.trainable = flag
    opt.step(G.params(), G.grads())
    return g_loss.value(s_fake)
