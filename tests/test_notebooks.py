"""The chapters are stored executed, in order, in the course's shape, and the
table of contents lists exactly the files that exist."""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# chapters (NN_slug, and NNx_slug such as 06b_..., a chapter numbered "6b"), and
# the unnumbered appendix on frameworks, which has a chapter's shape
NOTEBOOKS = sorted((ROOT / "book").glob("[0-9][0-9]*_*.ipynb")) + [
    ROOT / "book" / "frameworks.ipynb"
]
ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:work|root|home|tmp|Users)/")


def _code_cells(path):
    cells = json.loads(path.read_text())["cells"]
    return [
        c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip()
    ]


def _toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part["chapters"]:
            files += [ch["file"]] + [sec["file"] for sec in ch.get("sections", [])]
    return files


def test_there_are_chapters():
    assert NOTEBOOKS, "no chapter notebooks found in book/"


def test_toc_lists_existing_files_and_every_chapter():
    listed = _toc_files()
    for f in listed:
        assert any((ROOT / f).with_suffix(s).exists() for s in (".md", ".ipynb")), (
            f"{f} in _toc.yml does not exist"
        )
    for nb in NOTEBOOKS:
        assert f"book/{nb.stem}" in listed, f"{nb.name} is not in _toc.yml"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_is_stored_executed_in_order(path):
    counts = [c["execution_count"] for c in _code_cells(path)]
    unrun = [i for i, n in enumerate(counts) if n is None]
    assert not unrun, (
        f"{path.name}: code cells {unrun} were saved without being run (make execute)"
    )
    assert (
        counts == sorted(counts) and len(set(counts)) == len(counts) and counts[0] == 1
    ), (
        f"{path.name}: cells were run out of order ({counts}); re-run top to bottom "
        "(make execute)"
    )


def _asserts(source):
    """True if ``source`` holds an ``assert`` statement or a ``numpy.testing``-style
    ``assert_*`` call (parsed, so a comment or a string saying "assert" does not
    count)."""
    import ast

    # IPython magics and shell lines are not Python
    code = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line
        for line in source.splitlines()
    )
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name.startswith("assert_"):
                return True
    return False


def test_the_assertion_finder_parses_instead_of_matching_text():
    assert _asserts("assert x < 1")
    assert _asserts("np.testing.assert_allclose(a, b, rtol=1e-3)")
    assert _asserts("%time y = 1\nfor a in b:\n    assert a")
    assert not _asserts("# assert nothing here\nprint('assert')")
    assert not _asserts("asserted = 3")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_ignored_outputs_are_followed_by_an_assertion(path):
    cells = _code_cells(path)
    for i, c in enumerate(cells):
        if "nbval-ignore-output" in c["metadata"].get("tags", []):
            nxt = "".join(cells[i + 1]["source"]) if i + 1 < len(cells) else ""
            assert _asserts(nxt), (
                f"{path.name}: cell {i} ignores its output but the next cell asserts "
                "nothing"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_shape_and_hygiene(path):
    text = path.read_text()
    nb = json.loads(text)
    md = "\n".join(
        "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"
    )
    for heading in ("Overview", "Prerequisites", "Summary", "Exercises"):
        assert re.search(rf"^##+ .*{heading}", md, re.MULTILINE), (
            f"{path.name}: no '{heading}' section"
        )
    assert "{exercise}" in md and ("{solution}" in md or "{solution-start}" in md), (
        f"{path.name}: exercises need sphinx-exercise"
    )
    # gated solutions (executed code cells between the two directives) must be closed
    assert md.count("{solution-start}") == md.count("{solution-end}"), (
        f"{path.name}: a {{solution-start}} without its {{solution-end}} (or the "
        "reverse)"
    )
    code = "\n".join("".join(c["source"]) for c in _code_cells(path))
    assert "default_rng(" in code, f"{path.name}: make an explicit rng"
    assert "np.random.seed" not in code, f"{path.name}: no global seeding"
    assert not ABSOLUTE_PATH.search(text), (
        f"{path.name}: contains an absolute path of this machine"
    )
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    # 2x ("retina") figures: chapter 4's thirteen figures weigh 3.3 MB; a larger
    # notebook is slow to open on Binder, so split the chapter or trim its figures
    assert len(text) < 4_000_000, f"{path.name} is {len(text) / 1e6:.1f} MB"
