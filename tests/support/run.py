"""What the processes of one test run share. A run is one `pytest` command: with
pytest-xdist (`make test`: `-n 2`), its controller and the workers it starts; without,
the one process.

The process that starts the run (conftest.pytest_configure) makes the run's directory and
names it, and its own pid, in the environment, which the workers inherit. The processes
of the run take turns through the directory's lock (`lock`): to build the demo
template once (tests/support/databases.py), and to hand out ports.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RUN_PID = "SAFEGUARDING_TEST_RUN_PID"
RUN_DIR = "SAFEGUARDING_TEST_RUN_DIR"
_PREFIX = "safeguarding-tests-"


def start() -> bool:
    """True in the process that starts the run (which then calls end()), False in the
    workers (the run has already started)."""
    if os.environ.get(RUN_DIR):
        return False
    for old in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*"):
        pid = old.name.removeprefix(_PREFIX).split("-")[0]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)  # left by a run that was killed
    os.environ[RUN_PID] = str(os.getpid())
    os.environ[RUN_DIR] = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")
    return True


def end() -> None:
    shutil.rmtree(directory(), ignore_errors=True)
    del os.environ[RUN_DIR], os.environ[RUN_PID]


def pid() -> int:
    """The pid of the process that started the run: it names what the run makes."""
    return int(os.environ.get(RUN_PID) or os.getpid())


def directory() -> Path:
    if not os.environ.get(RUN_DIR):  # the test helpers used outside pytest
        start()
    return Path(os.environ[RUN_DIR])


@contextmanager
def lock() -> Iterator[Path]:
    """Held by one process of the run at a time; yields the run's directory."""
    path = directory()
    with open(path / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield path
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def free_port() -> int:
    """A port free now and never handed out before in the run: two workers could
    otherwise draw the same one before either binds it."""
    with lock() as path:
        given = path / "ports"
        taken = set(given.read_text().split()) if given.exists() else set()
        while True:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            if str(port) not in taken:
                with open(given, "a") as f:
                    f.write(f"{port}\n")
                return port


def alive(process: int) -> bool:
    try:
        os.kill(process, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover
        return True
    return True
