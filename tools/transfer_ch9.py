"""Chapter 9, section 5: transfer learning for first breaks, over seeds, N and methods.

    OPENBLAS_NUM_THREADS=1 python tools/transfer_ch9.py  # the full grid, ~7 min CPU
    OPENBLAS_NUM_THREADS=1 python tools/transfer_ch9.py 5 6 7 8 9 --out more.csv
    OPENBLAS_NUM_THREADS=1 python tools/transfer_ch9.py --small --out /tmp/t.csv

For every seed (0-4): pretrain the encoder of ``geonn.studies.transfer`` as the plain
and as the bottlenecked autoencoder on 300 unlabelled gathers (saved to
data/ch9_encoder_seed<seed>.npz and data/ch9_encoder_bn_seed<seed>.npz with
``Sequential.save``), then train pickers on N = 10, 30, 100, 300 labelled traces in
the eight ways of ``geonn.studies.transfer.RECIPES``, and the chapter 8 CNN picker
(cnn_picker, offset channel, 8 epochs) on all live traces of the 300 gathers,
labelled, as the fully supervised ceiling. Everything is scored on the same 50
held-out gathers.

Writes data/ch9_transfer.csv (seed, n_labels, n_gathers, method, rms_ms, median_ms,
n_params, n_trainable; deterministic given the seeds) and data/ch9_transfer_times.csv
(CPU seconds, which are not), and prints the tables of
``geonn.studies.transfer_report``. The design is in the docstring of
``geonn/studies/transfer.py``.
"""

import argparse
import csv
import time
from pathlib import Path

import numpy as np

from geonn import Adam, SoftmaxCrossEntropy, fit
from geonn.domain.picking import (
    cnn_pick,
    cnn_picker,
    gaussian_labels,
    median_abs_ms,
    picker_inputs,
    rms_ms,
)
from geonn.studies.transfer import N_LABELS, RECIPES, SIGMA_SAMPLES
from geonn.studies.transfer_report import (
    CEILING,
    encoder_path,
    error_table,
    transfer_table,
)
from geonn.studies.transfer_run import run_transfer, transfer_data

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (0, 1, 2, 3, 4)
FIELDS = [
    "seed",
    "n_labels",
    "n_gathers",
    "method",
    "rms_ms",
    "median_ms",
    "n_params",
    "n_trainable",
]


def ceiling(seed, small=False):
    """Chapter 8's CNN picker trained on every live trace of the unlabelled gathers
    (with their labels), scored on the seed's test gathers: the row of the fully
    supervised ceiling."""
    unlabelled, _, test = transfer_data(seed, small)
    live = ~unlabelled.dead.ravel()
    X = picker_inputs(unlabelled.x, unlabelled.offset)[live]
    Y = gaussian_labels(
        unlabelled.first_break.ravel()[live],
        unlabelled.t,
        SIGMA_SAMPLES * unlabelled.dt,
    )
    rng = np.random.default_rng([seed, 5])
    net = cnn_picker(
        unlabelled.t.size, rng, channels=(8, 16), kernel_size=9, in_channels=2
    )
    t0 = time.process_time()
    fit(
        net,
        SoftmaxCrossEntropy(),
        Adam(eta=0.003),
        X,
        Y,
        epochs=1 if small else 8,
        batch_size=64,
        rng=rng,
    )
    cpu = time.process_time() - t0
    pick = cnn_pick(net, picker_inputs(test.x, test.offset), test.dt)
    pick = pick.reshape(test.first_break.shape)
    return dict(
        seed=seed,
        n_labels=int(live.sum()),
        n_gathers=len(unlabelled.x),
        method=CEILING,
        rms_ms=rms_ms(pick, test.first_break, test.dead),
        median_ms=median_abs_ms(pick, test.first_break, test.dead),
        n_params=net.n_params,
        n_trainable=net.n_trainable,
        cpu_s=cpu,
    )


