"""Binder's path, simulated without Docker: environment.yml's pins into a fresh
venv that starts with a current setuptools (as Binder images have), then
``postBuild``; chapters 1 and 7 must run there under strict nbval.

The fast tests check the files; the slow ones build the venv (a few minutes
of pip) and run only under CI (``CI`` set) or with ``NN_SLOW=1``.  One of them
opens chapter 3 in that venv's JupyterLab in headless Chromium, as a student on
Binder does: Run All, then move the dashboard's epoch slider.
"""

import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml
from _tools import fresh_venv

ROOT = Path(__file__).resolve().parents[1]
SLOW = bool(os.environ.get("CI") or os.environ.get("NN_SLOW"))


def pip_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    return next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))


def test_environment_yml_is_a_conda_environment():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["name"] and "conda-forge" in env["channels"]
    assert "pip" in env["dependencies"]
    assert all("==" in pin for pin in pip_pins())


def test_postbuild_installs_geonn_and_is_executable():
    post = ROOT / "postBuild"
    assert os.access(post, os.X_OK), "postBuild must be executable for repo2docker"
    assert post.read_text().startswith("#!/usr/bin/env bash")


def test_every_geonn_package_is_installed():
    """pyproject lists geonn's packages by hand (to map geonn.data onto data/):
    a new subpackage must be added there, or a non-editable install lacks it."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT / "lib").parts)
        for p in (ROOT / "lib" / "geonn").rglob("__init__.py")
    }
    assert found | {"geonn.data"} == listed


def test_a_non_editable_install_finds_the_data(tmp_path):
    """`pip install .` copies data/ into the package (as geonn.data); the
    loaders find it there, away from the source tree."""
    target = tmp_path / "site"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            ".",
        ]
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    where = run(
        [
            sys.executable,
            "-c",
            "import geonn.domain.datasets as d; d.load_porosity_wells(); "
            "d.load_ai_map(); print(d.DATA_DIR)",
        ],
        cwd=tmp_path,
        env=env,
    )
    assert Path(where.strip()) == target / "geonn" / "data"


def run(cmd, cwd=ROOT, env=None):
    out = subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        shell=isinstance(cmd, str),
    )
    assert out.returncode == 0, (
        f"{cmd} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    )
    return out.stdout


slow = pytest.mark.skipif(
    not SLOW, reason="slow (builds a venv): runs under CI, or set NN_SLOW=1"
)


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    """(venv, env): environment.yml's pins and postBuild in a fresh venv, as Binder
    builds it."""
    venv = tmp_path_factory.mktemp("binder") / "venv"
    env = fresh_venv(venv)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "-q"]
    run(
        pip + ["install", "--upgrade", "pip", "setuptools>=82"], env=env
    )  # a current image
    run(pip + ["install"] + pip_pins(), env=env)  # environment.yml
    run(["bash", "postBuild"], env=env)
    return venv, env


@slow
def test_jupyterlab_runs_chapter_3_and_its_dashboard(binder, tmp_path):
    """Binder's JupyterLab, in headless Chromium: chapter 3 opens unmodified with its
    MyST rendered and its checks and solutions collapsed, Run All succeeds, and moving
    the epoch slider redraws the figure for the new epoch."""
    import _browser
    import _jupyterlab

    venv, env = binder
    browser = _browser.find_browser()
    if browser is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(_browser.INSTALL_HINT)
    start = time.perf_counter()
    lab = _jupyterlab.Lab(venv / "bin" / "jupyter", ROOT / "book", tmp_path, env=env)
    driver = _browser.start_driver(*browser)
    try:
        opened = _jupyterlab.open_notebook(driver, lab, "book/03_backprop.ipynb")
        loaded = time.perf_counter() - start
        assert opened["dirty"] is False, (
            "JupyterLab changed chapter 3 on opening (kernelspec?)"
        )
        assert opened["kernel"] == "Python 3 (ipykernel)"
        raw = [
            t[:80]
            for t in opened["rendered"]
            if re.search(r"\{(cite|numref|ref|doc)[:}]|:::\{", t)
        ]
        assert not raw, f"MyST left as raw text (is jupyterlab-myst installed?): {raw}"
        assert any(re.match(r"Exercise\s1\b", t) for t in opened["rendered"]), (
            "no exercise rendered"
        )
        assert opened["open_checks"] == 0 and opened["open_solutions"] == 0

        ran = _jupyterlab.run_all(driver)
        assert "error" not in ran and not ran["errors"] and not ran["unrun"], ran
        title = "print(dashboard.figure.axes[0].get_title())"
        before = _jupyterlab.slider(driver, "epoch")
        assert before and before["readout"] == "0" and not before["cut"], before
        assert _jupyterlab.in_kernel(driver, title).startswith("epoch 0")

        _jupyterlab.move_slider(driver, "epoch", 5)
        # the kernel redraws epoch by epoch as the slider's values reach it
        deadline = time.monotonic() + 120
        while not (shown := _jupyterlab.in_kernel(driver, title)).startswith(
            "epoch 5:"
        ):
            assert time.monotonic() < deadline, (
                f"the figure's title after the slider moved: {shown!r}"
            )
            time.sleep(0.5)
        after = _jupyterlab.slider(driver, "epoch")
        assert after["readout"] == "5" and after["image"] != before["image"], after
        print(
            f"\nJupyterLab, chapter 3: opened in {loaded:.0f} s, Run All "
            f"{ran['seconds']:.1f} s, {time.perf_counter() - start:.0f} s in all"
        )
    finally:
        driver.quit()
        lab.close()


@slow
def test_binder_install_runs_chapters_1_and_7(binder, tmp_path):
    venv, env = binder
    py, pip = (
        str(venv / "bin" / "python"),
        [str(venv / "bin" / "python"), "-m", "pip", "-q"],
    )

    # the pins restore pkg_resources, so a reader's plain `import bruges` works
    run(
        [py, "-c", "import bruges, geonn; print(geonn.__file__)"], cwd=tmp_path, env=env
    )
    nbval = [
        py,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-sanitize-with",
        "tests/nbval_sanitize.cfg",
    ]
    run(nbval + ["book/01_neurons.ipynb"], env=env)

    # without pkg_resources (setuptools >= 82), geonn still loads bruges for chapter 7
    run(pip + ["install", "--upgrade", "setuptools>=82"], env=env)
    run(
        [
            py,
            "-c",
            "import importlib.util as u; assert u.find_spec('pkg_resources') is None",
        ],
        env=env,
    )
    run(nbval + ["book/07_reflectivity.ipynb"], env=env)

    # a non-editable install carries the data files with it
    run(pip + ["install", "--no-deps", "--force-reinstall", "."], env=env)
    where = run(
        [
            py,
            "-c",
            "from geonn.domain.datasets import DATA_DIR, load_porosity_wells as w; "
            "w(); print(DATA_DIR)",
        ],
        cwd=tmp_path,
        env=env,
    )
    assert "site-packages" in where, where
