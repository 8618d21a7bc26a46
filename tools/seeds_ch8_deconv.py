"""Re-run chapter 8's learned deconvolution (section 2) and its kernels (section 4) over seeds.

    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch8_deconv.py            # seeds 0-4 and 8
    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch8_deconv.py 0 1 2
    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch8_deconv.py --save
                                               # -> data/ch8_deconv_seeds.csv

Each seed is new training and test traces (`default_rng(seed)`, drawn in the chapter's
order) and new weights and batch order (`default_rng(seed + 1)`), as in
`book/08_convolution.ipynb`. Seed 8 reproduces the numbers the chapter prints
(`tests/test_seeds_ch8_deconv.py` checks it). About 12 s of CPU per seed.

Printed per seed: ε chosen on the training traces; the relative RMS error
‖r̂ − r‖/‖r‖ of the Wiener filter (known wavelet), the CNN and the Dense network,
band-limited to 8–40 Hz and to 10–60 Hz and over the full band, on the held-out
20–40 Hz traces and on traces with 10–14 Hz and 50–60 Hz wavelets; and the gain of
training on the first-layer kernels' mean power in 20–40 Hz and in 60–80 Hz (power
after / before), and the band of section 4's table with the largest gain.

`--save` runs seeds 0-4 and 8, with 20-40 Hz and with 10-60 Hz training wavelets (the
third exercise, `--wide`), and stores per seed (about 25 s of CPU each) the chosen ε
("eps"), every error ("<set> <band> <method>", sets "in" (held out, 20-40 Hz), "low"
(10-14 Hz) and "high" (50-60 Hz), bands "8-40", "10-60" and "full"), the gains of
section 4's bands ("gain <lo>-<hi>") and the errors of the CNN trained on 10-60 Hz
("wide <set> <band> CNN"), which the chapter prints.
"""
import argparse

import numpy as np

from geonn import MSE, Activation, Adam, Conv1D, Dense, Sequential, fit
from geonn.domain.datasets import DATA_DIR
from geonn.domain.datasets.seismic import make_traces, ricker
from geonn.domain.processing import amplitude_spectrum, bandpass, wiener_deconvolution
from geonn.studies.seed_study import write_seed_study

DT = 0.002
# scoring bands (band-pass corners, Hz): full gain 8-40 Hz, where every training wavelet
# (20-40 Hz Ricker) is above 10 % of its peak; the wider 10-60 Hz; and no band-pass
BANDS = {"8–40 Hz": (4.0, 8.0, 40.0, 44.0), "10–60 Hz": (5.0, 10.0, 60.0, 80.0),
         "full band": None}
BAND = BANDS["8–40 Hz"]           # the band ε is chosen in
N_FFT = 512                       # zero padding of the kernels' spectra (section 4)
KERNELS = (15, 9, 9, 9)
EPS_GRID = (0.003, 0.01, 0.03, 0.1, 0.3)
SETS = ("held out, 20–40 Hz", "10–14 Hz", "50–60 Hz")
METHODS = ("Wiener", "CNN", "Dense")
# the bands of section 4's table (Hz)
GAIN_BANDS = ((0, 10), (10, 20), (20, 40), (40, 60), (60, 80), (80, 120), (120, 250))
SEEDS = (0, 1, 2, 3, 4, 8)
SEEDS_CSV = DATA_DIR / "ch8_deconv_seeds.csv"
# ASCII names of the stored columns (the file is read in any platform's encoding)
SET_KEYS = dict(zip(SETS, ("in", "low", "high")))
BAND_KEYS = dict(zip(BANDS, ("8-40", "10-60", "full")))
COLUMNS = (["eps"] + [f"{SET_KEYS[s]} {BAND_KEYS[b]} {m}" for s in SETS for b in BANDS
                      for m in METHODS]
           + [f"gain {lo}-{hi}" for lo, hi in GAIN_BANDS]
           + [f"wide {SET_KEYS[s]} {BAND_KEYS[b]} CNN" for s in SETS for b in BANDS])


def rel_error(estimate, truth, band=BAND):
    """‖r̂ − r‖ / ‖r‖ over all traces, after the same band-pass on both (band=None: full band)."""
    if band is not None:
        estimate, truth = bandpass(estimate, DT, band), bandpass(truth, DT, band)
    return float(np.linalg.norm(estimate - truth) / np.linalg.norm(truth))


