"""geonn's layers: core <- domain <- studies. A module imports only from its own
layer or the layers below it, and ``import geonn`` loads the core alone."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[1] / "lib"
PACKAGE = LIB / "geonn"
RANK = {"core": 0, "domain": 1, "studies": 2}
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path):
    parts = path.relative_to(LIB).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def rank(name):
    """The layer of a module of geonn; the package ``geonn`` itself re-exports the
    core and so sits above everything (nothing inside the library imports it)."""
    parts = name.split(".")
    return RANK[parts[1]] if len(parts) > 1 else len(RANK)


def is_module(name):
    path = LIB.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported(path, name):
    """Every geonn module that the module ``name`` (in ``path``) imports, at any depth
    (also inside functions), with relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "geonn")
        elif isinstance(node, ast.ImportFrom):
            target = node.module
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            if target.split(".")[0] == "geonn":
                if not f"{name}.".startswith(f"{target}."):  # a parent is loaded anyway
                    yield target
                # `from geonn.studies import plotting` imports geonn.studies.plotting
                yield from (
                    f"{target}.{a.name}"
                    for a in node.names
                    if is_module(f"{target}.{a.name}")
                )


def upward(path, name):
    if name == "geonn":  # geonn/__init__.py: the core only, so `import geonn` is cheap
        return [t for t in imported(path, name) if t != "geonn.core"]
    return [t for t in imported(path, name) if rank(t) > rank(name)]


def test_every_module_sits_in_a_layer():
    top = sorted(
        p.name
        for p in PACKAGE.iterdir()
        if p.suffix == ".py" or (p / "__init__.py").is_file()
    )
    assert top == ["__init__.py", *sorted(RANK)]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_higher_layer(path):
    name = module_name(path)
    assert not upward(path, name), (
        f"{name} imports a higher layer: {upward(path, name)}"
    )


def test_the_rule_catches_upward_imports(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from ..studies import gan\n"
        "def f():\n    from geonn.domain.datasets import make_traces\n"
    )
    assert upward(probe, "geonn.core.probe") == [
        "geonn.studies",
        "geonn.studies.gan",
        "geonn.domain.datasets",
    ]
    assert upward(probe, "geonn.studies.probe") == []


def test_import_geonn_loads_the_core_only():
    code = (
        "import sys, geonn\n"
        "print(sorted(m for m in sys.modules if m.startswith('geonn')))\n"
        "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    loaded = eval(out[0])
    assert loaded[0] == "geonn" and all(
        m.startswith("geonn.core") for m in loaded[1:]
    ), loaded
    assert out[1] == "False False", (
        "import geonn must not load matplotlib or ipywidgets"
    )


def test_core_names_at_the_top_and_the_other_layers_on_first_use():
    import geonn
    from geonn import MSE, Adam, Dense, Sequential, fit  # noqa: F401  (what chapters import)

    assert geonn.Dense is geonn.core.layers.Dense and set(geonn.__all__) <= set(
        dir(geonn)
    )
    assert (
        geonn.studies.surfaces.Bowl
        is importlib.import_module("geonn.studies.surfaces").Bowl
    )
    assert geonn.domain.processing.bandpass
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        geonn.studies.nothing  # noqa: B018


@pytest.mark.parametrize("layer", ["domain", "studies"])
def test_lazy_names_are_the_modules_of_the_folder(layer):
    package = importlib.import_module(f"geonn.{layer}")
    found = {
        p.stem if p.suffix == ".py" else p.name
        for p in (PACKAGE / layer).iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()
    }
    assert set(package._LAZY) == found
