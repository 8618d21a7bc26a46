"""Re-run chapter 10's trace GAN, without and with spectral normalisation, over named seeds.

    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch10.py              # seeds 0-4
    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch10.py --save       # ... into data/ch10_seeds.csv
    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch10.py 0 --small    # seed 0, 300 GAN steps

Each seed draws new traces, a new autoencoder, new GAN weights and new minibatches
from `default_rng(seed + k)`, exactly as section "A GAN on seismic traces" of
`book/10_gans.ipynb` draws them; seed 0 (the chapter's SEED) reproduces the table
the chapter prints (`tests/test_seeds_ch10.py` checks it, in the small mode too).
About 20 s of CPU per seed.

Printed per seed: one row per model (real vs real, the Gaussian baseline, the plain
GAN, the GAN with spectral normalisation on D) and one column per measure of
`geonn.studies.gan_metrics.report`, of `memorisation` (copy ratio and share, against the
training traces) and of `closer_to_train` (against the first 1,000 of them); then, per
measure, the median and range over seeds of every model, and how many seeds SN brings
closer to real. ``--save`` writes the scores to data/ch10_seeds.csv, which the chapter
prints (`geonn.studies.gan_report`).
"""
import argparse

import numpy as np

from geonn import MSE, Adam, fit
from geonn.studies.autoencoders import dense_autoencoder
from geonn.domain.datasets.seismic import make_traces
from geonn.studies.gan import sample, train_gan
from geonn.studies.gan_metrics import (closer_to_train, dominant_frequency, gaussian_baseline,
                                       memorisation, report, rms_amplitude, spread_ratio)
from geonn.studies.gan_nets import add_spectral_norm, trace_discriminator, trace_generator
from geonn.studies.gan_report import (MODELS, SEED_MEASURES, SEEDS_CSV, score_table, seed_summary,
                                      write_seed_study)

N_TRAIN, N_TEST, N_GEN = 2000, 1000, 1000
NT, DT, LATENT = 64, 0.002, 8            # 64 samples of 2 ms; 8 latent numbers
BED_SAMPLES = 24.0                       # mean bed thickness: about 3 reflections per trace
STEPS, BATCH, ETA = 2000, 32, 1e-3       # Adam, beta1 = 0.5, for both networks
RECORD_EVERY = 100


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
    for m in MODELS:          # real vs real *is* a copier: its samples are training traces
        copies = memorisation(samples[m], X, X_test)
        scores[m].update({"copy ratio": copies["ratio"], "copy share": copies["share"],
                          "nearer train": closer_to_train(samples[m], X[:N_TEST], X_test)})
    parts = dict(train=train, test=test, scale=scale, X=X, X_test=X_test, encoder=encoder,
                 samples=samples, nets=nets, hists=hists)
    return scores, parts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", nargs="*", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--small", action="store_true", help="300 GAN steps (a smoke test)")
    parser.add_argument("--save", action="store_true",
                        help=f"write the scores to {SEEDS_CSV.relative_to(SEEDS_CSV.parents[1])}")
    args = parser.parse_args(argv)
    if args.save and args.small:
        parser.error("--save stores the full runs; it cannot be combined with --small")
    all_scores = {}
    for seed in args.seeds:
        all_scores[seed], _ = run(seed, steps=300 if args.small else STEPS)
        print(f"seed {seed}\n{score_table(all_scores[seed], SEED_MEASURES)}\n", flush=True)
    print(seed_summary(all_scores))
    if args.save:
        write_seed_study(SEEDS_CSV, all_scores)
        print(f"\nwritten to {SEEDS_CSV}")


if __name__ == "__main__":
    main()
