"""Time geonn against a minimal NumPy loop, scikit-learn and (if installed) PyTorch.

Two cases, each trained with Adam on the same data, the same network and the
same number of optimizer steps by every implementation:

* ``small``: the lecture's porosity network, 1 → 3 ReLU → 1, on the porosity
  wells (AI → porosity, both scaled to [−1, 1], 80/20 split), 300 epochs of
  batch 5, float64;
* ``wide``: 64 → 256 ReLU → 256 ReLU → 64, batch 128, float32, on seeded
  synthetic data (a random two-layer teacher plus noise).

Implementations: geonn through ``geonn.fit``; geonn's layers in a bare loop
(without fit's bookkeeping); a minimal hand-written NumPy loop (the
floor); JAX with one ``jax.jit``-compiled step per batch (``bench_jax.py``;
the compile time is reported apart); scikit-learn's MLPRegressor; PyTorch CPU
when it is installed.  They
run in alternation (the order rotates every repeat) and the table reports the
median µs per optimizer step, its ratio to geonn and the test MSE (mean over
rows and outputs, in scaled units).

    python benchmarks/bench_mlp.py                # full run (make bench)
    python benchmarks/bench_mlp.py --quick        # smoke run, a few seconds
    python benchmarks/bench_mlp.py --markdown     # the table as Markdown
    python benchmarks/bench_mlp.py --update-docs  # rewrite the table in
                                                  # book/benchmarks.md
"""

import argparse
import datetime
import importlib.util
import os
import platform
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))  # run from a checkout without installing
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_jax  # noqa: E402

import geonn  # noqa: E402

SEED = 42
ETA, BETA1, BETA2, EPS = 0.01, 0.9, 0.999, 1e-8
DOCS = ROOT / "book" / "benchmarks.md"
START, END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"


# -- problems ---------------------------------------------------------------
@dataclass
class Problem:
    """Training/test split, layer sizes, batch size and epochs of one case."""

    name: str
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    sizes: tuple
    batch_size: int
    epochs: int
    note: str = ""
    init: list = field(
        default_factory=list
    )  # [(W, b), ...] shared by every implementation

    @property
    def dtype(self):
        return self.X.dtype

    @property
    def steps(self):
        return self.epochs * -(-len(self.X) // self.batch_size)

    def with_init(self, rng):
        """Draw the lecture's Xavier weights once; every implementation copies them."""
        self.init = [
            (
                geonn.core.init.xavier(p, k, rng).astype(self.dtype),
                np.zeros(k, self.dtype),
            )
            for p, k in zip(self.sizes[:-1], self.sizes[1:])
        ]
        return self


def small_problem(epochs=300, batch_size=5):
    """The lecture's network on the porosity wells: AI → porosity, scaled to [−1, 1]."""
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import MinMaxScaler

    wells = geonn.domain.datasets.load_porosity_wells()
    X = np.asarray(wells["AI"], dtype=float).reshape(-1, 1)
    y = np.asarray(wells["porosity"], dtype=float).reshape(-1, 1)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=SEED)
    # scalers fitted on the training rows only, so the test rows stay unseen
    sx, sy = MinMaxScaler((-1, 1)).fit(X_tr), MinMaxScaler((-1, 1)).fit(y_tr)
    return Problem(
        "small",
        sx.transform(X_tr),
        sy.transform(y_tr),
        sx.transform(X_te),
        sy.transform(y_te),
        (1, 3, 1),
        batch_size,
        epochs,
        note="porosity wells, float64",
    ).with_init(np.random.default_rng(SEED))


