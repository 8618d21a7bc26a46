"""Time a small 1-D convolutional network in geonn against PyTorch CPU.

Batch 64 of 1 × 128-sample float32 traces through
Conv1D(1→16, k=9) → ReLU → Conv1D(16→16, k=9) → ReLU → Flatten → Dense(2048→1),
'same' padding, ½-MSE loss, Adam.  One step = forward + backward + optimizer
step.  Both start from the same weights and see the same batches; the
implementations alternate (the order rotates every repeat) and the median
process CPU time per step is reported.  One BLAS / intra-op thread each.

Before timing, a self-check compares geonn's conv outputs, every parameter
gradient and the input gradient with PyTorch's (scale-relative max error
< 1e-5, float64 and float32).

    python benchmarks/bench_conv.py                # full run (about a minute)
    python benchmarks/bench_conv.py --quick        # smoke run
    python benchmarks/bench_conv.py --update-docs  # full run, rewrites its block
                                                   # of book/benchmarks.md
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import geonn  # noqa: E402

SEED, ETA = 42, 1e-3
BATCH, LENGTH, CHANNELS, K = 64, 128, 16, 9


def make_data(n, rng, dtype=np.float32):
    """Seeded traces (a spike train convolved with a Ricker-like pulse) and a scalar
    label each."""
    t = np.arange(-K, K + 1)
    pulse = (1 - 0.5 * (t / 2.0) ** 2) * np.exp(-0.25 * (t / 2.0) ** 2)
    spikes = rng.normal(size=(n, LENGTH)) * (rng.random((n, LENGTH)) < 0.1)
    X = np.array([np.convolve(s, pulse, mode="same") for s in spikes])[:, None, :]
    y = np.abs(spikes).sum(axis=1, keepdims=True) / 10
    return X.astype(dtype), y.astype(dtype)


def init_weights(rng, dtype=np.float32):
    """Xavier (fan-in) weights, drawn once and copied into both implementations."""

    def u(fan_in, shape):
        return (rng.uniform(-1, 1, size=shape) / np.sqrt(fan_in)).astype(dtype)

    return [
        (u(K, (CHANNELS, 1, K)), u(K, CHANNELS)),
        (u(CHANNELS * K, (CHANNELS, CHANNELS, K)), u(CHANNELS * K, CHANNELS)),
        (u(CHANNELS * LENGTH, (CHANNELS * LENGTH, 1)), u(CHANNELS * LENGTH, 1)),
    ]


def geonn_net(weights):
    (W1, b1), (W2, b2), (W3, b3) = weights
    dtype = W1.dtype
    return geonn.Sequential(
        [
            geonn.Conv1D(1, CHANNELS, K, W=W1, b=b1, dtype=dtype),
            geonn.Activation("relu"),
            geonn.Conv1D(CHANNELS, CHANNELS, K, W=W2, b=b2, dtype=dtype),
            geonn.Activation("relu"),
            geonn.Flatten(),
            geonn.Dense(CHANNELS * LENGTH, 1, W=W3, b=b3, dtype=dtype),
        ]
    )


def torch_net(weights):
    import torch

    (W1, b1), (W2, b2), (W3, b3) = weights
    dtype = torch.float64 if W1.dtype == np.float64 else torch.float32
    net = torch.nn.Sequential(
        torch.nn.Conv1d(1, CHANNELS, K, padding="same", dtype=dtype),
        torch.nn.ReLU(),
        torch.nn.Conv1d(CHANNELS, CHANNELS, K, padding="same", dtype=dtype),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(CHANNELS * LENGTH, 1, dtype=dtype),
    )
    with torch.no_grad():
        for layer, (W, b) in zip((net[0], net[2], net[5]), weights):
            layer.weight.copy_(torch.from_numpy(W.T.copy() if W.ndim == 2 else W))
            layer.bias.copy_(torch.from_numpy(b))
    return net


def rel(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


def self_check(dtype):
    """Max scale-relative error of conv outputs and of all gradients, geonn vs
    PyTorch."""
    import torch

    rng = np.random.default_rng(SEED)
    X, y = make_data(BATCH, rng, dtype)
    weights = init_weights(rng, dtype)
    g, t = geonn_net(weights), torch_net(weights)
    out = g.forward(X)
    dX = g.backward(geonn.MSE().grad(out, y))
    Xt = torch.from_numpy(X).requires_grad_(True)
    conv1_t = t[0](Xt)
    out_t = t(Xt)
    (0.5 * ((out_t - torch.from_numpy(y)) ** 2).sum(dim=1).mean()).backward()
    conv1 = g[0].forward(X)
    errors = {
        "conv1 output": rel(conv1, conv1_t.detach().numpy()),
        "network output": rel(out, out_t.detach().numpy()),
        "dX": rel(dX, Xt.grad.numpy()),
    }
    for i, (gl, tl) in enumerate(((g[0], t[0]), (g[2], t[2]), (g[5], t[5]))):
        tW = tl.weight.grad.numpy()
        errors[f"dW{i + 1}"] = rel(gl.dW, tW.T if tW.ndim == 2 else tW)
        errors[f"db{i + 1}"] = rel(gl.db, tl.bias.grad.numpy())
    return errors


def run_geonn(weights, X, y, steps):
    net, loss, opt = geonn_net(weights), geonn.MSE(), geonn.Adam(ETA)
    n = len(X)
    for s in range(steps):
        i = slice((s * BATCH) % n, (s * BATCH) % n + BATCH)
        delta = loss.grad(net.forward(X[i], train=True), y[i])
        net.backward(delta, need_input_grad=False)
        opt.step(net.params(), net.grads())
    return net


def run_torch(weights, X, y, steps):
    import torch

    net = torch_net(weights)
    opt = torch.optim.Adam(net.parameters(), lr=ETA)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    n = len(X)
    for s in range(steps):
        i = slice((s * BATCH) % n, (s * BATCH) % n + BATCH)
        loss = 0.5 * ((net(Xt[i]) - yt[i]) ** 2).sum(dim=1).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return net


def benchmark(steps=30, repeats=5):
    """Median CPU µs per step of each implementation, alternating their order."""
    rng = np.random.default_rng(SEED)
    X, y = make_data(8 * BATCH, rng)
    weights = init_weights(rng)
    runs = {"geonn": run_geonn, "pytorch": run_torch}
    for run in runs.values():  # warm-up: imports, allocator, thread pools
        run(weights, X, y, 2)
    times = {name: [] for name in runs}
    names = list(runs)
    for r in range(repeats):
        for name in names[r % 2 :] + names[: r % 2]:
            t0 = time.process_time()
            runs[name](weights, X, y, steps)
            times[name].append((time.process_time() - t0) / steps * 1e6)
    return {name: statistics.median(t) for name, t in times.items()}, times


START, END = "<!-- bench-conv:start -->", "<!-- bench-conv:end -->"


def report(med, checks, repeats, steps):
    """The result as Markdown: the machine, the self-check, the table and the
    verdict."""
    from bench_mlp import machine

    ratio = med["geonn"] / med["pytorch"]
    lines = [
        f"Measured on: {machine()}. Median CPU (process) time of {repeats} runs of "
        f"{steps} steps.",
        "",
        f"**conv: batch {BATCH} of 1 × {LENGTH} traces, Conv1D(1→{CHANNELS}, k={K}) → "
        f"ReLU → Conv1D({CHANNELS}→{CHANNELS}, k={K}) → ReLU → Flatten → "
        f"Dense({CHANNELS * LENGTH}→1), float32, Adam**",
        "",
        "| implementation | µs/step | time ÷ geonn |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {name} | {t:.0f} | {t / med['geonn']:.2f} |" for name, t in med.items()
    ]
    lines += [
        "",
        *[
            f"- self-check against PyTorch, {dt}: max relative error {e:.1e} (< 1e-5)"
            for dt, e in checks.items()
        ],
        f"- conv: geonn within 1.5× of PyTorch: {'met' if ratio <= 1.5 else 'MISSED'} "
        f"(geonn ÷ pytorch = {ratio:.2f})",
    ]
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="5 steps × 2 repeats")
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument(
        "--update-docs",
        action="store_true",
        help="write the result into book/benchmarks.md",
    )
    args = p.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    checks = {}
    for dtype in (np.float64, np.float32):
        errors = self_check(dtype)
        worst = max(errors, key=errors.get)
        checks[np.dtype(dtype).name] = errors[worst]
        print(
            f"self-check {np.dtype(dtype).name}: max relative error "
            f"{errors[worst]:.1e} ({worst})"
        )
        assert errors[worst] < 1e-5, errors
    steps, repeats = (5, 2) if args.quick else (args.steps, args.repeats)
    med, _ = benchmark(steps, repeats)
    text = report(med, checks, repeats, steps)
    print(text)
    if args.update_docs:
        from bench_mlp import DOCS, update_docs

        update_docs(text, DOCS, markers=(START, END))
        print(f"wrote the result into {DOCS}")
    return med


if __name__ == "__main__":
    main()
