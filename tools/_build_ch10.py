"""Write book/10_gans.ipynb from the cell sources below (unexecuted; then run tools/execute.py).

Kept so the chapter's cells can be edited as one Python file; not part of the course."""
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS = []


def md(text):
    CELLS.append(new_markdown_cell(text.strip("\n")))


def code(text, tags=None, fig=None, alt=None):
    meta = {}
    if tags:
        meta["tags"] = list(tags)
    if fig:
        caption, name = fig
        meta["mystnb"] = {"figure": {"caption": caption, "name": name}, "image": {"alt": alt}}
    CELLS.append(new_code_cell(text.strip("\n"), metadata=meta))


HERE = Path(__file__).resolve().parent
exec((HERE / "_ch10_cells.py").read_text(encoding="utf-8"))

nb = new_notebook(cells=CELLS, metadata={
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"}})
out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "book" / "10_gans.ipynb"
nbformat.write(nb, out)
print(f"wrote {out}: {len(CELLS)} cells")