def wide_problem(
    epochs=10, batch_size=128, n_train=2048, n_test=512, sizes=(64, 256, 256, 64)
):
    """Seeded synthetic regression: y = tanh(x A) B + 0.1 ε, float32."""
    rng = np.random.default_rng(SEED)
    n_in, n_out = sizes[0], sizes[-1]
    A = rng.normal(size=(n_in, n_in)) / np.sqrt(n_in)
    B = rng.normal(size=(n_in, n_out)) / np.sqrt(n_in)
    X = rng.normal(size=(n_train + n_test, n_in))
    y = np.tanh(X @ A) @ B + 0.1 * rng.normal(size=(n_train + n_test, n_out))
    X, y = X.astype(np.float32), y.astype(np.float32)
    return Problem(
        "wide",
        X[:n_train],
        y[:n_train],
        X[n_train:],
        y[n_train:],
        tuple(sizes),
        batch_size,
        epochs,
        note="synthetic, float32",
    ).with_init(rng)


def mse(pred, target):
    """Plain mean squared error over rows and outputs (no ½)."""
    return float(np.mean((np.asarray(pred, dtype=float) - target) ** 2))


# -- implementations: each trains from problem.init and returns the test MSE --
def _geonn_net(problem):
    layers = []
    for i, (W, b) in enumerate(problem.init):
        layers.append(geonn.Dense(*W.shape, W=W, b=b, dtype=problem.dtype))
        if i < len(problem.init) - 1:
            layers.append(geonn.Activation("relu"))
    return geonn.Sequential(layers)


def run_geonn(problem):
    """``geonn.fit`` with its defaults: the training curve is the mean of the mini-batch
    losses (no extra pass), no progress bar."""
    net = _geonn_net(problem)
    geonn.fit(
        net,
        geonn.MSE(),
        geonn.Adam(ETA, beta1=BETA1, beta2=BETA2, eps=EPS),
        problem.X,
        problem.y,
        problem.epochs,
        problem.batch_size,
        rng=np.random.default_rng(SEED),
        progress=False,
    )
    return mse(net.predict(problem.X_test), problem.y_test)


def run_geonn_steps(problem):
    """geonn's layers, loss and Adam driven by a bare loop: fit's bookkeeping left
    out."""
    net, loss = _geonn_net(problem), geonn.MSE()
    opt = geonn.Adam(ETA, beta1=BETA1, beta2=BETA2, eps=EPS)
    params, grads = net.params(), net.grads()
    X, y, batch = problem.X, problem.y, problem.batch_size
    rng = np.random.default_rng(SEED)
    for _ in range(problem.epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch):
            idx = order[start : start + batch]
            net.backward(loss.grad(net.forward(X[idx], train=True), y[idx]))
            opt.step(params, grads)
    return mse(net.predict(problem.X_test), problem.y_test)


