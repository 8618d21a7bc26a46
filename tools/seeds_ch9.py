"""Re-run chapter 9's sections 1, 2 and 4 (bottleneck, PCA, denoising) over named seeds.

    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch9.py   # 0-4 and 9 → data/ch9_seeds.json
    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch9.py 0 1 --small

Each seed draws new gathers, weights, noise and batch order from
`default_rng(seed)`, in the order `book/09_autoencoders.ipynb` draws them; seed 9
(the chapter's SEED) reproduces the numbers it prints (`tests/test_seeds_ch9.py`
checks it). About 20 s of CPU per seed. The default seeds' results are stored in
data/ch9_seeds.json, from which the chapter prints the ranges its text quotes.

Printed per seed: the unexplained variance of PCA and of the ReLU autoencoder for
each code size, of the linear autoencoder at k = 8 and the largest principal angle
between its subspace and PCA's, how strongly the 2-number code follows the first break
and the peak frequency, the median SNR gain (dB) of the band-pass, the Dense and the
convolutional denoisers and of the Wiener filter (SNR estimated from each trace, and
told) at each input SNR, and the correlation of what each removed with the clean
traces at 5 dB (signal leakage); then the range over seeds.
"""
import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.decomposition import PCA
from sklearn.neighbors import KNeighborsRegressor

from geonn import MSE, Adam, fit
from geonn.studies.autoencoders import conv_denoiser, dense_autoencoder, unexplained_variance
from geonn.domain.datasets import add_noise, make_gathers, snr_db
from geonn.domain.processing import bandpass, mean_power_spectrum, wiener_denoise

SEEDS = (0, 1, 2, 3, 4, 9)
STORED = Path(__file__).resolve().parents[1] / "data" / "ch9_seeds.json"
DENOISERS = ("band-pass", "Wiener", "Wiener, SNR told", "Dense", "conv")

CODES = (2, 4, 8, 16)                  # the ReLU autoencoder's code sizes
PCA_CODES = (1, 2, 4, 8, 16, 32)
K_LINEAR = 8
SNRS = (0.0, 5.0, 10.0, 20.0)          # input SNRs of the denoising test, dB
LEAK_SNR = 5.0                         # the SNR at which signal leakage is measured
# band-pass corners (f1, f2, f3, f4) tried on the training traces; the best is kept
BANDS = [(f2 / 2, f2, f3, 1.4 * f3) for f2 in (10.0, 15.0, 20.0)
         for f3 in (40.0, 50.0, 60.0, 70.0)]


def data(rng, n_train=150, n_test=30):
    """Noise-free traces (n·32, 128) of live gathers, and the gathers themselves."""
    train = make_gathers(n_train, rng, snr_db=None, p_dead=0.0, p_noisy=0.0)
    test = make_gathers(n_test, rng, snr_db=None, p_dead=0.0, p_noisy=0.0)
    nt = train.t.size
    return train, test, train.clean.reshape(-1, nt), test.clean.reshape(-1, nt)


def train_autoencoder(X, code, rng, hidden=(128, 128), epochs=20, eta=0.002):
    net = dense_autoencoder(X.shape[1], code, hidden, rng=rng)
    fit(net, MSE(), Adam(eta=eta), X, X, epochs=epochs, batch_size=64, rng=rng)
    return net


def code_r2(encoder, train, test, X, X_test, n_neighbors=10):
    """R² on the test traces of the first break and the peak frequency, predicted from
    2-number code by the mean of the ``n_neighbors`` nearest training codes."""
    per_trace = lambda g: {"first break": g.first_break.ravel(),
                           "peak frequency": np.repeat(g.f_peak, g.offset.size)}
    Z, Z_test = encoder.predict(X), encoder.predict(X_test)
    knn = KNeighborsRegressor(n_neighbors)
    return {name: knn.fit(Z, v).score(Z_test, per_trace(test)[name])
            for name, v in per_trace(train).items()}


def principal_angles_deg(A, B):
    """Principal angles (degrees) between the column spaces of A and B, largest
    first."""
    qa, _ = np.linalg.qr(A)
    qb, _ = np.linalg.qr(B)
    cos = np.linalg.svd(qa.T @ qb, compute_uv=False)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))[::-1]


def correlation(removed, clean):
    """Correlation coefficient of what a denoiser removed with the clean signal
    (0: no leakage)."""
    norms = np.sqrt(np.sum(removed ** 2) * np.sum(clean ** 2))
    return float(np.sum(removed * clean) / norms)


def best_band(noisy, clean, dt):
    gain = [np.median(snr_db(clean, bandpass(noisy, dt, c)) - snr_db(clean, noisy))
            for c in BANDS]
    return BANDS[int(np.argmax(gain))]


