# The cells of book/10_gans.ipynb, read by tools/_build_ch10.py (md, code defined there).
# flake8: noqa

md(r"""
# GANs on seismic data

## Overview

Every network so far in this book learned a mapping from an input to a known answer. A generative adversarial network (GAN) {cite:p}`goodfellow2014` learns something else: to *produce* samples that look like the data, from random numbers alone. It does so with two networks in a game. A discriminator $D$ learns to tell real samples from generated ones, and a generator $G$ learns to fool it. Nothing in the game tells $G$ what a seismic trace is: everything it learns arrives through the gradient of $D$'s opinion. {cite:t}`demoss2020` trains GANs on seismic data and calls them "notoriously tricky"; his two most useful fixes were spectral normalisation and binary cross-entropy computed on the logits. This chapter:

1. writes the minimax game, derives the optimal discriminator $D^* = p_\text{data}/(p_\text{data} + p_g)$ for a fixed generator, and checks it on a one-dimensional distribution of amplitudes whose density can be drawn;
2. compares the two losses a generator can use, the saturating $\log(1 - D(G(z)))$ of the game as written and the non-saturating $-\log D(G(z))$, and shows the first one stall;
3. shows why a sigmoid output followed by cross-entropy clips, in float32 and float64, and why `geonn`'s `BCEWithLogits` does not;
4. trains a small convolutional GAN on seismic traces, with the generator trained *through* a frozen discriminator;
5. measures the quality of the generated traces against real ones in five ways, with a Gaussian baseline and the real-against-real floor, and says what each measure misses;
6. looks for mode collapse, adds spectral normalisation to the discriminator, and reports over five seeds what it changes, including what the input scale does to a spectrally normalised discriminator;
7. walks through the latent space of the generator: "seismic dreams".

## Prerequisites

| Concepts | Importance | Notes |
| --- | --- | --- |
| {doc}`03_backprop` | Necessary | Gradients through a stack of layers; here also with respect to the input |
| {doc}`04_optimizers` | Necessary | Adam, and why its steps do not shrink with the gradient |
| {doc}`05_mantle_stability` | Necessary | Classification, logits and cross-entropy |
| {doc}`08_convolution` | Necessary | `Conv1D`, the convolutional model of a trace, amplitude spectra |
| Probability densities, expectations | Helpful | {cite:t}`goodfellow2016`, chapters 3 and 20 |

- **Time to learn**: 90 minutes
- **Run time**: about 30 s; the two GAN runs on traces are most of it.

## Imports
""")

code(r"""
import matplotlib.pyplot as plt
import numpy as np

from geonn import MSE, SGD, Activation, Adam, BCEWithLogits, Dense, Sequential, fit, mlp
from geonn.datasets.seismic import make_traces
from geonn.gan import GeneratorLoss, sample, train_gan
from geonn.gan_metrics import (METRICS, dominant_frequency, gaussian_baseline, report,
                               rms_amplitude, spread_ratio, wasserstein1)
from geonn.gan_nets import add_spectral_norm, trace_discriminator, trace_generator
from geonn.plotting import TEXT_WIDTH
from geonn.processing import amplitude_spectrum
""")

code(r"""
SEED = 0
NT, DT, LATENT = 64, 0.002, 8                  # traces of 64 samples of 2 ms; 8 latent numbers
rng_toy = np.random.default_rng(SEED + 100)    # sections 1 and 2: the 1-D toy problem
""")

md(r"""
`geonn.gan` holds the generator losses and the training loop, `geonn.gan_nets` the chapter's small convolutional generator and discriminator, and `geonn.gan_metrics` the measures of sample quality of section {ref}`gan-quality`.

(gan-game)=
## The game

Let $p_\text{data}$ be the distribution of the data, here seismic amplitudes or traces. The generator $G$ maps a latent vector $z \sim p_z = \mathcal N(0, I)$ to a sample $G(z)$; the samples it makes have a distribution $p_g$ that nobody writes down. The discriminator outputs a logit $s(x)$, and $D(x) = \sigma(s(x))$ is its probability that $x$ is real. The GAN objective {cite:p}`goodfellow2014` is the value of a two-player game,

$$
\min_G \max_D \; V(D, G) = \mathbb E_{x \sim p_\text{data}}\left[\log D(x)\right] + \mathbb E_{z \sim p_z}\left[\log\left(1 - D(G(z))\right)\right].
$$

- **$D$ maximises $V$.** It wants $D(x) \to 1$ on real samples and $D(G(z)) \to 0$ on generated ones. Maximising $V$ is minimising the binary cross-entropy of a classifier with labels 1 (real) and 0 (fake): the loss of {doc}`05_mantle_stability` with two classes, $-V/2$ when a batch holds as many real as fake samples.
- **$G$ minimises $V$.** Only the second term depends on $G$: it wants $D(G(z)) \to 1$, that is, to be taken for real.

### The optimal discriminator

Fix $G$. Both expectations are integrals over the same space of samples $x$, so

$$
V(D, G) = \int \Big[ p_\text{data}(x) \log D(x) + p_g(x) \log\big(1 - D(x)\big) \Big]\, dx .
$$

$D$ can choose its value at each $x$ separately. The function $y \mapsto a \log y + b \log(1 - y)$ on $(0, 1)$, with $a, b \ge 0$, has its maximum where $a/y = b/(1-y)$, at $y = a/(a+b)$. Hence

$$
D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)} .
$$

Where only real samples occur, $D^* = 1$; where only fakes occur, $D^* = 0$; where the two densities are equal, $D^* = \tfrac12$. Putting $D^*$ back into $V$ gives

$$
V(D^*, G) = -\log 4 + 2\,\mathrm{JS}(p_\text{data} \,\|\, p_g),
\qquad
\mathrm{JS}(p \,\|\, q) = \tfrac12 \mathrm{KL}\!\left(p \,\Big\|\, \tfrac{p+q}{2}\right) + \tfrac12 \mathrm{KL}\!\left(q \,\Big\|\, \tfrac{p+q}{2}\right),
$$

so against the best discriminator, the generator minimises the Jensen–Shannon divergence between its distribution and the data's. It is zero only when $p_g = p_\text{data}$; then $D^* = \tfrac12$ everywhere and $V = -\log 4$.

### A one-dimensional example

To see $D^*$ we need densities we can draw. Think of $x$ as the amplitude of one reflection, picked across a survey, over three kinds of rock: the amplitudes fall in three clusters, a mixture of three Gaussians. The generator is fixed, $G(z) = 1.5\,z$, so $p_g = \mathcal N(0, 1.5^2)$. We draw 2,000 samples of each and train a small discriminator (1 → 16 → 16 → 1, tanh) on them with `BCEWithLogits`, exactly as a classifier.
""")

code(r"""
WEIGHTS, MEANS, SDS = np.array([0.3, 0.4, 0.3]), np.array([-2.0, 0.5, 3.0]), np.array([0.4, 0.6, 0.4])
SIGMA_G = 1.5                                            # the fixed generator G(z) = 1.5 z


def normal_pdf(x, mu, sd):
    return np.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * np.sqrt(2 * np.pi))


def p_data(x):
    # the three-cluster mixture of amplitudes, at any array of x
    return np.sum(WEIGHTS * normal_pdf(np.asarray(x)[..., None], MEANS, SDS), axis=-1)


def p_g(x):
    return normal_pdf(x, 0.0, SIGMA_G)


def draw_data(n, rng):
    k = rng.choice(3, size=n, p=WEIGHTS)
    return rng.normal(MEANS[k], SDS[k])


x_real, x_fake = draw_data(2000, rng_toy), SIGMA_G * rng_toy.normal(size=2000)
D_toy = mlp([1, 16, 16, 1], "tanh", rng=rng_toy)
hist_toy = fit(D_toy, BCEWithLogits(), Adam(eta=0.01), np.r_[x_real, x_fake][:, None],
               np.r_[np.ones(2000), np.zeros(2000)][:, None], epochs=40, batch_size=100,
               rng=rng_toy)

x_grid = np.linspace(-5.0, 6.0, 441)
dx = x_grid[1] - x_grid[0]
pd_, pg_ = p_data(x_grid), p_g(x_grid)
D_star = pd_ / (pd_ + pg_)
D_learned = 1 / (1 + np.exp(-D_toy.predict(x_grid[:, None])[:, 0]))
mix = (pd_ + pg_) / 2                                    # where the training samples fall
gap = np.sum(np.abs(D_learned - D_star) * mix) / np.sum(mix)
js = 0.5 * np.sum(pd_ * np.log(pd_ / mix) + pg_ * np.log(pg_ / mix)) * dx
print(f"mean |D − D*| where the samples fall: {gap:.2f}")
print(f"JS(p_data ‖ p_g) = {js:.3f} nats, so V(D*, G) = −log 4 + 2 JS = {2 * js - np.log(4):.3f}")
print(f"best possible BCE of D, −V(D*, G)/2 = {(np.log(4) - 2 * js) / 2:.3f}; "
      f"the trained D's last epoch: {hist_toy.train_loss[-1]:.2f}")
""")

