"""What a student sees on opening a notebook in JupyterLab (Binder's interface).

- The kernelspec is stored as JupyterLab writes it: any other display name is
  rewritten the moment the notebook opens, and its tab shows unsaved changes.
- A progress bar meant to be watched live (a cell tagged ``remove-stderr``) is not
  stored: JupyterLab shows stored stderr as a pink, error-like box.
- The book-only check cells (``remove-cell``: asserts, controls turned as a reader
  would) are stored with their source collapsed, so they do not read as part of
  the lesson; they still run, so nbval checks them as before.

The solution cells' collapse is checked by tests/test_solutions.py, and the
live path (JupyterLab in Chromium) by tests/test_binder.py.
"""

import json
from pathlib import Path

import nbformat
import pytest
from _tools import load_tool

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb")) + sorted(
    (ROOT / "assignments").glob("*.ipynb")
)
JUPYTERLAB_KERNELSPEC = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}


def _nb(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_installed_kernel_is_the_one_jupyterlab_names():
    """The stored name is the one ipykernel's kernel spec gives JupyterLab."""
    assert load_tool("execute").jupyterlab_kernelspec() == JUPYTERLAB_KERNELSPEC


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_kernelspec_is_what_jupyterlab_writes(path):
    assert _nb(path)["metadata"].get("kernelspec") == JUPYTERLAB_KERNELSPEC, (
        f"{path.name}: JupyterLab would rewrite this kernelspec on opening (the tab "
        f"shows unsaved changes); store {JUPYTERLAB_KERNELSPEC}"
    )


def book_only_cells_shown(cells):
    """Indices of ``remove-cell`` code cells whose source JupyterLab would show."""
    return [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code"
        and "remove-cell" in c["metadata"].get("tags", [])
        and c["metadata"].get("jupyter", {}).get("source_hidden") is not True
    ]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "book").glob("*.ipynb")), ids=lambda p: p.stem
)
def test_book_only_cells_are_collapsed(path):
    shown = book_only_cells_shown(_nb(path)["cells"])
    assert not shown, (
        f"{path.name}: remove-cell code cells {shown} show their source in "
        "JupyterLab; set metadata jupyter.source_hidden = true"
    )


def test_the_collapse_check_catches_an_open_check_cell():
    def code(meta):
        return {"cell_type": "code", "metadata": meta, "source": "assert True"}

    cells = [
        code({"tags": ["remove-cell"], "jupyter": {"source_hidden": True}}),
        code({"tags": ["remove-cell"]}),
        code({"tags": ["hide-input"]}),
    ]
    assert book_only_cells_shown(cells) == [1]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "book").glob("*.ipynb")), ids=lambda p: p.stem
)
def test_no_stderr_is_stored_where_the_tag_removes_it(path):
    stored = [
        i
        for i, c in enumerate(_nb(path)["cells"])
        if "remove-stderr" in c["metadata"].get("tags", [])
        and any(o.get("name") == "stderr" for o in c.get("outputs", []))
    ]
    assert not stored, (
        f"{path.name}: cells {stored} store stderr; re-run with tools/execute.py"
    )


@pytest.mark.parametrize("stem", ["10_gans", "11_seismic_images", "12_seismic_dreams"])
def test_training_chapters_store_no_progress_bar(stem):
    cells = _nb(ROOT / "book" / f"{stem}.ipynb")["cells"]
    assert not [
        o for c in cells for o in c.get("outputs", []) if o.get("name") == "stderr"
    ]


def test_execute_stores_the_jupyterlab_kernelspec(tmp_path):
    """tools/execute.py rewrites a stale display name ("Python 3") as it runs, and
    drops the stderr of a cell tagged remove-stderr."""
    bar = nbformat.v4.new_code_cell(
        "import sys\nsys.stderr.write('bar')\nprint('kept')"
    )
    bar.metadata["tags"] = ["remove-stderr"]
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("print(6 * 7)"), bar]
    )
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    load_tool("execute").execute(path)
    stored = _nb(path)
    assert stored["metadata"]["kernelspec"] == JUPYTERLAB_KERNELSPEC
    assert "".join(stored["cells"][0]["outputs"][0]["text"]) == "42\n"
    assert [(o["name"], "".join(o["text"])) for o in stored["cells"][1]["outputs"]] == [
        ("stdout", "kept\n")
    ]
