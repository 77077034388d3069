"""One trace command at a time changes the records: an advisory lock on a file beside them.

The lock file sits in the git folder when the records are in a git repository (`.git/trace.lock`, or the
worktree's own git folder), so that nothing in the work tree changes and a pull request cannot commit one;
outside git it is `.trace.lock` at the root (gitignored). Every command that reads records in order to
change them holds the lock from the read to the last write, so two edits never interleave.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from learntrace.errors import TraceError

LOCK_NAME = "trace.lock"  # inside the git folder
JOURNAL_NAME = "trace-journal.json"
ROOT_LOCK_NAME = ".trace.lock"  # at the root, outside git (gitignored)
ROOT_JOURNAL_NAME = ".trace-journal.json"
# How long a command waits for another one to finish before it gives up (seconds).
DEFAULT_WAIT = 120.0
_POLL = 0.05

# Locks this process holds, by lock file: taking one again (a command calling a helper that locks) is free.
_held: dict[str, int] = {}


def git_dir(root: Path) -> tuple[Path, Path] | None:
    """The git folder of the repository holding `root` (`.git`, or where a worktree's `.git` file points),
    and the folder at the top of the work tree; None outside git."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git, folder
        if dot_git.is_file():
            try:
                first = dot_git.read_text(encoding="utf-8", errors="replace").splitlines()[:1]
            except OSError:
                return None
            if first and first[0].startswith("gitdir:"):
                target = Path(first[0][len("gitdir:"):].strip())
                target = target if target.is_absolute() else folder / target
                return (target, folder) if target.is_dir() else None
            return None
    return None


@dataclass(frozen=True)
class StateFiles:
    """Where trace keeps its lock and its journal for the records under a root."""

    lock: Path
    journal: Path
    root_name: str  # the root relative to the work tree's top ("." for the top itself)


def state_files(root: Path) -> StateFiles:
    real = root.resolve()
    found = git_dir(real)
    if found is None:
        return StateFiles(real / ROOT_LOCK_NAME, real / ROOT_JOURNAL_NAME, ".")
    folder, top = found
    return StateFiles(folder / LOCK_NAME, folder / JOURNAL_NAME, real.relative_to(top).as_posix())


def lock_path(root: Path) -> Path:
    return state_files(root).lock


def _open_lock(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags, 0o644)
    except OSError as error:
        raise TraceError(
            f"cannot open the lock file {path} ({error.strerror or error}), so trace cannot make sure no other "
            "trace command changes the records at the same time; check that folder is writable"
        ) from error


def _try_lock(fd: int, shared: bool) -> bool:
    if sys.platform == "win32":  # no fcntl: a byte-range lock does the same job
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _wait_limit() -> float:
    try:
        return float(os.environ.get("TRACE_LOCK_WAIT", DEFAULT_WAIT))
    except ValueError:
        return DEFAULT_WAIT


@contextlib.contextmanager
def file_lock(path: Path, on_wait: Callable[[str], None] | None = None, shared: bool = False) -> Iterator[None]:
    """Hold the lock on `path` (created if need be) for the block; waits for another holder, saying so once
    through `on_wait`, and gives up with a sentence after TRACE_LOCK_WAIT seconds (default 120)."""
    key = str(path)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    fd = _open_lock(path)
    try:
        if not _try_lock(fd, shared):
            if on_wait is not None:
                on_wait("Waiting for another trace command to finish changing the records...")
            deadline = time.monotonic() + _wait_limit()
            while not _try_lock(fd, shared):
                if time.monotonic() > deadline:
                    raise TraceError(
                        f"another trace command has been changing the records for over {_wait_limit():.0f} "
                        f"seconds; wait for it to finish and run this again (the lock is {path})"
                    )
                time.sleep(_POLL)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            _unlock(fd)
    finally:
        os.close(fd)


def holds_lock(path: Path) -> bool:
    """Whether this process holds the lock on this lock file now."""
    return str(path) in _held