def run_numpy(problem):
    """The practical floor: the same forward, backward and Adam, written out."""
    Ws = [W.copy() for W, _ in problem.init]
    bs = [b.copy() for _, b in problem.init]
    params = [p for pair in zip(Ws, bs) for p in pair]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    X, y, batch = problem.X, problem.y, problem.batch_size
    n, L, t = len(X), len(Ws), 0
    rng = np.random.default_rng(SEED)
    for _ in range(problem.epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            a = [X[idx]]  # layer inputs
            for W, b in zip(Ws[:-1], bs[:-1]):
                a.append(np.maximum(a[-1] @ W + b, 0))
            delta = (a[-1] @ Ws[-1] + bs[-1] - y[idx]) / len(idx)
            grads = [None] * (2 * L)
            for k in range(L - 1, -1, -1):
                grads[2 * k], grads[2 * k + 1] = a[k].T @ delta, delta.sum(axis=0)
                if k:
                    delta = (delta @ Ws[k].T) * (a[k] > 0)
            t += 1
            eta_t = (
                ETA * (1 - BETA2**t) ** 0.5 / (1 - BETA1**t)
            )  # Python floats keep float32
            eps_t = EPS * (1 - BETA2**t) ** 0.5
            for p, g, mi, vi in zip(params, grads, m, v):
                mi *= BETA1
                mi += (1 - BETA1) * g
                vi *= BETA2
                vi += (1 - BETA2) * g * g
                p -= eta_t * mi / (np.sqrt(vi) + eps_t)
    a = problem.X_test
    for W, b in zip(Ws[:-1], bs[:-1]):
        a = np.maximum(a @ W + b, 0)
    return mse(a @ Ws[-1] + bs[-1], problem.y_test)


def run_sklearn(problem):
    """MLPRegressor with the same layers, Adam settings, batches and epochs.

    Its own Glorot initialisation (it cannot take given weights); alpha=0 (no
    L2); tol=0 and n_iter_no_change > epochs, so it never stops early.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    model = MLPRegressor(
        hidden_layer_sizes=problem.sizes[1:-1],
        activation="relu",
        solver="adam",
        alpha=0.0,
        batch_size=problem.batch_size,
        learning_rate_init=ETA,
        beta_1=BETA1,
        beta_2=BETA2,
        epsilon=EPS,
        max_iter=problem.epochs,
        shuffle=True,
        random_state=SEED,
        tol=0.0,
        n_iter_no_change=problem.epochs + 1,
        early_stopping=False,
    )
    y = problem.y.ravel() if problem.y.shape[1] == 1 else problem.y
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", ConvergenceWarning
        )  # max_iter reached: intended
        model.fit(problem.X, y)
    assert model.n_iter_ == problem.epochs, "scikit-learn stopped early: steps differ"
    return mse(
        model.predict(problem.X_test).reshape(problem.y_test.shape), problem.y_test
    )


def run_torch(problem):
    """PyTorch CPU, eager mode, torch.optim.Adam; the same ½-MSE loss and weights."""
    import torch  # optional, imported only when timed: never a book requirement

    dtype = torch.float64 if problem.dtype == np.float64 else torch.float32
    layers = []
    for i, (W, b) in enumerate(problem.init):
        lin = torch.nn.Linear(*W.shape, dtype=dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W.T.copy()))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if i < len(problem.init) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=ETA, betas=(BETA1, BETA2), eps=EPS)
    X, y = torch.from_numpy(problem.X), torch.from_numpy(problem.y)
    gen = torch.Generator().manual_seed(SEED)
    n, batch = len(X), problem.batch_size
    for _ in range(problem.epochs):
        order = torch.randperm(n, generator=gen)
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            out = model(X[idx])
            loss = 0.5 * ((out - y[idx]) ** 2).sum(dim=1).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    with torch.no_grad():
        return mse(model(torch.from_numpy(problem.X_test)).numpy(), problem.y_test)


def run_jax(problem):
    """JAX: the same forward pass, ``jax.grad`` and Adam, compiled into one step by
    ``jax.jit``; the warm-up run pays the compilation, the timed runs reuse it."""
    return mse(bench_jax.train(problem, ETA, BETA1, BETA2, EPS, SEED), problem.y_test)


def run_jax_scan(problem):
    """The same compiled step, looped over each epoch's batches inside XLA by lax.scan:
    one call from Python per epoch instead of one per batch."""
    return mse(
        bench_jax.train(problem, ETA, BETA1, BETA2, EPS, SEED, scan=True),
        problem.y_test,
    )


IMPLEMENTATIONS = {
    "geonn": run_geonn,
    "geonn, own loop": run_geonn_steps,
    "numpy loop": run_numpy,
    "jax jit": run_jax,
    "jax jit, scan": run_jax_scan,
    "scikit-learn": run_sklearn,
    "pytorch": run_torch,
}


# -- timing -----------------------------------------------------------------
def benchmark(problem, names, repeats=5, warmup=True, clock=time.process_time):
    """Time each implementation ``repeats`` times, in rotating order.

    ``clock`` defaults to the CPU time of this process, which, unlike wall-clock
    time, does not count the time spent waiting for a core on a busy machine
    (every implementation runs on one thread, so the two agree on a quiet one).
    Returns ``{name: {"us_per_step": median, "times": [...], "mse": ...}}``.
    """
    results = {name: {"times": [], "mse": None} for name in names}
    if warmup:  # first calls pay for imports, caches, thread pools
        short = Problem(**{**problem.__dict__, "epochs": 1})
        for name in names:
            IMPLEMENTATIONS[name](short)
    for r in range(repeats):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            t0 = clock()
            results[name]["mse"] = IMPLEMENTATIONS[name](problem)
            results[name]["times"].append(clock() - t0)
    for res in results.values():
        res["us_per_step"] = 1e6 * statistics.median(res["times"]) / problem.steps
    return results


# -- reporting --------------------------------------------------------------
# (case, other): (what the issue asks, limit, ratio) with ratio "slower" = geonn ÷
# other ≤ limit,
# "faster" = other ÷ geonn ≥ limit
TARGETS = {
    ("small", "numpy loop"): ("at most 1.2× the minimal NumPy loop", 1.2, "slower"),
    ("small", "scikit-learn"): (
        "at least 2.5× faster than scikit-learn",
        2.5,
        "faster",
    ),
    ("small", "pytorch"): ("at least 7× faster than PyTorch", 7.0, "faster"),
    ("wide", "numpy loop"): ("at most 1.2× the minimal NumPy loop", 1.2, "slower"),
    ("wide", "pytorch"): ("faster than PyTorch", 1.0, "faster"),
}


def machine():
    """One line describing the machine, the versions and the thread settings."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(
                line.split(":", 1)[1].strip()
                for line in f
                if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    import sklearn

    versions = (
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}"
    )
    jax = sys.modules.get("jax")
    if jax is not None:
        versions += f", JAX {jax.__version__}"
    torch = sys.modules.get("torch")
    if torch is not None:
        versions += f", PyTorch {torch.__version__} ({torch.get_num_threads()} thread)"
    threads = ", ".join(
        f"{k}={os.environ.get(k, 'unset')}"
        for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "PJRT_NPROC")
    )
    load = (
        ", load average {:.1f}".format(os.getloadavg()[0])
        if hasattr(os, "getloadavg")
        else ""
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()}; {versions}; "
        f"{threads}{load}; {datetime.date.today().isoformat()}"
    )


