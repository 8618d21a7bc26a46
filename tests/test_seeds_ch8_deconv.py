"""tools/seeds_ch8_deconv.py is how chapter 8's claims over seeds were checked: with the
chapter's seed (8) it must print the numbers the chapter prints, and the text must state
the seeds it was run with."""
import json
import re
from pathlib import Path

from _tools import load_tool

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "book" / "08_convolution.ipynb"


def outputs():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
            for o in c.get("outputs", [])]


def test_the_seed_study_reproduces_the_chapters_printed_numbers():
    seeds = load_tool("seeds_ch8_deconv")
    o = seeds.run(8)
    table = next(t for t in outputs() if t.startswith("relative RMS error"))
    rows = table.splitlines()[1:]
    bands = list(seeds.BANDS)
    assert bands == ["8–40 Hz", "10–60 Hz", "full band"] and len(rows) == 3 * len(seeds.SETS)
    for k, name in enumerate(seeds.SETS):
        for band, row in zip(bands, rows[3 * k:3 * k + 3]):
            assert band in row
            printed = row.split()[-4:-1]                       # Wiener, CNN, Dense (r̂ = 0 last)
            assert printed == [f"{o[name][band][m]:.2f}" for m in seeds.METHODS], (name, band)
    assert f"chosen ε = {o['eps']:g}" in "".join(outputs())
    power = next(t for t in outputs() if t.startswith("30 Hz wavelet"))
    for lo, hi in ((20, 40), (60, 80)):
        ratio = re.search(rf"^{lo}–{hi}\s+\S+\s+\S+\s+(\S+)$", power, re.M).group(1)
        assert ratio == f"{o[f'gain {lo}–{hi}']:.1f}", (lo, hi)


def test_the_text_names_the_script_and_the_seeds():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "tools/seeds_ch8_deconv.py" in text and text.count("seeds 0 to 4") >= 2


def test_every_printed_spectrum_is_zero_padded():
    # the band edges of the training wavelets, read off zero-padded spectra
    text = "".join(outputs())
    assert "Ricker 20 Hz: amplitude > 10 % of its peak from 3.9 to 44 Hz" in text
    assert "Ricker 40 Hz: amplitude > 10 % of its peak from 7.8 to 88 Hz" in text
    assert "30 Hz wavelet: spectrum peaks at 30 Hz" in text
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "np.pad(" not in code          # padding is amplitude_spectrum's nfft, not by hand
