"""Build a master with otter assign: the student notebook and the autograder zip.

``build(master)`` writes ``_build/assignments/<master>/``: ``student/`` (the notebook to
hand out and its ``geonn/``) and ``autograder/`` (the master with its solutions, and
``<master>-autograder.zip`` for Gradescope or ``otter grade``).  The zip carries the
tests, a copy of ``lib/geonn`` and an environment for the course's Python (3.11, from
environment.yml) with geonn's dependencies, scipy and setuptools pinned as in
requirements.txt.  ``autograder/manifest.json`` records the SHA-256 of the master, of
geonn and of the zip: ``is_current`` trusts a built zip only when all three still match,
never by its date.
"""

import hashlib
import json
import shutil
import tempfile
import tomllib
from pathlib import Path

import nbformat
import yaml
from packaging.requirements import Requirement

from .masters import ROOT

BUILD = ROOT / "_build" / "assignments"
GEONN = ROOT / "lib" / "geonn"
# imported at run time beyond pyproject's dependencies: scipy (by 09/10's hidden tests),
# setuptools 81 (bruges imports pkg_resources), and JAX and Keras (the appendix's
# master)
EXTRA_PINS = ("scipy", "setuptools", "jax", "jaxlib", "keras")


def course_python():
    """The Python version of environment.yml ("3.11")."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = [
        d.split("=", 1)[1]
        for d in env["dependencies"]
        if isinstance(d, str) and d.startswith("python=")
    ]
    if len(found) != 1:
        raise ValueError("environment.yml must pin python=X.Y once")
    return found[0]


def autograder_requirements():
    """geonn's dependencies and EXTRA_PINS, pinned as in requirements.txt."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            pins[Requirement(line).name.lower()] = line
    names = [Requirement(d).name.lower() for d in project["dependencies"]]
    names += list(EXTRA_PINS)
    return "\n".join(pins[n] for n in dict.fromkeys(names)) + "\n"


def autograder_zip(result):
    return result / "autograder" / f"{result.name}-autograder.zip"


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree_sha256(folder):
    """One hash over the names and contents of the source files below ``folder``."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
            h.update(str(p.relative_to(folder)).encode() + b"\0")
            h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def _manifest(master, result):
    return {
        "master": master.name,
        "master_sha256": sha256(master),
        "geonn_sha256": tree_sha256(GEONN),
        "requirements": autograder_requirements(),
        "python": course_python(),
    }


def _stage(master, stage):
    """The master (the course's Python in its config), geonn and requirements.txt."""
    nb = nbformat.read(master, as_version=4)
    config_cell = nb.cells[0]
    lines = config_cell.source.splitlines()
    config = yaml.safe_load("\n".join(lines[1:]))
    config["python_version"] = course_python()
    config_cell.source = lines[0] + "\n" + yaml.safe_dump(config, sort_keys=False)
    nbformat.write(nb, stage / master.name)
    shutil.copytree(
        GEONN, stage / "geonn", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    (stage / "requirements.txt").write_text(autograder_requirements())


def build(master, out=BUILD):
    """otter assign ``master`` into ``out/<stem>/{student,autograder}``; returns it."""
    from otter.assign import main as otter_assign

    result = Path(out).resolve() / master.stem
    shutil.rmtree(result, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp)
        _stage(master, stage)
        otter_assign(
            str(stage / master.name), str(result), no_pdfs=True, no_run_tests=True
        )
    stamped = sorted((result / "autograder").glob(f"{master.stem}-autograder_*.zip"))
    if len(stamped) != 1:
        raise RuntimeError(
            f"otter assign wrote {len(stamped)} autograder zips for {master.name}"
        )
    ag_zip = autograder_zip(result)
    stamped[0].rename(ag_zip)  # a stable name, without otter's time stamp
    manifest = dict(_manifest(master, result), zip_sha256=sha256(ag_zip))
    text = json.dumps(manifest, indent=1) + "\n"
    (result / "autograder" / "manifest.json").write_text(text)
    return result


def is_current(master, result):
    """True when ``result`` was built from this master and geonn, and its zip is as
    built."""
    try:
        manifest = json.loads((result / "autograder" / "manifest.json").read_text())
        return manifest == dict(
            _manifest(master, result), zip_sha256=sha256(autograder_zip(result))
        )
    except (OSError, ValueError):
        return False


def ensure_built(master, out=BUILD):
    """The build folder of ``master``, rebuilt unless ``is_current``."""
    result = Path(out).resolve() / master.stem
    return result if is_current(master, result) else build(master, out)