def title(problem):
    return (
        f"{problem.name}: {' → '.join(map(str, problem.sizes))}, batch "
        f"{problem.batch_size}, {problem.note}, {problem.steps} steps"
    )


def table(problems, results, markdown=False):
    """One table per case: µs per step, its ratio to geonn, test MSE."""
    head = ("implementation", "µs/step", "time ÷ geonn", "test MSE")
    blocks = []
    for problem in problems:
        res = results[problem.name]
        base = res["geonn"]["us_per_step"]
        body = [
            (
                name,
                f"{r['us_per_step']:.1f}",
                f"{r['us_per_step'] / base:.2f}",
                f"{r['mse']:.4f}",
            )
            for name, r in res.items()
        ]
        if markdown:
            lines = [
                f"**{title(problem)}**",
                "",
                "| " + " | ".join(head) + " |",
                "|---|" + "---:|" * (len(head) - 1),
            ]
            lines += ["| " + " | ".join(r) + " |" for r in body]
        else:
            widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
            fmt = "  ".join(
                f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths)
            )
            lines = [title(problem), fmt.format(*head)] + [fmt.format(*r) for r in body]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def verdicts(results):
    """One line per target of the issue: met or missed, with the measured ratio."""
    lines = []
    for (case, other), (label, limit, kind) in TARGETS.items():
        if case in results and other in results[case]:
            g, o = (
                results[case]["geonn"]["us_per_step"],
                results[case][other]["us_per_step"],
            )
            ratio, shown = (
                (g / o, f"geonn ÷ {other}")
                if kind == "slower"
                else (o / g, f"{other} ÷ geonn")
            )
            ok = ratio <= limit if kind == "slower" else ratio >= limit
            lines.append(
                f"{case}: geonn {label}: {'met' if ok else 'MISSED'} ({shown} = "
                f"{ratio:.2f})"
            )
    return lines


