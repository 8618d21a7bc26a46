"""Exercise solutions are executed code, collapsed for JupyterLab, and shown in the HTML
in a closed dropdown (sphinx-exercise's gated directives).

A solution is a Markdown cell opening ```{solution-start} LABEL``` (with
``:class: dropdown``), then code and Markdown cells, then a Markdown cell
```{solution-end}```. nbval replays the code cells like any other, so a solution
that breaks (or whose printed numbers drift) fails CI. The code cells carry
``jupyter.source_hidden`` and ``jupyter.outputs_hidden`` so that a student opening
the chapter on Binder does not see the answer at a glance. The browser test
(tests/test_browser.py) checks the built page: each solution a closed dropdown
holding code.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))  # the chapters and the appendix

OLD = re.compile(r"^:{3,}\{solution\}", re.M)  # the one-cell directive
START = re.compile(
    r"^```\{solution-start\}\s+(\S+)[ \t]*\n((?::[\w-]+:.*\n)*)```", re.M
)
END = re.compile(r"^```\{solution-end\}[ \t]*\n```", re.M)
EXERCISE_LABEL = re.compile(r"^:label:\s*(\S+)", re.M)


def solutions(cells):
    """[(label, options, [cells inside])] in order; raises AssertionError on bad
    nesting."""
    found, current = [], None
    for i, c in enumerate(cells):
        src = "".join(c["source"])
        if c["cell_type"] == "markdown":
            starts, ends = START.findall(src), END.findall(src)
            assert len(starts) + len(ends) <= 1 or (
                starts
                and ends
                and src.index("solution-start") < src.index("solution-end")
            ), f"cell {i}: put solution-start and solution-end in cells of their own"
            if starts:
                assert current is None, (
                    f"cell {i}: solution {starts[0][0]} starts inside solution "
                    f"{current[0]}"
                )
                current = (starts[0][0], starts[0][1], [])
            elif current is not None and re.search(r"^#{1,6} ", src, re.M):
                raise AssertionError(
                    f"cell {i}: a heading inside solution {current[0]} "
                    "(sphinx-exercise merges only siblings of one section)"
                )
            if ends:
                assert current is not None, (
                    f"cell {i}: solution-end without a solution-start"
                )
                found.append(current)
                current = None
                continue
        if current is not None and not START.search(src):
            current[2].append(c)
    assert current is None, f"solution {current[0]} has no solution-end"
    return found


def _cells(path):
    return json.loads(path.read_text())["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_solution_is_an_unexecuted_markdown_fence(path):
    md = "\n".join(
        "".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown"
    )
    assert not OLD.search(md), (
        f"{path.name}: a {{solution}} directive in Markdown is never run; "
        "use {solution-start} ... {solution-end} around code cells"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_solution_is_gated_executed_and_collapsed(path):
    cells = _cells(path)
    found = solutions(cells)
    md = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    exercises = EXERCISE_LABEL.findall(md)
    labels = [label for label, _, _ in found]
    assert len(set(labels)) == len(labels), (
        f"{path.name}: a solution is given twice: {labels}"
    )
    assert set(labels) == set(exercises), (
        f"{path.name}: exercises without a solution "
        f"{sorted(set(exercises) - set(labels))}, solutions "
        f"without an exercise {sorted(set(labels) - set(exercises))}"
    )
    for label, options, inside in found:
        assert ":class: dropdown" in options, (
            f"{path.name}: solution {label} is not a dropdown"
        )
        code = [c for c in inside if c["cell_type"] == "code"]
        assert code, f"{path.name}: solution {label} has no code cell"
        for c in code:
            meta = c["metadata"]
            assert (
                meta.get("jupyter", {}).get("source_hidden") is True
                and meta.get("jupyter", {}).get("outputs_hidden") is True
            ), (
                f"{path.name}: a code cell of solution {label} is not collapsed for "
                "JupyterLab"
            )
            assert "solution" in meta.get("tags", []), (
                f"{path.name}: tag the code of {label} 'solution'"
            )
            assert not {"remove-cell", "remove-input", "hide-input", "hide-cell"} & set(
                meta.get("tags", [])
            ), f"{path.name}: solution {label} hides its own code inside the dropdown"
            assert c["execution_count"] is not None, (
                f"{path.name}: solution {label} was stored unexecuted"
            )
            assert not any(
                o.get("output_type") == "error" for o in c.get("outputs", [])
            ), f"{path.name}: solution {label} stored an error"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_solution_follows_its_exercise(path):
    """In the HTML a solution sits under its exercise: the exercise comes first in the
    notebook."""
    md = [
        ("".join(c["source"]), i)
        for i, c in enumerate(_cells(path))
        if c["cell_type"] == "markdown"
    ]
    where = {}
    for src, i in md:
        for m in EXERCISE_LABEL.finditer(src):
            where[m[1]] = i
    for src, i in md:
        for m in START.finditer(src):
            assert m[1] in where and where[m[1]] < i, (
                f"{path.name}: solution {m[1]} comes before its exercise"
            )


def test_the_structure_check_catches_bad_solutions():
    def md(s):
        return {"cell_type": "markdown", "source": s, "metadata": {}}

    start, end = (
        "```{solution-start} ex-a\n:class: dropdown\n```",
        "```{solution-end}\n```",
    )
    with pytest.raises(AssertionError, match="no solution-end"):
        solutions([md(start)])
    with pytest.raises(AssertionError, match="without a solution-start"):
        solutions([md(end)])
    with pytest.raises(AssertionError, match="a heading inside"):
        solutions([md(start), md("## Next"), md(end)])
    with pytest.raises(AssertionError, match="starts inside"):
        solutions([md(start), md(start.replace("ex-a", "ex-b")), md(end)])
    assert OLD.search(
        "::::{solution} ex-a\n:class: dropdown\n```python\nx = 1\n```\n::::"
    )
