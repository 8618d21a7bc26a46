"""The autograder zip works where Gradescope runs it: a fresh environment built from the
zip's own files, then otter's ``run_autograder``, as Gradescope's ``run_otter.py``
calls it.

Gradescope creates a conda environment from the zip's environment.yml (Python, then the
pip list: otter-grader and the course's pins); here a venv of the course's Python gets
the same pip list, which is what decides the versions.  Every master's solutions must
then score full marks.  The environment takes a few minutes of pip, so the test runs
under CI (``CI`` set) or with ``NN_SLOW=1``, as tests/test_binder.py does.
"""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from _tools import fresh_venv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from grading import build as B  # noqa: E402
from grading import masters as M  # noqa: E402

SLOW = bool(os.environ.get("CI") or os.environ.get("NN_SLOW"))


def run(cmd, cwd=None, env=None):
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    assert out.returncode == 0, (
        f"{cmd} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    )
    return out.stdout


def zip_environment(ag_zip):
    """(python version, pip requirements, conda packages) of the zip's
    environment.yml."""
    with zipfile.ZipFile(ag_zip) as z:
        env = yaml.safe_load(z.read("environment.yml"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    python = next(d.split("=", 1)[1] for d in conda if d.startswith("python="))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return python, pip, [d for d in conda if not d.startswith("python") and d != "pip"]


@pytest.mark.skipif(
    not SLOW, reason="slow (builds a venv): runs under CI, or set NN_SLOW=1"
)
def test_masters_score_full_marks_in_the_zips_environment(tmp_path):
    built = {m: B.build(m, tmp_path / "build") for m in M.masters()}
    envs = {json.dumps(zip_environment(B.autograder_zip(r))) for r in built.values()}
    assert len(envs) == 1, "every zip asks for the same environment"
    python, pip, conda = json.loads(envs.pop())
    assert python == B.course_python() == "3.11"
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == python, (
        "the test builds the zip's environment with this Python"
    )

    venv = tmp_path / "gradescope"
    env = fresh_venv(venv)
    py = str(venv / "bin" / "python")
    run([py, "-m", "pip", "install", "-q", "--upgrade", "pip"], env=env)
    run([py, "-m", "pip", "install", "-q", *pip, *conda], env=env)
    versions = json.loads(
        run(
            [
                py,
                "-c",
                "import json, scipy, setuptools, otter; "
                "print(json.dumps([scipy.__version__, "
                "setuptools.__version__, otter.__version__]))",
            ],
            env=env,
        )
    )
    assert versions == ["1.17.1", "81.0.0", "7.0.0"]

    for master, result in built.items():
        ag = tmp_path / "runs" / master.stem / "autograder"
        for sub in ("source", "submission", "results"):
            (ag / sub).mkdir(parents=True)
        with zipfile.ZipFile(B.autograder_zip(result)) as z:
            z.extractall(ag / "source")
        solution = (result / "autograder" / master.name).read_bytes()
        (ag / "submission" / master.name).write_bytes(solution)
        # what the zip's run_otter.py does on Gradescope, with this folder for
        # /autograder
        run(
            [py, "-c", f"from otter.run.run_autograder import main; main({str(ag)!r})"],
            cwd=ag,
            env=env,
        )
        results = json.loads((ag / "results" / "results.json").read_text())
        scores = {
            t["name"]: (t["score"], t["max_score"])
            for t in results["tests"]
            if t.get("max_score") is not None
        }
        auto = {q.name: q.points for q in M.read(master) if not q.manual}
        assert scores == {q: (p, p) for q, p in auto.items()}, (master.stem, scores)
