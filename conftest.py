"""pytest settings shared by the unit tests (tests/) and the nbval run over book/.

It lives at the root because a conftest.py under tests/ would not apply to book/."""
import time

import pytest

NOTEBOOK_BUDGET_S = 60.0
_nb_seconds = {}


def pytest_collectstart(collector):
    # tqdm progress bars (elapsed time, it/s) and library warnings go to
    # stderr; the results a reader sees go to stdout, which stays compared.
    if getattr(collector, "path", None) is not None and collector.path.suffix == ".ipynb":
        collector.skip_compare += ("stderr",)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    start = time.perf_counter()
    yield
    if item.path.suffix == ".ipynb":
        _nb_seconds[item.path.name] = _nb_seconds.get(item.path.name, 0.0) + time.perf_counter() - start


def pytest_sessionfinish(session, exitstatus):
    slow = {k: v for k, v in _nb_seconds.items() if v > NOTEBOOK_BUDGET_S}
    if _nb_seconds:
        print("\nnotebook run times: " + ", ".join(f"{k} {v:.1f}s" for k, v in sorted(_nb_seconds.items())))
    if slow:
        print(f"notebooks over the {NOTEBOOK_BUDGET_S:.0f} s budget: {slow}")
        session.exitstatus = 1
