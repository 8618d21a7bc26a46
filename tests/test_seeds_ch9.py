"""tools/seeds_ch9.py is how chapter 9's claims over seeds (sections 1, 2 and 4) were checked:
with the chapter's SEED = 9 it must reproduce what the chapter prints (about 20 s), and
its small mode must run."""
import json
from pathlib import Path

from _tools import load_tool

NOTEBOOK = Path(__file__).resolve().parents[1] / "book" / "09_autoencoders.ipynb"


def _printed():
    out = []
    for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]:
        for o in cell.get("outputs", []):
            out.append("".join(o.get("text", "")))
    return "\n".join(out)


def test_the_seed_study_reproduces_the_chapters_numbers():
    tool = load_tool("seeds_ch9")
    r = tool.run(9)
    printed = _printed()
    for k in tool.CODES:
        assert f"{k:>3} {r['pca'][k]:>7.3f} {r['ae'][k]:>12.2f}" in printed
    assert f"linear autoencoder {r['linear']:.3f}, PCA {r['pca'][tool.K_LINEAR]:.3f}" in printed
    assert f"to {r['angle']:.1f}°" in printed
    assert f"first-break time: R² of its prediction from the code {r['r2']['first break']:.1f}" in printed
    for s in tool.SNRS:
        gains = "".join(f"{r['gain'][s][m]:>15.1f}" for m in ("band-pass", "Dense", "conv"))
        assert f"{s:>7.0f} dB{gains}" in printed
    assert f"  convolutional {r['leak']['conv']:+.2f}" in printed


def test_the_small_mode_runs_and_the_chapter_names_the_study():
    r = load_tool("seeds_ch9").run(0, small=True)
    assert set(r["gain"]) == {0.0, 5.0, 10.0, 20.0} and 0.0 <= r["pca"][32] <= 1.0
    text = "".join("".join(c["source"]) for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"])
    assert "SEED = 9" in text and "tools/seeds_ch9.py" in text and "seeds 0 to 4 and this one" in text
