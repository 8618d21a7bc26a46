"""Grade submissions: each in its own sandbox, its answers checked in this process.

``grade_one`` grades one submission: it reads the notebook's code cells (as data), runs
them in a fresh sandbox (sandbox.py, harness.py), receives the declared answers as data,
converts them to their kinds (answers.py) and runs the master's tests on them here
(checks.py).  ``grade_all`` grades many in parallel, one sandbox per worker at a time.
"""

import os
import queue
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

import numpy as np

from . import answers as A
from .checks import run_question
from .masters import declared_answers
from .sandbox import Sandbox, SandboxError
from .submissions import Unreadable, code_cells

TIMEOUT = 300.0  # s of wall clock per submission
CELL_TIMEOUT = 60.0  # s of CPU per cell, and per call of a student's function
_live = set()  # running sandboxes, killed on Ctrl-C
_live_lock = threading.Lock()


@dataclass
class Result:
    name: str
    scores: dict  # {question: points}
    error: str = ""  # why points may be missing
    answers: dict = field(default_factory=dict)  # {name: value or answers.Refused}
    cells: list = field(default_factory=list)  # the submission's code cells
    failures: dict = field(default_factory=dict)  # {question: [failed tests]}
    seconds: float = 0.0


def _clean(text, limit=300):
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def first_error(errors):
    """'Error: message (in the cell starting "...")' for the first cell that failed."""
    for e in errors if type(errors) is list else []:
        if type(e) is dict:
            return _clean(
                f"{e.get('ename')}: {e.get('evalue')} "
                f'(in the cell starting "{e.get("cell", "")}")'
            )
    return ""


def grade_one(path, questions, slot=0, timeout=TIMEOUT, cell_timeout=CELL_TIMEOUT):
    """Result of one submission; a submission that cannot be graded scores 0 with the
    reason in ``error``, and never raises."""
    start = time.monotonic()
    auto = [q for q in questions if not q.manual]
    result = Result(path.name, {q.name: 0.0 for q in auto})
    try:
        result.cells = code_cells(path)
    except Unreadable as e:
        result.error = f"not graded: {_clean(e)}"
        return result
    kinds = declared_answers(questions)
    deadline = start + timeout
    cell_timeout = min(cell_timeout, timeout)
    try:
        with Sandbox(slot, deadline) as box:
            with _live_lock:
                _live.add(box)
            try:
                _grade_in(box, result, auto, kinds, timeout, cell_timeout)
            finally:
                with _live_lock:
                    _live.discard(box)
    except SandboxError as e:
        reason = f"{e} after {timeout:g} s" if "time limit" in str(e) else str(e)
        earlier = f"; {result.error}" if result.error else ""
        result.error = f"not graded: {reason}{earlier}"
    except OSError as e:
        result.error = f"not graded: the sandbox did not start: {e}"
    result.seconds = time.monotonic() - start
    return result


def _grade_in(box, result, auto, kinds, timeout, cell_timeout):
    budget = max(1.0, 0.75 * timeout - 2.0)  # the rest is for the tests' calls
    box.send(
        {
            "cells": result.cells,
            "answers": kinds,
            "cell_timeout": cell_timeout,
            "budget": budget,
        }
    )
    reply = box.recv()
    if type(reply) is not dict or type(reply.get("values")) is not dict:
        raise SandboxError("the submission sent no answers")
    result.error = first_error(reply.get("errors"))

    def call(name, args, kwargs):
        try:
            box.send(
                {
                    "op": "call",
                    "name": name,
                    "args": args,
                    "kwargs": kwargs,
                    "errstate": np.geterr(),
                }
            )
            return box.recv()  # the harness stops it after cell_timeout s of CPU
        except SandboxError as e:
            raise A.SubmissionError(f"{name}: {e}") from None

    for name, kind in kinds.items():
        try:
            node = reply["values"].get(name)
            result.answers[name] = A.convert(name, kind, node, call)
        except A.Refused as e:
            result.answers[name] = e
    for q in auto:
        outcome = run_question(q, result.answers)
        result.scores[q.name] = outcome.score
        if outcome.failures:
            result.failures[q.name] = outcome.failures
    box.close()


def preflight(timeout=60.0):
    """Start one empty sandbox; raises SandboxError (with bwrap's reason) if it
    fails."""
    with Sandbox(0, time.monotonic() + timeout) as box:
        box.send({"cells": [], "answers": {}, "cell_timeout": 10.0, "budget": 10.0})
        box.recv()
        box.close()


def workers_default():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


def grade_all(
    paths,
    questions,
    workers=None,
    timeout=TIMEOUT,
    cell_timeout=CELL_TIMEOUT,
    progress=None,
):
    """[Result] in the order of ``paths``, graded ``workers`` at a time;
    ``progress(i, n, result)`` is called as each one finishes."""
    workers = max(1, int(workers or workers_default()))
    slots = queue.Queue()
    for slot in range(workers):
        slots.put(slot)

    def one(path):
        slot = slots.get()
        try:
            return grade_one(path, questions, slot, timeout, cell_timeout)
        finally:
            slots.put(slot)

    results = {}
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = {pool.submit(one, p): p for p in paths}
        for done, future in enumerate(as_completed(futures), 1):
            results[futures[future]] = result = future.result()
            if progress:
                progress(done, len(paths), result)
    except BaseException:  # e.g. Ctrl-C: stop every sandbox, then give up
        pool.shutdown(wait=False, cancel_futures=True)
        with _live_lock:
            for box in list(_live):
                box.kill()
        raise
    pool.shutdown()
    return [results[p] for p in paths]
