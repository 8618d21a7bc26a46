"""Reading submissions as data: the code cells of a notebook, or of a zip's notebook.

Nothing in a submission is executed or unpickled here: a notebook is JSON, and of a zip
only its one ``.ipynb`` is read (otter's ``.OTTER_LOG`` and any other file are ignored).
"""

import zipfile
from pathlib import Path

import nbformat

MAX_NOTEBOOK = 50 * 2**20  # bytes


class Unreadable(ValueError):
    """A submission with no notebook to grade (the reason is its message)."""


def files(folder):
    """The .ipynb and .zip submissions in ``folder``, sorted by name."""
    return sorted(
        p
        for p in Path(folder).iterdir()
        if p.suffix in (".ipynb", ".zip") and not p.name.startswith(".") and p.is_file()
    )


def _notebook_text(path):
    if path.suffix == ".ipynb":
        if path.stat().st_size > MAX_NOTEBOOK:
            raise Unreadable(f"the notebook is larger than {MAX_NOTEBOOK >> 20} MB")
        return path.read_bytes().decode("utf-8", errors="replace")
    try:
        with zipfile.ZipFile(path) as z:
            notebooks = [
                i
                for i in z.infolist()
                if i.filename.endswith(".ipynb")
                and not i.is_dir()
                and "__MACOSX" not in i.filename
                and ".ipynb_checkpoints" not in i.filename
            ]
            if len(notebooks) != 1:
                raise Unreadable(f"the zip holds {len(notebooks)} notebooks, not one")
            if notebooks[0].file_size > MAX_NOTEBOOK:
                raise Unreadable(f"the notebook is larger than {MAX_NOTEBOOK >> 20} MB")
            with z.open(notebooks[0]) as f:
                return f.read(MAX_NOTEBOOK + 1).decode("utf-8", errors="replace")
    except zipfile.BadZipFile as e:
        raise Unreadable(f"BadZipFile: {e}") from None


def code_cells(path):
    """The sources of the submission's code cells, in order; raises Unreadable."""
    text = _notebook_text(Path(path))
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as e:  # noqa: BLE001  (nbformat raises several kinds)
        raise Unreadable(f"{type(e).__name__}: {e}".replace("\n", " ")[:300]) from None
    return [
        c.source
        for c in nb.cells
        if c.get("cell_type") == "code" and isinstance(c.source, str)
    ]