code(r"""
fig, (ax_p, ax_d) = plt.subplots(1, 2, figsize=(TEXT_WIDTH, 3.2), layout="constrained", sharex=True)
ax_p.plot(x_grid, pd_, color="k", label=r"$p_\mathrm{data}$")
ax_p.plot(x_grid, pg_, color="C3", label=r"$p_g$")
ax_p.hist(x_real, bins=60, density=True, color="0.8")
ax_p.set(xlabel="amplitude $x$", ylabel="density", title="the data and a fixed $G$")
ax_p.legend(loc="upper left")
ax_d.plot(x_grid, D_star, color="k", label="$D^*$, from the densities")
ax_d.plot(x_grid, D_learned, color="C0", ls="--", label="$D$, trained on samples")
ax_d.axhline(0.5, color="0.6", lw=0.8)
ax_d.set(xlabel="amplitude $x$", ylabel="$D(x)$", ylim=(-0.02, 1.35), title="discriminator")
ax_d.legend(loc="upper center", ncols=1)
for ax in (ax_p, ax_d):
    ax.grid(alpha=0.3)
plt.show()
""", fig=("Left: the density of the three-cluster amplitude data (black, with a histogram of the 2,000 training samples) and of the fixed generator $G(z) = 1.5z$ (red). Right: the optimal discriminator $D^* = p_\\mathrm{data}/(p_\\mathrm{data} + p_g)$ (black) and the discriminator trained on the samples (blue, dashed); the grey line is $D = 1/2$.", "fig-ch10-dstar"),
   alt="Two panels over amplitude from -5 to 6. Left: a three-humped black density and a single broad red bell centred on zero. Right: a black curve with peaks of about 0.75, 0.5 and 0.9 over the three humps, dips between them and zero outside, and a dashed blue curve following it closely between -3 and 4 but levelling off at about 0.15 on the left and 0.85 on the right.")

code(r"""
assert gap < 0.1 and abs(hist_toy.train_loss[-1] - (np.log(4) - 2 * js) / 2) < 0.05
""", tags=["remove-cell"])

md(r"""
{numref}`fig-ch10-dstar` is the game seen from $D$'s side. Over the two outer clusters real samples are much denser than fakes, and $D^*$ rises to about 0.75 and 0.9; over the middle one, where $G$ puts most of its own samples, it only reaches about 1/2. Between the clusters and in the tails, where $G$ puts samples the data rarely has, $D^*$ falls towards 0. The trained network follows $D^*$ closely where there are samples to learn from, a mean difference of 0.04 weighted by where the samples fall, and its loss, 0.59, is close to the best any discriminator can reach, $-V(D^*, G)/2 = 0.576$ (a loss measured on finite mini-batches of a network still moving). Beyond $|x| \approx 4$ there are almost no samples, and the network extrapolates smoothly instead of falling to 0 as $D^*$ does. The slope of $D$ is what the generator feels: a sample of $G$ at $x = -1$ sits on a slope of $D$ that points towards the cluster at $-2$ and the one at $0.5$, and a gradient step moves it uphill.
""")

md(r"""
(gan-losses)=
## Two losses for the generator

Write $s = s(G(z))$ for the discriminator's logit on a fake sample. The game as written asks $G$ to minimise $\log(1 - D(G(z)))$; the alternative that {cite:t}`goodfellow2014` recommend in practice is to maximise $\log D(G(z))$ instead. Per sample, in terms of the logit, with $\log(1 + e^{s}) = \mathrm{softplus}(s)$:

$$
\begin{aligned}
\text{saturating:}\quad & \ell_\text{sat}(s) = \log\big(1 - \sigma(s)\big) = -\mathrm{softplus}(s), & \frac{\partial \ell_\text{sat}}{\partial s} &= -\sigma(s), \\
\text{non-saturating:}\quad & \ell_\text{ns}(s) = -\log \sigma(s) = \mathrm{softplus}(-s), & \frac{\partial \ell_\text{ns}}{\partial s} &= \sigma(s) - 1 .
\end{aligned}
$$

Both gradients are negative: both losses fall as $s$ rises, and both are stationary at the same place, where $D$ can no longer tell. They differ in *where they are steep*. Early in training the fakes are poor, $D$ rejects them with confidence, $s \ll 0$, and there $\sigma(s) \approx e^{s}$: the saturating gradient vanishes exactly when the generator most needs to learn, while the non-saturating one is close to $-1$. The non-saturating loss is binary cross-entropy on the logits with the *real* label, so `GeneratorLoss("non_saturating")` is `BCEWithLogits` with target 1; `tests/test_gan.py` checks both gradients against central differences.
""")

code(r"""
s_grid = np.linspace(-12.0, 12.0, 241)
sat, ns = GeneratorLoss("saturating"), GeneratorLoss("non_saturating")
n_s = len(s_grid)                                    # .grad averages over the batch: undo it
fig, (ax_l, ax_g) = plt.subplots(1, 2, figsize=(TEXT_WIDTH, 3.2), layout="constrained", sharex=True)
ax_l.plot(s_grid, [sat.value(np.array([[s]])) for s in s_grid], color="C3", label=r"saturating $\log(1-D)$")
ax_l.plot(s_grid, [ns.value(np.array([[s]])) for s in s_grid], color="C0", label=r"non-saturating $-\log D$")
ax_l.set(xlabel="logit $s$ of a fake sample", ylabel="generator loss", ylim=(-13, 13))
ax_l.legend(loc="upper right")
ax_g.semilogy(s_grid, -n_s * sat.grad(s_grid[:, None])[:, 0], color="C3", label="saturating")
ax_g.semilogy(s_grid, -n_s * ns.grad(s_grid[:, None])[:, 0], color="C0", label="non-saturating")
ax_g.axvspan(-12, -4, color="0.9")
ax_g.text(-11.5, 2e-5, "D rejects\nthe fake", fontsize=10)
ax_g.set(xlabel="logit $s$ of a fake sample", ylabel=r"$|\partial \ell / \partial s|$", ylim=(1e-6, 3))
ax_g.legend(loc="lower right")
for ax in (ax_l, ax_g):
    ax.grid(alpha=0.3)
plt.show()
""", fig=("The two generator losses per fake sample (left) and the size of their gradients with respect to the discriminator's logit $s$ (right, log scale). Where the discriminator rejects a fake with confidence (shaded), the saturating gradient $\\sigma(s)$ is tiny and the non-saturating one, $1 - \\sigma(s)$, is close to 1.", "fig-ch10-gen-losses"),
   alt="Left: a red curve falling from 0 to -12 as the logit goes from -12 to 12, and a blue curve falling from 12 to 0. Right, on a log scale: the red gradient rises from about 1e-5 at logit -12 to 1 at logit 12, the blue one falls from 1 to about 1e-5; they cross at logit 0 at 0.5.")

md(r"""
### A run where it matters

Back to the amplitudes of section {ref}`gan-game`. The generator, $4 \to 16 \to 16 \to 1$ with leaky ReLU, starts with its output bias at $-6$, so all its samples lie far below the data, as a generator's samples in a space of many dimensions start far from the thin set where real traces lie. The discriminator is first trained to reject them, 30 epochs on 2,000 real and 2,000 initial fake samples, so that the run starts where a real GAN finds itself after a few steps: $D$ winning. Then the game runs for 600 steps with each generator loss, once with plain SGD ($\eta = 0.01$) for $G$ and once with Adam ($\eta = 0.002$). $D$ always uses Adam. `train_gan` runs the loop (section {ref}`gan-traces` spells it out); every 20 steps we record the Wasserstein distance $W_1$ between 2,000 generated samples and the data (section {ref}`gan-quality`: here, simply how far on average the samples have to move; about 6.4 at the start).
""")

code(r"""
X_toy = draw_data(4000, rng_toy)[:, None]


def toy_run(kind, optimizer, steps=600, seed=SEED + 200):
    r = np.random.default_rng(seed)                 # the same G, D and batches for every run
    G = mlp([4, 16, 16, 1], "leaky_relu", rng=r)
    G[-1].b[:] = -6.0                               # all samples start far below the data
    D = mlp([1, 16, 16, 1], "tanh", rng=r)
    fakes = sample(G, 2000, 4, r)
    fit(D, BCEWithLogits(), Adam(eta=0.01), np.r_[X_toy[:2000], fakes],
        np.r_[np.ones((2000, 1)), np.zeros((2000, 1))], epochs=30, batch_size=100, rng=r)
    s_start = float(D.predict(fakes).mean())

    def w1(G, D, step):
        return wasserstein1(sample(G, 2000, 4, np.random.default_rng(seed + 1)), X_toy)
    opt_g = SGD(0.01) if optimizer == "SGD" else Adam(2e-3, beta1=0.5)
    hist = train_gan(G, D, X_toy, steps=steps, latent_dim=4, rng=r, batch_size=64, eta_d=2e-3,
                     opt_g=opt_g, loss=kind, record_every=20, record=w1)
    return np.array(hist["records"]), s_start


toy = {(kind, opt): toy_run(kind, opt) for opt in ("SGD", "Adam")
       for kind in ("saturating", "non_saturating")}
s_start = toy["saturating", "SGD"][1]
print(f"D's mean logit on the initial fakes: {s_start:.1f}, so σ(s) = {1 / (1 + np.exp(-s_start)):.0e}")
print(f"{'G loss':<16}{'G optimizer':<13}" + "".join(f"{f'W1 @ {k}':>11}" for k in (100, 200, 400, 600)))
for (kind, opt), (w1s, _) in toy.items():
    print(f"{kind:<16}{opt:<13}" + "".join(f"{w1s[k // 20 - 1]:>11.2f}" for k in (100, 200, 400, 600)))
""")

