"""The errata page (book/errata.md): each correction of the sources is listed with
working links, and the facts it states about the sources hold."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
ERRATA = (ROOT / "book" / "errata.md").read_text(encoding="utf-8")


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"])


def markdown(name):
    return "\n".join(
        _source(c) for c in _cells(ROOT / "book" / name) if c["cell_type"] == "markdown"
    )


# --- chapters 1-4
def _errata_section(chapter):
    # the text of one chapter's section, from its heading to the next "## " heading
    match = re.search(
        rf"^## [^\n]*\(chapter {chapter}\)\n(.*?)(?=^## |\Z)", ERRATA, re.M | re.S
    )
    assert match, f"errata page has no section for chapter {chapter}"
    return match.group(1)


@pytest.mark.parametrize(
    "chapter, needles",
    [
        (
            2,
            [
                "cannot use for gradient-based optimization",  # linear activation
                "<erratum-linear-gradient>",
                "Computationally expensive derivative calculation",  # tanh's derivative
                "<erratum-tanh-cost>",
                "Approximates Identity at the Origin",  # ReLU is not the identity at 0
                "<erratum-identity-origin>",
                "Continuously Differentiable – required",  # ReLU contradicts it
                "<erratum-continuously-differentiable>",
            ],
        ),
        (
            3,
            [
                "does not state the target",  # the target is inferred
                "$y = -1.7$",
                "<backprop-target>",
                "$-0.32$ on the three slides that follow it",
            ],
        ),  # three times, not twice
        (
            4,
            [
                "commonly used heuristic",  # "Xavier" is Glorot's eq. 1
                "<optim-xavier-heuristic>",
                "$1/\\sqrt{3+1}$",  # H4 limits use k = 2
                "$1/\\sqrt{3+2} = 0.447$",
                "<optim-h4-limits>",
                "but slower epochs",  # mini-batches and epoch cost
                "<optim-epoch-cost>",
                "parameter from previous epoch",  # Adam's epoch and r
                "where r is the learning rate",
            ],
        ),
    ],
)
def test_errata_page_lists_each_new_chapter_1_4_entry(chapter, needles):
    section = _errata_section(chapter)
    for needle in needles:
        assert needle in section, f"chapter {chapter} errata lack {needle!r}"
    assert "on two others" not in section


def test_errata_page_keeps_one_row_per_chapter_1_4_entry():
    # rows are counted in each chapter's section: 1 + 2 + 4 + 6 before the review, and
    # the review added 4 rows to chapter 2 and 4 to chapter 4 (the -0.32 row was
    # changed in place)
    rows = {
        ch: sum(
            line.startswith("| ") and not line.startswith("| Where")
            for line in _errata_section(ch).splitlines()
        )
        for ch in range(1, 5)
    }
    assert rows == {1: 1, 2: 6, 3: 4, 4: 10}


def test_errata_links_point_to_labels_in_the_chapters():
    labels = set()
    for path in (ROOT / "book").glob("*.ipynb"):
        for cell in _cells(path):
            labels.update(re.findall(r"^\(([\w-]+)\)=", _source(cell), re.M))
    for target in re.findall(r"\{ref\}`[^`<]*<([\w-]+)>`", ERRATA):
        assert target in labels, f"errata link to a missing label: {target}"


# --- chapters 5-7
@pytest.mark.parametrize(
    "needle",
    [
        "range(max(len(test_set['input']), 10000))",  # Xiao test loop
        "IndexError",
        "thermal diffusivity",  # Xiao κ and ν ranges
        "Beckouche and Ma (2014) is dictionary learning",
        "0.9589",  # lecture vs repository numbers
        "0.9885",
        "Bayes error of the generator",
    ],
)
def test_errata_page_lists_each_new_entry(needle):
    assert needle in ERRATA


def test_errata_links_have_explicit_text_and_tables_are_narrow():
    assert not re.search(r"\{ref\}`[\w-]+`", ERRATA), (
        "every {ref} needs explicit link text"
    )
    for line in ERRATA.splitlines():
        if line.startswith("|---"):
            assert line.count("|") == 4, "errata tables have three columns"
    for chapter in range(1, 8):
        assert f"(chapter {chapter})" in ERRATA


def test_xiao_test_loop_overruns_the_test_set():
    # the lecture's generator splits 10,000 samples at 0.6: 4,000 test rows
    test_set = {"input": np.zeros((int(10_000 * (1 - 0.6)), 8))}
    with pytest.raises(IndexError):
        for idx in range(max(len(test_set["input"]), 10000)):
            test_set["input"][idx, 0]


def test_xiao_kappa_nu_ranges_are_unphysical():
    nu = np.array([1e-2, 1.0]) * 1000  # the lecture's v, m² s⁻¹ if read in SI
    kappa = np.array([0.1, 1.0]) * 10000  # the lecture's k
    assert nu.max() <= 1e16 / 1e13  # mantle ν = η/ρ ≥ ~1e16 m² s⁻¹
    assert kappa.min() >= 1e-6 * 1e8  # rock κ ~ 1e-6 m² s⁻¹


def chapter5_section_of_errata():
    return ERRATA.split("(chapter 5)")[1].split("(chapter 6)")[0]


def test_errata_attributes_the_loss_to_the_repository_not_the_lecture():
    section = chapter5_section_of_errata()
    assert "the lecture's loss" not in section
    assert "The lecture extract prints no training loss" in section
    # the sources name the repository, not the notebook: say so, in the chapter too
    for text in (section, markdown("05_mantle_stability.ipynb")):
        assert "github.com/MrXiaoXiao/DLiES" in text and "not in our sources" in text