def grid(
    seeds=SEEDS,
    n_labels=N_LABELS,
    methods=tuple(RECIPES),
    small=False,
    save_encoders=False,
):
    """All rows and {seed: info} (pretraining CPU seconds and sizes per encoder); with
    ``save_encoders`` the encoders go where ``encoder_path`` says."""
    rows, pretrain_s = [], {}
    for seed in seeds:
        seed_rows, info = run_transfer(seed, n_labels, methods, small=small)
        pretrain_s[seed] = info
        if save_encoders:
            for kind, encoder in info["encoders"].items():
                encoder.save(encoder_path(seed, kind))
        rows += seed_rows + [ceiling(seed, small)]
        print(
            f"seed {seed}: "
            + ", ".join(
                f"{r['method']} N={r['n_labels']} {r['rms_ms']:.1f}"
                for r in rows
                if r["seed"] == seed
            ),
            flush=True,
        )
    return rows, pretrain_s


def costs(rows, pretrain_s):
    """Parameters and median training CPU seconds per model (and pretraining)."""
    lines = [f"{'model':<22}{'params':>8}{'trainable':>10}{'CPU s (median)':>16}"]
    for kind in ("plain", "bottleneck"):
        info = [i for i in pretrain_s.values() if kind in i["ae_params"]]
        if info:
            cpu = np.median([i["pretrain_cpu_s"][kind] for i in info])
            lines.append(
                f"{kind + ' autoencoder':<22}{info[0]['ae_params'][kind]:>8}"
                f"{'all':>10}{cpu:>16.1f}"
            )
    for m in tuple(RECIPES) + (CEILING,):
        rs = [r for r in rows if r["method"] == m]
        if rs:
            lines.append(
                f"{m:<22}{rs[0]['n_params']:>8}{rs[0]['n_trainable']:>10}"
                f"{np.median([r['cpu_s'] for r in rs]):>16.1f}"
            )
    return "\n".join(lines)


def write(rows, pretrain_s, out, total_cpu_s):
    out = Path(out)
    with open(out, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(FIELDS)
        for r in rows:
            w.writerow(
                [
                    r["seed"],
                    r["n_labels"],
                    r["n_gathers"],
                    r["method"],
                    f"{r['rms_ms']:.3f}",
                    f"{r['median_ms']:.3f}",
                    r["n_params"],
                    r["n_trainable"],
                ]
            )
    with open(out.with_name(out.stem + "_times.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["seed", "n_labels", "method", "cpu_s"])
        for seed, info in pretrain_s.items():
            for kind, s in info["pretrain_cpu_s"].items():
                w.writerow([seed, "", f"{kind} autoencoder pretrain", f"{s:.1f}"])
        for r in rows:
            w.writerow([r["seed"], r["n_labels"], r["method"], f"{r['cpu_s']:.1f}"])
        w.writerow(
            ["", "", "whole grid (data, training, scoring)", f"{total_cpu_s:.0f}"]
        )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seeds", nargs="*", type=int, default=list(SEEDS))
    ap.add_argument(
        "--small", action="store_true", help="tiny data and training (for tests)"
    )
    ap.add_argument(
        "--out",
        default=None,
        help="CSV path (default: data/ch9_transfer.csv for the default seeds; "
        "otherwise nothing is written unless given)",
    )
    args = ap.parse_args(argv)
    n_labels = (10, 30) if args.small else N_LABELS
    # only the default grid replaces the stored CSV and encoders; other seeds need --out
    stored = not args.small and tuple(args.seeds) == SEEDS
    out = args.out or (ROOT / "data" / "ch9_transfer.csv" if stored else None)
    t0, cpu0 = time.time(), time.process_time()
    rows, pretrain_s = grid(
        args.seeds, n_labels, small=args.small, save_encoders=stored
    )
    print(transfer_table(rows))
    print(error_table(rows, n_labels[0]))
    print(costs(rows, pretrain_s))
    cpu = time.process_time() - cpu0
    print(f"CPU time {cpu:.0f} s, wall time {time.time() - t0:.0f} s")
    if out is not None:
        write(rows, pretrain_s, out, cpu)
    return rows


if __name__ == "__main__":
    main()
