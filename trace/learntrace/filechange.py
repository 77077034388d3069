"""One file of a change and the safe steps to make it: where it is really written (links followed only to
a regular file inside the root), that it still holds what was read, its new bytes staged beside it, and the
replace itself (exclusive for a new file). journal.py puts these together; use its API."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from learntrace.atomic import discard, is_temporary, stage, write_atomically
from learntrace.errors import TraceError


@dataclass(frozen=True)
class FileChange:
    """One file of a change: its path relative to the root (POSIX form), the bytes it holds now (None: it does
    not exist yet) and the bytes it will hold (None: remove it)."""

    path: str
    old: bytes | None
    new: bytes | None


@dataclass(frozen=True)
class StagedFile:
    path: str  # relative to the root, links resolved
    old: bytes | None
    new_digest: str | None
    temp: str | None  # the staged new bytes, relative to the root


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def remove_temporary_files(root: Path) -> int:
    """Delete the temporary files a killed command left under records/ (only ever while holding the lock)."""
    removed = 0
    for folder, dirs, names in os.walk(root / "records"):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in names:
            if is_temporary(name):
                discard(Path(folder, name))
                removed += 1
    return removed


# ---------------------------------------------------------------------------------------------
# Where a file is really written


def real_target(root: Path, rel: str, following: bool) -> str:
    """The path (relative to the root) that a change of `rel` writes: a link is followed to a regular file
    inside the root, anything else is refused with a sentence."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise TraceError(f"{rel} is not a path inside the records' folder; nothing was changed")
    full = root / rel
    real_root = os.path.realpath(root)
    real = os.path.realpath(full)
    if not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise TraceError(f"{rel} is a link to {real}, outside {root}; trace does not change files outside the "
                         "repository: replace the link with the record itself; nothing was changed")
    if full.is_symlink() and not following:
        return rel
    if os.path.lexists(real) and not os.path.isfile(real):
        raise TraceError(f"{rel} is not a regular file, so trace cannot change it; nothing was changed")
    return Path(os.path.relpath(real, real_root)).as_posix()


def resolved(root: Path, changes: Sequence[FileChange]) -> list[FileChange]:
    """Each change at the file it really writes (a removal takes away the link itself)."""
    resolved = []
    for change in changes:
        path = real_target(root, change.path, following=change.new is not None)
        resolved.append(FileChange(path, change.old, change.new))
    seen: set[str] = set()
    for change in resolved:
        if change.path in seen:
            raise TraceError(f"{change.path} would be changed twice by one command (a link to it?); "
                             "nothing was changed")
        seen.add(change.path)
    return resolved


def compare(root: Path, changes: Sequence[FileChange]) -> None:
    """Every file still holds what the command read: otherwise someone else changed it meanwhile."""
    for change in changes:
        now = read_or_none(root / change.path)
        if now == change.old:
            continue
        if change.old is None:
            raise TraceError(f"{change.path} was created by another program while trace was working; nothing was "
                             "changed: run the command again")
        if now is None:
            raise TraceError(f"{change.path} was removed by another program while trace was working; nothing was "
                             "changed: run the command again")
        raise TraceError(f"{change.path} was changed by another program after trace read it; nothing was "
                         "changed, so that change is kept: run the command again")


def stage_all(root: Path, changes: Sequence[FileChange]) -> list[StagedFile]:
    entries: list[StagedFile] = []
    try:
        for change in changes:
            if change.new is None:
                entries.append(StagedFile(change.path, change.old, None, None))
                continue
            target = root / change.path
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = stage(target, change.new)
            entries.append(StagedFile(change.path, change.old, digest(change.new),
                                  Path(os.path.relpath(temp, root)).as_posix()))
    except OSError as error:
        discard_temps(root, entries)
        raise TraceError(f"could not write {error.filename or 'the records'}: {error.strerror or error}; "
                         "no file was changed") from error
    except BaseException:
        discard_temps(root, entries)
        raise
    return entries


def discard_temps(root: Path, entries: Sequence[StagedFile]) -> None:
    for entry in entries:
        if entry.temp is not None:
            discard(root / entry.temp)


def put(root: Path, entry: StagedFile) -> None:
    """One file to its new state: a rename over the old file, an exclusive link for a new one, or removal."""
    target = root / entry.path
    if entry.temp is None:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        return
    temp = root / entry.temp
    if entry.old is not None:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)  # fails if the file exists: a new record never replaces one made meanwhile
    except FileExistsError:
        raise TraceError(f"{entry.path} was created by another program while trace was working; it was not "
                         "replaced: run the command again") from None
    except OSError:  # no hard links on this file system: exclusive creation, then the atomic rename
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.replace(temp, target)
        return
    discard(temp)


def restore(root: Path, entry: StagedFile) -> None:
    target = root / entry.path
    if entry.old is None:
        discard(target)
    else:
        write_atomically(target, entry.old)
