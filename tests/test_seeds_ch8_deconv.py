"""Chapter 8's deconvolution claims over seeds: tools/seeds_ch8_deconv.py, stored in
data/ch8_deconv_seeds.csv.

With the chapter's seed (8) the script must print the numbers the chapter prints, and
the text must state the seeds it was run with; the stored study must be complete
(seeds 0-4 and 8, every column the script writes), the live run of seed 8 must
reproduce its stored row (the columns of the 10-60 Hz training, the third exercise, are
not re-run: another 12 s), and the chapter must print every stored row it quotes.
"""
import json
import re
from pathlib import Path

import numpy as np
import pytest
from _tools import load_tool

from geonn.studies.seed_study import read_seed_study

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "book" / "08_convolution.ipynb"


@pytest.fixture(scope="module")
def tool():
    return load_tool("seeds_ch8_deconv")


@pytest.fixture(scope="module")
def seed8(tool):
    return tool.run(8)


def outputs():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
            for o in c.get("outputs", [])]


def test_the_seed_study_reproduces_the_chapters_printed_numbers(tool, seed8):
    o = seed8
    table = next(t for t in outputs() if t.startswith("relative RMS error"))
    rows = table.splitlines()[1:]
    bands = list(tool.BANDS)
    assert bands == ["8–40 Hz", "10–60 Hz", "full band"]
    assert len(rows) == 3 * len(tool.SETS)
    for k, name in enumerate(tool.SETS):
        for band, row in zip(bands, rows[3 * k:3 * k + 3]):
            assert band in row
            printed = row.split()[-4:-1]                       # Wiener, CNN, Dense (r̂ = 0 last)
            expected = [f"{o[name][band][m]:.2f}" for m in tool.METHODS]
            assert printed == expected, (name, band)
    assert f"chosen ε = {o['eps']:g}" in "".join(outputs())
    power = next(t for t in outputs() if t.startswith("30 Hz wavelet"))
    for lo, hi in ((20, 40), (60, 80)):
        ratio = re.search(rf"^{lo}–{hi}\s+\S+\s+\S+\s+(\S+)$", power, re.M).group(1)
        assert ratio == f"{o[f'gain {lo}–{hi}']:.1f}", (lo, hi)


def test_the_text_names_the_script_and_the_seeds():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "tools/seeds_ch8_deconv.py" in text and text.count("seeds 0 to 4") >= 2
    assert "data/ch8_deconv_seeds.csv" in text


def test_every_printed_spectrum_is_zero_padded():
    # the band edges of the training wavelets, read off zero-padded spectra
    text = "".join(outputs())
    assert "Ricker 20 Hz: amplitude > 10 % of its peak from 3.9 to 44 Hz" in text
    assert "Ricker 40 Hz: amplitude > 10 % of its peak from 7.8 to 88 Hz" in text
    assert "30 Hz wavelet: spectrum peaks at 30 Hz" in text
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "np.pad(" not in code          # padding is amplitude_spectrum's nfft, not by hand


def test_the_stored_study_is_complete(tool):
    study = read_seed_study(tool.SEEDS_CSV)
    assert list(study) == ["seed", *tool.COLUMNS]
    assert study["seed"].tolist() == list(tool.SEEDS) == [0, 1, 2, 3, 4, 8]
    assert set(study["eps"]) <= set(tool.EPS_GRID)
    assert all(np.all(np.isfinite(study[c]) & (study[c] > 0)) for c in tool.COLUMNS)


def test_a_live_run_reproduces_the_stored_row(tool, seed8):
    # a stored row needs a run with 10-60 Hz training too: the seed-8 run stands in
    live = tool.stored_row(8, seed8, seed8)
    study = read_seed_study(tool.SEEDS_CSV)
    k = study["seed"].tolist().index(8)
    for c in tool.COLUMNS:
        if not c.startswith("wide "):
            assert live[c] == pytest.approx(study[c][k], rel=1e-3), (
                f"data/ch8_deconv_seeds.csv is stale ({c}): "
                "run `python tools/seeds_ch8_deconv.py --save`")


def test_the_chapter_prints_every_stored_row(tool):
    study = read_seed_study(tool.SEEDS_CSV)
    # the chapter's tables: (a line of the output, the columns it prints, the format)
    tables = [
        ("relative RMS error on the held-out 20–40 Hz traces",
         [f"in {b} {m}" for b in ("8-40", "10-60", "full") for m in tool.METHODS],
         ".2f"),
        ("outside the training range",
         [f"{s} {b} {m}" for s in ("low", "high") for b in ("8-40", "10-60")
          for m in ("Wiener", "CNN")], ".2f"),
        ("kernels' mean power after / before training",
         [f"gain {lo}-{hi}" for lo, hi in tool.GAIN_BANDS], ".1f"),
        ("CNN trained on 10–60 Hz wavelets",
         [f"wide {s} {b} CNN" for s in ("in", "low", "high")
          for b in ("8-40", "10-60")],
         ".2f")]
    for marker, columns, fmt in tables:
        text = next(t for t in outputs() if marker in t)
        table = text[text.index(marker):].split("\n\n")[0]   # up to the next blank line
        rows = {int(r.split()[0]): r.split()[1:] for r in table.splitlines()
                if re.match(r"^\s*\d+\s+\d", r)}
        for k, seed in enumerate(study["seed"]):
            expected = [format(study[c][k], fmt) for c in columns]
            assert rows[seed] == expected, (marker, seed)
    text = "".join(outputs())
    assert "ε chosen on the training traces, every seed: 0.01" in text
