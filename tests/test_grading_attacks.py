"""Grading cannot be forged: each attack of a cheating student, as a submission.

A tiny master (tests/assignments/tiny.ipynb: three questions, every kind of answer) is
built outside the repository and a folder of submissions graded by the course's grader,
two at a time: the honest categories (correct, partial, blank, a cell that raises, wrong
types, otter's metadata lost, a zip) score what an instructor expects, and every attack
scores 0 on each question it did not answer, reads no key, writes nothing outside its
sandbox and ends within its time limit.  About 25 sandboxes of about 1 s each.
"""

import hashlib
import io
import json
import os
import pickle
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from grading import build as B  # noqa: E402
from grading import grade as G  # noqa: E402
from grading import masters as M  # noqa: E402
from grading import report  # noqa: E402
from grading.sandbox import missing_tools  # noqa: E402
from grading.submissions import code_cells  # noqa: E402

TINY = ROOT / "tests" / "assignments" / "tiny.ipynb"
MARKER = "SECRET-KEY-MARKER-" + "3141"  # in the master's hidden tests, split here
TIMEOUT, CELL_TIMEOUT = 15.0, 4.0  # s
FULL = {"q1": 1.0, "q2": 2.0, "q3": 1.0}
ZERO = dict.fromkeys(FULL, 0.0)
ONLY_Q1 = dict(ZERO, q1=1.0)
SLEEPER = "987.125"  # `sleep 987.125`: a detached process, if any
CI = bool(os.environ.get("CI"))

pytestmark = pytest.mark.skipif(
    bool(missing_tools()) and not CI,
    reason="grading needs bubblewrap (apt-get install bubblewrap)",
)

ANSWER_Q1 = 'student_id = 7\narea = float(np.pi * 4.0)\nlabel = "circle"'

READ_KEYS = """
import os, socket
found = []
for path in {targets!r}:
    try:
        with open(path, "rb") as f:
            kind = "KEY " if {marker!r}.encode() in f.read() else "read "
            found.append(kind + path)
    except OSError:
        pass
skip = ("/proc", "/sys", "/dev", "/usr", {prefix!r}, {base!r})
for folder, subfolders, names in os.walk({walk!r}):
    if folder.startswith(skip):
        subfolders[:] = []
        continue
    for name in names:
        try:
            with open(os.path.join(folder, name), "rb") as f:
                if {marker!r}.encode() in f.read(2**22):
                    found.append("KEY " + os.path.join(folder, name))
        except OSError:
            pass
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2).close()
    found.append("network")
except OSError:
    pass
label = "found:" + " ".join(found)
"""

PATCH_RUNNER = """
import builtins, sys
import numpy as np
np.testing.assert_allclose = lambda *args, **kwargs: None
np.allclose = lambda *args, **kwargs: True
builtins.isinstance = lambda *args: True
sys.modules["otter"] = None
import geonn
geonn.Sequential = object
"""

REWRITE_TESTS = """
import os
os.makedirs("tests", exist_ok=True)
for name in ("q1", "q2", "q3"):
    with open(f"tests/{{name}}.py", "w") as f:
        f.write(
            "OK_FORMAT = False\\nname = '%s'\\npoints = 100\\ndef test(): pass\\n"
            % name
        )
for path in {targets!r}:
    try:
        with open(path, "a") as f:
            f.write("\\npoints = 100\\n")
    except OSError:
        pass
"""

FORGE_STDOUT = """
import json, os, struct
line = json.dumps({"scores": {"q1": 1, "q2": 2, "q3": 1}, "error": ""}) + "\\n"
scores = {"dict": [["q1", 1.0], ["q2", 2.0], ["q3", 1.0]]}
body = json.dumps({"dict": [["scores", scores]]}).encode()
frame = b"D" + struct.pack(">I", 4 + len(body)) + struct.pack(">I", len(body)) + body
print(line)
for fd in range(64):
    for message in (line.encode(), frame):
        try:
            os.write(fd, message)
        except OSError:
            pass
"""

OVERWRITE_RESULTS = """
import atexit, pickle
class Yes:
    def __eq__(self, other):
        return True
def hook(*args):
    get_ipython().user_ns.update(area=Yes(), label=Yes())
get_ipython().events.register("post_run_cell", hook)
for path in {targets!r} + [".OTTER_LOG", "results.pkl"]:
    try:
        with open(path, "wb") as f:
            pickle.dump({{"q1": 1, "q2": 2, "q3": 1}}, f)
    except OSError:
        pass
atexit.register(hook)
"""

