"""Time a small 2-D convolutional network in geonn against PyTorch CPU.

Batch 16 of 1 × 64 × 64 float32 images through
Conv2D(1→8, 3×3) → ReLU → Conv2D(8→16, 3×3) → ReLU → MaxPool2D(2) → Flatten →
Dense(16384→1), 'same' padding, ½-MSE loss, Adam.  One step = forward + backward
+ optimizer step.  Both start from the same weights and see the same batches; the
implementations alternate (the order rotates every repeat) and the median process
CPU time per step is reported.  One BLAS / intra-op thread each.  Each Conv2D
layer of the chapter's networks (1→8, 8→16, 16→16, 16→32 channels, 3×3, batch 16
of 64 × 64) is also timed alone, forward + backward (the first without the input
gradient, as in a network), and the geonn step is split into where its time goes.

Before timing, a self-check compares geonn's conv outputs, every parameter
gradient and the input gradient with PyTorch's (scale-relative max error
< 1e-5, float64 on the batch of 16 and float32 on 4 images).

    python benchmarks/bench_conv2d.py                # full run (about two minutes)
    python benchmarks/bench_conv2d.py --quick        # smoke run
    python benchmarks/bench_conv2d.py --update-docs  # full run, rewrites its block
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
BATCH, SIZE, C1, C2 = 16, 64, 8, 16
LAYERS = [(1, 8), (8, 16), (16, 16), (16, 32)]  # (C_in, C_out) timed alone
N_DENSE = C2 * (SIZE // 2) ** 2


def make_data(n, rng, dtype=np.float32):
    """Seeded images (white noise smoothed along both axes) and a scalar label each
    (their mean energy)."""
    x = rng.normal(size=(n, 1, SIZE + 4, SIZE + 4))
    for axis in (2, 3):  # a 5-point box filter: correlated, image-like pixels
        x = sum(np.take(x, range(k, k + SIZE), axis=axis) for k in range(5)) / 5
    y = (x**2).mean(axis=(1, 2, 3))[:, None]
    return x.astype(dtype), y.astype(dtype)


def init_weights(rng, dtype=np.float32):
    """Uniform fan-in weights, drawn once and copied into both implementations."""

    def u(fan_in, shape):
        return (rng.uniform(-1, 1, size=shape) / np.sqrt(fan_in)).astype(dtype)

    return [
        (u(9, (C1, 1, 3, 3)), u(9, C1)),
        (u(9 * C1, (C2, C1, 3, 3)), u(9 * C1, C2)),
        (u(N_DENSE, (N_DENSE, 1)), u(N_DENSE, 1)),
    ]


def geonn_net(weights):
    (W1, b1), (W2, b2), (W3, b3) = weights
    dtype = W1.dtype
    return geonn.Sequential(
        [
            geonn.Conv2D(1, C1, 3, W=W1, b=b1, dtype=dtype),
            geonn.Activation("relu"),
            geonn.Conv2D(C1, C2, 3, W=W2, b=b2, dtype=dtype),
            geonn.Activation("relu"),
            geonn.MaxPool2D(2),
            geonn.Flatten(),
            geonn.Dense(N_DENSE, 1, W=W3, b=b3, dtype=dtype),
        ]
    )


def torch_net(weights):
    import torch

    (W1, b1), (W2, b2), (W3, b3) = weights
    dtype = torch.float64 if W1.dtype == np.float64 else torch.float32
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, C1, 3, padding="same", dtype=dtype),
        torch.nn.ReLU(),
        torch.nn.Conv2d(C1, C2, 3, padding="same", dtype=dtype),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(N_DENSE, 1, dtype=dtype),
    )
    with torch.no_grad():
        for layer, (W, b) in zip((net[0], net[2], net[6]), weights):
            layer.weight.copy_(torch.from_numpy(W.T.copy() if W.ndim == 2 else W))
            layer.bias.copy_(torch.from_numpy(b))
    return net


def rel(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


def self_check(dtype, n=BATCH):
    """Max scale-relative error of conv outputs and of all gradients, geonn vs
    PyTorch."""
    import torch

    rng = np.random.default_rng(SEED)
    X, y = make_data(n, rng, dtype)
    weights = init_weights(rng, dtype)
    g, t = geonn_net(weights), torch_net(weights)
    conv1, conv2 = g[0].forward(X), g[2].forward(g[1].forward(g[0].forward(X)))
    out = g.forward(X)  # again, so that backward follows the whole forward pass
    dX = g.backward(geonn.MSE().grad(out, y))
    Xt = torch.from_numpy(X).requires_grad_(True)
    out_t = t(Xt)
    (0.5 * ((out_t - torch.from_numpy(y)) ** 2).sum(dim=1).mean()).backward()
    errors = {
        "conv1 output": rel(conv1, t[0](Xt).detach().numpy()),
        "conv2 output": rel(conv2, t[2](t[1](t[0](Xt))).detach().numpy()),
        "network output": rel(out, out_t.detach().numpy()),
        "dX": rel(dX, Xt.grad.numpy()),
    }
    for i, (gl, tl) in enumerate(((g[0], t[0]), (g[2], t[2]), (g[6], t[6]))):
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


def layer_runs(c_in, c_out, rng):
    """One Conv2D forward + backward in each implementation, on the same arrays."""
    import torch

    first = c_in == 1  # a network's first layer needs no input gradient
    x = rng.normal(size=(BATCH, c_in, SIZE, SIZE)).astype(np.float32)
    delta = rng.normal(size=(BATCH, c_out, SIZE, SIZE)).astype(np.float32)
    layer = geonn.Conv2D(c_in, c_out, 3, rng=rng, dtype=np.float32)
    conv = torch.nn.Conv2d(c_in, c_out, 3, padding="same")
    xt = torch.from_numpy(x).requires_grad_(not first)
    dt = torch.from_numpy(delta)

    def run_geonn(steps):
        for _ in range(steps):
            layer.forward(x, train=True)
            layer.backward(delta, need_input_grad=not first)

    def run_torch(steps):
        for _ in range(steps):
            conv.zero_grad(set_to_none=True)
            conv(xt).backward(dt)

    return {"geonn": run_geonn, "pytorch": run_torch}


def interleaved(runs, steps, repeats):
    """Median CPU ms per step of each run, alternating their order."""
    for run in runs.values():  # warm-up: imports, allocator, thread pools
        run(1)
    times = {name: [] for name in runs}
    names = list(runs)
    for r in range(repeats):
        for name in names[r % 2 :] + names[: r % 2]:
            t0 = time.process_time()
            runs[name](steps)
            times[name].append((time.process_time() - t0) / steps * 1e3)
    return {name: statistics.median(t) for name, t in times.items()}


def benchmark(steps=10, repeats=7):
    """Median CPU ms per training step of each implementation."""
    rng = np.random.default_rng(SEED)
    X, y = make_data(4 * BATCH, rng)
    weights = init_weights(rng)
    runs = {
        "geonn": lambda s: run_geonn(weights, X, y, s),
        "pytorch": lambda s: run_torch(weights, X, y, s),
    }
    return interleaved(runs, steps, repeats)


def per_layer(steps=5, repeats=7):
    """{(C_in, C_out): median CPU ms of forward + backward, per implementation}."""
    rng = np.random.default_rng(SEED)
    return {
        (c_in, c_out): interleaved(layer_runs(c_in, c_out, rng), steps, repeats)
        for c_in, c_out in LAYERS
    }


def where_the_time_goes(steps=10):
    """CPU ms per step of each layer's forward and backward and of the Adam step,
    in geonn's training step (medians over ``steps`` steps)."""
    rng = np.random.default_rng(SEED)
    X, y = make_data(BATCH, rng)
    net, loss, opt = geonn_net(init_weights(rng)), geonn.MSE(), geonn.Adam(ETA)
    parts = {}

    def timed(name, f, *args, **kw):
        t0 = time.process_time()
        out = f(*args, **kw)
        parts.setdefault(name, []).append((time.process_time() - t0) * 1e3)
        return out

    for _ in range(steps + 1):
        a = X
        for i, layer in enumerate(net.layers):
            a = timed(f"{i} {layer!r} forward", layer.forward, a, train=True)
        delta = timed("loss gradient", loss.grad, a, y)
        for i, layer in reversed(list(enumerate(net.layers))):
            delta = timed(f"{i} {layer!r} backward", layer.backward, delta, i > 0)
        timed("Adam step", opt.step, net.params(), net.grads())
    return {k: statistics.median(v[1:]) for k, v in parts.items()}


