"""A sandbox for one submission: bubblewrap, an unprivileged uid, resource limits.

The submission's Python runs (through harness.py) with

- a view of the file system that holds only the operating system (/usr, read-only), the
  course's Python and venv and ``geonn`` (read-only, at their own paths), the harness,
  and a fresh, size-limited, private /tmp as its working folder: not the repository, the
  masters, the built tests, the answer keys, the other submissions or the host's /tmp;
- no network (a new network namespace with only a loopback), its own PID, IPC and UTS
  namespaces, no capabilities;
- uid 60000 + slot when the grader runs as root (setpriv drops to it inside the
  sandbox), otherwise the grader's uid, seen as 65534 in a user namespace;
- limits (prlimit) on CPU time, address space, file size, open files and processes;
- a wall-clock deadline, after which the whole process group is killed; since the
  sandbox has its own PID namespace, that also ends any process the submission started
  or detached.

Nothing is written outside the sandbox: the submission goes in and the answers come out
through its stdin/stdout (frames of wire.py), and its /tmp disappears with it.
"""

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import wire

HERE = Path(__file__).resolve().parent
HARNESS_FILES = ("harness.py", "wire.py")
INSIDE = "/grader"  # where the harness lives in the sandbox
FIRST_UID = 60000  # uid of sandbox slot 0 when grading as root
TMP_BYTES = 256 * 2**20  # the submission's /tmp
STARTERS = ("bwrap:", "setpriv:", "prlimit:")  # their messages when a sandbox fails
LIMITS = {"as": 4 * 2**30, "fsize": 256 * 2**20, "nofile": 256, "nproc": 64, "core": 0}


class SandboxError(RuntimeError):
    """The sandbox could not be started, or ended before answering."""


def missing_tools():
    """Names of the programs the sandbox needs that are not installed."""
    needed = ["bwrap", "prlimit"] + (["setpriv"] if os.geteuid() == 0 else [])
    return [name for name in needed if shutil.which(name) is None]


def _readable_paths():
    """Host folders the submission may read: Python, the venv, geonn and its data."""
    import geonn

    paths = {Path(sys.base_prefix), Path(sys.prefix), Path(geonn.__file__).parent}
    try:
        from geonn.domain.datasets import DATA_DIR

        paths.add(Path(DATA_DIR))
    except ImportError:
        pass
    paths = sorted(p.resolve() for p in paths if p.exists())
    # a folder inside another one is mounted with it
    return [p for p in paths if not any(q != p and p.is_relative_to(q) for q in paths)]


def _owner(path):
    try:
        return path.stat().st_uid
    except OSError:
        return None


def command(slot, cpu_seconds, root=None):
    """The argv that starts the harness in slot ``slot`` (0, 1, ...); ``root``: whether
    the grader runs as root (default: ask the system)."""
    root = os.geteuid() == 0 if root is None else root
    limits = dict(LIMITS, cpu=int(cpu_seconds) + 1)
    if not root:  # RLIMIT_NPROC counts all the uid's processes: room for the user's
        limits["nproc"] += sum(
            1
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and _owner(p) == os.getuid()
        )
    argv = [
        "prlimit",
        *(f"--{k}={v}" for k, v in limits.items()),
        "--",
        "bwrap",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    for name in ("bin", "lib", "lib64", "sbin"):
        if Path("/" + name).is_symlink():
            argv += ["--symlink", os.readlink("/" + name), "/" + name]
        elif Path("/" + name).is_dir():
            argv += ["--ro-bind", "/" + name, "/" + name]
    for name in ("/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf"):
        argv += ["--ro-bind-try", name, name]
    argv += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--perms",
        "1777",
        "--size",
        str(64 * 2**20),
        "--tmpfs",
        "/dev/shm",
        "--perms",
        "1777",
        "--size",
        str(TMP_BYTES),
        "--tmpfs",
        "/tmp",
    ]
    made = set()
    for path in _readable_paths():
        for parent in reversed(path.parents[:-1]):  # readable mount points above it
            if parent not in made:
                argv += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        argv += ["--ro-bind", str(path), str(path)]
    argv += ["--perms", "0755", "--dir", INSIDE]
    for name in HARNESS_FILES:
        argv += ["--ro-bind", str(HERE / name), f"{INSIDE}/{name}"]
    argv += ["--chdir", "/tmp"]
    python = [
        str(Path(sys.prefix) / "bin" / "python"),
        "-I",
        "-B",
        f"{INSIDE}/harness.py",
    ]
    if root:
        uid = str(FIRST_UID + slot)
        argv += [
            "--",
            "setpriv",
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            *python,
        ]
    else:
        argv += [
            "--unshare-user",
            "--uid",
            "65534",
            "--gid",
            "65534",
            "--disable-userns",
            "--",
            *python,
        ]
    return argv


def environment():
    keep = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE",) if k in os.environ}
    return dict(
        keep,
        PATH=f"{sys.prefix}/bin:/usr/bin:/bin",
        HOME="/tmp",
        USER="student",
        LANG="C.UTF-8",
        MPLBACKEND="Agg",
        MPLCONFIGDIR="/tmp/.matplotlib",
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        JOBLIB_MULTIPROCESSING="0",
    )


class Sandbox:
    """One running harness; ``send`` pickles to it, ``recv`` decodes its data frames.

    Every ``recv`` takes a deadline (``time.monotonic()`` seconds); past it, or on any
    malformed frame, the sandbox is killed and SandboxError raised.  Use as a context
    manager: leaving it kills the process group, whatever happened.
    """

    def __init__(self, slot, deadline):
        self.deadline = deadline
        cpu = max(1.0, deadline - time.monotonic()) + 5
        # what bwrap, setpriv or Python say if the sandbox cannot start (the harness
        # sends the submission's own output nowhere)
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            command(slot, cpu),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=environment(),
            start_new_session=True,
        )
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.ended = None  # why the sandbox stopped answering, once it did

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        self.log.close()

    def close(self, wait=2.0):
        """Ask the harness to exit, give it ``wait`` s, then kill what is left."""
        try:
            self.send({"op": "exit"})
            self.proc.wait(timeout=wait)
        except (SandboxError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            # bounded: bwrap, and its PID namespace with it, die with the group
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def _fail(self, reason):
        self.kill()
        if self.ended is None:
            self.log.seek(0)
            said = self.log.read(4096).decode(errors="replace").strip().splitlines()
            starting = [line for line in said if line.startswith(STARTERS)]
            self.ended = (
                f"the sandbox did not start: {starting[0]}" if starting else reason
            )
        raise SandboxError(self.ended)

    def send(self, obj):
        if self.ended:
            raise SandboxError(self.ended)
        try:
            self.proc.stdin.write(wire.pickle_frame(obj))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            self._fail("the submission's process ended")

    def _read(self, n, deadline):
        fd, chunks = self.proc.stdout.fileno(), []
        while n:
            left = min(deadline, self.deadline) - time.monotonic()
            if left <= 0:
                self._fail("still running at the time limit")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(fd, min(n, 2**20))
            except BlockingIOError:
                continue
            if not chunk:
                self._fail("the submission's process ended")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def recv(self, deadline=float("inf")):
        if self.ended:
            raise SandboxError(self.ended)
        kind, n = wire.HEADER.unpack(self._read(wire.HEADER.size, deadline))
        if kind != b"D" or n > wire.MAX_FRAME:
            self._fail(f"the submission sent a malformed message ({kind!r}, {n} bytes)")
        body = self._read(n, deadline)
        try:
            return wire.decode(body)
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as e:
            self._fail(f"the submission sent a malformed message: {e}")
