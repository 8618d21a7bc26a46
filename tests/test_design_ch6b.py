"""Chapter 6b (book/06b_design_and_uncertainty.ipynb): the text states what the cells
print, the stored seed study (data/ch6b_seeds.csv, written by `make seeds`: complete,
every row and column printed by the chapter) is what the text quotes over the seeds, the
remedies are scored on a third split, cross-validation is checked against blocked
folds and compared by paired differences, the solutions are executed, and the
errata page carries the notes on the lecture's design section."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from geonn.studies.seed_study import CH6B_SEEDS_CSV, read_seed_study

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "book" / "06b_design_and_uncertainty.ipynb"
CELLS = json.loads(NB.read_text(encoding="utf-8"))["cells"]
TEXT = "\n".join("".join(c["source"]) for c in CELLS if c["cell_type"] == "markdown")
CODE = "\n".join("".join(c["source"]) for c in CELLS if c["cell_type"] == "code")
OUT = "\n".join(
    "".join(o.get("text", ""))
    for c in CELLS
    if c["cell_type"] == "code"
    for o in c.get("outputs", [])
)


def printed(pattern):
    match = re.search(pattern, OUT, re.M)
    assert match, f"no output matches {pattern!r}"
    return match.group(1)


@pytest.mark.parametrize(
    "pattern, stated",
    [
        (r"computed once: (\S+)", "The test RMSE, {}"),
        (r"chosen: width (\d+), depth (?:\d+)", "picks width {}"),
        (r"^\s+10\s+(\S+) \(", "a median of {} with 10 wells"),
        (r"^\s+144\s+(\S+) \(", "and {} with all 144"),
        (r"median (\S+), 99th", "spread is {} in the median cell"),
        (r"estimated noise σ: (\S+)", r"($\hat\sigma_\mathrm{{noise}}$ = {})"),
        (r"median σ_ens outside / inside that range: (\S+)", "its median is {} times"),
        (r"RMS difference (\S+)", "RMS difference {}"),
        (r"^(\d+) cells outside", "The {} cells outside the range"),
        (r"by up to (\d+) and", "at most {} AI units below the range"),
        (r"by up to \d+ and (\d+) AI units", "and {} above)"),
        (
            r"the training wells sit on (\d+) of them",
            "The 144 training wells sit on {} of those cells",
        ),
        (r"η = 0\.03 .*paired: − best \+(\S+ ± \S+),", "$\\eta = 0.03$ is worse by {}"),
        (
            r"^0\.001\s+\S+ ± \S+\s+(\S+ ± \S+)",
            "The blocked folds score the chosen setting at {}",
        ),
        (r"paired over the 144 wells: \+(\S+)% ± (?:\S+)%", "higher by {} %"),
        (r"^\s+40\s+.*?(\d+)%", "{} % above with 40"),
        (
            r"^early stopping, patience 200\s+\d+\s+\S+\s+\S+\s+(\S+)",
            "early stopping (0.0085 at epoch 237, test {})",
        ),
        (r"^L2, γ = 0.0003\s+\d+\s+\S+\s+\S+\s+(\S+)", "test {}) and early stopping"),
        (r"gap minus L2's: seed 6 -(\S+);", "which chose nothing: {} here"),
    ],
)
def test_text_states_the_printed_number(pattern, stated):
    assert stated.format(printed(pattern)) in TEXT


def test_coverage_percentages_in_the_text_are_the_printed_ones_rounded():
    row = printed(r"^ensemble \+ noise\s+(.*)$").split()
    one, two = (round(float(v.rstrip("%"))) for v in row[:2])
    assert f"{one} % and {two} % for the ensemble" in TEXT
    raw = printed(r"^ensemble spread only\s+(.*)$").split()
    assert (
        f"in {round(float(raw[0].rstrip('%')))} % of the cells instead of 68 %" in TEXT
    )
    thirds = re.findall(r"^\s+(?:soft|middle|hard).*?(\d+\.\d)%$", OUT, re.M)
    expected = (
        "hold {} % of the soft, porous cells, {} % of the middle third and {} % of "
        "the tight"
    ).format(*(round(float(t)) for t in thirds))
    assert expected in TEXT


def test_the_stored_study_is_complete():
    study = read_seed_study(CH6B_SEEDS_CSV)
    assert study["seed"].tolist() == list(range(7))
    assert all(np.all(np.isfinite(study[c])) for c in study)


def _printed_tables():
    """{column: {row label: printed value}} of every table
    geonn.studies.seed_study.seed_table printed in the chapter (a header starting
    "seed", columns two spaces apart)."""
    tables, lines = {}, OUT.splitlines()
    for k, line in enumerate(lines):
        if not line.startswith("seed  "):
            continue
        header = re.split(r"\s{2,}", line.strip())
        for row in lines[k + 1 :]:
            cells = re.split(r"\s{2,}", row.strip())
            if len(cells) != len(header) or not re.fullmatch(r"\d+|min|max", cells[0]):
                break
            for column, value in zip(header[1:], cells[1:]):
                tables.setdefault(column, {})[cells[0]] = value
    return tables


def test_the_chapter_prints_every_stored_row():
    study, tables = read_seed_study(CH6B_SEEDS_CSV), _printed_tables()
    for column in list(study)[1:]:
        assert column in tables, f"the chapter prints no seed table with {column!r}"
        values = [*study[column], study[column].min(), study[column].max()]
        labels = [*map(str, study["seed"]), "min", "max"]
        for label, value in zip(labels, values):
            text = tables[column][label]
            decimals = len(text.split(".")[1]) if "." in text else 0
            half_unit = 0.5 * 10.0**-decimals
            assert abs(float(text) - value) <= half_unit + 1e-12, (column, label)


def test_lectures_design_section_has_its_errata_rows():
    errata = (ROOT / "book" / "errata.md").read_text(encoding="utf-8")
    six = re.search(
        r"^## [^\n]*\(chapter 6\)\n(.*?)(?=^## |\Z)", errata, re.M | re.S
    ).group(1)
    for needle in (
        "testing to tune hyper parameters",
        "<design-peeking>",
        "High Complexity Model – resulting in high model variance and lower model "
        "bias.",
        "<design-bias-variance>",
        "Lecture 10b, Lasso Regression",
        "<design-dropout>",
        "No Free Lunch Theorem",
        "<design-no-free-lunch>",
        "Parameter Rich",
        "<design-learning-curve>",
    ):
        assert needle in six, needle
    for label in re.findall(r"<(design-[\w-]+)>", six):
        assert f"({label})=" in TEXT, f"errata link to a missing label: {label}"


def test_dropout_is_taught_with_both_modes_and_the_scaling():
    assert "1/(1 - p)" in TEXT and "evaluation" in TEXT
    assert (
        "Dropout(p, rng=np.random.default_rng(SEED))" in CODE and "train=False" in CODE
    )
    assert "KFold(n_splits=5" in CODE


def test_the_remedies_are_scored_on_a_third_split():
    header = printed(r"^(large network.*)$")
    assert "validation" in header and "test" in header
    for remedy in ("no remedy", "L2", "early stopping", "dropout"):
        assert re.search(rf"^{remedy}.*\d\.\d{{4}}\s+[+-]\d\.\d{{4}}$", OUT, re.M), (
            remedy
        )
    assert "porosity_depth_trend" in CODE and "N_TEST_1D" in CODE
    assert re.search(r"^seeds 0–6", OUT, re.M)  # the spread over the seed study's seeds


def test_cross_validation_is_paired_and_checked_against_blocked_folds():
    assert (
        "paired_difference(" in CODE
        and "blocked_kfold(" in CODE
        and "correlogram(" in CODE
    )
    assert "(design-spatial-cv)=" in TEXT and "roberts2017" in TEXT
    assert re.search(r"^\s+0–50\s+m apart: [+-]0\.\d\d ± ", OUT, re.M)
    assert "on the map, φ − E[φ | AI] between cells 10 m apart" in OUT


def test_statements_that_were_wrong_stay_gone():
    for wrong in (
        "that no well has seen, which",
        "reached the Bayes error",
        "0.16 s",
        "6–7 times faster",
        "about 460 AI units",
        "initial-weight seed for every setting",
        "Learning rates from 0.001 to 0.01 are equally good",
    ):
        assert wrong not in TEXT, wrong
    assert "{term}`kriging` does (the geostatistical interpolation" in TEXT


def test_solutions_are_executed_code_in_gated_directives():
    labels = re.findall(r":label: (design-ex-[\w-]+)", TEXT)
    assert len(labels) == 3
    assert "::::{solution}" not in TEXT and "```python" not in TEXT
    for label in labels:
        start = next(
            k
            for k, c in enumerate(CELLS)
            if c["cell_type"] == "markdown"
            and f"{{solution-start}} {label}" in "".join(c["source"])
        )
        end = next(
            k
            for k in range(start, len(CELLS))
            if "{solution-end}" in "".join(CELLS[k]["source"])
        )
        codes = [c for c in CELLS[start:end] if c["cell_type"] == "code"]
        assert codes and all(
            "solution" in c["metadata"].get("tags", [])
            and c["metadata"]["jupyter"]
            == {"source_hidden": True, "outputs_hidden": True}
            and c["outputs"]
            for c in codes
        ), label
