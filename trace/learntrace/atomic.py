"""Write files so that an interrupted run never leaves one half-written, and change several
files all together or not at all."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path


def _file_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _discard(path: Path) -> None:
    # Cleaning up after a failure: a temporary file that is already gone is fine.
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _stage(path: Path, data: bytes) -> Path:
    """The data in a hidden temporary file beside `path` (same folder, so the rename is atomic)."""
    # A leading dot and .tmp: trace (and editors) ignore it should a crash leave it behind.
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, _file_mode(path))  # mkstemp creates 0600; keep the old mode or the usual one
    except BaseException:
        _discard(temp)
        raise
    return temp


def write_atomically(path: Path, data: bytes) -> None:
    """Replace (or create) a file so that it is never seen half-written. Raises OSError."""
    temp = _stage(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        _discard(temp)
        raise


def apply_atomically(root: Path, writes: Sequence[tuple[str, bytes]], removes: Sequence[str] = ()) -> None:
    """Write and remove files under `root`, all or none: every temporary file first, then the
    renames; should a rename fail part way, the files already changed get their old contents back."""
    removed = [root / rel for rel in removes]
    originals: dict[Path, bytes | None] = {}
    for target in [root / rel for rel, _ in writes] + removed:
        originals[target] = target.read_bytes() if target.exists() else None
    staged: list[tuple[Path, Path]] = []
    try:
        for rel, data in writes:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_stage(target, data), target))
    except BaseException:
        for temp, _ in staged:
            _discard(temp)
        raise
    done: list[Path] = []
    try:
        for temp, target in staged:
            os.replace(temp, target)
            done.append(target)
        for target in removed:
            target.unlink()
            done.append(target)
    except BaseException:
        for temp, _ in staged:
            _discard(temp)
        for target in reversed(done):
            original = originals[target]
            if original is None:
                _discard(target)
            else:
                write_atomically(target, original)
        raise
