"""Re-run chapter 7's pipeline over named seeds, to check which results hold beyond one.

    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch7.py              # seeds 0-9 and 2018
    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch7.py 0 1 2 --no-exercises
    OPENBLAS_NUM_THREADS=1 python tools/seeds_ch7.py --save  # 0-9 -> data/ch7_seeds.csv

Each seed is a new log, new training angles, new weights and a new order of samples,
drawn in the chapter's order from `default_rng(seed)`; the modern network and the
exercises use `default_rng(seed + 2)`, as the chapter does. Seed 2018 reproduces the
numbers printed in `book/07_reflectivity.ipynb` (`tests/test_review_ch5_7.py` checks
it). About 10 s of CPU per seed with the exercises, 4 s without.

Printed per seed (MSE ratios; "R0" is the trivial prediction R = 0):
    tut/R0     tutorial network's blind MSE / R = 0's blind MSE (> 1: R = 0 wins)
    tut b/v    tutorial network's blind MSE / its validation MSE
    mod/R0     modern network's blind MSE / R = 0's
    mod b/v    modern network's blind MSE / its validation MSE
    match %    modern steps to reach the tutorial's final training MSE, % of 40,000
    tut/mod    tutorial's final training MSE / modern's
    v30 t, m   validation rocks at 30° / at 0-20°, tutorial and modern network
    b020 t, m  blind rocks at 0-20° / validation rocks at 0-20°
    both m     blind rocks at 30° / the worse of the two cases above, modern network
and, with the exercises, for the widened-angle network (first exercise): its blind
MSE / R = 0's, its blind / validation MSE, its MSE on the validation rocks at 30° /
its validation MSE, its blind MSE / the chapter's modern network's; the contrast
inputs' validation and blind MSE / the raw inputs' (second exercise); and the worst
approximation's MSE / the best network's, worst over both sets (third exercise;
< 1: the approximations win).
"""
import argparse

import numpy as np
from sklearn.preprocessing import StandardScaler

from geonn import MSE, SGD, Activation, Adam, Dense, Sequential, fit
from geonn.domain.datasets import (bruges_reflection, interface_features, make_elastic_log,
                                   zoeppritz_labels)
from geonn.studies.seed_study import CH7_SEEDS_CSV, write_seed_study

TRAIN_ZONE, BLIND_ZONE = slice(0, 501), slice(800, None)


def mse(model, X, y):
    """The plain MSE the chapter reports, mean((ŷ − y)²)."""
    return float(np.mean((model.predict(X) - y) ** 2))


def at_angle(X_raw, theta_deg):
    X_new = X_raw.copy()
    X_new[:, 6] = theta_deg
    return X_new


def contrast_features(X_raw):
    """(ΔZ/Z, Δβ/β, Δρ/ρ, sin²θ) per interface, as in the chapter's second exercise."""
    vp1, vs1, rho1, vp2, vs2, rho2, theta = X_raw.T

    def rel(a, b):
        return (b - a) / ((a + b) / 2)

    return np.column_stack([rel(rho1 * vp1, rho2 * vp2), rel(vs1, vs2), rel(rho1, rho2),
                            np.sin(np.radians(theta)) ** 2])


def train_modern(X_tr, y_tr, seed):
    """The chapter's modern recipe: 300 tanh units, Glorot, Adam with decay, batch 32."""
    r = np.random.default_rng(seed)
    model = Sequential([Dense(X_tr.shape[1], 300, rng=r, init="glorot"), Activation("tanh"),
                        Dense(300, 1, rng=r, init="glorot")])
    history = fit(model, MSE(), Adam(eta=0.01, decay=0.01), X_tr, y_tr, epochs=1000,
                  batch_size=32, rng=r, progress=False, full_pass=True)
    return model, history


