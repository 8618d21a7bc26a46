"""Re-run notebooks in place, top to bottom, storing outputs but no widget state.

    python tools/execute.py book/01_neurons.ipynb [...]

Runs from the notebook's own folder, as Jupyter and nbval do, with one BLAS
thread so that stored outputs match what CI replays.  Stores the kernelspec as
JupyterLab writes it (the display name of the installed kernel, "Python 3
(ipykernel)"), so that a chapter opened on Binder does not look edited at once.
A cell tagged ``remove-stderr`` (a progress bar a reader should see live, not
stored) keeps no stderr output: the book leaves it out by that tag, and JupyterLab
would show the stored bar as a pink error-like box.
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def jupyterlab_kernelspec(name="python3"):
    """The kernelspec metadata JupyterLab stores for kernel ``name``: any other
    display name is rewritten on opening, and the tab shows unsaved changes."""
    spec = KernelSpecManager().get_kernel_spec(name)
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


def execute(path):
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    # coalesce_streams: a tqdm bar redraws itself many times; store only its
    # final state, so the HTML shows one finished bar instead of every redraw
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        coalesce_streams=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    # No widget state is stored: a saved dashboard shows dead sliders in the
    # static HTML (and whatever state a hidden cell left); the book shows a
    # static figure instead, and the dashboard runs on Binder.  The state is
    # dropped after the run, because nbclient's store_widget_state=False
    # crashes on an Output widget (KeyError in output_widget.py).
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = jupyterlab_kernelspec()
    for cell in nb.cells:
        if "remove-stderr" in cell.metadata.get("tags", []):
            cell.outputs = [
                o
                for o in cell.outputs
                if not (o.output_type == "stream" and o.name == "stderr")
            ]
    nbformat.write(nb, path)
    print(f"{path}: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for p in sys.argv[1:]:
        execute(p)