def compile_notes(problems, results, clock=time.process_time):
    """One line per case on what jax.jit's first call costs: the CPU time to trace
    and compile the step, and how many of its steps that time would pay for."""
    lines = []
    for problem in problems:
        if "jax jit" not in results.get(problem.name, {}):
            continue
        seconds = statistics.median(
            bench_jax.compile_seconds(problem, BETA1, BETA2, clock) for _ in range(3)
        )
        per_step = results[problem.name]["jax jit"]["us_per_step"]
        lines.append(
            f"{problem.name}: jax jit compiles its step in {1e3 * seconds:.0f} ms of "
            f"CPU, the time of {1e6 * seconds / per_step:,.0f} compiled steps"
        )
    return lines


def update_docs(text, path=DOCS, markers=(START, END)):
    """Replace everything between the two marker comments of ``path`` with ``text``."""
    start, end = markers
    doc = path.read_text()
    if start not in doc or end not in doc:
        raise ValueError(f"{path} lacks the markers {start} and {end}")
    head, rest = doc.split(start, 1)
    path.write_text(head + start + "\n" + text + "\n" + end + rest.split(end, 1)[1])


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 2 repeats, 20 small epochs, 2 wide epochs",
    )
    p.add_argument(
        "--repeats", type=int, help="timed runs per implementation (default 5)"
    )
    p.add_argument("--epochs", type=int, help="small-case epochs (default 300)")
    p.add_argument("--wide-epochs", type=int, help="wide-case epochs (default 10)")
    p.add_argument("--cases", default="small,wide", help="comma-separated: small, wide")
    p.add_argument(
        "--no-torch", action="store_true", help="skip PyTorch even if installed"
    )
    p.add_argument("--no-jax", action="store_true", help="skip the two JAX rows")
    p.add_argument(
        "--wall",
        action="store_true",
        help="time with the wall clock instead of the process's CPU time",
    )
    p.add_argument(
        "--markdown", action="store_true", help="print the table as Markdown"
    )
    p.add_argument(
        "--update-docs",
        action="store_true",
        help=f"write the Markdown table into {DOCS.relative_to(ROOT)}",
    )
    args = p.parse_args(argv)
    quick = args.quick
    args.repeats = args.repeats or (2 if quick else 5)
    args.epochs = args.epochs or (20 if quick else 300)
    args.wide_epochs = args.wide_epochs or (2 if quick else 10)
    if min(args.repeats, args.epochs, args.wide_epochs) < 1:
        p.error("--repeats, --epochs and --wide-epochs must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    names = ["geonn", "geonn, own loop", "numpy loop"]
    names += [] if args.no_jax else ["jax jit", "jax jit, scan"]
    names.append("scikit-learn")
    if not args.no_torch and importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(
            1
        )  # the one core NumPy's BLAS gets (OPENBLAS_NUM_THREADS=1)
        names.append("pytorch")
    makers = {
        "small": lambda: small_problem(args.epochs),
        "wide": lambda: wide_problem(args.wide_epochs),
    }
    problems, results = [], {}
    for case in args.cases.split(","):
        problem = makers[case.strip()]()
        print(
            f"timing {problem.name} ({problem.note}): {problem.steps} steps × "
            f"{args.repeats} repeats ...",
            file=sys.stderr,
            flush=True,
        )
        problems.append(problem)
        results[problem.name] = benchmark(
            problem,
            names,
            args.repeats,
            clock=time.perf_counter if args.wall else time.process_time,
        )
    clock = time.perf_counter if args.wall else time.process_time
    checks = verdicts(results) + compile_notes(problems, results, clock)
    info = machine()
    text = table(problems, results, markdown=args.markdown or args.update_docs)
    print(f"Machine: {info}\n\n{text}\n")
    print("\n".join(checks))
    if args.update_docs:
        clock = "wall-clock" if args.wall else "CPU (process)"
        block = "\n".join(
            [
                f"Measured on: {info}. Median {clock} time of {args.repeats} runs.",
                "",
                text,
                "",
                *[f"- {c}" for c in checks],
            ]
        )
        update_docs(block)
        print(f"\nwrote the table into {DOCS}")
    return problems, results


if __name__ == "__main__":
    main()
