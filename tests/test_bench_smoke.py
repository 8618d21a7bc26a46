"""benchmarks/bench_mlp.py keeps working: every implementation trains a tiny
case to the same place, and the table renders.  No timing is asserted."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name):
    """benchmarks/<name>.py as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(
        name, ROOT / "benchmarks" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _load("bench_mlp")


NAMES = [
    "geonn",
    "geonn, own loop",
    "numpy loop",
    "jax jit",
    "jax jit, scan",
    "scikit-learn",
]  # never PyTorch here


@pytest.fixture(scope="module")
def tiny(bench):
    return [
        bench.small_problem(epochs=3),
        bench.wide_problem(
            epochs=1, batch_size=16, n_train=64, n_test=16, sizes=(8, 16, 16, 4)
        ),
    ]


def test_problems_have_the_stated_shapes(tiny):
    small, wide = tiny
    assert small.X.shape == (144, 1) and small.X_test.shape == (36, 1)
    assert np.abs(small.X).max() <= 1 + 1e-12 and np.abs(small.y).max() <= 1 + 1e-12
    assert small.steps == 3 * 29 and small.dtype == np.float64
    assert wide.dtype == np.float32 and wide.steps == 4
    assert [W.shape for W, _ in wide.init] == [(8, 16), (16, 16), (16, 4)]


def test_numpy_loops_reproduce_geonn_and_the_table_renders(bench, tiny):
    results = {}
    for problem in tiny:
        results[problem.name] = bench.benchmark(problem, NAMES, repeats=1, warmup=False)
        mse = {name: r["mse"] for name, r in results[problem.name].items()}
        # the same weights, batches and Adam: the same math up to rounding
        rtol = 1e-9 if problem.dtype == np.float64 else 1e-3
        assert mse["numpy loop"] == pytest.approx(mse["geonn"], rel=rtol)
        assert mse["geonn, own loop"] == pytest.approx(mse["geonn"], rel=rtol)
        assert mse["jax jit"] == pytest.approx(mse["geonn"], rel=rtol)
        assert mse["jax jit, scan"] == pytest.approx(mse["jax jit"], rel=rtol)
        assert all(np.isfinite(list(mse.values())))
        assert all(r["us_per_step"] > 0 for r in results[problem.name].values())
    text = bench.table(tiny, results)
    markdown = bench.table(tiny, results, markdown=True)
    assert "scikit-learn" in text and text.count("\n") == 2 * (len(NAMES) + 2)
    assert markdown.count("\n|") == 2 * (len(NAMES) + 2)  # header, rule, rows
    lines = bench.verdicts(results)
    # one verdict per target whose implementations ran (PyTorch never runs here)
    assert len(lines) == sum(
        case in results and other in results[case] for case, other in bench.TARGETS
    )
    assert all(line.split(": ")[2].startswith(("met", "MISSED")) for line in lines)


def test_jax_compile_note(bench, tiny):
    results = {p.name: {"jax jit": {"us_per_step": 10.0}} for p in tiny}
    lines = bench.compile_notes(tiny, results)
    assert len(lines) == 2 and all(
        "jax jit compiles its step in" in line for line in lines
    )
    assert bench.compile_notes(tiny, {}) == []


def test_verdicts_say_met_or_missed_by_the_stated_limits(bench):
    """The verdict logic itself, on made-up timings on both sides of every limit."""
    for case, other in bench.TARGETS:
        _, limit, kind = bench.TARGETS[(case, other)]
        for ok in (True, False):
            factor = 1.01 if ok else 0.99  # just inside or just outside the limit
            # "faster": other ÷ geonn ≥ limit; "slower": geonn ÷ other ≤ limit
            t_other = 100.0 * (limit * factor if kind == "faster" else factor / limit)
            results = {
                case: {"geonn": {"us_per_step": 100.0}, other: {"us_per_step": t_other}}
            }
            (line,) = bench.verdicts(results)
            assert line.split(": ")[2].split()[0] == ("met" if ok else "MISSED"), line


def test_update_docs_rewrites_only_between_the_markers(bench, tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        f"# Title\n\nbefore\n{bench.START}\nold table\n{bench.END}\nafter\n"
    )
    bench.update_docs("new table", page)
    assert (
        page.read_text()
        == f"# Title\n\nbefore\n{bench.START}\nnew table\n{bench.END}\nafter\n"
    )
    page.write_text("no markers")
    with pytest.raises(ValueError, match="markers"):
        bench.update_docs("x", page)


def test_quick_flags(bench):
    args = bench.parse_args(["--quick"])
    assert (args.repeats, args.epochs, args.wide_epochs) == (2, 20, 2)
    args = bench.parse_args(["--repeats", "7"])
    assert (args.repeats, args.epochs, args.wide_epochs) == (7, 300, 10)


@pytest.fixture(scope="module")
def conv():
    return _load("bench_conv")


def test_conv_benchmark_network_runs_and_keeps_float32(conv):
    rng = np.random.default_rng(0)
    X, y = conv.make_data(4, rng)
    net = conv.run_geonn(conv.init_weights(rng), X, y, steps=1)
    out = net.forward(X)
    assert (
        X.shape == (4, 1, conv.LENGTH)
        and out.shape == (4, 1)
        and out.dtype == np.float32
    )


def test_conv_benchmark_matches_pytorch(conv):
    pytest.importorskip("torch")  # optional: never installed by the book
    errors = conv.self_check(np.float64)
    assert max(errors.values()) < 1e-10, errors
    assert max(conv.self_check(np.float32).values()) < 1e-5
