"""One pinned source of versions: requirements.txt and environment.yml agree,
and the Binder files are in place."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {
    "numpy",
    "matplotlib",
    "ipywidgets",
    "scikit-learn",
    "jupyter-book",
    "nbval",
    "pytest",
    "ipykernel",
    "tqdm",
    "bruges",
    "jax",
    "jaxlib",
    "keras",
    "jupyterlab",
    "jupyterlab-myst",
}


def _pins(lines):
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            specs = list(req.specifier)
            assert len(specs) == 1 and specs[0].operator == "==", (
                f"{line!r} is not pinned with =="
            )
            pins[req.name.lower()] = specs[0].version
    return pins


def requirements():
    return _pins((ROOT / "requirements.txt").read_text().splitlines())


def environment():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip) == 1, "environment.yml needs exactly one pip section"
    return env, _pins(pip[0])


def test_environment_yml_and_requirements_agree():
    assert environment()[1] == requirements()


def test_required_packages_are_pinned():
    pins = requirements()
    assert REQUIRED <= set(pins), f"not pinned: {REQUIRED - set(pins)}"
    assert pins["jupyter-book"] == "1.0.4.post1"


def test_environment_uses_python_311():
    env, _ = environment()
    assert "python=3.11" in env["dependencies"]


def test_library_ranges_admit_the_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = requirements()
    for dep in project["dependencies"]:
        req = Requirement(dep)
        assert req.name.lower() in pins, (
            f"{req.name} is a geonn dependency but is not pinned"
        )
        assert req.specifier.contains(pins[req.name.lower()]), (
            f"{req.name} pin outside {req.specifier}"
        )


def test_binder_layout():
    assert not (ROOT / "binder").exists(), (
        "a binder/ folder hides environment.yml and postBuild"
    )
    post = (ROOT / "postBuild").read_text()
    assert re.search(r"pip install --no-deps -e \.", post)


def test_jupyterlab_myst_is_built_for_the_pinned_jupyterlab():
    # jupyterlab-myst 2.x is a JupyterLab 4 extension (1.x was for JupyterLab 3)
    pins = requirements()
    assert (
        pins["jupyterlab"].split(".")[0] == "4"
        and pins["jupyterlab-myst"].split(".")[0] == "2"
    )


def test_jax_and_jaxlib_are_one_release_and_keras_is_keras_3():
    # jax refuses to import with a jaxlib of another release; the appendix needs Keras 3
    pins = requirements()
    assert pins["jax"] == pins["jaxlib"], (
        f"jax {pins['jax']} with jaxlib {pins['jaxlib']}"
    )
    assert pins["keras"].split(".")[0] == "3"
