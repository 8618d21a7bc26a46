"""Helpers shared by tests: load a script of ``tools/`` as a module, so a test can call
its functions (the seed studies' runner, the transfer grid); make a fresh venv for the
slow tests that install the course as Binder or Gradescope would."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def load_tool(name):
    """``tools/<name>.py`` as a fresh module (module-level state is never shared
    between tests)."""
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fresh_venv(venv):
    """Create a venv at ``venv`` from this Python; return the environment that runs in
    it alone: its ``bin`` first on PATH, no user site or PYTHONPATH, one BLAS thread."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = dict(
        os.environ,
        PATH=f"{venv / 'bin'}:{os.environ['PATH']}",
        VIRTUAL_ENV=str(venv),
        OPENBLAS_NUM_THREADS="1",
        PYTHONNOUSERSITE="1",
    )
    env.pop("PYTHONPATH", None)
    return env
