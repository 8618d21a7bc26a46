"""Re-run chapter 10's trace GAN, without and with spectral normalisation, over named seeds.

    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch10.py              # seeds 0-4
    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch10.py 0 --small    # seed 0, 300 GAN steps

Each seed draws new traces, a new autoencoder, new GAN weights and new minibatches
from `default_rng(seed + k)`, exactly as section "A GAN on seismic traces" of
`book/10_gans.ipynb` draws them; seed 0 (the chapter's SEED) reproduces the table
the chapter prints (`tests/test_seeds_ch10.py` checks it, in the small mode too).
About 20 s of CPU per seed.

Printed per seed: one row per model (real vs real, the Gaussian baseline, the plain
GAN, the GAN with spectral normalisation on D) and one column per measure of
`geonn.gan_metrics.report`; then, per measure, the median and range over seeds of
the plain and SN GANs, and how many seeds SN brings closer to real vs real.
"""
import argparse

import numpy as np

from geonn import MSE, Adam, fit
from geonn.autoencoders import dense_autoencoder
from geonn.datasets.seismic import make_traces
from geonn.gan import sample, train_gan
from geonn.gan_metrics import (METRICS, dominant_frequency, gaussian_baseline, report,
                               rms_amplitude, spread_ratio)
from geonn.gan_nets import add_spectral_norm, trace_discriminator, trace_generator

N_TRAIN, N_TEST, N_GEN = 2000, 1000, 1000
NT, DT, LATENT = 64, 0.002, 8            # 64 samples of 2 ms; 8 latent numbers
BED_SAMPLES = 24.0                       # mean bed thickness: about 3 reflections per trace
STEPS, BATCH, ETA = 2000, 32, 1e-3       # Adam, beta1 = 0.5, for both networks
RECORD_EVERY = 100
MODELS = ("real vs real", "Gaussian", "plain GAN", "SN GAN")


def data(seed):
    """Training and test traces, noise-free, and the scale that standardises them."""
    rng = np.random.default_rng(seed)
    train = make_traces(N_TRAIN, rng, nt=NT, bed_samples=BED_SAMPLES, snr_db=None)
    test = make_traces(N_TEST, rng, nt=NT, bed_samples=BED_SAMPLES, snr_db=None)
    return train, test, float(train.x.std())


def autoencoder(X, seed, epochs=30):
    """A Dense autoencoder 64 → 32 → 8 → 32 → 64 trained on X; returns (encoder, autoencoder)."""
    rng = np.random.default_rng(seed + 1)
    ae = dense_autoencoder(NT, 8, hidden=(32,), activation="tanh", rng=rng)
    fit(ae, MSE(), Adam(eta=3e-3), X, X, epochs=epochs, batch_size=64, rng=rng)
    return ae[0], ae


def train_one(X, X_ref, seed, spectral, steps=STEPS, bound=1.0, progress=False):
    """One GAN run; the same initial weights and minibatches with and without SN.

    Records, every RECORD_EVERY steps, the spread ratios (dominant frequency, RMS
    amplitude) of 500 samples against ``X_ref``."""
    rng = np.random.default_rng(seed + 10)
    G, D = trace_generator(LATENT, NT, rng), trace_discriminator(NT, rng)
    if spectral:
        add_spectral_norm(D, np.random.default_rng(seed + 4), bound)
    f_ref, rms_ref = dominant_frequency(X_ref, DT), rms_amplitude(X_ref)

    def spreads(G, D, step):
        Y = sample(G, 500, LATENT, np.random.default_rng(seed + 5))
        return (spread_ratio(dominant_frequency(Y, DT), f_ref),
                spread_ratio(rms_amplitude(Y), rms_ref))
    hist = train_gan(G, D, X, steps=steps, latent_dim=LATENT, rng=rng, batch_size=BATCH,
                     eta_g=ETA, eta_d=ETA, record_every=RECORD_EVERY, record=spreads,
                     progress=progress)
    return G, D, hist


def run(seed, steps=STEPS):
    """{model: report} for one seed, and the parts (data, networks, histories, samples)."""
    train, test, scale = data(seed)
    X, X_test = train.x / scale, test.x / scale
    encoder, _ = autoencoder(X, seed)
    features = encoder.predict
    samples = {"real vs real": X[:N_GEN],
               "Gaussian": gaussian_baseline(X, N_GEN, np.random.default_rng(seed + 2))}
    nets, hists = {}, {}
    for name, spectral in (("plain GAN", False), ("SN GAN", True)):
        G, D, hists[name] = train_one(X, X_test, seed, spectral, steps)
        nets[name] = (G, D)
        samples[name] = sample(G, N_GEN, LATENT, np.random.default_rng(seed + 3))
    scores = {m: report(X_test, samples[m], DT, features) for m in MODELS}
    parts = dict(train=train, test=test, scale=scale, X=X, X_test=X_test, encoder=encoder,
                 samples=samples, nets=nets, hists=hists)
    return scores, parts


FORMATS = {"W1": ".3f", "spectrum": ".3f", "spread f_dom": ".2f", "spread RMS": ".2f",
           "1-NN": ".3f", "FD": ".3f"}


def table(scores):
    """The chapter's table: one row per model, one column per measure."""
    lines = [f"{'model':<14}" + "".join(f"{m:>14}" for m in METRICS)]
    for model, row in scores.items():
        lines.append(f"{model:<14}" + "".join(f"{row[m]:>14{FORMATS[m]}}" for m in METRICS))
    return "\n".join(lines)


def closer(row, ref, m):
    """Distance of a score from the real-vs-real reference (spread ratios: from 1)."""
    target = 1.0 if m.startswith("spread") else ref[m]
    return abs(row[m] - target)


def summary(all_scores):
    """Median and range over seeds of the two GANs, and SN's wins, per measure."""
    lines = [f"{'measure':<14}{'plain GAN: median [range]':>30}{'SN GAN: median [range]':>30}"
             f"{'SN closer':>11}"]
    for m in METRICS:
        cells = []
        for model in ("plain GAN", "SN GAN"):
            v = np.array([s[model][m] for s in all_scores.values()])
            f = FORMATS[m]
            cells.append(f"{np.median(v):{f}} [{v.min():{f}}, {v.max():{f}}]")
        wins = sum(closer(s["SN GAN"], s["real vs real"], m) < closer(s["plain GAN"], s["real vs real"], m)
                   for s in all_scores.values())
        lines.append(f"{m:<14}{cells[0]:>30}{cells[1]:>30}{f'{wins}/{len(all_scores)}':>11}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", nargs="*", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--small", action="store_true", help="300 GAN steps (a smoke test)")
    args = parser.parse_args(argv)
    all_scores = {}
    for seed in args.seeds:
        all_scores[seed], _ = run(seed, steps=300 if args.small else STEPS)
        print(f"seed {seed}\n{table(all_scores[seed])}\n", flush=True)
    print(summary(all_scores))


if __name__ == "__main__":
    main()