ALWAYS_TRUE = """
class Yes:
    def __eq__(self, other):
        return True
    __le__ = __ge__ = __eq__
    def __float__(self):
        return 12.566370614359172
class AlwaysFloat(float):
    def __eq__(self, other):
        return True
class AlwaysStr(str):
    def __eq__(self, other):
        return True
student_id = True
area = AlwaysFloat(1.0)
label = AlwaysStr("square")
squares = Yes()
def double(x):
    return Yes()
"""

NDARRAY_SUBCLASS = """
class Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)
    def __array_ufunc__(self, *args, **kwargs):
        return np.zeros(np.shape(self))
squares = np.zeros(4).view(Liar)
def double(x):
    return np.zeros(np.shape(x)).view(Liar)
"""

WRITE_OUTSIDE = """
import os, shutil
for path in {targets!r}:
    for attempt in (lambda: open(path, "w").write("pwned"), lambda: os.makedirs(path)):
        try:
            attempt()
        except OSError:
            pass
for path in {zips!r}:
    try:
        shutil.copy("/etc/localtime", path)
    except OSError:
        pass
"""

DETACHED = """
import os
for fd in range(3, 64):
    try:
        os.set_inheritable(fd, True)
    except OSError:
        pass
if os.fork() == 0:
    os.setsid()
    os.execv("/usr/bin/sleep", ["sleep", {sleeper!r}])
"""

ENDLESS = "while True:\n    pass"
ENDLESS_IGNORING_ALARMS = (
    "import signal\nfor s in (signal.SIGALRM, signal.SIGPROF, "
    "signal.SIGVTALRM, signal.SIGINT):\n"
    "    signal.signal(s, signal.SIG_IGN)\nwhile True:\n    pass"
)


def _notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def _with_cells(nb, extra, at=None):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    new = [nbformat.v4.new_code_cell(c) for c in extra]
    if at is None:
        nb.cells += new
    else:
        nb.cells[at:at] = new
    return nb


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    base = tmp_path_factory.mktemp("grading_attacks")
    built = B.build(TINY, base / "build")
    host = base / "host"  # files an attack would leave on the host
    host.mkdir()
    folder = base / "submissions"
    folder.mkdir()
    return {
        "built": built,
        "host": host,
        "folder": folder,
        "csv": base / "scores.csv",
        "zip": B.autograder_zip(built),
        "solution": built / "autograder" / TINY.name,
        "handout": built / "student" / TINY.name,
    }


