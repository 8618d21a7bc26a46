"""The HTML book shows each dashboard honestly: a static figure and a pointer to
Binder, never a stored widget whose sliders move but redraw nothing.

So no notebook in book/ stores widget state (tools/execute.py runs with
``store_widget_state=False``), and every cell that builds a dashboard is tagged
``remove-output`` (or ``remove-cell``) with a markdown cell beside it that
sends the reader to Binder."""

import re
from pathlib import Path

import nbformat
import pytest

import geonn.studies.widgets

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DASHBOARDS = [
    name
    for name in geonn.studies.widgets.__all__
    if name.endswith(("_dashboard", "_explorer"))
]
CALL = re.compile(r"\b(?:%s)\s*\(" % "|".join(DASHBOARDS))
HIDDEN = {"remove-output", "remove-cell"}


def dashboard_cells(nb):
    """Indices of the code cells that build a dashboard or store a widget view."""
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        and (
            CALL.search(c.source)
            or any(WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", []))
        )
    ]


def test_the_three_dashboards_are_known():
    assert {"activation_explorer", "backprop_dashboard", "porosity_dashboard"} <= set(
        DASHBOARDS
    )


def test_execute_does_not_store_widget_state():
    text = (ROOT / "tools" / "execute.py").read_text()
    assert "store_widget_state=False" in text
    assert 'nb.metadata.pop("widgets", None)' in text, (
        "an earlier run's widget state must go too"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_widget_state_is_stored(path):
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, (
        f"{path.name} stores widget state: re-run it with tools/execute.py (make "
        "execute)"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_dashboard_output_is_not_rendered_and_binder_is_offered(path):
    nb = nbformat.read(path, as_version=4)
    for i in dashboard_cells(nb):
        tags = set(nb.cells[i].metadata.get("tags", []))
        assert tags & HIDDEN, (
            f"{path.name} cell {i} builds a dashboard: tag it remove-output "
            "and show a static figure, the HTML book cannot run it"
        )
        if "remove-cell" in tags:
            continue  # a check's own copy, never shown: nothing to point to Binder
        near = nb.cells[max(0, i - 3) : i + 4]
        assert any(c.cell_type == "markdown" and "Binder" in c.source for c in near), (
            f"{path.name} cell {i}: say beside the dashboard that it runs on Binder"
        )