def run(seed, small=False):
    """The chapter's pipeline for one seed: a dict of the numbers it prints."""
    rng = np.random.default_rng(seed)
    train, test, X, X_test = data(rng, *((40, 10) if small else (150, 30)))
    dt = train.dt
    out = {"pca": {}, "ae": {}}
    for k in PCA_CODES:
        pca = PCA(k).fit(X)
        rebuilt = pca.inverse_transform(pca.transform(X_test))
        out["pca"][k] = unexplained_variance(X_test, rebuilt)
    nets = {}
    for k in CODES:
        nets[k] = train_autoencoder(X, k, rng, epochs=2 if small else 20)
        out["ae"][k] = unexplained_variance(X_test, nets[k].predict(X_test))
    linear = train_autoencoder(X, K_LINEAR, rng, hidden=(), epochs=2 if small else 30,
                               eta=0.003)
    out["linear"] = unexplained_variance(X_test, linear.predict(X_test))
    out["r2"] = code_r2(nets[2][0], train, test, X, X_test)
    W_dec = linear[1][0].W                  # (k, n): rows span the decoder's subspace
    out["angle"] = principal_angles_deg(W_dec.T, PCA(K_LINEAR).fit(X).components_.T)[0]

    noisy = add_noise(X, rng.uniform(0.0, 20.0, len(X)), rng, dt)
    dense = dense_autoencoder(X.shape[1], 16, rng=rng)
    fit(dense, MSE(), Adam(eta=0.002), noisy, X, epochs=2 if small else 20,
        batch_size=64, rng=rng)
    conv = conv_denoiser(channels=12, rng=rng)
    fit(conv, MSE(), Adam(eta=0.003), noisy[:, None], X[:, None],
        epochs=1 if small else 5, batch_size=64, rng=rng)
    band = best_band(noisy, X, dt)
    S, N = mean_power_spectrum(X), mean_power_spectrum(noisy - X)    # for the Wiener
    out["band"], out["gain"], out["leak"] = band, {}, {}
    for s in SNRS:
        x_in = add_noise(X_test, s, rng, dt)
        before = snr_db(X_test, x_in)
        estimates = {"band-pass": bandpass(x_in, dt, band),
                     "Wiener": wiener_denoise(x_in, S, N),
                     "Wiener, SNR told": wiener_denoise(x_in, S, N, s),
                     "Dense": dense.predict(x_in),
                     "conv": conv.predict(x_in[:, None])[:, 0]}
        out["gain"][s] = {m: float(np.median(snr_db(X_test, e) - before))
                          for m, e in estimates.items()}
        if s == LEAK_SNR:
            out["leak"] = {m: correlation(x_in - e, X_test)
                           for m, e in estimates.items()}
    return out


def to_json(results):
    """{seed: result} as JSON: keys become strings, SNRs and code sizes as %g."""
    def clean(v):
        if isinstance(v, dict):
            return {f"{k:g}" if isinstance(k, (int, float)) else k: clean(x)
                    for k, x in v.items()}
        return list(v) if isinstance(v, tuple) else v
    return json.dumps({str(seed): clean(r) for seed, r in results.items()}, indent=1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="*", type=int, default=list(SEEDS))
    parser.add_argument("--small", action="store_true", help="tiny data, for the tests")
    args = parser.parse_args(argv)
    results = {}
    for seed in args.seeds:
        r = results[seed] = run(seed, args.small)
        print(f"seed {seed}: PCA "
              + " ".join(f"k={k}:{v:.3f}" for k, v in r["pca"].items()))
        print("        AE  " + " ".join(f"k={k}:{v:.3f}" for k, v in r["ae"].items())
              + f"   linear k={K_LINEAR}: {r['linear']:.3f} "
              f"(PCA {r['pca'][K_LINEAR]:.3f}), largest angle {r['angle']:.1f}°")
        print("        k=2 code, R²: "
              + ", ".join(f"{n} {v:.2f}" for n, v in r["r2"].items())
              + f"; leakage at {LEAK_SNR:g} dB: "
              + ", ".join(f"{m} {v:+.2f}" for m, v in r["leak"].items()))
        for s in SNRS:
            print(f"        gain at {s:g} dB: "
                  + ", ".join(f"{m} {g:.1f}" for m, g in r["gain"][s].items()))
        print(f"        band {r['band']}")
    if len(results) > 1:
        print("range over seeds:")
        for k in CODES:
            ratio = [r["ae"][k] / r["pca"][k] for r in results.values()]
            print(f"  k={k}: AE / PCA {min(ratio):.2f}-{max(ratio):.2f}")
        for name in ("first break", "peak frequency"):
            v = [r["r2"][name] for r in results.values()]
            print(f"  R² {name}: {min(v):.2f}-{max(v):.2f}")
        for m in DENOISERS:
            v = [r["leak"][m] for r in results.values()]
            print(f"  leakage {m}: {min(v):+.2f} to {max(v):+.2f}")
        gap = [r["linear"] - r["pca"][K_LINEAR] for r in results.values()]
        print(f"  linear AE - PCA at k={K_LINEAR}: {min(gap):.4f} to {max(gap):.4f}")
        for s in SNRS:
            for m in DENOISERS:
                g = [r["gain"][s][m] for r in results.values()]
                print(f"  {s:g} dB {m}: {min(g):.1f} to {max(g):.1f} dB")
            for m in ("band-pass", "Wiener"):
                d = [r["gain"][s]["conv"] - r["gain"][s][m] for r in results.values()]
                print(f"  {s:g} dB conv - {m}: {min(d):+.1f} to {max(d):+.1f} dB")
    if not args.small and tuple(args.seeds) == SEEDS:
        STORED.write_text(to_json(results) + "\n")
    return results


if __name__ == "__main__":
    main()
