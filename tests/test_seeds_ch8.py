"""Chapter 8's picking claims over seeds: tools/seeds_ch8.py, in data/ch8_seeds.csv.

With the section's seed (PICK_SEED = 8) the script must print the section's table
(about 10 s, and as much again without the offset channel); the stored study must be
complete (seeds 0-4 and 8, every column the script writes), the live run of seed 8 must
reproduce its stored row, and the chapter must print every stored row it quotes, so that
each spread the text gives is printed by the chapter itself.
"""
import json
from pathlib import Path

import numpy as np
import pytest
from _tools import load_tool

from geonn.studies.seed_study import read_seed_study

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "book" / "08_convolution.ipynb"

# the section's table for PICK_SEED, as printed in the notebook
PINNED = """\
method                   RMS (ms) median |error| (ms)  > 10 ms off (%)
constant                     41.1                32.8             84.8
constant per offset          13.9                10.4             53.1
STA/LTA                      31.6                 3.6             27.7
energy ratio                 44.5                 1.3             25.2
STA/LTA, windowed             7.2                 2.2             15.9
energy ratio, windowed        7.4                 1.0              4.7
CNN                           3.9                 0.6              0.4"""


@pytest.fixture(scope="module")
def tool():
    return load_tool("seeds_ch8")


@pytest.fixture(scope="module")
def seed8(tool):
    """run(8) with and without the offset channel, shared by the tests below."""
    return tool.run(8), tool.run(8, offset=False)


def _cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _outputs():
    return ["".join(o.get("text", "")) for c in _cells() for o in c.get("outputs", [])]


def _printed_rows(marker):
    """{first token: the other tokens} of the lines of the output holding ``marker``."""
    table = next(t for t in _outputs() if marker in t)
    return {r.split()[0]: r.split()[1:] for r in table.splitlines() if r.strip()}


def test_the_seed_study_reproduces_the_sections_table(tool, seed8):
    printed = next(t for t in _outputs() if t.startswith("method") and "constant per offset" in t)
    assert printed.startswith(PINNED + "\n")
    (scores, parts), _ = seed8
    assert tool.table(scores) == PINNED
    settings = {name: setting for name, (setting, _) in parts["settings"].items()}
    assert settings == {"STA/LTA": (0.01, 0.06, 3.0), "energy ratio": (0.006, 0.05),
                        "STA/LTA, windowed": (0.02, 0.08, 4.0, 0.04),
                        "energy ratio, windowed": (0.006, 0.2, 0.03)}
    # the chapter prints the same settings, calibrated on the training gathers
    text = next(t for t in _outputs() if t.startswith("search windows tried"))
    assert "STA 20 ms, LTA 80 ms, threshold 4, search ± 40 ms" in text
    assert "window 6 ms, β = 0.2 × trace energy, search ± 30 ms" in text


def test_the_section_names_its_seed_and_the_seed_study():
    text = "".join("".join(c["source"]) for c in _cells())
    assert "PICK_SEED = 8" in text
    assert "tools/seeds_ch8.py" in text and "seeds (0–4 and 8" in text
    assert "data/ch8_seeds.csv" in text


def test_the_exercise_without_the_offset_channel_prints_what_its_solution_says(seed8):
    # the executed solution of conv-ex-picking is this tool's `--no-offset` run for PICK_SEED
    _, (scores, _) = seed8
    rms = f"{scores['CNN'][0]:.1f}"
    cells = _cells()
    start = next(k for k, c in enumerate(cells)
                 if "{solution-start} conv-ex-picking" in "".join(c["source"]))
    end = next(k for k in range(start, len(cells)) if "{solution-end}" in "".join(cells[k]["source"]))
    solution = cells[start:end]
    printed = "".join("".join(o.get("text", "")) for c in solution for o in c.get("outputs", []))
    prose = "".join("".join(c["source"]) for c in solution if c["cell_type"] == "markdown")
    assert rms == "8.3" and f"trace-only CNN: RMS {rms} ms" in printed
    assert "`tools/seeds_ch8.py --no-offset`" in prose
    assert f"from 3.9 to {rms} ms" in prose and f"13.9 against {rms} ms" in prose


def test_the_stored_study_is_complete(tool):
    study = read_seed_study(tool.SEEDS_CSV)
    assert list(study) == ["seed", *tool.COLUMNS]
    assert study["seed"].tolist() == list(tool.SEEDS) == [0, 1, 2, 3, 4, 8]
    for c in tool.COLUMNS:
        assert np.all(np.isfinite(study[c]) & (study[c] >= 0)), c
        assert not c.endswith("rms") or np.all(study[c] > 0), c


def test_a_live_run_reproduces_the_stored_row(tool, seed8):
    (scores, _), (trace_only, _) = seed8
    live = tool.stored_row(8, scores, trace_only)
    study = read_seed_study(tool.SEEDS_CSV)
    k = study["seed"].tolist().index(8)
    for c in tool.COLUMNS:
        assert live[c] == pytest.approx(study[c][k], rel=1e-3), (
            f"data/ch8_seeds.csv is stale ({c}): "
            "run `python tools/seeds_ch8.py --save`")


def test_the_chapter_prints_every_stored_row(tool):
    study = read_seed_study(tool.SEEDS_CSV)
    # the section's table, as the chapter prints it
    columns = [f"{m} rms" for m in ("constant per offset", "STA/LTA", "energy ratio",
                                    "STA/LTA, windowed", "energy ratio, windowed",
                                    "CNN")]
    columns += ["energy ratio, windowed median", "CNN median",
                "STA/LTA, windowed gross", "energy ratio, windowed gross"]
    rows = _printed_rows("offset: the per-offset constant")
    # the exercise's table: the trace-only CNN, and the other pickers' RMS over its RMS
    t = study["CNN trace-only rms"]
    ratios = [np.minimum(study["STA/LTA rms"], study["energy ratio rms"]) / t,
              study["STA/LTA, windowed rms"] / t,
              study["energy ratio, windowed rms"] / t,
              study["constant per offset rms"] / t]
    rows_trace_only = _printed_rows("trace-only CNN (ms, %)")
    for k, seed in enumerate(study["seed"]):
        assert rows[str(seed)] == [f"{study[c][k]:.1f}" for c in columns], seed
        expected = [study[f"CNN trace-only {m}"][k] for m in tool.MEASURES]
        expected += [r[k] for r in ratios]
        assert rows_trace_only[str(seed)] == [f"{v:.1f}" for v in expected], seed