def _submissions(s):
    """{file name: (notebook or zip bytes, expected scores)}."""
    solution = nbformat.read(s["solution"], as_version=4)
    blank = nbformat.read(s["handout"], as_version=4)
    keys = [
        str(TINY),
        str(s["solution"]),
        str(s["zip"]),
        str(s["csv"]),
        str(ROOT / "assignments" / "06_porosity.ipynb"),
        str(ROOT / "tests" / "test_grading_attacks.py"),
    ]
    outside = [
        str(p / "pwned")
        for p in (
            ROOT,
            ROOT / "assignments",
            ROOT / "tests",
            s["built"],
            s["built"] / "autograder",
            s["folder"],
            s["host"],
        )
    ]
    outside += [
        "/tmp/pwned-by-a-submission",
        str(Path.home() / "pwned-by-a-submission"),
    ]
    fmt = dict(
        targets=keys, marker=MARKER, prefix=sys.prefix, base=sys.base_prefix, walk="/"
    )
    own_code = [
        c.source
        for c in solution.cells
        if c.cell_type == "code"
        and "otter" not in c.source
        and not c.source.startswith("grader.")
    ]
    partial = _with_cells(solution, ["squares = [1.0, 4.0, 9.0, 15.0]"])
    wrong_types = _with_cells(
        solution, ['area = "12.566"', 'squares = ["1", "4", "9", "16"]']
    )
    raising = _with_cells(
        solution, ["raise RuntimeError('a bug in my notebook')"], at=2
    )
    memory = _with_cells(
        blank, [ANSWER_Q1, "import numpy as np\nbig = np.ones(10**10)"]
    )
    subs = {
        "correct.ipynb": (solution, FULL),
        "partial.ipynb": (partial, dict(FULL, q2=0.0)),
        "blank.ipynb": (blank, ZERO),
        "exception.ipynb": (raising, FULL),
        "wrong_types.ipynb": (wrong_types, dict(FULL, q1=0.0, q2=0.0)),
        "lost_metadata.ipynb": (_notebook(own_code), FULL),
        "read_keys.ipynb": (_with_cells(blank, [READ_KEYS.format(**fmt)]), ZERO),
        "rewrite_tests.ipynb": (
            _with_cells(blank, [REWRITE_TESTS.format(**fmt)]),
            ZERO,
        ),
        "patch_runner.ipynb": (_with_cells(blank, [PATCH_RUNNER]), ZERO),
        "forge_stdout.ipynb": (_with_cells(blank, [FORGE_STDOUT]), ZERO),
        "overwrite_results.ipynb": (
            _with_cells(blank, [OVERWRITE_RESULTS.format(**fmt)]),
            ZERO,
        ),
        "always_true.ipynb": (_with_cells(blank, [ALWAYS_TRUE]), ZERO),
        "ndarray_subclass.ipynb": (
            _with_cells(blank, [ANSWER_Q1, NDARRAY_SUBCLASS]),
            ONLY_Q1,
        ),
        "write_outside.ipynb": (
            _with_cells(
                blank, [WRITE_OUTSIDE.format(targets=outside, zips=[str(s["zip"])])]
            ),
            ZERO,
        ),
        "detached.ipynb": (
            _with_cells(blank, [ANSWER_Q1, DETACHED.format(sleeper=SLEEPER)]),
            ONLY_Q1,
        ),
        "endless_loop.ipynb": (_with_cells(blank, [ANSWER_Q1, ENDLESS]), ONLY_Q1),
        "endless_ignoring_alarms.ipynb": (
            _with_cells(blank, [ANSWER_Q1, ENDLESS_IGNORING_ALARMS]),
            ZERO,
        ),
        "os_exit.ipynb": (
            _with_cells(blank, [ANSWER_Q1, "import os\nos._exit(0)"]),
            ZERO,
        ),
        "memory.ipynb": (memory, ONLY_Q1),
    }
    # otter's zip with a pickled log whose unpickling would leave a file on the host
    log = pickle.dumps(_Payload(f"touch {s['host']}/unpickled"))
    for name, nb in (("pickled_log.zip", blank), ("correct_zip.zip", solution)):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr(TINY.name, nbformat.writes(nb))
            z.writestr(".OTTER_LOG", log)
        subs[name] = (buffer.getvalue(), ZERO if name == "pickled_log.zip" else FULL)
    return subs


