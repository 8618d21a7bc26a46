"""The set-up around the library: the notebooks' kernels run BLAS on one thread (the
conftest pins it, so the 60 s CPU budget does not depend on the shell), and the package
metadata use the SPDX licence string that setuptools requires from 2027."""

import importlib.util
import json
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _root_conftest():
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pin_threads_overrides_what_the_shell_set():
    conftest = _root_conftest()
    environ = {"OPENBLAS_NUM_THREADS": "4", "OMP_NUM_THREADS": "8", "PATH": "/bin"}
    conftest.pin_threads(environ)
    assert environ == {
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PATH": "/bin",
    }


def test_a_kernel_started_after_the_pin_runs_blas_on_one_thread(monkeypatch, tmp_path):
    """What nbval does: start a kernel (jupyter_client, the parent's os.environ) after
    pytest_configure; the kernel's NumPy must report one BLAS thread even when the
    shell asked for four."""
    manager = pytest.importorskip("jupyter_client.manager")
    for name in _root_conftest().THREAD_VARIABLES:
        monkeypatch.setenv(name, "4")
    _root_conftest().pin_threads()  # monkeypatch restores os.environ afterwards
    out = tmp_path / "threads.json"
    code = (
        "import json, os\n"
        "import numpy\n"
        "from threadpoolctl import threadpool_info\n"
        "blas = [i['num_threads'] for i in threadpool_info() if i['user_api'] == "
        "'blas']\n"
        "env = {k: os.environ.get(k) for k in "
        "('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS')}\n"
        f"json.dump({{'blas': blas, 'env': env}}, open({str(out)!r}, 'w'))\n"
    )
    km, kc = manager.start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        reply = kc.execute_interactive(code, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    seen = json.loads(out.read_text())
    assert set(seen["env"].values()) == {"1"}
    assert seen["blas"] and set(seen["blas"]) == {1}


def test_the_licence_is_an_spdx_string_with_its_file():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = meta["project"]
    assert project["license"] == "MIT"  # a table ({text = ...}) is deprecated
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    # PEP 639 fields need setuptools ≥ 77 to build
    assert "setuptools>=77" in meta["build-system"]["requires"]
