"""Chapter 7's claims over seeds: tools/seeds_ch7.py, stored in data/ch7_seeds.csv.

The stored study must be complete (seeds 0 to 9, every column the script writes), a live
run of one seed must reproduce its row, and the chapter must print every stored row, so
that each spread the text quotes is printed by the chapter itself.
"""
import json
from pathlib import Path

import numpy as np
import pytest
from _tools import load_tool

from geonn.studies.seed_study import CH7_SEEDS_CSV, read_seed_study, write_seed_study

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "book" / "07_reflectivity.ipynb"


def _outputs():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(o.get("text", "")) for c in cells for o in c.get("outputs", [])]


def test_the_stored_study_is_complete():
    tool = load_tool("seeds_ch7")
    study = read_seed_study(CH7_SEEDS_CSV)
    assert list(study) == ["seed", *tool.HEAD, *tool.HEAD_EXERCISES]
    assert study["seed"].tolist() == list(range(10))
    assert all(np.all(np.isfinite(study[c]) & (study[c] > 0)) for c in list(study)[1:])


def test_a_live_run_reproduces_the_stored_row():
    # 40,000 SGD steps: the last digits depend on the BLAS kernel, three do not
    tool = load_tool("seeds_ch7")
    live = tool.ratios(tool.run(0, exercises=False))
    stored = read_seed_study(CH7_SEEDS_CSV)
    for column in tool.HEAD:
        assert live[column] == pytest.approx(stored[column][0], rel=2e-3), (
            f"data/ch7_seeds.csv is stale ({column}): "
            "run `python tools/seeds_ch7.py --save`")


def test_the_chapter_prints_every_stored_row():
    study = read_seed_study(CH7_SEEDS_CSV)
    columns = ["tut/R0", "tut b/v", "mod/R0", "mod b/v", "match %", "tut/mod",
               "v30 t", "v30 m", "b020 t", "b020 m", "both m"]           # as the chapter
    header = f"{'seed':>4}" + "".join(f"{c:>9}" for c in columns)
    table = next(t for t in _outputs() if t.startswith(header))
    rows = [r.split() for r in table.splitlines()[1:] if r.strip()]
    for k, seed in enumerate(study["seed"]):
        row = next(r for r in rows if r[0] == str(seed))
        assert row[1:] == [f"{study[c][k]:.3g}" for c in columns], seed


def test_the_study_file_round_trips(tmp_path):
    rows = [{"seed": s, "a": s / 7, "b": np.pi * s} for s in (0, 3)]
    write_seed_study(tmp_path / "s.csv", rows)
    back = read_seed_study(tmp_path / "s.csv")
    assert back["seed"].tolist() == [0, 3]
    assert back["a"][1] == 3 / 7 and back["b"][1] == 3 * np.pi
    with pytest.raises(ValueError, match="seed"):
        write_seed_study(tmp_path / "t.csv", [{"a": 1.0}])
    with pytest.raises(FileNotFoundError, match="tools/"):
        read_seed_study(tmp_path / "missing.csv")


def test_grouped_seed_table_by_hand():
    from geonn.studies.seed_study import grouped_seed_table

    study = {"seed": np.array([0, 8]), "a rms": np.array([1.0, 3.0]),
             "b rms": np.array([2.5, 0.5])}
    text = grouped_seed_table(study, [("RMS", {"A": "a rms", "B": "b rms"})], fmt=".1f",
                              width=5)
    assert text.splitlines() == ["       RMS    ", "seed    A    B", "   0  1.0  2.5",
                                 "   8  3.0  0.5", " min  1.0  0.5", " max  3.0  2.5"]
    with pytest.raises(KeyError, match="c rms"):
        grouped_seed_table(study, [("RMS", {"C": "c rms"})])
