"""benchmarks/bench_conv2d.py keeps working: its network trains a step in float32,
its parts are timed, and (when PyTorch is installed) it matches PyTorch; nothing is
timed against a target here."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "bench_conv2d", ROOT / "benchmarks" / "bench_conv2d.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_network_trains_a_step_in_float32(bench):
    rng = np.random.default_rng(0)
    X, y = bench.make_data(bench.BATCH, rng)
    net = bench.run_geonn(bench.init_weights(rng), X, y, steps=1)
    out = net.forward(X[:2])
    assert X.shape == (bench.BATCH, 1, bench.SIZE, bench.SIZE)
    assert out.shape == (2, 1) and out.dtype == np.float32


def test_where_the_time_goes_lists_every_layer(bench):
    parts = bench.where_the_time_goes(steps=1)
    assert len(parts) == 2 * 7 + 2 and all(t >= 0 for t in parts.values())


def test_the_benchmark_matches_pytorch(bench):
    pytest.importorskip("torch")  # optional: never installed by the book
    assert max(bench.self_check(np.float64, 2).values()) < 1e-10
    assert max(bench.self_check(np.float32, 2).values()) < 1e-5