code(r"""
w_sat = toy["saturating", "SGD"][0]
assert w_sat.min() > 6.3 and np.ptp(w_sat) < 0.01                       # never moves
assert toy["saturating", "Adam"][0][4] > 3 * toy["non_saturating", "Adam"][0][4]
assert toy["non_saturating", "SGD"][0][-1] < 1.0 and toy["non_saturating", "Adam"][0][-1] < 1.0
assert toy["saturating", "Adam"][0][-1] < 1.0 and -11 < s_start < -8
""", tags=["remove-cell"])

code(r"""
fig, ax = plt.subplots(figsize=(TEXT_WIDTH, 3.0), layout="constrained")
steps_toy = 20 * np.arange(1, 31)
for (kind, opt), (w1s, _) in toy.items():
    ax.plot(steps_toy, w1s, color="C3" if kind == "saturating" else "C0",
            ls="-" if opt == "SGD" else "--", label=f"{kind.replace('_', '-')}, {opt}")
ax.set(xlabel="step", ylabel="$W_1$(generated, data)", yscale="log", ylim=(0.3, 9))
ax.set_yticks([0.5, 1, 2, 4, 8], labels=["0.5", "1", "2", "4", "8"])
ax.yaxis.set_minor_formatter(plt.NullFormatter())
ax.legend(ncols=2, loc="center right")
ax.grid(alpha=0.3)
plt.show()
""", fig=("Distance between the generator's samples and the data over 600 steps of the game, for the two generator losses, with plain SGD (solid) or Adam (dashed) updating the generator. With SGD the saturating loss never moves; with Adam both losses converge, the saturating one later.", "fig-ch10-stall"),
   alt="Four curves of distance against step on a log scale. The solid red curve is flat at about 6.4 for all 600 steps. The two blue curves drop below 1 within about 100 steps; the dashed red curve drops with them at first, climbs back to about 3.5 at step 100 and comes down below 1 only after step 200; from step 300 on, the three lie between about 0.35 and 0.6.")

md(r"""
With SGD the saturating generator does not move at all: the discriminator's mean logit on its samples is −9.6, the gradient it passes back, $\sigma(s) \approx 7 \times 10^{-5}$, is that fraction of the non-saturating one, and a step of $\eta$ times that gradient is nothing. Meanwhile $D$ keeps training and grows more confident, so the generator never escapes. The non-saturating generator, from the same start, is within $W_1 = 0.65$ of the data by step 100.

With Adam the picture changes, and this is worth knowing: both losses converge, the saturating one about 100 steps later ($W_1$ = 3.56 against 0.67 at step 100, 0.50 against 0.41 at step 400). Adam divides each step by a running root-mean-square of the gradient, so a gradient 10⁴ times smaller gives a step of the same size as long as it stays well above Adam's $\varepsilon = 10^{-8}$. Adam hides the saturation here. It cannot hide it once $\sigma(s)$ drops to the order of $\varepsilon$ (at $s \approx -18$), and it does not change the *direction*: the saturating gradient weights each fake by $\sigma(s)$, so it learns mostly from the fakes $D$ already finds plausible, while the non-saturating one weights by $1 - \sigma(s)$ and learns most from the worst fakes. The rest of the chapter uses the non-saturating loss, as almost every GAN does.
""")

md(r"""
(gan-bce)=
## Binary cross-entropy on logits

A classifier that ends in a sigmoid layer and feeds its probability $p = \sigma(s)$ to a cross-entropy,

$$
L = -\big[y \log p + (1 - y) \log(1 - p)\big],
$$

computes $1 - p$ and $\log$ of it in floating point. For large $s$, $1 - \sigma(s) = \sigma(-s) \approx e^{-s}$ is a perfectly good number, but $\sigma(s)$ itself is stored as the float nearest to it, and that is exactly 1 as soon as $e^{-s}$ is below half the machine epsilon: $1 - p$ rounds to 0 and $\log(1 - p) = -\infty$. Deep-learning frameworks avoid the infinity by clipping $p$ to $[\epsilon, 1 - \epsilon]$ ($\epsilon = 10^{-7}$ in Keras), and that is the "clipping" of the post {cite:p}`demoss2020`: beyond the clip, the loss is flat, and its gradient is zero.

Written on the logit, the same loss never forms $1 - p$ (`geonn.BCEWithLogits`):

$$
L = \max(s, 0) - s\,y + \log\left(1 + e^{-|s|}\right), \qquad \frac{\partial L}{\partial s} = \sigma(s) - y .
$$
""")

code(r"""
for dtype in (np.float32, np.float64):
    s = np.arange(0, 60, 0.01).astype(dtype)
    one_minus_p = dtype(1) - 1 / (1 + np.exp(-s))
    print(f"{np.dtype(dtype).name}: 1 − σ(s) rounds to 0 from s = {s[np.argmax(one_minus_p == 0)]:.1f} "
          f"(ln(2/eps) = {np.log(2 / np.finfo(dtype).eps):.1f})")
""")

code(r"""
EPS_CLIP = 1e-7                                        # Keras's clip
bce_logits = BCEWithLogits()
print("a fake sample (label y = 0) that D scores with logit s, in float32:")
print(f"{'s':>5}{'exact loss':>12}{'σ → BCE':>10}{'σ → clip → BCE':>16}{'its dL/ds':>11}"
      f"{'BCEWithLogits':>15}{'its dL/ds':>11}")
with np.errstate(divide="ignore", invalid="ignore"):
    for s in (5.0, 15.0, 20.0, 40.0):
        z = np.array([[s]], dtype=np.float32)
        p = 1 / (1 + np.exp(-z))                       # a sigmoid output layer
        naive = -np.log(1 - p)
        p_clip = np.clip(p, EPS_CLIP, 1 - EPS_CLIP)
        clipped = -np.log(1 - p_clip)
        grad_clipped = (p_clip - 0) / (p_clip * (1 - p_clip)) * p * (1 - p) * (EPS_CLIP < p < 1 - EPS_CLIP)
        print(f"{s:>5.0f}{s + np.log1p(np.exp(-s)):>12.4f}{naive[0, 0]:>10.4f}{clipped[0, 0]:>16.4f}"
              f"{grad_clipped[0, 0]:>11.4f}{bce_logits.value(z, [[0.0]]):>15.4f}"
              f"{bce_logits.grad(z, [[0.0]])[0, 0]:>11.4f}")
""")

code(r"""
z = np.array([[40.0]], dtype=np.float32)
assert bce_logits.value(z, [[0.0]]) == np.float32(40.0) and bce_logits.grad(z, [[0.0]]).dtype == np.float32
""", tags=["remove-cell"])

md(r"""
In float32 the sigmoid output is exactly 1 from $s = 16.6$; in float64 from $s = 36.7$, just where $e^{-s}$ falls below half the machine epsilon. Below those logits the naive loss is merely inaccurate: at $s = 15$ it is 14.84 instead of 15, because $1 - p$ has kept only a few of its digits. Above them it is infinite, and the clipped version is stuck at 15.94 ($-\log$ of $10^{-7}$ rounded to float32) with a gradient of exactly zero (the clip's derivative), whatever $s$ is. The sample the discriminator is *most* wrong about — a fake it takes for real with a logit of 40 — then teaches it nothing. `BCEWithLogits` gives the exact loss, 40, and the exact gradient, $\sigma(40) - 0 = 1$, in float32.

In a GAN this is not an edge case. The logits of a discriminator that is winning or losing by a wide margin are large by construction, as the −9.6 of the last section shows; the generator's non-saturating loss is the same cross-entropy with the label 1, and fails the same way at $s \ll 0$, where $\sigma(s)$ underflows instead. This is why the post recommends doing "BCE directly on the logits": all the networks in this chapter end in a plain linear layer, and both players' losses are computed from the logit.
""")

md(r"""
(gan-traces)=
## A GAN on seismic traces

### The data

The traces come from the generator of chapters 8–10, `make_traces`: a blocky impedance log, its reflectivity, a zero-phase Ricker wavelet of peak frequency drawn from 20–40 Hz for each trace. They are 64 samples of 2 ms (128 ms) long, with beds 24 samples thick on average, so a trace holds about three reflections, and they are noise-free: the GAN is to learn the signal, not the noise. 2,000 traces train the GAN; 1,000 more are held out to measure it. All traces are divided by one number, the standard deviation of the training amplitudes, so they have unit variance overall (section {ref}`gan-sn` shows why this matters).
""")

code(r"""
rng_data = np.random.default_rng(SEED)
train = make_traces(2000, rng_data, nt=NT, bed_samples=24.0, snr_db=None)
test = make_traces(1000, rng_data, nt=NT, bed_samples=24.0, snr_db=None)
scale = train.x.std()
X, X_test = train.x / scale, test.x / scale
n_refl = np.count_nonzero(train.reflectivity, axis=1)
print(f"training traces {X.shape}, held out {X_test.shape}; amplitude scale {scale:.4f}")
print(f"reflections per trace: median {np.median(n_refl):.0f}, range {n_refl.min()}–{n_refl.max()}")
""")

md(r"""
### The two networks

Both networks are small and convolutional (`geonn.gan_nets`). The generator maps $z \in \mathbb R^8$ through a Dense layer to 8 channels of 16 samples, then twice doubles the length (nearest-neighbour upsampling) and filters it with a 9-tap convolution, leaky ReLU ($\alpha = 0.2$) in between and a linear output. The convolutions at the end make its traces band-limited; a first attempt with a Dense generator produced traces whose spectra had a flat floor of high frequencies, which a Dense discriminator barely noticed. The discriminator mirrors it: two 9-tap convolutions with stride 2 (8 and 16 channels) and a Dense layer to one logit, with no sigmoid.
""")

