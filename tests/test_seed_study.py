"""The seed studies: one storage format (geonn.studies.seed_study), and each study's
stored row for its chapter's own seed is what the executed chapter printed.

`make seeds` (tools/seeds.py) runs a chapter once per seed; a cell tagged `seed-row`
prints the row the study keeps. These tests read the stored notebooks and CSV files
only: nothing is re-run.
"""

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from _tools import load_tool

from geonn.studies.gan_report import MODELS, SEED_MEASURES, seed_summary
from geonn.studies.seed_study import (
    grouped_seed_table,
    parse_seed_rows,
    print_seed_row,
    read_seed_study,
    write_seed_study,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = load_tool("seeds")


def _cells(notebook):
    path = ROOT / "book" / f"{notebook}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _tagged(cell, tag):
    return tag in cell["metadata"].get("tags", [])


def _printed_rows(cells):
    text = "".join(
        "".join(o.get("text", ""))
        for c in cells
        if _tagged(c, "seed-row")
        for o in c.get("outputs", [])
        if o.get("name") == "stdout"
    )
    return parse_seed_rows(text)


@pytest.mark.parametrize("chapter", list(SEEDS.STUDIES))
def test_the_stored_row_of_the_chapters_seed_is_what_the_chapter_printed(chapter):
    notebook, seeds = SEEDS.STUDIES[chapter]
    cells = _cells(notebook)
    params = [c for c in cells if _tagged(c, "parameters")]
    assert len(params) == 1, f"{notebook}: one cell tagged 'parameters'"
    source = "".join(params[0]["source"])
    seed = int(re.search(r"^SEED = (\d+)", source, re.M).group(1))
    assert seed in seeds, f"{notebook}: its own seed {seed} is not in its study"
    rows = _printed_rows(cells)
    assert rows, f"{notebook}: no executed cell tagged 'seed-row' printed a row"
    for name, row in rows.items():
        study = read_seed_study(name)
        assert study["seed"].tolist() == list(seeds), f"data/{name}: run `make seeds`"
        assert list(study) == list(row), f"data/{name}: not the chapter's columns"
        at = list(seeds).index(seed)
        stale = [
            c
            for c, v in row.items()
            if study[c][at] != v and not (math.isnan(v) and math.isnan(study[c][at]))
        ]
        assert not stale, (
            f"data/{name}, seed {seed}: {stale} are not what the "
            "chapter printed (run `make seeds`, or re-execute it)"
        )


def test_a_seed_run_sets_the_seed_and_leaves_out_the_skipped_cells():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("SEED = 8\nrng = f(SEED)"),
        nbformat.v4.new_code_cell("study = read()"),
        nbformat.v4.new_code_cell("print_seed_row('a.csv', row)"),
    ]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.cells[1].metadata["tags"] = ["seed-skip", "hide-input"]
    run = SEEDS.for_seed(nb, 3)
    assert [c.source for c in run.cells] == [
        "SEED = 3\nrng = f(SEED)",
        "print_seed_row('a.csv', row)",
    ]
    assert nb.cells[0].source == "SEED = 8\nrng = f(SEED)"  # the chapter is untouched
    nb.cells[0].source = "SEEDS = 8"
    with pytest.raises(ValueError, match="SEED = <integer>"):
        SEEDS.for_seed(nb, 3)


def test_a_retraining_run_sets_retrain_and_a_chapter_without_it_says_so():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("SEED = 8\nRETRAIN = False\nx = 1")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    assert SEEDS.for_seed(nb, 3).cells[0].source == "SEED = 3\nRETRAIN = False\nx = 1"
    run = SEEDS.for_seed(nb, 3, retrain=True)
    assert run.cells[0].source == "SEED = 3\nRETRAIN = True\nx = 1"
    nb.cells[0].source = "SEED = 8"
    with pytest.raises(ValueError, match="RETRAIN = False"):
        SEEDS.for_seed(nb, 3, retrain=True)


def test_rows_print_parse_write_and_read_exactly(tmp_path, capsys):
    rows = [
        {"seed": s, "a rms": s / 7, "b, told": np.pi * s, "n": np.int64(3)}
        for s in (0, 3)
    ]
    for r in rows:
        print_seed_row("t.csv", r)
    parsed = parse_seed_rows(capsys.readouterr().out)
    last = {"seed": 3, "a rms": 3 / 7, "b, told": 3 * np.pi, "n": 3.0}
    assert parsed == {"t.csv": last}
    write_seed_study(tmp_path / "t.csv", rows)
    text = (tmp_path / "t.csv").read_text()
    assert text.splitlines()[:2] == ['seed,a rms,"b, told",n', "0,0.0,0.0,3.0"]
    back = read_seed_study(tmp_path / "t.csv")
    assert back["seed"].tolist() == [0, 3] and back["seed"].dtype.kind == "i"
    assert back["a rms"][1] == 3 / 7 and back["b, told"][1] == 3 * np.pi
    write_seed_study(tmp_path / "u.csv", rows)
    assert (tmp_path / "u.csv").read_bytes() == (tmp_path / "t.csv").read_bytes()


def test_bad_rows_and_files_are_named():
    with pytest.raises(ValueError, match="'seed' its first key"):
        print_seed_row("t.csv", {"a": 1.0})
    with pytest.raises(ValueError, match="CSV file name"):
        print_seed_row("my study", {"seed": 1})
    with pytest.raises(ValueError, match="every row needs the columns"):
        write_seed_study(
            "/nonexistent/t.csv", [{"seed": 0, "a": 1}, {"seed": 1, "b": 1}]
        )
    with pytest.raises(FileNotFoundError, match="make seeds"):
        read_seed_study("/nonexistent/missing.csv")


def test_grouped_seed_table_by_hand():
    study = {
        "seed": np.array([0, 8]),
        "a rms": np.array([1.0, 3.0]),
        "b rms": np.array([2.5, 0.5]),
    }
    text = grouped_seed_table(
        study, [("RMS", {"A": "a rms", "B": "b rms"})], fmt=".1f", width=5
    )
    assert text.splitlines() == [
        "       RMS    ",
        "seed    A    B",
        "   0  1.0  2.5",
        "   8  3.0  0.5",
        " min  1.0  0.5",
        " max  3.0  2.5",
    ]
    with pytest.raises(KeyError, match="c rms"):
        grouped_seed_table(study, [("RMS", {"C": "c rms"})])


def test_the_gan_summary_reads_the_stored_columns():
    # two seeds; the SN GAN is nearer real on W1 (against real vs real) in one of them
    study = {"seed": np.array([0, 1])}
    for model in MODELS:
        for m in SEED_MEASURES:
            study[f"{model} {m}"] = np.array([0.5, 0.5])
    study["real vs real W1"] = np.array([0.0, 0.0])
    study["plain GAN W1"] = np.array([0.1, 0.1])
    study["SN GAN W1"] = np.array([0.05, 0.2])
    w1 = next(row for row in seed_summary(study).splitlines() if row.startswith("W1 "))
    assert "0.125 [0.050, 0.200]" in w1 and w1.endswith("1 of 2")
    del study["SN GAN FD"]
    with pytest.raises(KeyError, match="SN GAN FD"):
        seed_summary(study)