def run(seed, n_train=2000, channels=12, f_train=(20.0, 40.0)):
    """The chapter's section 2 and 4 for one seed; returns a dict of errors.

    ``f_train`` is the range of the training wavelets' peak frequencies (Hz);
    (10, 60) is the chapter's third exercise.
    """
    rng = np.random.default_rng(seed)
    train = make_traces(n_train, rng, f_range=f_train)
    test = make_traces(500, rng)
    sets = dict(zip(SETS, (test, make_traces(500, rng, f_range=(10.0, 14.0)),
                           make_traces(500, rng, f_range=(50.0, 60.0)))))
    eps_err = [rel_error(wiener_deconvolution(train.x, ricker(train.f_peak, DT)[1], e),
                         train.reflectivity) for e in EPS_GRID]
    eps = EPS_GRID[int(np.argmin(eps_err))]

    x_scale, r_scale = train.x.std(), train.reflectivity.std()
    rng_w = np.random.default_rng(seed + 1)
    C, nt = channels, train.x.shape[1]
    cnn = Sequential([Conv1D(1, C, KERNELS[0], rng=rng_w), Activation("relu"),
                      Conv1D(C, C, KERNELS[1], rng=rng_w), Activation("relu"),
                      Conv1D(C, C, KERNELS[2], rng=rng_w), Activation("relu"),
                      Conv1D(C, 1, KERNELS[3], rng=rng_w)])
    kernels_init = cnn[0].W[:, 0, :].copy()
    dense = Sequential([Dense(nt, 11, rng=rng_w), Activation("relu"), Dense(11, nt, rng=rng_w)])
    fit(cnn, MSE(), Adam(eta=3e-3), train.x[:, None, :] / x_scale,
        train.reflectivity[:, None, :] / r_scale, epochs=30, batch_size=32, rng=rng_w)
    fit(dense, MSE(), Adam(eta=3e-3), train.x / x_scale, train.reflectivity / r_scale,
        epochs=60, batch_size=32, rng=rng_w)

    out = {"eps": eps}
    for name, T in sets.items():
        est = {"Wiener": wiener_deconvolution(T.x, ricker(T.f_peak, DT)[1], eps),
               "CNN": cnn.predict(T.x[:, None, :] / x_scale)[:, 0] * r_scale,
               "Dense": dense.predict(T.x / x_scale) * r_scale}
        out[name] = {band: {m: rel_error(e, T.reflectivity, corners) for m, e in est.items()}
                     for band, corners in BANDS.items()}
    f_k, A_k = amplitude_spectrum(cnn[0].W[:, 0, :], DT, nfft=N_FFT)
    _, A_k0 = amplitude_spectrum(kernels_init, DT, nfft=N_FFT)
    for lo, hi in GAIN_BANDS:
        in_band = (f_k >= lo) & (f_k < hi)
        out[f"gain {lo}–{hi}"] = float((A_k[:, in_band] ** 2).mean() / (A_k0[:, in_band] ** 2).mean())
    out["most boosted"] = max(GAIN_BANDS, key=lambda b: out[f"gain {b[0]}–{b[1]}"])
    return out


def stored_row(seed, o, wide):
    """One row of data/ch8_deconv_seeds.csv, {"seed", *COLUMNS}, from ``run(seed)`` and
    ``run(seed, f_train=(10.0, 60.0))``."""
    values = ([o["eps"]] + [o[s][b][m] for s in SETS for b in BANDS for m in METHODS]
              + [o[f"gain {lo}–{hi}"] for lo, hi in GAIN_BANDS]
              + [wide[s][b]["CNN"] for s in SETS for b in BANDS])
    return {"seed": seed, **dict(zip(COLUMNS, values))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="*", type=int, default=list(SEEDS))
    parser.add_argument("--wide", action="store_true",
                        help="train on 10-60 Hz wavelets (the third exercise)")
    parser.add_argument("--save", action="store_true",
                        help=f"seeds {SEEDS}, 20-40 and 10-60 Hz training, "
                             f"into {SEEDS_CSV.name}")
    args = parser.parse_args()
    if args.save:
        args.seeds, args.wide = list(SEEDS), False
    rows = []
    print("relative RMS error, Wiener / CNN / Dense" + (", CNN trained on 10-60 Hz" if args.wide else ""))
    print(f"{'seed':>4} {'ε':>5}  {'':<9} " + "   ".join(f"{s[:18]:<18}" for s in SETS)
          + " kernel power gain 20–40, 60–80 Hz; most boosted band")
    for seed in args.seeds:
        o = run(seed, f_train=(10.0, 60.0) if args.wide else (20.0, 40.0))
        for k, band in enumerate(BANDS):
            cells = "   ".join(" / ".join(f"{o[s][band][m]:.2f}" for m in METHODS) for s in SETS)
            lo, hi = o["most boosted"]
            tail = f"   {o['gain 20–40']:.1f}, {o['gain 60–80']:.1f}; {lo}–{hi} Hz" if k == 0 else ""
            print(f"{seed if k == 0 else '':>4} {o['eps'] if k == 0 else '':>5}"
                  f"  {band:<9} {cells}{tail}", flush=True)
        if args.save:
            wide = run(seed, f_train=(10.0, 60.0))
            wide_cells = "   ".join(" / ".join(f"{wide[s][b]['CNN']:.2f}"
                                                 for b in BANDS) for s in SETS)
            print(f"     wide CNN: {wide_cells}", flush=True)
            rows.append(stored_row(seed, o, wide))
    if args.save:
        write_seed_study(SEEDS_CSV, rows)
        print(f"stored in {SEEDS_CSV}")


if __name__ == "__main__":
    main()