code(r"""
rng_show = np.random.default_rng(SEED + 10)
print(trace_generator(LATENT, NT, rng_show))
print(trace_discriminator(NT, rng_show))
""")

md(r"""
### Training G through a frozen D

One step of `train_gan` draws a mini-batch of 32 real traces $x$ and 32 latent vectors $z$, and then:

1. **$D$ step.** $D$ sees the real and the fake traces as one batch of 64 with labels 1 and 0; `BCEWithLogits` gives $\partial L/\partial s$, `D.backward` the gradients of $D$'s parameters, and $D$'s Adam takes a step.
2. **$G$ step.** `D.freeze()`; the fakes $G(z)$ go through $D$ again (which has just changed), the non-saturating loss gives $\partial \ell/\partial s$, and `D.backward` returns $\partial \ell / \partial x$, the gradient with respect to $D$'s *input*, the fake traces, while storing nothing for $D$'s frozen weights. `G.backward(∂ℓ/∂x)` carries it on into $G$'s parameters, $G$'s Adam takes a step, and `D.unfreeze()`.

The code of one step, from `geonn/gan.py`:

```python
fake = G.forward(z, train=True)
s = D.forward(np.concatenate([x, fake]), train=True)      # 1. the discriminator
d_loss, delta = bce.value_and_grad(s, labels)            #    labels: 32 ones, 32 zeros
D.backward(delta)
opt_d.step(D.params(), D.grads())
D.freeze()                                               # 2. the generator, through D
s_fake = D.forward(fake, train=False)
G.backward(D.backward(g_loss.grad(s_fake)))              #    ∂ℓ/∂x from D, into G
D.unfreeze()
opt_g.step(G.params(), G.grads())
```

Both optimizers are Adam with $\eta = 10^{-3}$ and $\beta_1 = 0.5$, the usual GAN setting {cite:p}`goodfellow2016`, for 2,000 steps (32 epochs of the training traces). These choices were fixed before any of the comparisons below were run. Every 100 steps the loop records how varied 500 generated traces are (section {ref}`gan-sn`).
""")

code(r"""
f_ref, rms_ref = dominant_frequency(X_test, DT), rms_amplitude(X_test)


def spreads(G, D, step):
    # spread ratios of 500 samples: dominant frequency and RMS amplitude (section on SN)
    Y = sample(G, 500, LATENT, np.random.default_rng(SEED + 5))
    return (spread_ratio(dominant_frequency(Y, DT), f_ref), spread_ratio(rms_amplitude(Y), rms_ref))


def train_trace_gan(spectral, steps=2000, progress=False):
    rng_gan = np.random.default_rng(SEED + 10)     # the same weights and batches with and without SN
    G, D = trace_generator(LATENT, NT, rng_gan), trace_discriminator(NT, rng_gan)
    if spectral:
        add_spectral_norm(D, np.random.default_rng(SEED + 4), bound=1.0)
    hist = train_gan(G, D, X, steps=steps, latent_dim=LATENT, rng=rng_gan, batch_size=32,
                     eta_g=1e-3, eta_d=1e-3, record_every=100, record=spreads, progress=progress)
    return G, D, hist


G_plain, D_plain, hist_plain = train_trace_gan(spectral=False, progress=True)
""")

md(r"""
A GAN's training is chaotic: a change in the last bit of one number, such as the order in which a different CPU adds up a matrix product, grows over 2,000 steps into a different run, much as a different seed would. The cells that print numbers from a trained GAN are therefore not compared digit for digit when the book is tested on other processors; each is followed by a hidden check that the numbers lie in the range the seed study of section {ref}`gan-sn` found. The numbers quoted in the text are those of this run, on the machine that built the book.
""")

code(r"""
last = slice(-200, None)
print(f"last 200 steps: D(x) = {hist_plain['d_real'][last].mean():.2f} on real, "
      f"D(G(z)) = {hist_plain['d_fake'][last].mean():.2f} on fake traces; "
      f"D's loss {hist_plain['d_loss'][last].mean():.2f} (log 2 = {np.log(2):.2f})")
""", tags=["nbval-ignore-output"])

code(r"""
assert 0.5 < hist_plain["d_real"][-200:].mean() < 0.7 and 0.3 < hist_plain["d_fake"][-200:].mean() < 0.5
assert 0.55 < hist_plain["d_loss"][-200:].mean() < 0.7
""")

code(r"""
def smooth(v, k=50):
    return np.convolve(v, np.ones(k) / k, mode="valid")


fig, (ax_l, ax_p) = plt.subplots(1, 2, figsize=(TEXT_WIDTH, 3.0), layout="constrained", sharex=True)
steps_axis = np.arange(50, 2001)
ax_l.plot(steps_axis, smooth(hist_plain["d_loss"]), color="C0", label="$D$: BCE")
ax_l.plot(steps_axis, smooth(hist_plain["g_loss"]), color="C3", label=r"$G$: $-\log D(G(z))$")
ax_l.axhline(np.log(2), color="0.5", lw=0.8, ls=":")
ax_l.set(xlabel="step", ylabel="loss (mean of 50 steps)")
ax_l.legend(loc="upper right")
ax_p.plot(steps_axis, smooth(hist_plain["d_real"]), color="k", label="$D(x)$, real")
ax_p.plot(steps_axis, smooth(hist_plain["d_fake"]), color="C1", label="$D(G(z))$, fake")
ax_p.axhline(0.5, color="0.5", lw=0.8, ls=":")
ax_p.set(xlabel="step", ylabel="mean $D$", ylim=(0, 1))
ax_p.legend(loc="upper right")
for ax in (ax_l, ax_p):
    ax.grid(alpha=0.3)
plt.show()
""", fig=("Training the GAN on traces: the losses of both players (left) and the discriminator's mean probability on real and on fake traces (right), each a running mean over 50 steps. The dotted lines mark $\\log 2$ and $1/2$, where a discriminator that cannot tell stands.", "fig-ch10-training"),
   alt="Left: a blue discriminator loss that settles a little below the dotted line at log 2, and a red generator loss that settles a little above it. Right: a black curve for real traces and an orange one for fakes, on either side of the dotted line at one half, a few tenths apart.")

md(r"""
Neither loss goes to zero, and neither should. In {numref}`fig-ch10-training` the two players settle into a standoff in which $D$ is right more often than not, 0.58 against 0.42 on average over the last 200 steps, but far from sure. A GAN's losses say who is ahead in the game, not how good the samples are: a generator that improves and a discriminator that improves as fast leave both losses where they were. How good the traces are needs measuring, and that is the next section.
""")

code(r"""
Y_plain = sample(G_plain, 1000, LATENT, np.random.default_rng(SEED + 3))
Y_gauss = gaussian_baseline(X, 1000, np.random.default_rng(SEED + 2))
t_ms = 1000 * DT * np.arange(NT)
panels = [("real (held out)", X_test, "k"), ("GAN", Y_plain, "C3"),
          ("Gaussian baseline", Y_gauss, "C2")]
fig, axes = plt.subplots(1, 4, figsize=(TEXT_WIDTH, 4.0), layout="constrained",
                         width_ratios=(1, 1, 1, 1.25))
for ax, (title, traces, color) in zip(axes, panels):
    for j in range(8):
        tr = traces[j] / 4
        ax.plot(j + tr, t_ms, color=color, lw=0.8)
        ax.fill_betweenx(t_ms, j, j + tr, where=tr > 0, color=color, lw=0)
    ax.set(title=title, xticks=[], xlim=(-1, 8), xlabel="trace")
axes[0].set_ylabel("time (ms)")
for ax in axes[1:3]:
    ax.set_yticklabels([])
for ax in axes[:3]:
    ax.set_ylim(t_ms[-1], 0)
f_spec = np.fft.rfftfreq(NT, DT)
for title, traces, color in panels:
    axes[3].plot(f_spec, amplitude_spectrum(traces, DT)[1].mean(axis=0), color=color, label=title.split(" (")[0])
axes[3].set(xlabel="frequency (Hz)", ylabel="mean amplitude", title="spectra", xlim=(0, 150))
axes[3].legend(loc="upper right")
axes[3].grid(alpha=0.3)
plt.show()
""", fig=("Eight held-out real traces, eight traces drawn from the GAN, eight from the Gaussian baseline (mean and covariance of the real traces), all at the same scale, and the mean amplitude spectra of 1,000 of each.", "fig-ch10-samples"),
   alt="Three wiggle panels of eight traces each, 0 to 126 ms. Real traces: a few isolated wavelets per trace with quiet stretches between. GAN traces: also a few wavelets with quiet stretches. Gaussian traces: continuous ringing with no quiet stretches. A fourth panel shows three mean spectra peaking near 30 Hz and overlapping closely.")

