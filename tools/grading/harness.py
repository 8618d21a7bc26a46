"""Runs one submission inside the sandbox and answers the grader's requests.

The grader starts ``python -I -B harness.py`` in the sandbox (see sandbox.py) and talks
to it over stdin/stdout in frames (wire.py):

1. it sends the job (pickled, grader → sandbox): the code cells, the declared answers
   ``{name: kind}``, the CPU-time limit per cell and the wall-clock budget for all
   cells;
2. the harness runs the cells in an IPython shell, in order, each under a timer (a cell
   that raises or runs out of time is recorded and the next cell runs), then sends the
   answers as data: ``{"errors": [...], "values": {name: node}}``;
3. the grader may then ask it to call the submission's functions (``{"op": "call"}``) on
   arguments the grader chose; each reply is data (the result, or the exception's name
   and message), plus the new value of any array argument the function changed in place;
4. ``{"op": "exit"}`` ends it (the grader kills the sandbox anyway).

The submission's code runs in this process, so it can tamper with all of the above: that
only changes what the grader receives, which is decoded as data and checked there.
"""

import os
import signal
import sys
import time
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wire  # noqa: E402  (next to this file in the sandbox)


class CellTimeout(KeyboardInterrupt):
    """A cell or call ran past its time limit (a KeyboardInterrupt, so that the
    submission's ``except Exception`` does not swallow it)."""


def _on_alarm(signum, frame):
    raise CellTimeout("stopped at its time limit")


def _timer(cpu, wall=0.0):
    """Interrupt the code running after ``cpu`` s of CPU time (CPU, so that a busy
    machine does not stop an honest cell) or ``wall`` s of wall clock; 0 cancels."""
    signal.setitimer(signal.ITIMER_PROF, cpu)
    signal.setitimer(signal.ITIMER_REAL, wall)


class Channel:
    def __init__(self, fd_in, fd_out):
        self.fd_in, self.fd_out = fd_in, fd_out

    def _read(self, n):
        chunks = []
        while n:
            chunk = os.read(self.fd_in, n)
            if not chunk:
                raise EOFError("the grader closed the channel")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def recv(self):
        kind, n = wire.HEADER.unpack(self._read(wire.HEADER.size))
        if kind != b"P":
            raise ValueError(f"unexpected frame {kind!r}")
        import pickle

        return pickle.loads(self._read(n))

    def send(self, value):
        try:
            message = wire.data_frame(value)
        except (wire.NotData, ValueError, TypeError, OverflowError) as e:
            message = wire.data_frame({"raised": "NotData", "message": str(e)})
        view = memoryview(message)
        while view:
            view = view[os.write(self.fd_out, view) :]


def fake_otter():
    """An ``otter`` module whose Notebook does nothing: the submission's
    ``grader.check("q1")`` cells run without otter's tests (the grader has them)."""
    module = types.ModuleType("otter")

    class Notebook:
        def __init__(self, *args, **kwargs):
            pass

        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    module.Notebook = Notebook
    return module


def network(net):
    """A geonn Sequential of Dense/Activation/Dropout layers as data."""
    cls = type(net)
    if cls.__name__ != "Sequential" or not cls.__module__.startswith("geonn"):
        raise wire.NotData(f"a {type(net).__name__} is not a geonn Sequential")
    layers = []
    for layer in net.layers:
        name = type(layer).__name__
        if name == "Dense":
            layers.append({"layer": name, "W": layer.W.copy(), "b": layer.b.copy()})
        elif name == "Activation":
            layers.append({"layer": name, "name": str(layer.activation.name)})
        elif name == "Dropout":
            layers.append({"layer": name, "p": float(layer.p)})
        else:
            raise wire.NotData(
                f"a {name} layer (only Dense, Activation and Dropout are read)"
            )
    return {"network": layers}


def answer(namespace, name, kind):
    """The node sent for one declared answer."""
    if name not in namespace:
        return {"missing": f"{name} is not defined"}
    value = namespace[name]
    if value is Ellipsis:
        return {"missing": f"{name} is not answered (still ...)"}
    try:
        if kind == "function":
            if not callable(value):
                kind_of = type(value).__name__
                return {"missing": f"{name} is a {kind_of}, not a function"}
            return {"function": name}
        if kind == "network":
            return network(value)
        wire.encode(value)  # refuse objects here, with the reason
        return {"value": value}
    except (wire.NotData, AttributeError, TypeError, ValueError) as e:
        return {"missing": f"{name}: {e}"}


def first_line(source):
    lines = [line for line in source.strip().splitlines() if line.strip()]
    return lines[0][:60] if lines else ""


def run_cells(shell, cells, cell_timeout, budget):
    errors, start = [], time.monotonic()
    for source in cells:
        left = budget - (time.monotonic() - start)
        if left <= 0:
            errors.append(
                {
                    "ename": "NotRun",
                    "evalue": "no time left for this cell",
                    "cell": first_line(source),
                }
            )
            continue
        _timer(min(cell_timeout, left), left)  # the budget ends even a sleeping cell
        try:
            result = shell.run_cell(source, store_history=False, silent=False)
        except CellTimeout as e:  # raised outside the cell's own code
            result = None
            errors.append(
                {"ename": "CellTimeout", "evalue": str(e), "cell": first_line(source)}
            )
        finally:
            _timer(0)
        error = (
            None
            if result is None
            else (result.error_before_exec or result.error_in_exec)
        )
        if error is not None:
            errors.append(
                {
                    "ename": type(error).__name__,
                    "evalue": str(error)[:300],
                    "cell": first_line(source),
                }
            )
    return errors


def call(namespace, request, call_timeout):
    import numpy as np

    fn = namespace.get(request["name"])
    args, kwargs = request["args"], request["kwargs"]
    before = {i: a.copy() for i, a in enumerate(args) if type(a) is np.ndarray}
    _timer(call_timeout)
    try:
        with np.errstate(**request["errstate"]):
            value = fn(*args, **kwargs)
    except BaseException as e:  # noqa: BLE001  (the call's error, sent to the grader)
        return {"raised": type(e).__name__, "message": str(e)[:300]}
    finally:
        _timer(0)
    changed = {
        str(i): args[i]
        for i, old in before.items()
        if type(args[i]) is np.ndarray
        and not np.array_equal(args[i], old, equal_nan=True)
    }
    return {"value": value, "changed": changed}


def main():
    # the channel keeps the real stdin/stdout; the submission's prints go nowhere
    channel = Channel(os.dup(0), os.dup(1))
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    sys.stdin, sys.stdout, sys.stderr = (
        open(fd, mode, closefd=False) for fd, mode in ((0, "r"), (1, "w"), (2, "w"))
    )
    signal.signal(signal.SIGPROF, _on_alarm)
    signal.signal(signal.SIGALRM, _on_alarm)
    job = channel.recv()
    sys.modules["otter"] = fake_otter()

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    errors = run_cells(shell, job["cells"], job["cell_timeout"], job["budget"])
    namespace = shell.user_ns
    values = {
        name: answer(namespace, name, kind) for name, kind in job["answers"].items()
    }
    channel.send({"errors": errors, "values": values})
    while True:
        request = channel.recv()
        if request.get("op") != "call":
            break
        channel.send(call(namespace, request, job["cell_timeout"]))
    os._exit(0)


if __name__ == "__main__":
    main()
