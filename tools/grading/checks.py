"""The master's tests, run in the grader's own process on a submission's answers.

Each test cell of the master is executed here (never in the sandbox: a submission cannot
read, replace or patch it) and its ``test_*`` function called with the answers its
arguments name, as otter does.  A question's score comes from its points in the master:
all of them when every test passes (``all_or_nothing``), else the share of tests passed;
never more than its points.
"""

import inspect
from dataclasses import dataclass

from .answers import Refused


@dataclass
class Outcome:
    score: float
    failures: list  # ["test_q1_value: AssertionError: ...", ...]


def _message(error):
    text = f"{type(error).__name__}: {error}".replace("\n", " ")
    return text if len(text) <= 200 else text[:197] + "..."


def test_functions(question):
    """{test name: function}, from the master's cells, defined afresh."""
    functions = {}
    for test in question.tests:
        namespace = {"__name__": "master_tests"}
        code = compile(test.source, f"<{question.name} tests>", "exec")
        exec(code, namespace)  # noqa: S102  (the master's own code)
        functions[test.name] = namespace[test.name]
    return functions


def run_question(question, answers):
    """Outcome of ``question`` given ``answers`` ({name: value or Refused})."""
    functions = test_functions(question)
    passed, failures = 0, []
    for name, fn in functions.items():
        params = list(inspect.signature(fn).parameters)
        given = [
            answers.get(p, Refused(f"{p} is not a declared answer")) for p in params
        ]
        refused = [r for r in given if isinstance(r, Refused)]
        if refused:
            failures.append(f"{name}: {refused[0]}")
            continue
        try:
            fn(**{p: answers[p] for p in params})
        except Exception as e:  # noqa: BLE001  (any failure of a test fails it)
            failures.append(f"{name}: {_message(e)}")
        else:
            passed += 1
    total = len(functions)
    if total == 0:
        return Outcome(0.0, [f"{question.name} has no tests"])
    share = float(passed == total) if question.all_or_nothing else passed / total
    return Outcome(min(question.points, question.points * share), failures)