md(r"""
(gan-quality)=
## Measuring quality

The traces in {numref}`fig-ch10-samples` *look* right, and that is the weakest test there is. No single number says whether generated traces are like real ones, so we use several, each comparing one aspect of 1,000 generated traces $Y$ with the 1,000 held-out real traces $X$ (`geonn.gan_metrics`):

- **Amplitude distribution**: the Wasserstein-1 distance between all amplitudes of $X$ and all of $Y$, pooled, $W_1 = \int |F_X(a) - F_Y(a)|\, da$, the area between the two cumulative distributions (in units of the standardised amplitude). It sees whether the traces have the right mix of quiet samples and strong peaks; it is blind to where in time they are.
- **Spectrum error**: $\lVert \bar A_Y - \bar A_X \rVert / \lVert \bar A_X \rVert$, with $\bar A$ the mean amplitude spectrum: the wavelet's band, on average.
- **A geophysical property and its spread**: the dominant frequency of each trace (the peak of its zero-padded spectrum) and its RMS amplitude, and for each the **spread ratio** $\mathrm{std}(\text{property of } Y)/\mathrm{std}(\text{property of } X)$. Well below 1, the generator covers too little of the data's variety: the symptom of mode collapse.
- **1-NN two-sample test** {cite:p}`lopezpaz2017`: pool $X$ and $Y$, give each trace the label of its nearest neighbour (Euclidean, leave-one-out), and score the accuracy. 0.5 means the two sets cannot be told apart this way; 1 means every trace sits among its own kind. Below 0.5 would mean the generator copies training traces.
- **Fréchet distance** {cite:p}`heusel2017` on features: fit a Gaussian to features of $X$ and of $Y$ and compute $\lVert \mu_X - \mu_Y\rVert^2 + \mathrm{Tr}\big(C_X + C_Y - 2 (C_X C_Y)^{1/2}\big)$. The "Fréchet Inception distance" of image GANs uses an ImageNet network's features; for traces we train our own, the 8-number code of a small Dense autoencoder, 64 → 32 → 8 → 32 → 64 with tanh, trained on the real training traces only.

Two references frame every number. **Real vs real**, 1,000 training traces against the held-out ones, is the floor that finite samples allow. The **Gaussian baseline** draws traces from a multivariate normal with the mean and the 64 × 64 covariance of the real traces: it has, by construction, the right spectrum and the right correlation between samples, and nothing else.
""")

code(r"""
rng_ae = np.random.default_rng(SEED + 1)
ae = Sequential([Dense(NT, 32, rng=rng_ae), Activation("tanh"), Dense(32, 8, rng=rng_ae),
                 Dense(8, 32, rng=rng_ae), Activation("tanh"), Dense(32, NT, rng=rng_ae)])
hist_ae = fit(ae, MSE(), Adam(eta=3e-3), X, X, epochs=30, batch_size=64, rng=rng_ae)
encoder = Sequential(ae.layers[:3])                  # trace (n, 64) → code (n, 8)
resid = ae.predict(X_test) - X_test
print(f"autoencoder: held-out reconstruction error {np.sum(resid ** 2) / np.sum(X_test ** 2):.2f} "
      f"of the trace energy")

FORMATS = {"W1": ".3f", "spectrum": ".3f", "spread f_dom": ".2f", "spread RMS": ".2f",
           "1-NN": ".3f", "FD": ".3f"}


def print_table(scores):
    print(f"{'model':<14}" + "".join(f"{m:>14}" for m in METRICS))
    for model, row in scores.items():
        print(f"{model:<14}" + "".join(f"{row[m]:>14{FORMATS[m]}}" for m in METRICS))


scores = {"real vs real": report(X_test, X[:1000], DT, encoder.predict),
          "Gaussian": report(X_test, Y_gauss, DT, encoder.predict)}
print_table(scores)
""")

code(r"""
scores["plain GAN"] = report(X_test, Y_plain, DT, encoder.predict)
print_table({"plain GAN": scores["plain GAN"]})
""", tags=["nbval-ignore-output"])

code(r"""
# within the range over the five seeds of tools/seeds_ch10.py (with some margin)
g = scores["plain GAN"]
assert 0.03 < g["W1"] < 0.12 and 0.06 < g["spectrum"] < 0.2 and 0.6 < g["1-NN"] < 0.85
assert 0.04 < g["FD"] < 0.15 and 0.8 < g["spread RMS"] < 1.4 and 0.7 < g["spread f_dom"] < 1.5
assert g["W1"] < scores["Gaussian"]["W1"] / 2 and g["1-NN"] > scores["Gaussian"]["1-NN"]
assert scores["Gaussian"]["FD"] < g["FD"] / 2
""")

md(r"""
Against the floor of real vs real, every model is far off on something, and the three rows disagree about which model is better:

- **The Gaussian baseline** is the worst of the three on the amplitude distribution ($W_1$ 0.290, against 0.056 for this GAN run) and on the spread of the RMS amplitude (0.50). A Gaussian trace rings everywhere ({numref}`fig-ch10-samples`): its amplitudes are normal, while real traces are quiet between a few strong reflections, and every Gaussian trace carries about the same energy, while a real trace may hold one weak reflection or ten strong ones. Yet it *wins* on the Fréchet distance, 0.015 against 0.068, close to the floor of 0.007. That is no paradox: the Fréchet distance compares only the means and covariances of the features, and the Gaussian was built to have the real mean and covariance. Through an encoder that is nearly linear for most traces (tanh of small numbers), the codes inherit them. A Fréchet distance cannot see anything beyond second moments; a model that matches second moments and nothing else will score well on it. Its spectrum error, 0.117, is not zero, although the covariance fixes the *power* spectrum: the mean *amplitude* spectrum also depends on how the power is distributed over traces, and for Gaussian traces each $|X(f)|$ is Rayleigh-distributed.
- **The GAN** has the amplitude distribution nearly right and its traces vary in energy, but too much: the spread ratio of the RMS amplitude is 1.20, not 1. Its dominant frequencies vary about as much as the real ones (0.95).
- **The 1-NN test** tells both models from real traces, about 74 % of the time for this GAN run and 70 % for the Gaussian, against 50 % for real vs real. It says that something is wrong, not what: Euclidean distance between traces is dominated by where the strongest events are.

What each number misses: $W_1$ ignores time order (shuffling the samples of every trace leaves it unchanged); the spectrum error ignores phase, so it cannot see where the events are; a spread ratio near 1 can hide the wrong distribution with the right width; the 1-NN accuracy depends on the distance chosen; the Fréchet distance, on the features and on second moments only. Judge a generator on all of them, and against the floor and a simple baseline; a single number, reported alone, is an invitation to fool oneself.
""")

md(r"""
(gan-sn)=
## Mode collapse and spectral normalisation

**Mode collapse** is the generator finding a few outputs that fool the current discriminator and making little else: the samples are good, and all alike. In the measures above it shows as a spread ratio well below 1 and a high 1-NN accuracy (the real traces with no generated look-alike are easy to tell).

**Spectral normalisation** {cite:p}`miyato2018` constrains the discriminator instead of the generator. Each weight matrix $W$ (for `Conv1D`, the kernel reshaped to $C_\text{out} \times C_\text{in} k$) is replaced in the forward pass by

$$
W_\text{SN} = c\, \frac{W}{\sigma(W)},
$$

where $\sigma(W)$ is its largest singular value, estimated by one step of power iteration per training step, and $c$ is a bound, 1 in the paper (`geonn.spectral_norm(layer, bound, rng=...)`; the gradient through $\sigma$ is exact, see `geonn/layers/spectral.py`). A layer with $\sigma(W_\text{SN}) = c$ stretches no input difference by more than $c$, and leaky ReLU stretches nothing, so the discriminator's logit is Lipschitz,

$$
|s(x) - s(y)| \le c^L \lVert x - y \rVert ,
$$

with $L = 3$ weighted layers here. (For a convolution with stride, the reshaped kernel's norm is only an approximation of the layer's, so the bound is approximate too.) $D$ can no longer become arbitrarily steep, its logits stay moderate, and the gradient it passes to $G$ stays informative. The bound is also a warning. **It is in units of the input.** Traces whose amplitudes are a few hundredths, as raw reflectivity-scale traces are, differ by a few tenths in norm; with $c = 1$ no discriminator can then give a real and a fake trace logits more than a few tenths apart, whatever it has learned.

### The input scale and the bound

To see this without a generator in the way, we train the discriminator alone, as a classifier, to tell the real training traces from 2,000 traces of the Gaussian baseline, for 5 epochs, in the raw units of `make_traces` and standardised, without SN and with $c = 1$ or $c = 4$ ($4^3 = 64$), from the same initial weights.
""")

code(r"""
Y_gauss_train = gaussian_baseline(X, 2000, np.random.default_rng(SEED + 6))
labels = np.r_[np.ones((2000, 1)), np.zeros((2000, 1))]
labels_test = np.r_[np.ones(1000), np.zeros(1000)]
dist = np.linalg.norm(train.x[:1000] - Y_gauss_train[:1000] * scale, axis=1)
print(f"raw units: median ‖x_real − x_Gaussian‖ = {np.median(dist):.2f}, so with c = 1 "
      f"|s(x) − s(y)| ≤ about {np.median(dist):.2f} for a typical pair\n")
print(f"{'inputs':<14}{'D':<10}{'training BCE':>13}{'held-out accuracy':>19}{'std of logits':>15}")
d_only = {}
for units, unit in (("raw", scale), ("standardised", 1.0)):
    for bound in ((None, 1.0, 4.0) if units == "raw" else (None, 1.0)):
        r = np.random.default_rng(SEED + 20)
        D = trace_discriminator(NT, r)
        if bound:
            add_spectral_norm(D, np.random.default_rng(SEED + 21), bound)
        h = fit(D, BCEWithLogits(), Adam(eta=1e-3), np.r_[X, Y_gauss_train] * unit, labels,
                epochs=5, batch_size=64, rng=r)
        s_test = D.predict(np.r_[X_test, Y_gauss] * unit)[:, 0]
        d_only[units, bound] = (h.train_loss[-1], np.mean((s_test > 0) == labels_test), s_test.std())
        name = "plain" if bound is None else f"SN, c = {bound:g}"
        print(f"{units:<14}{name:<10}" + "".join(f"{v:>{w}.2f}" for v, w in zip(d_only[units, bound], (13, 19, 15))))
""")

