"""Write files so that an interrupted run never leaves one half-written, several files all together or not
at all (for record files, journal.py also survives a crash), and the files a user names with --out safely."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

# Every temporary file trace makes ends so (and starts with a dot): one pattern to ignore and to clean up.
TEMP_SUFFIX = ".trace-tmp"


def _file_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def discard(path: Path) -> None:
    # Cleaning up after a failure: a temporary file that is already gone is fine.
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def is_temporary(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def stage(path: Path, data: bytes) -> Path:
    """The data in a hidden temporary file beside `path` (same folder, so the rename is atomic)."""
    # A leading dot and .trace-tmp: trace ignores it (and cleans it up) should a crash leave it behind.
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, _file_mode(path))  # mkstemp creates 0600; keep the old mode or the usual one
    except BaseException:
        discard(temp)
        raise
    return temp


def write_atomically(path: Path, data: bytes) -> None:
    """Replace (or create) a file so that it is never seen half-written. Raises OSError."""
    temp = stage(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        discard(temp)
        raise


def fsync_dir(folder: Path) -> None:
    """Make the renames in a folder survive a power cut (nothing to do where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems cannot sync a folder; the rename is still atomic
            os.fsync(fd)
    finally:
        os.close(fd)


def apply_atomically(root: Path, writes: Sequence[tuple[str, bytes]], removes: Sequence[str] = ()) -> None:
    """Write and remove files under `root`, all or none: every temporary file first, then the
    renames; should a rename fail part way, the files already changed get their old contents back.
    For record files use journal.apply_changes: it also locks, compares and survives kill -9."""
    removed = [root / rel for rel in removes]
    originals: dict[Path, bytes | None] = {}
    for target in [root / rel for rel, _ in writes] + removed:
        originals[target] = target.read_bytes() if target.exists() else None
    staged: list[tuple[Path, Path]] = []
    try:
        for rel, data in writes:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.append((stage(target, data), target))
    except BaseException:
        for temp, _ in staged:
            discard(temp)
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
            discard(temp)
        for target in reversed(done):
            original = originals[target]
            if original is None:
                discard(target)
            else:
                write_atomically(target, original)
        raise


# ---------------------------------------------------------------------------------------------
# Files the user names (--out)

# Paths that name a stream or a device whatever they link to (/dev/stdout, /dev/fd/3, /proc/self/fd/1).
_STREAM_FOLDERS = ("/dev/", "/proc/")


def _inside(path: str, folder: Path) -> bool:
    real_folder = os.path.realpath(folder)
    return path == real_folder or path.startswith(real_folder.rstrip(os.sep) + os.sep)


def _write_in_place(path: Path, data: bytes) -> None:
    """A pipe, a terminal or a device is written to, never replaced (as root, replacing /dev/null breaks it)."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def write_out(path: Path, data: bytes, root: Path) -> bool:
    """Write a file the user asked for (--out): a regular file is replaced atomically; a pipe, a device or
    /dev/stdout is written in place (then True); a link is followed only to a regular file inside `root`.
    Raises OSError, or ValueError with a sentence when the path is refused."""
    if str(path.absolute()).startswith(_STREAM_FOLDERS) and path.exists():
        _write_in_place(path, data)
        return True
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        write_atomically(path, data)
        return False
    if stat.S_ISLNK(mode):
        real = os.path.realpath(path)
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            raise ValueError(f"{path} is a link to {real}, which does not exist; give the path of the file "
                             "itself") from None
        if stat.S_ISREG(mode):
            if not _inside(real, root):
                raise ValueError(f"{path} is a link to {real}, outside {root}; trace replaces a file through a "
                                 "link only inside the repository: give the path of the file itself")
            write_atomically(Path(real), data)
            return False
    if stat.S_ISREG(mode):
        write_atomically(path, data)
        return False
    if stat.S_ISDIR(mode):
        raise ValueError(f"{path} is a folder; give the name of a file to write")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        _write_in_place(path, data)
        return True
    raise ValueError(f"{path} is not a file trace can write to (a socket?); give the name of a file")