def run(seed, exercises=True):
    """The chapter's pipeline for one seed; returns a dict of MSEs and ratios."""
    rng = np.random.default_rng(seed)
    log = make_elastic_log(1001, rng, top=1000.0, dz=2.0)
    zone = (log.vp[TRAIN_ZONE], log.vs[TRAIN_ZONE], log.rho[TRAIN_ZONE])
    X_raw = interface_features(*zone, rng.uniform(0.0, 20.0, size=500))
    y = zoeppritz_labels(X_raw)
    in_val = (np.arange(len(X_raw)) // 20) % 5 == 2   # the chapter's depth blocks
    X_train_raw, y_train, X_val_raw, y_val = X_raw[~in_val], y[~in_val], X_raw[in_val], y[in_val]
    X_blind_raw = interface_features(log.vp[BLIND_ZONE], log.vs[BLIND_ZONE],
                                     log.rho[BLIND_ZONE], 30.0)
    y_blind = zoeppritz_labels(X_blind_raw)
    # standardised in NumPy, as the chapter's networks are trained (scikit-learn agrees to 1e-12)
    mu, s = X_train_raw.mean(axis=0), X_train_raw.std(axis=0)
    X_train, X_val, X_blind = ((X_ - mu) / s for X_ in (X_train_raw, X_val_raw, X_blind_raw))

    W1, W2 = 0.1 * rng.standard_normal((7, 300)), 0.1 * rng.standard_normal((300, 1))
    net = Sequential([Dense(7, 300, W=W1, b=np.zeros(300)), Activation("sigmoid"),
                      Dense(300, 1, W=W2, b=np.zeros(1))])
    fit(net, MSE(), SGD(eta=0.001), X_train, y_train, epochs=100, batch_size=1, rng=rng,
        progress=False)
    modern, history = train_modern(X_train, y_train, seed + 2)

    out = {"seed": seed, "R0 blind": float(np.mean(y_blind ** 2))}
    for name, model in (("tut", net), ("mod", modern)):
        out[name] = {k: mse(model, X_, y_) for k, X_, y_ in
                     (("train", X_train, y_train), ("val", X_val, y_val),
                      ("blind", X_blind, y_blind))}
    reached = 2 * np.array(history.train_loss) <= out["tut"]["train"]
    steps_per_epoch = history.steps // history.epochs
    out["match %"] = (100 * (np.argmax(reached) + 1) * steps_per_epoch / 40_000
                      if reached.any() else np.inf)
    # the chapter's four cases: which is new to the networks, the rocks or the angle?
    cases = {"val": X_val_raw, "val 30": at_angle(X_val_raw, 30.0),
             "blind 0-20": at_angle(X_blind_raw, rng.uniform(0.0, 20.0, len(X_blind_raw))),
             "blind": X_blind_raw}
    for name, model in (("tut", net), ("mod", modern)):
        out[name + " cases"] = {k: mse(model, (X_ - mu) / s, zoeppritz_labels(X_))
                                for k, X_ in cases.items()}
    if not exercises:
        return out

    reflection = bruges_reflection()
    X_wide = interface_features(*zone, np.random.default_rng(1).uniform(0.0, 35.0, size=500))
    y_wide = zoeppritz_labels(X_wide)
    sc_wide = StandardScaler().fit(X_wide[~in_val])
    wide, _ = train_modern(sc_wide.transform(X_wide[~in_val]), y_wide[~in_val], seed + 2)
    X_val_30 = at_angle(X_val_raw, 30.0)
    out["wide"] = {"val": mse(wide, sc_wide.transform(X_wide[in_val]), y_wide[in_val]),
                   "val 30": mse(wide, sc_wide.transform(X_val_30), zoeppritz_labels(X_val_30)),
                   "blind": mse(wide, sc_wide.transform(X_blind_raw), y_blind)}
    sc_c = StandardScaler().fit(contrast_features(X_train_raw))
    C_train, C_val, C_blind = (sc_c.transform(contrast_features(X_))
                               for X_ in (X_train_raw, X_val_raw, X_blind_raw))
    model_c, _ = train_modern(C_train, y_train, seed + 2)
    out["contrast"] = {"val": mse(model_c, C_val, y_val), "blind": mse(model_c, C_blind, y_blind)}
    out["approx"] = {}
    for k, X_, y_ in (("val", X_val_raw, y_val), ("blind", X_blind_raw, y_blind)):
        worst = max(np.mean((np.array([m(*x[:6], theta1=x[6]).real for x in X_]) - y_.ravel()) ** 2)
                    for m in (reflection.akirichards, reflection.shuey))
        out["approx"][k] = float(worst)
    return out


HEAD = ["tut/R0", "tut b/v", "mod/R0", "mod b/v", "match %", "tut/mod",
        "v30 t", "b020 t", "v30 m", "b020 m", "both m"]
HEAD_EXERCISES = ["wide/R0", "wide b/v", "wide 30/v", "wide/mod", "cont v", "cont b", "approx"]


def ratios(o):
    """{column: value} of one seed's ratios (the columns of the printed table)."""
    t, m = o["tut"], o["mod"]
    cells = [t["blind"] / o["R0 blind"], t["blind"] / t["val"], m["blind"] / o["R0 blind"],
             m["blind"] / m["val"], o["match %"], t["train"] / m["train"]]
    for name in ("tut", "mod"):
        c = o[name + " cases"]
        cells += [c["val 30"] / c["val"], c["blind 0-20"] / c["val"]]
    c = o["mod cases"]
    cells += [c["blind"] / max(c["val 30"], c["blind 0-20"])]
    head = HEAD
    if "wide" in o:
        w, c, a = o["wide"], o["contrast"], o["approx"]
        cells += [w["blind"] / o["R0 blind"], w["blind"] / w["val"], w["val 30"] / w["val"],
                  w["blind"] / m["blind"], c["val"] / m["val"],
                  c["blind"] / m["blind"],
                  max(a[k] / min(t[k], m[k]) for k in ("val", "blind"))]
        head = HEAD + HEAD_EXERCISES
    return {"seed": o["seed"], **dict(zip(head, cells))}


def row(o):
    r = ratios(o)
    return f"{r.pop('seed'):>5}" + "".join(f"{v:>10.3g}" for v in r.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", nargs="*", type=int, default=[*range(10), 2018])
    parser.add_argument("--no-exercises", action="store_true")
    parser.add_argument("--save", action="store_true",
                        help=f"store seeds 0-9, exercises included, in {CH7_SEEDS_CSV.name}")
    args = parser.parse_args()
    if args.save:
        args.seeds, args.no_exercises = list(range(10)), False
    head = HEAD + ([] if args.no_exercises else HEAD_EXERCISES)
    print(f"{'seed':>5}" + "".join(f"{h:>10}" for h in head))
    rows = []
    for seed in args.seeds:
        o = run(seed, exercises=not args.no_exercises)
        rows.append(ratios(o))
        print(row(o), flush=True)
    if args.save:
        write_seed_study(CH7_SEEDS_CSV, rows)
        print(f"stored in {CH7_SEEDS_CSV}")


if __name__ == "__main__":
    main()