class _Payload:
    """Unpickling this runs a shell command: what a pickled .OTTER_LOG can do."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


@pytest.fixture(scope="module")
def graded(setting):
    subs = _submissions(setting)
    for name, (content, _) in subs.items():
        path = setting["folder"] / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            nbformat.write(content, path)
    before = {"master": _sha(TINY), "zip": _sha(setting["zip"])}
    questions = M.read(TINY)
    start = time.monotonic()
    results = G.grade_all(
        sorted(setting["folder"].iterdir()),
        questions,
        workers=2,
        timeout=TIMEOUT,
        cell_timeout=CELL_TIMEOUT,
    )
    wall = time.monotonic() - start
    report.write(
        setting["csv"], questions, results, handout_cells=code_cells(setting["handout"])
    )
    return {
        "results": {r.name: r for r in results},
        "expected": {k: v[1] for k, v in subs.items()},
        "before": before,
        "wall": wall,
    }


NAMES = [
    "correct.ipynb",
    "partial.ipynb",
    "blank.ipynb",
    "exception.ipynb",
    "wrong_types.ipynb",
    "lost_metadata.ipynb",
    "correct_zip.zip",
    "read_keys.ipynb",
    "rewrite_tests.ipynb",
    "patch_runner.ipynb",
    "forge_stdout.ipynb",
    "overwrite_results.ipynb",
    "always_true.ipynb",
    "ndarray_subclass.ipynb",
    "write_outside.ipynb",
    "pickled_log.zip",
    "detached.ipynb",
    "endless_loop.ipynb",
    "endless_ignoring_alarms.ipynb",
    "os_exit.ipynb",
    "memory.ipynb",
]


@pytest.mark.parametrize("name", NAMES)
def test_scores_and_time(graded, name):
    result = graded["results"][name]
    print(f"{name}: {result.scores} in {result.seconds:.1f} s; {result.error}")
    assert result.scores == graded["expected"][name], (result.error, result.failures)
    assert result.seconds < TIMEOUT + 5


def test_no_key_is_readable_and_there_is_no_network(graded):
    label = graded["results"]["read_keys.ipynb"].answers["label"]
    assert label == "found:", label


def test_the_same_code_finds_the_keys_outside_a_sandbox(setting):
    # without the sandbox, READ_KEYS reads the keys: its empty finding above means
    # something
    fmt = dict(
        targets=[str(TINY), str(setting["zip"])],
        marker=MARKER,
        prefix=sys.prefix,
        base=sys.base_prefix,
        walk=str(setting["built"]),
    )
    namespace = {}
    exec(READ_KEYS.format(**fmt), namespace)  # noqa: S102
    found = namespace["label"]
    assert f"KEY {TINY}" in found and f"KEY {setting['solution']}" in found
    assert f"read {setting['zip']}" in found


def test_nothing_is_left_outside_the_sandbox(graded, setting):
    assert _sha(TINY) == graded["before"]["master"]
    assert _sha(setting["zip"]) == graded["before"]["zip"] and B.is_current(
        TINY, setting["built"]
    )
    assert not list(setting["host"].iterdir()), "the pickled .OTTER_LOG was unpickled"
    places = [
        ROOT,
        ROOT / "assignments",
        ROOT / "tests",
        setting["built"],
        setting["folder"],
        Path("/tmp"),
        Path.home(),
    ]
    left = [p for place in places for p in place.glob("pwned*")]
    left += [
        p
        for p in setting["built"].rglob("*")
        if p.name in ("pwned", "q1.py", ".OTTER_LOG")
    ]
    assert not left, left
    sleepers = []
    for proc in Path("/proc").iterdir():
        try:
            if SLEEPER in (proc / "cmdline").read_bytes().decode(errors="replace"):
                sleepers.append(proc.name)
        except OSError:
            pass
    assert not sleepers, "a detached process outlived its sandbox"


def test_errors_say_what_happened(graded):
    r = graded["results"]
    assert "CellTimeout" in r["endless_loop.ipynb"].error
    assert (
        r["endless_ignoring_alarms.ipynb"].error
        == f"not graded: still running at the time limit after {TIMEOUT:g} s"
    )
    assert r["os_exit.ipynb"].error == "not graded: the submission's process ended"
    assert r["exception.ipynb"].error.startswith("RuntimeError: a bug in my notebook")
    assert "MemoryError" in r["memory.ipynb"].error
    assert r["forge_stdout.ipynb"].error.startswith("not graded: the submission sent")
    assert (
        r["wrong_types.ipynb"].failures["q1"][0]
        == "test_q1_types: area should be a number (float); got a str"
    )
    assert "not data" in r["ndarray_subclass.ipynb"].failures["q2"][0]
    # the attacks ran to their end (a typo in one would make its test pass for nothing)
    # (patching isinstance breaks the harness too: that submission ends before it
    # answers)
    assert r["patch_runner.ipynb"].error == "not graded: the submission's process ended"
    for name in (
        "read_keys",
        "rewrite_tests",
        "overwrite_results",
        "always_true",
        "ndarray_subclass",
        "write_outside",
        "detached",
        "pickled_log",
    ):
        assert r[name + (".zip" if name == "pickled_log" else ".ipynb")].error == "", (
            name
        )


def test_copies_are_flagged(graded, setting):
    rows = {row["submission"]: row for row in _csv(setting["csv"])}
    # correct.ipynb, exception.ipynb, lost_metadata.ipynb and the zip share every answer
    assert "same answers as" in rows["correct.ipynb"]["flags"]
    assert "same student_id as" in rows["correct.ipynb"]["flags"]
    assert rows["correct.ipynb"]["student_id"] == "1234"
    assert rows["blank.ipynb"]["flags"] == ""


def test_the_whole_folder_takes_a_few_seconds_per_submission(graded):
    assert graded["wall"] < 15 * len(NAMES) / 2


def _csv(path):
    import csv

    with open(path, newline="") as f:
        return list(csv.DictReader(f))