START, END = "<!-- bench-conv2d:start -->", "<!-- bench-conv2d:end -->"


def report(med, layers, parts, checks, repeats, steps):
    """The result as Markdown: the machine, the self-check, the tables and the
    verdict."""
    from bench_mlp import machine

    ratio = med["geonn"] / med["pytorch"]
    lines = [
        f"Measured on: {machine()}. Median CPU (process) time of {repeats} "
        f"interleaved runs.",
        "",
        f"**conv2d: batch {BATCH} of 1 × {SIZE} × {SIZE} images, Conv2D(1→{C1}, 3×3) "
        f"→ ReLU → Conv2D({C1}→{C2}, 3×3) → ReLU → MaxPool2D(2) → Flatten → "
        f"Dense({N_DENSE}→1), float32, Adam; {steps} steps a run**",
        "",
        "| implementation | ms/step | time ÷ pytorch |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {name} | {t:.1f} | {t / med['pytorch']:.2f} |" for name, t in med.items()
    ]
    lines += [
        "",
        f"**One Conv2D layer, 3×3 'same', batch {BATCH} of {SIZE} × {SIZE}, "
        "forward + backward** (the first layer without the input gradient)",
        "",
        "| channels | geonn ms | pytorch ms | geonn ÷ pytorch |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {c_in}→{c_out} | {m['geonn']:.1f} | {m['pytorch']:.1f} | "
        f"{m['geonn'] / m['pytorch']:.2f} |"
        for (c_in, c_out), m in layers.items()
    ]
    total = sum(parts.values())
    lines += [
        "",
        "**Where geonn's step goes** (median CPU ms of each part)",
        "",
        "| part | ms | share |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {name} | {t:.2f} | {t / total:.0%} |"
        for name, t in sorted(parts.items(), key=lambda kv: -kv[1])
        if t / total >= 0.01
    ]
    lines += [
        "",
        *[
            f"- self-check against PyTorch, {dt}: max relative error {e:.1e} (< 1e-5)"
            for dt, e in checks.items()
        ],
        f"- conv2d: geonn within 2× of PyTorch: {'met' if ratio <= 2 else 'MISSED'}, "
        f"within 1.5×: {'met' if ratio <= 1.5 else 'missed'} "
        f"(geonn ÷ pytorch = {ratio:.2f})",
    ]
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="2 steps × 2 repeats")
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--repeats", type=int, default=9)
    p.add_argument(
        "--update-docs",
        action="store_true",
        help="write the result into book/benchmarks.md",
    )
    args = p.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    checks = {}
    # float32: 4 images, as a weight gradient of the full batch is a float32 sum of
    # 65,536 products, which rounds to about 1e-5 of its size in either library
    for dtype, n in ((np.float64, BATCH), (np.float32, 4)):
        errors = self_check(dtype, n)
        worst = max(errors, key=errors.get)
        checks[f"{np.dtype(dtype).name}, batch {n}"] = errors[worst]
        print(
            f"self-check {np.dtype(dtype).name}: max relative error "
            f"{errors[worst]:.1e} ({worst})"
        )
        assert errors[worst] < 1e-5, errors
    steps, repeats = (2, 2) if args.quick else (args.steps, args.repeats)
    med = benchmark(steps, repeats)
    layers = per_layer(max(1, steps // 2), repeats)
    parts = where_the_time_goes(steps)
    text = report(med, layers, parts, checks, repeats, steps)
    print(text)
    if args.update_docs:
        from bench_mlp import DOCS, update_docs

        update_docs(text, DOCS, markers=(START, END))
        print(f"wrote the result into {DOCS}")
    return med


if __name__ == "__main__":
    main()