code(r"""
assert d_only["raw", 1.0][0] > 0.65 and d_only["raw", 1.0][2] < 0.2        # cannot learn
assert d_only["raw", 4.0][1] > d_only["raw", 1.0][1] + 0.1
assert d_only["standardised", 1.0][1] > d_only["raw", 1.0][1] + 0.05
assert d_only["standardised", None][1] >= d_only["standardised", 1.0][1]
""", tags=["remove-cell"])

md(r"""
In raw units the spectrally normalised discriminator with $c = 1$ cannot learn: its loss stays at 0.68, next to $\log 2 = 0.69$, its held-out accuracy is 0.59, and its logits hardly vary (a standard deviation of 0.09), as the Lipschitz bound demands when typical traces are 0.32 apart. Either fix works. A larger bound, $c = 4$, lets the same network reach the accuracy of the plain one (0.82 against 0.78); standardising the traces, which multiplies all distances by $1/0.0314 \approx 32$, lets $c = 1$ reach 0.79. Standardised inputs with $c = 1$ are still a little weaker than without SN (0.79 against 0.83), and that is the price of the constraint: some functions a discriminator could use are now too steep for it. The GAN below uses standardised traces and $c = 1$, as chosen before any GAN was run.

### The same GAN with spectral normalisation

The second run repeats the first exactly, with the same initial weights, the same latent vectors and the same mini-batches, but with SN ($c = 1$) on all three weighted layers of $D$.
""")

code(r"""
G_sn, D_sn, hist_sn = train_trace_gan(spectral=True)
Y_sn = sample(G_sn, 1000, LATENT, np.random.default_rng(SEED + 3))
scores["SN GAN"] = report(X_test, Y_sn, DT, encoder.predict)
print_table(scores)
print(f"\nSN run, last 200 steps: D(x) = {hist_sn['d_real'][last].mean():.2f}, "
      f"D(G(z)) = {hist_sn['d_fake'][last].mean():.2f}")
""", tags=["nbval-ignore-output"])

code(r"""
g = scores["SN GAN"]
assert 0.03 < g["W1"] < 0.12 and 0.06 < g["spectrum"] < 0.2 and 0.6 < g["1-NN"] < 0.85
assert 0.04 < g["FD"] < 0.15 and 0.75 < g["spread RMS"] < 1.4 and 0.7 < g["spread f_dom"] < 1.5
assert abs(hist_sn["d_real"][-200:].mean() - 0.5) < abs(hist_plain["d_real"][-200:].mean() - 0.5) + 0.03
""")

code(r"""
rec_steps = np.array(hist_plain["steps_recorded"])
fig, (ax_f, ax_r) = plt.subplots(1, 2, figsize=(TEXT_WIDTH, 3.0), layout="constrained", sharex=True)
for hist, name, color in ((hist_plain, "plain", "C3"), (hist_sn, "SN", "C0")):
    rec = np.array(hist["records"])
    ax_f.plot(rec_steps, rec[:, 0], color=color, marker="o", ms=3, label=name)
    ax_r.plot(rec_steps, rec[:, 1], color=color, marker="o", ms=3, label=name)
for ax, title in ((ax_f, "dominant frequency"), (ax_r, "RMS amplitude")):
    ax.axhline(1.0, color="k", lw=0.8)
    ax.set(xlabel="step", title=title, ylim=(0, 1.8))
    ax.grid(alpha=0.3)
ax_f.set_ylabel("spread ratio, generated / real")
ax_f.legend(loc="lower right")
plt.show()
""", fig=("Spread ratios of 500 generated traces against the held-out real ones every 100 steps, for the plain GAN (red) and the GAN with spectral normalisation on $D$ (blue), from the same initial weights and mini-batches. A ratio of 1 (black line) means the generated property varies as much as the real one.", "fig-ch10-spread"),
   alt="Two panels of spread ratio against training step from 100 to 2000. Left, dominant frequency: red and blue curves wander around 1, between about 0.8 and 1.7, throughout. Right, RMS amplitude: both start at 0.4 to 0.5, rise past 1 by step 900, and stay between about 0.95 and 1.45 without a trend towards narrowing.")

code(r"""
rec_plain, rec_sn = np.array(hist_plain["records"]), np.array(hist_sn["records"])
for name, rec in (("plain", rec_plain), ("SN", rec_sn)):
    print(f"{name:<6} RMS spread ratio: lowest {rec[:, 1].min():.2f} at step {rec_steps[rec[:, 1].argmin()]}, "
          f"range over steps 1000–2000: {rec[9:, 1].min():.2f}–{rec[9:, 1].max():.2f}")
""", tags=["nbval-ignore-output"])

code(r"""
assert rec_plain[:5, 1].min() < 0.8 and rec_sn[:5, 1].min() < 0.8          # narrow early ...
assert rec_plain[9:, 1].min() > 0.7 and rec_sn[9:, 1].min() > 0.6          # ... not late
""")

md(r"""
**In this run** spectral normalisation brings the RMS spread ratio from 1.20 to 1.06 and the dominant-frequency one from 0.95 to 1.06, and $W_1$ from 0.056 to 0.054; it makes the spectrum error worse (0.138 against 0.098), and the 1-NN accuracy (0.78 against 0.74) and the Fréchet distance (0.089 against 0.068) too. Its discriminator is weaker, as the last experiment predicted: $D(x) = 0.51$ against 0.58 at the end. And {numref}`fig-ch10-spread` shows no mode collapse to cure. Both runs start narrow in energy, when the generator has found the wavelet but not yet the variety of traces (the RMS spread ratio is lowest at step 200, 0.45 and 0.37), while their dominant frequencies vary about as much as the real ones from the start; both recover by step 1,000 and stay there (1.08–1.16 and 0.95–1.43 from step 1,000 on).

One run is one seed. `tools/seeds_ch10.py` repeats the whole section, data, autoencoder, baseline and both GANs, for seeds 0–4 (about 20 s each; seed 0 is this chapter's, and reproduces its table). Over the five seeds, median [lowest, highest]:

| measure | real vs real | Gaussian | plain GAN | SN GAN | seeds where SN is closer to real |
| --- | --- | --- | --- | --- | --- |
| $W_1$ | 0.019 [0.010, 0.021] | 0.304 [0.290, 0.308] | 0.055 [0.048, 0.096] | 0.071 [0.054, 0.079] | 2 of 5 |
| spectrum error | 0.021 [0.017, 0.040] | 0.117 [0.092, 0.125] | 0.098 [0.087, 0.151] | 0.138 [0.115, 0.155] | 1 of 5 |
| spread ratio, dominant frequency | 1.00 [0.97, 1.03] | 1.01 [0.96, 1.04] | 0.99 [0.92, 1.07] | 0.92 [0.86, 1.06] | 1 of 5 |
| spread ratio, RMS amplitude | 0.97 [0.94, 1.05] | 0.46 [0.45, 0.50] | 1.20 [1.13, 1.22] | 1.06 [0.90, 1.19] | 4 of 5 |
| 1-NN accuracy | 0.498 [0.481, 0.510] | 0.694 [0.684, 0.696] | 0.769 [0.744, 0.797] | 0.755 [0.735, 0.781] | 4 of 5 |
| Fréchet distance | 0.014 [0.007, 0.018] | 0.018 [0.013, 0.022] | 0.076 [0.068, 0.103] | 0.089 [0.057, 0.099] | 3 of 5 |

"Closer" means nearer to 1 for the spread ratios and nearer to the same seed's real-vs-real value for the rest. The issue this chapter was written for asked whether spectral normalisation improves the spread ratio and the Fréchet distance of the plain GAN and brings it closer to real on most measures, over at least three seeds. **On these traces, with this design, it does not.** It improves the RMS spread ratio (4 seeds of 5) and the 1-NN accuracy (4 of 5), but the gains are small beside the spread between seeds, the Fréchet distance is a draw (3 of 5, median worse), and the amplitude distribution, the spectrum and the spread of dominant frequencies get worse in most seeds. The reasons are visible above:

- **There is no collapse to prevent.** The plain GAN's spread ratios end at 0.92–1.07 and 1.13–1.22 over the five seeds: its traces are, if anything, *more* varied in energy than real ones. A small convolutional discriminator, Adam at equal rates for both players, and the non-saturating loss on logits already keep this game balanced; $D$ ends only a little ahead ($D(x) \approx 0.58$).
- **SN costs the discriminator sharpness.** Even on standardised traces, $c = 1$ lowers the accuracy of a discriminator trained alone (0.79 against 0.83), and in the game $D$ ends at a near coin-flip, $D(x) \approx 0.51$. A blunter $D$ passes $G$ a blunter gradient: the spectrum, the finest detail of the traces, is where SN loses most.

Where spectral normalisation earns its reputation is where this chapter's GAN is not: deep discriminators on images, where an unconstrained $D$ wins early, its logits grow and its gradients explode or vanish {cite:p}`miyato2018`. The experiment of this section says what to check before adding it to a small seismic GAN: whether the plain GAN actually collapses (measure the spread ratio over training), and whether the data's scale and the bound let $D$ learn at all.
""")

