"""Re-run chapter 8's first-break picking (section 3) over named seeds.

    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch8.py                 # seeds 0-4 and 8
    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch8.py 0 1 2 --no-offset
    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch8.py --save     # -> data/ch8_seeds.csv

Each seed draws new training and test gathers, new weights and a new order of
traces from `default_rng(seed)`, in the order section 3 of `book/08_convolution.ipynb`
draws them; seed 8 (the section's PICK_SEED) reproduces the table it prints
(`tests/test_seeds_ch8.py` checks it). About 10 s of CPU per seed.

Printed per seed and method: the RMS and the median absolute pick error (ms) and
the share of picks off by more than 10 ms, on the live traces of the held-out
gathers; then the median and range over seeds. The windowed classical pickers search
± a half-width (calibrated with their other settings) around the mean first break per
offset of the training gathers.
`--no-offset` trains the CNN on the trace alone (the section's exercise).
`--save` runs seeds 0-4 and 8 with and without the offset and stores, per seed, the
three scores of every method (columns "<method> rms", "<method> median",
"<method> gross") and of the trace-only CNN ("CNN trace-only ..."), which the chapter
prints (about 20 s of CPU per seed).
"""
import argparse

import numpy as np

from geonn import Adam, SoftmaxCrossEntropy, fit
from geonn.domain.datasets import DATA_DIR, make_gathers
from geonn.domain.picking import (calibrate, cnn_pick, cnn_picker, expected_first_break,
                                  gaussian_labels, median_abs_ms, normalise_traces, pick_energy_ratio,
                                  pick_sta_lta, picker_inputs, rms_ms, search_window)
from geonn.studies.seed_study import write_seed_study

N_TRAIN, N_TEST = 300, 100         # gathers of 32 traces × 128 samples
STA_LTA_GRID = [(sta, lta, th) for sta, lta in ((0.01, 0.04), (0.01, 0.06), (0.02, 0.08))
                for th in (2.0, 3.0, 4.0, 5.0)]
ER_GRID = [(w, beta) for w in (0.006, 0.01, 0.02) for beta in (0.05, 0.2, 0.5)]
HALF_WIDTHS = (0.02, 0.03, 0.04, 0.05)   # s, of the search window around the expected break
SIGMA_SAMPLES = 1.5                # width of the Gaussian label, in samples
GROSS_S = 0.010                    # a pick off by more than 10 ms is on the wrong event
METHODS = ("constant", "constant per offset", "STA/LTA", "energy ratio", "STA/LTA, windowed",
           "energy ratio, windowed", "CNN")
MEASURES = ("rms", "median", "gross")   # the three columns of `score`
SEEDS = (0, 1, 2, 3, 4, 8)
SEEDS_CSV = DATA_DIR / "ch8_seeds.csv"
COLUMNS = [f"{m} {k}" for m in (*METHODS, "CNN trace-only") for k in MEASURES]


def run(seed, epochs=8, offset=True):
    """The section's pipeline for one seed: {method: (RMS ms, median |error| ms, % > 10 ms)},
    and the parts (``settings``: {picker: (setting, shift)}, calibrated on the training gathers).

    ``offset=False`` trains the CNN on the trace alone (the section's exercise)."""
    rng = np.random.default_rng(seed)
    train = make_gathers(N_TRAIN, rng, snr_db=10.0)
    test = make_gathers(N_TEST, rng, snr_db=10.0)
    dt, nt = train.dt, train.t.size
    x_train, x_test = normalise_traces(train.x), normalise_traces(test.x)

    t_expected = expected_first_break(train.first_break, train.dead)
    picks = {"constant": np.full(test.first_break.shape, np.mean(train.first_break[~train.dead])),
             "constant per offset": np.broadcast_to(t_expected, test.first_break.shape)}
    pickers = {"STA/LTA": (pick_sta_lta, STA_LTA_GRID), "energy ratio": (pick_energy_ratio, ER_GRID)}
    settings = {}
    for name, (picker, grid) in pickers.items():
        setting, shift = calibrate(lambda x, *s: picker(x, dt, *s), grid, x_train,
                                   train.first_break, train.dead)
        picks[name] = picker(x_test, dt, *setting) + shift
        settings[name] = setting, shift

    def windowed(picker):
        """picker(x, dt, *setting) searching ± half_width (the last setting) of t_expected."""
        return lambda x, *s: picker(x, dt, *s[:-1],
                                    search=search_window(train.t, t_expected, s[-1]))

    for name, (picker, grid) in pickers.items():
        grid = [s + (h,) for s in grid for h in HALF_WIDTHS]
        setting, shift = calibrate(windowed(picker), grid, x_train, train.first_break, train.dead)
        picks[f"{name}, windowed"] = windowed(picker)(x_test, *setting) + shift
        settings[f"{name}, windowed"] = setting, shift

    live = ~train.dead.ravel()
    X = picker_inputs(train.x, train.offset if offset else None)[live]
    Y = gaussian_labels(train.first_break.ravel()[live], train.t, SIGMA_SAMPLES * dt)
    net = cnn_picker(nt, rng, channels=(8, 16), kernel_size=9, in_channels=X.shape[1])
    history = fit(net, SoftmaxCrossEntropy(), Adam(eta=0.003), X, Y, epochs=epochs,
                  batch_size=64, rng=rng)
    X_test = picker_inputs(test.x, test.offset if offset else None)
    picks["CNN"] = cnn_pick(net, X_test, dt).reshape(test.first_break.shape)

    scores = {m: score(picks[m], test.first_break, test.dead) for m in METHODS}
    parts = dict(train=train, test=test, picks=picks, net=net, history=history,
                 settings=settings)
    return scores, parts


