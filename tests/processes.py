"""Real `trace` processes for tests of what happens when several run at once or one is killed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

# Bounds for waiting on a process (never asserted: a test fails only if the thing never happens).
PATIENCE = 30.0


def start(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`trace --root ROOT ARGS` as its own process, its output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "learntrace", "--root", str(root), "--no-cache", *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TRACE_NO_CACHE": "1", **(env or {})},
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=PATIENCE)
    return process.returncode, out, err


def trace(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    return finish(start(root, *args, env=env))


def wait_for(path: Path, process: subprocess.Popen[str] | None = None) -> None:
    """Until `path` exists; fails (with the process's output) if it never does or the process ends first."""
    deadline = time.monotonic() + PATIENCE
    while not path.exists():
        if process is not None and process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"the process ended before {path.name} appeared: {out}{err}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} never appeared")
        time.sleep(0.01)


class Paused:
    """A trace command stopped inside its change (TRACE_TEST_PAUSE_IN_LOCK, see journal.py): it holds the lock
    and has read the records; `go()` lets it write."""

    def __init__(self, root: Path, hook: Path, *args: str) -> None:
        self.hook = hook
        self.process = start(root, *args, env={"TRACE_TEST_PAUSE_IN_LOCK": str(hook)})
        wait_for(Path(f"{hook}.held"), self.process)

    def go(self) -> tuple[int, str, str]:
        Path(f"{self.hook}.go").touch()
        return finish(self.process)
