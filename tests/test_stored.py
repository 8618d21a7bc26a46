"""geonn.studies.stored: a run trained once, stored with np.savez, loaded after."""

import numpy as np
import pytest

from geonn import Dense, Sequential
from geonn.studies.stored import run_dir, stored_run


def _net(seed):
    return Sequential([Dense(3, 2, rng=np.random.default_rng(seed))])


def test_trains_and_stores_once_then_loads_the_same_weights(tmp_path):
    calls = []

    def train():
        calls.append(1)
        net = _net(0)
        net[0].W[...] += 1.0
        return {"net": net}, {"loss": np.arange(3.0)}

    nets, out = stored_run(tmp_path, "toy", {"net": _net(5)}, train)
    assert out["stored"] is False and out["cpu_s"] >= 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz", "toy_run.npz"]
    template = _net(1)  # other initial weights: loading must replace them
    loaded, back = stored_run(tmp_path, "toy", {"net": template}, train)
    assert back["stored"] is True and len(calls) == 1 and loaded["net"] is template
    np.testing.assert_array_equal(template[0].W, nets["net"][0].W)
    np.testing.assert_array_equal(back["loss"], np.arange(3.0))
    stored_run(tmp_path, "toy", {"net": _net(2)}, train, retrain=True)
    assert len(calls) == 2


def test_bad_arguments_are_named(tmp_path):
    with pytest.raises(TypeError, match="nets must be a dict"):
        stored_run(tmp_path, "toy", [_net(0)], lambda: {})
    with pytest.raises(TypeError, match="train must be a function"):
        stored_run(tmp_path, "toy", {"net": _net(0)}, None)
    with pytest.raises(TypeError, match="must return"):
        stored_run(tmp_path, "toy", {"net": _net(0)}, lambda: [1])
    with pytest.raises(ValueError, match="returned networks"):
        stored_run(tmp_path, "toy", {"net": _net(0)}, lambda: ({"x": _net(0)}, {}))
    with pytest.raises(ValueError, match="name must be a plain word"):
        stored_run(tmp_path, "a/b", {"net": _net(0)}, lambda: {})
    with pytest.raises(ValueError, match="chapter must be a string"):
        run_dir(12, 0)
    assert run_dir("12", 3).parts[-2:] == ("ch12", "seed3")