def score(pick, truth, dead):
    """(RMS ms, median |error| ms, % of picks off by more than 10 ms) over the live traces."""
    gross = 100 * np.mean(np.abs(pick - truth)[~dead] > GROSS_S)
    return rms_ms(pick, truth, dead), median_abs_ms(pick, truth, dead), float(gross)


def table(scores):
    """The section's table: one line per method, errors in ms to 0.1 ms."""
    lines = [f"{'method':<24}{'RMS (ms)':>9}{'median |error| (ms)':>20}{'> 10 ms off (%)':>17}"]
    lines += [f"{m:<24}{r:>9.1f}{a:>20.1f}{g:>17.1f}" for m, (r, a, g) in scores.items()]
    return "\n".join(lines)


def stored_row(seed, scores, trace_only):
    """One row of data/ch8_seeds.csv, {"seed", *COLUMNS}: ``run(seed)``'s scores and
    ``run(seed, offset=False)``'s."""
    cells = [*(scores[m] for m in METHODS), trace_only["CNN"]]
    return {"seed": seed, **dict(zip(COLUMNS, (v for c in cells for v in c)))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seeds", nargs="*", type=int, default=list(SEEDS))
    ap.add_argument("--no-offset", action="store_true", help="CNN without the offset channel")
    ap.add_argument("--save", action="store_true",
                    help=f"seeds {SEEDS}, with and without the offset, "
                         f"into {SEEDS_CSV.name}")
    args = ap.parse_args()
    if args.save:
        args.seeds, args.no_offset = list(SEEDS), False
    runs, rows = {}, []
    for seed in args.seeds:
        runs[seed], _ = run(seed, offset=not args.no_offset)
        print(f"seed {seed}\n{table(runs[seed])}", flush=True)
        if args.save:
            trace_only, _ = run(seed, offset=False)
            line = table({"CNN trace-only": trace_only["CNN"]}).splitlines()[1]
            print(line, flush=True)
            rows.append(stored_row(seed, runs[seed], trace_only))
        print()
    print(f"over seeds {args.seeds}: median [min, max]")
    print(f"{'method':<24}{'RMS (ms)':>22}{'median |error| (ms)':>22}{'> 10 ms off (%)':>22}")
    for m in METHODS:
        r = np.array([runs[s][m] for s in args.seeds])
        cells = [f"{np.median(r[:, j]):5.1f} [{r[:, j].min():4.1f}, {r[:, j].max():4.1f}]"
                 for j in range(3)]
        print(f"{m:<24}" + "".join(f"{c:>22}" for c in cells))
    cnn = np.array([runs[s]["CNN"][0] for s in args.seeds])
    for m in METHODS[:-1]:
        other = np.array([runs[s][m][0] for s in args.seeds])
        print(f"CNN RMS below {m} RMS in {int(np.sum(cnn < other))} of {len(cnn)} seeds "
              f"(ratio {np.min(other / cnn):.1f}–{np.max(other / cnn):.1f})")
    best = np.array([min(runs[s][m][0] for m in METHODS if m.endswith("windowed"))
                     for s in args.seeds])
    print(f"CNN RMS below the better windowed picker's in {int(np.sum(cnn < best))} of "
          f"{len(cnn)} seeds (ratio {np.min(best / cnn):.1f}–{np.max(best / cnn):.1f})")
    if args.save:
        write_seed_study(SEEDS_CSV, rows)
        print(f"stored in {SEEDS_CSV}")


if __name__ == "__main__":
    main()
