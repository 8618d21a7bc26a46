"""pytest settings shared by the unit tests (tests/) and the nbval run over book/.

It lives at the root because a conftest.py under tests/ would not apply to book/.

The per-notebook budget (60 s) is measured in CPU time of the notebook's kernel,
not on the wall clock: on a busy machine the wall time of a notebook can double
while its CPU time stays flat, and a busy machine must not fail the book. Wall
time is reported beside it, for information only.

CPU time is not flat when processes compete for the cores (caches and memory are
shared): under `make test`'s side-by-side jobs a 50 s chapter measured 66 s, and two
notebooks side by side each measured 10-30 % more than alone. So the budget is
enforced in the pass that runs the notebooks one at a time with nothing beside it
(the default BLAS kernel); the replay under a second kernel, which runs beside the
book build, sets NOTEBOOK_BUDGET=report and only prints its times.

CPU time is not flat either when BLAS runs several threads: idle threads spin, and a
chapter of 26 s on one thread measured 65-78 s on two, with identical outputs. The
budget is for one thread, so pytest_configure pins BLAS and OpenMP to one thread in
os.environ, which every kernel that nbval starts inherits: `pytest --nbval book`
measures the same with or without the Makefile's exports."""

import os
import time

import pytest

NOTEBOOK_BUDGET_S = 60.0
# read by OpenBLAS, by OpenMP builds of BLAS and by MKL when a kernel loads NumPy
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
ENFORCE_BUDGET = os.environ.get("NOTEBOOK_BUDGET", "enforce") != "report"
_nb_cpu = {}
_nb_wall = {}


def _process_cpu_seconds(pid):
    """User + system CPU seconds of a process and its waited-for children (Linux /proc),
    or None where /proc is not available."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            # the command name (field 2) may contain spaces: split after its closing ")"
            fields = f.read().rsplit(")", 1)[1].split()
        utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
        return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _kernel_cpu_seconds(item):
    kernel = getattr(item.parent, "kernel", None)
    try:
        pid = kernel.km.provisioner.process.pid
    except AttributeError:
        return None
    return _process_cpu_seconds(pid)


def pin_threads(environ=os.environ):
    """One BLAS/OpenMP thread for every process started from now on (the notebooks'
    kernels), whatever the shell set: the CPU budget is measured on one thread."""
    for name in THREAD_VARIABLES:
        environ[name] = "1"


def pytest_configure(config):
    # before any kernel starts (nbval starts them while running the first cell)
    pin_threads()


def pytest_collectstart(collector):
    # tqdm progress bars (elapsed time, it/s) and library warnings go to
    # stderr; the results a reader sees go to stdout, which stays compared.
    if (
        getattr(collector, "path", None) is not None
        and collector.path.suffix == ".ipynb"
    ):
        collector.skip_compare += ("stderr",)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    if item.path.suffix != ".ipynb":
        yield
        return
    cpu_start, wall_start = _kernel_cpu_seconds(item), time.perf_counter()
    yield
    cpu_end, name = _kernel_cpu_seconds(item), item.path.name
    _nb_wall[name] = _nb_wall.get(name, 0.0) + time.perf_counter() - wall_start
    if cpu_start is not None and cpu_end is not None:
        _nb_cpu[name] = _nb_cpu.get(name, 0.0) + cpu_end - cpu_start


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist (`make test`'s replay runs ``-n 2``): gather the times that a worker
    measured; ``--dist loadfile`` ran all cells of each of its notebooks there."""
    times = getattr(node, "workeroutput", {}).get("notebook_times")
    if times:
        _nb_cpu.update(times["cpu"])
        _nb_wall.update(times["wall"])


def pytest_sessionfinish(session, exitstatus):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller reports and fails
        workeroutput["notebook_times"] = {"cpu": _nb_cpu, "wall": _nb_wall}
        return
    if not _nb_wall:
        return
    print(
        "\nnotebook run times (kernel CPU / wall clock): "
        + ", ".join(
            f"{k} {_nb_cpu[k]:.1f}s / {v:.1f}s" if k in _nb_cpu else f"{k} ? / {v:.1f}s"
            for k, v in sorted(_nb_wall.items())
        )
    )
    slow = {k: round(v, 1) for k, v in _nb_cpu.items() if v > NOTEBOOK_BUDGET_S}
    if slow:
        print(f"notebooks over the {NOTEBOOK_BUDGET_S:.0f} s CPU budget: {slow}")
        if ENFORCE_BUDGET:
            session.exitstatus = 1
    if len(_nb_cpu) < len(_nb_wall):
        print(
            "kernel CPU time unavailable (no /proc) for some notebooks: "
            "budget not checked for them"
        )
