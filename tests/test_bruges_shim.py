"""The pkg_resources stand-in of ``geonn.domain.datasets.elastic.bruges_reflection``,
run for real: a fresh interpreter in which ``pkg_resources`` cannot be imported at all
(whether or not this environment's setuptools still ships it)."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import importlib.abc, importlib.metadata, sys

    class Block(importlib.abc.MetaPathFinder):
        hits = 0
        def find_spec(self, name, path=None, target=None):
            if name == "pkg_resources":
                Block.hits += 1
                raise ModuleNotFoundError("No module named 'pkg_resources'", name=name)
            return None

    sys.modules.pop("pkg_resources", None)
    sys.meta_path.insert(0, Block())
    from geonn.domain.datasets.elastic import bruges_reflection
    reflection = bruges_reflection()
    import bruges
    assert Block.hits >= 1, (
        "bruges never asked for pkg_resources: the stand-in was not exercised"
    )
    assert "pkg_resources" not in sys.modules, "the stand-in was left in sys.modules"
    version = importlib.metadata.version("bruges")
    assert bruges.__version__ == version, bruges.__version__
    r = reflection.zoeppritz_rpp(2500., 1200., 2.3, 2700., 1400., 2.4, theta1=0.0)
    r0 = (2700 * 2.4 - 2500 * 2.3) / (2700 * 2.4 + 2500 * 2.3)
    assert abs(float(r.real) - r0) < 1e-12
    # chapter 8's wavelet, through the same import
    from geonn.domain.datasets import ricker
    t, w = ricker(30.0)
    assert w.shape == (65,) and w[32] == 1.0
    print("ok", Block.hits)
""")


def test_bruges_imports_through_the_stand_in_when_pkg_resources_is_missing():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")
