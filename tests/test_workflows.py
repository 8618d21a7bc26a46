"""The GitHub workflows call the README's commands, and those Make targets exist.

A renamed Make target or README command would otherwise break publishing
silently (the deploy workflow only runs on main)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"


def load(name):
    wf = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as True
    wf["on"] = wf.pop(True, wf.get("on"))
    return wf


def steps(wf):
    return [s for job in wf["jobs"].values() for s in job.get("steps", [])]


def runs(wf):
    return [s["run"].strip() for s in steps(wf) if "run" in s]


def uses(wf):
    return [s["uses"].split("@")[0] for s in steps(wf) if "uses" in s]


def readme_commands():
    """The commands of the README's first bash block: `make book`, `make test`."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def make_targets():
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))


def test_readme_gives_make_book_and_make_test():
    assert readme_commands()[:2] == ["make book", "make test"]
    assert {"book", "test"} <= make_targets()


def test_pages_workflow_builds_with_the_readme_command_and_deploys():
    wf = load("pages.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    build, test = readme_commands()[:2]
    assert build in runs(wf), f"pages.yml must build with the README's `{build}`"
    assert test not in runs(wf), (
        "publishing builds from stored outputs; tests run on PRs"
    )
    for action in (
        "actions/checkout",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ):
        assert action in uses(wf), f"pages.yml does not use {action}"
    upload = next(
        s
        for s in steps(wf)
        if s.get("uses", "").startswith("actions/upload-pages-artifact")
    )
    assert upload["with"]["path"] == "_build/html"
    assert wf["permissions"] == {
        "contents": "read",
        "pages": "write",
        "id-token": "write",
    }


def test_book_is_built_without_execution():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "off"


def test_pr_workflow_runs_ci_script_which_runs_make_test():
    wf = load("ci.yml")
    assert "pull_request" in wf["on"]
    assert any(r.endswith(".ci/run") for r in runs(wf)), "ci.yml must run .ci/run"
    ci = (ROOT / ".ci" / "run").read_text()
    test = readme_commands()[1]
    assert re.search(rf"^\s*{re.escape(test)}\s*$", ci, re.M), (
        f".ci/run must run `{test}`"
    )