md(r"""
(gan-dreams)=
## Seismic dreams

The generator is a smooth function of its latent input, so a path through latent space gives traces that change smoothly: {cite:t}`demoss2020`'s "seismic dreams". Which path? For $z \sim \mathcal N(0, I_8)$, the norm $\lVert z \rVert$ is almost always close to $\sqrt 8 \approx 2.8$, and the midpoint of a straight line between two such vectors is shorter by a factor of about $\sqrt 2$, a place the generator rarely saw in training. The great circle (spherical interpolation) keeps the norm between those of its two ends:

$$
z(t) = \frac{\sin\big((1 - t)\,\theta\big)}{\sin\theta}\, z_0 + \frac{\sin(t\,\theta)}{\sin\theta}\, z_1, \qquad \cos\theta = \frac{z_0 \cdot z_1}{\lVert z_0 \rVert\, \lVert z_1 \rVert}, \quad 0 \le t \le 1 .
$$

We walk around a loop through four random latent points, $z_0 \to z_1 \to z_2 \to z_3 \to z_0$, 16 steps per leg, and decode each point with the plain GAN's generator. Side by side, the 64 traces form a section in which nothing is real but every trace is a plausible one.
""")

code(r"""
def slerp(z0, z1, t):
    # great-circle path from z0 to z1 at fractions t (k,): (k, latent_dim)
    theta = np.arccos(np.clip(z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1)), -1, 1))
    t = np.asarray(t)[:, None]
    return (np.sin((1 - t) * theta) * z0 + np.sin(t * theta) * z1) / np.sin(theta)


rng_walk = np.random.default_rng(SEED + 7)
anchors = rng_walk.normal(size=(4, LATENT))
t_leg = np.arange(16) / 16
path = np.concatenate([slerp(anchors[k], anchors[(k + 1) % 4], t_leg) for k in range(4)])
line = np.concatenate([(1 - t_leg[:, None]) * anchors[k] + t_leg[:, None] * anchors[(k + 1) % 4]
                       for k in range(4)])
dreams = G_plain.predict(path)
ends = np.linalg.norm(anchors, axis=1)
print(f"‖z‖ of the four points: {', '.join(f'{v:.2f}' for v in ends)} (√8 = {np.sqrt(8):.2f})")
for name, p in (("great circles", path), ("straight lines", line)):
    dips = [np.linalg.norm(p[16 * k:16 * k + 16], axis=1).min() / min(ends[k], ends[(k + 1) % 4])
            for k in range(4)]
    print(f"{name:<15} lowest ‖z‖ on each leg / the smaller end's: {', '.join(f'{d:.2f}' for d in dips)}")
""")

code(r"""
fig, (ax_w, ax_i) = plt.subplots(2, 1, figsize=(TEXT_WIDTH, 6.0), layout="constrained", sharex=True)
for j in range(len(dreams)):
    tr = dreams[j] / 3
    ax_w.plot(j + tr, t_ms, color="k", lw=0.6)
    ax_w.fill_betweenx(t_ms, j, j + tr, where=tr > 0, color="k", lw=0)
lim = np.abs(dreams).max()
ax_i.imshow(dreams.T, aspect="auto", cmap="RdBu_r", vmin=-lim, vmax=lim,
            extent=(-0.5, len(dreams) - 0.5, t_ms[-1], 0))
for ax in (ax_w, ax_i):
    ax.set(ylabel="time (ms)", ylim=(t_ms[-1], 0))
    for k in range(5):
        ax.axvline(16 * k - 0.5, color="C1", lw=1.2, ls="--")
ax_i.set(xlabel="step along the latent loop (dashed: the random points $z_0, z_1, z_2, z_3, z_0$)")
plt.show()
""", fig=("Seismic dreams: 64 traces decoded by the generator along great circles through four random latent points and back (dashed orange lines), as wiggles (top) and as a section in red and blue (bottom). Neighbouring traces are similar; events appear, move, merge and fade as the latent point moves.", "fig-ch10-dreams"),
   alt="Two panels of 64 side-by-side traces. Top, black wiggles; bottom, the same as a red-and-blue image. Events form short continuous horizons that drift up and down in time, fork, merge and fade across the section, with vertical dashed lines every 16 traces.")

md(r"""
Along the straight lines the latent norm dips 3–14 % below the smaller of its two ends; along the great circles it never does. (Two of the four random points, with norms 1.53 and 3.52, are themselves far from $\sqrt 8$: in eight dimensions the norm still varies.) The section in {numref}`fig-ch10-dreams` looks geological, with continuous events that dip, fork and fade, but none of it is: the continuity comes from the smoothness of $G$ along the path, not from layers in an Earth. Lateral continuity is exactly what a generator of single traces was never shown. This is the caution for any use of GAN output as data: a generator reproduces the statistics it was trained on, measured in section {ref}`gan-quality`, and what looks right beyond them is the viewer's contribution.

(gan-transfer)=
## Transfer, briefly

The post ends with the idea that motivates it: train the discriminator on plenty of unlabelled data, then reuse its features for a task with few labels, such as first-break picking. This chapter leaves that as an exercise, for three reasons. A discriminator's features are trained to separate real traces from *the current fakes*, a target that moves with the generator, so what they encode depends on when training stops; measuring transfer honestly needs a labelled task, label counts and several seeds, the design of chapter 9's transfer study; and that study already compares an autoencoder's encoder with training from scratch on the same task. Exercise {ref}`gan-ex-transfer` makes a first, cheap measurement on the traces of this chapter.
""")

md(r"""
## Summary

- A GAN is a game: $D$ minimises cross-entropy on real (1) and fake (0) samples, $G$ tries to be taken for real. For a fixed $G$ the best discriminator is $D^* = p_\text{data}/(p_\text{data} + p_g)$, and against it $G$ minimises the Jensen–Shannon divergence. On a three-cluster distribution of amplitudes a trained discriminator follows $D^*$ to within 0.04 where there are samples.
- The game's own generator loss, $\log(1 - D(G(z)))$, has gradient $-\sigma(s)$ with respect to $D$'s logit: it vanishes when $D$ rejects the fakes. With SGD a generator that starts far from the data never moves; with the non-saturating loss $-\log D(G(z))$ it is within $W_1 = 0.65$ of the data by step 100. Adam hides most of the difference by rescaling steps.
- A sigmoid output followed by cross-entropy breaks where $1 - \sigma(s)$ rounds to 0: from $s = 16.6$ in float32 and $s = 36.7$ in float64. Clipping makes the loss finite and its gradient zero, for exactly the samples the network is most wrong about. Cross-entropy on logits (`BCEWithLogits`) is exact in float32 at $s = 40$.
- A GAN of two small convolutional networks (about 1,800 and 1,500 parameters) learns noise-free 64-sample traces in 2,000 steps: the right amplitude distribution (Wasserstein distance 0.055 over five seeds, median, against 0.30 for a Gaussian with the real covariance) and the right band. The generator is trained through a frozen discriminator, with `D.backward` returning the gradient with respect to the fake traces.
- No single measure is enough. The Gaussian baseline beats the GAN on the Fréchet distance of autoencoder features (0.018 against 0.076) and the 1-NN test (0.69 against 0.77) while producing traces that ring everywhere: the Fréchet distance sees only means and covariances, which the baseline matches by construction.
- The plain GAN did not collapse on these traces (final spread ratios 0.92–1.22 over five seeds). Spectral normalisation on $D$ ($c = 1$, standardised inputs) brought the RMS spread ratio closer to 1 and lowered the 1-NN accuracy in 4 seeds of 5, but it did not improve the Fréchet distance (3 of 5, median worse) and made the amplitude distribution and the spectrum worse in most seeds: it blunts a discriminator that had nothing to be protected from. On raw, small-amplitude traces an SN discriminator with $c = 1$ cannot learn at all; a bound of 4 or standardised inputs fix it.
- A great-circle walk through latent space decodes to a smoothly varying section of plausible traces: "seismic dreams", whose lateral continuity is the generator's, not the Earth's.

## What's next

Chapter 9 (autoencoders) compresses traces into a few numbers without labels and measures what an encoder pretrained that way is worth for first-break picking; its transfer study is the test that exercise {ref}`gan-ex-transfer` begins for the discriminator. The GAN here generated single traces; a generator of gathers or sections, with lateral continuity learned from data, needs two-dimensional convolutions and more compute than this book's budget, and is the natural next step beyond it.

## Exercises
""")

md(r"""
:::{exercise} The optimal discriminator for another generator
:label: gan-ex-dstar

Replace the chapter's fixed generator by $G(z) = 0.5 + z$, so that $p_g = \mathcal N(0.5, 1)$ sits on the middle cluster of the amplitude data. Compute $D^*$ on the chapter's grid, its value at the three cluster centres ($-2$, $0.5$ and $3$), and the Jensen–Shannon divergence. Is this generator better or worse than $G(z) = 1.5z$ by the measure the game optimises? Train a discriminator on 2,000 samples of each, as in the chapter, and compare it with $D^*$.
:::

::::{solution} gan-ex-dstar
:class: dropdown

```python
rng_ex = np.random.default_rng(1)
pg2 = normal_pdf(x_grid, 0.5, 1.0)
D_star2 = pd_ / (pd_ + pg2)
mix2 = (pd_ + pg2) / 2
js2 = 0.5 * np.sum(pd_ * np.log(pd_ / mix2) + pg2 * np.log(pg2 / mix2)) * dx
D2 = mlp([1, 16, 16, 1], "tanh", rng=rng_ex)
fit(D2, BCEWithLogits(), Adam(eta=0.01),
    np.r_[draw_data(2000, rng_ex), rng_ex.normal(0.5, 1.0, 2000)][:, None],
    np.r_[np.ones(2000), np.zeros(2000)][:, None], epochs=40, batch_size=100, rng=rng_ex)
D2_x = 1 / (1 + np.exp(-D2.predict(x_grid[:, None])[:, 0]))
print(f"JS = {js2:.3f} nats (the chapter's G: {js:.3f})")
print("D* at the cluster centres:", [f"{D_star2[np.argmin(abs(x_grid - m))]:.2f}" for m in MEANS])
print(f"mean |D − D*| = {np.sum(np.abs(D2_x - D_star2) * mix2) / np.sum(mix2):.2f}")
```

The divergence is 0.189 nats, against 0.117 for $G(z) = 1.5z$: the narrower generator is *worse* by the game's measure, although it sits exactly on the largest cluster. $D^*$ is about 0.40 at $x = 0.5$, where the generator puts more mass than the data, and 0.94 over the two outer clusters, which $\mathcal N(0.5, 1)$ barely reaches. A generator that covers one mode well and ignores the others is what mode collapse looks like in one dimension, and the Jensen–Shannon divergence penalises it. The trained discriminator follows $D^*$ to within about 0.03 where the samples fall.
::::

:::{exercise} When Adam cannot hide the saturation
:label: gan-ex-eps

Section {ref}`gan-losses` found that Adam rescues the saturating generator loss, because it divides each step by the gradient's running size. Repeat the four runs of that section with Adam for the generator and its $\varepsilon$ set to $10^{-8}$ (the default), $10^{-4}$ and $10^{-2}$, for both losses, and record $W_1$ every 100 steps. Explain what you see with the size of the saturating gradient at the start, $\sigma(s)/n$ per sample for a batch of $n = 64$.
:::

::::{solution} gan-ex-eps
:class: dropdown

```python
def toy_run_eps(kind, eps, steps=600, seed=SEED + 200):
    r = np.random.default_rng(seed)                 # as toy_run, with Adam(eps=eps) for G
    G = mlp([4, 16, 16, 1], "leaky_relu", rng=r)
    G[-1].b[:] = -6.0
    D = mlp([1, 16, 16, 1], "tanh", rng=r)
    fakes = sample(G, 2000, 4, r)
    fit(D, BCEWithLogits(), Adam(eta=0.01), np.r_[X_toy[:2000], fakes],
        np.r_[np.ones((2000, 1)), np.zeros((2000, 1))], epochs=30, batch_size=100, rng=r)

    def w1(G, D, step):
        return wasserstein1(sample(G, 2000, 4, np.random.default_rng(seed + 1)), X_toy)
    hist = train_gan(G, D, X_toy, steps=steps, latent_dim=4, rng=r, batch_size=64, eta_d=2e-3,
                     opt_g=Adam(2e-3, beta1=0.5, eps=eps), loss=kind, record_every=100, record=w1)
    return np.array(hist["records"])


for kind in ("saturating", "non_saturating"):
    for eps in (1e-8, 1e-4, 1e-2):
        print(f"{kind:<16}eps = {eps:.0e}: W1 at steps 100–600:", np.round(toy_run_eps(kind, eps), 2))
```

| loss | $\varepsilon$ | $W_1$ at step 100 | at step 600 |
| --- | --- | --- | --- |
| saturating | $10^{-8}$ | 3.56 | 0.40 |
| saturating | $10^{-4}$ | 6.36 | 6.32 |
| saturating | $10^{-2}$ | 6.41 | 6.41 |
| non-saturating | $10^{-8}$ | 0.67 | 0.42 |
| non-saturating | $10^{-4}$ | 0.67 | 0.41 |
| non-saturating | $10^{-2}$ | 0.50 | 0.41 |

At the start $D$'s logit on the fakes is about −9.6, so each fake passes back $\sigma(s)/64 \approx 10^{-6}$, and the gradients of $G$'s weights are of that order too. Adam's step is $\eta\, \hat m / (\sqrt{\hat v} + \varepsilon)$: with $\varepsilon = 10^{-8} \ll 10^{-6}$ it is $\approx \eta$, whatever the size of the gradient, and the saturating generator moves; with $\varepsilon = 10^{-4}$ or $10^{-2}$ the denominator is $\varepsilon$, the step is about $\eta \cdot 10^{-6}/\varepsilon$, and the generator stalls as it did with SGD. The non-saturating gradient is about 1/64 per fake, far above every $\varepsilon$ tried, so its runs hardly change. (Your numbers may differ a little on another processor; the stall does not.)
::::

:::{exercise} Straight lines through latent space
:label: gan-ex-walk

Draw 500 pairs of latent vectors, $z_0, z_1 \sim \mathcal N(0, I_8)$, and decode with `G_plain` the ends, the midpoints of the straight lines between them and the midpoints of the great circles (`slerp(z0, z1, [0.5])`). Compare the mean norm of each set of latent vectors and the mean RMS amplitude of the traces they decode to, and the RMS amplitude of the real traces. Which walk would you use for seismic dreams, and why?
:::

::::{solution} gan-ex-walk
:class: dropdown

```python
rng_ex = np.random.default_rng(3)
z0, z1 = rng_ex.normal(size=(2, 500, LATENT))
mid_line = (z0 + z1) / 2
mid_arc = np.array([slerp(a, b, [0.5])[0] for a, b in zip(z0, z1)])
rms = lambda Z: rms_amplitude(G_plain.predict(Z))
print(f"mean ‖z‖: ends {np.linalg.norm(z0, axis=1).mean():.2f}, straight midpoints "
      f"{np.linalg.norm(mid_line, axis=1).mean():.2f}, great-circle midpoints "
      f"{np.linalg.norm(mid_arc, axis=1).mean():.2f}")
print(f"mean RMS amplitude: real {rms_ref.mean():.2f}, ends {rms(z0).mean():.2f}, straight midpoints "
      f"{rms(mid_line).mean():.2f}, great-circle midpoints {rms(mid_arc).mean():.2f}")
```

The ends have a mean norm of 2.75, the great-circle midpoints 2.81, and the straight-line midpoints 1.94, about $1/\sqrt 2$ of it: the average of two independent Gaussian vectors has half their variance. The generator turns the shorter vectors into weaker traces: the straight-line midpoints decode to a mean RMS amplitude of 0.49, against 0.83 at the ends, 0.88 at the great-circle midpoints and 0.88 for real traces (the GAN's exact numbers vary from run to run). A straight-line walk therefore fades in the middle of every leg, an artefact of the path, not of the data; the great circle keeps the traces in the part of latent space the generator was trained on.
::::

:::{exercise} Does the discriminator learn useful features?
:label: gan-ex-transfer

Take the features of `D_plain` at its last hidden layer (everything but the final Dense layer, 256 numbers per trace) and fit a ridge regression ($\lambda = 0.1$ on standardised features, intercept unpenalised) from the features of 200 labelled training traces to each trace's wavelet peak frequency, `train.f_peak`. Score $R^2$ on the 1,000 held-out traces, and compare with the same regression on the raw traces, on the autoencoder's 8-number code, and on an untrained discriminator of the same shape. What would you need to claim that GAN training helps a downstream task?
:::

::::{solution} gan-ex-transfer
:class: dropdown

```python
def features_of(D):
    return lambda X: Sequential(D.layers[:-1]).predict(X)   # (n, 256)


def r2_ridge(F_train, y_train, F_test, y_test, lam=0.1):
    mu, sd = F_train.mean(0), F_train.std(0) + 1e-12
    A, y0 = (F_train - mu) / sd, y_train.mean()          # the intercept is y's mean, unpenalised
    w = np.linalg.solve(A.T @ A + lam * len(A) * np.eye(A.shape[1]), A.T @ (y_train - y0))
    pred = y0 + ((F_test - mu) / sd) @ w
    return 1 - np.sum((pred - y_test) ** 2) / np.sum((y_test - y_test.mean()) ** 2)


feats = {"raw trace (64)": lambda X: X, "autoencoder code (8)": encoder.predict,
         "trained D (256)": features_of(D_plain),
         "untrained D (256)": features_of(trace_discriminator(NT, np.random.default_rng(SEED + 10)))}
for name, f in feats.items():
    r2 = r2_ridge(f(X[:200]), train.f_peak[:200], f(X_test), test.f_peak)
    print(f"{name:<22} R² = {r2:.2f}")
```

We got $R^2 \approx 0.54$ from the trained discriminator's features, 0.40 from the untrained one's, and about 0 from the raw traces and from the autoencoder's code. A linear model cannot read a frequency off the samples of a trace or off a code trained to reconstruct amplitudes, while convolution features followed by a rectifier are already rough local band-pass energies, *even with random weights*; GAN training adds to that. The measurements in the chapter (and the choice $\lambda = 0.1$; 1 and 10 rank the four the same way) are for one seed, one label count, one target and one GAN run, whose features change with the processor (section {ref}`gan-traces`). To claim that GAN training helps, repeat over seeds and several label counts, against the untrained network and an autoencoder of the same architecture, on the task you care about, as chapter 9 does for the autoencoder.
::::
""")
