"""Whole results of read-only commands, kept so that running one again on the same inputs prints what it
printed without reading a record: `trace validate` then `trace gaps`, run again on an unchanged checkout.

A result is keyed by a digest of everything its output depends on: the tool's version, code and schemas, the
command and its options, the settings, the day, every record file's cache key (path, size, modification
and change times, inode; or blob id), the schemas/ folder, and git's HEAD. A result is never kept when a
record file changed so recently that a later edit could share its timestamps (cache.RACY_NS).

Like the record cache it lives in the user's cache folder, never in the repository (which a pull request
controls); each result is a file read only if it is a regular file under the size cap, and used only if
it has the shape it must have. Anything else is a miss, and the command runs.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from learntrace.atomic import write_atomically
from learntrace.cache import changed_recently, fingerprint, now_ns, read_capped, read_marshalled
from learntrace.load import RecordFile

RESULTS_FOLDER = "results-v1"
KEEP_RESULTS = 64  # the most recently written; older ones are removed when a new one is kept
MAX_RESULT_CHARS = 32 * 1024 * 1024  # a larger output is not kept


@dataclass(frozen=True)
class Result:
    """What a command printed, on stdout and on stderr, and the exit code it returned."""

    stdout: str
    stderr: str
    exit_code: int


@dataclass(frozen=True)
class FilesDescription:
    """What an answer depends on of the record files, as bytes to digest (each file's path, cache key, why it
    cannot be read, and the digest of content that has no key), and when the newest of the working tree's
    files was last modified or changed (ns; 0 when there are none)."""

    data: bytes
    newest: int

    def trusted(self, now: int) -> bool:
        """Whether no file changed so recently that a later edit could share its timestamps."""
        return not changed_recently(self.newest, now)


def describe_files(files: Iterable[RecordFile]) -> FilesDescription:
    """The record files as a kept result and the kept checked records (checked_cache.py) are both keyed by:
    worked out once per command."""
    newest = 0
    described = []
    for file in files:
        key = file.cache_key
        if key is not None and key[0] == "w":
            newest = max(newest, key[3], key[5])
        content = hashlib.sha256(file.content).digest() if key is None and file.content else None
        described.append((file.path, key, file.unreadable, file.problem_code, content))
    # Format 2 writes no back-references, so equal descriptions are equal bytes.
    return FilesDescription(marshal.dumps(described, 2), newest)


def result_key(parts: Iterable[Any], files: FilesDescription, schema_dir: Path) -> str | None:
    """The digest of a command's inputs (`parts`, and the record files), or None when a record file is too
    recent to be trusted."""
    if not files.trusted(now_ns()):
        return None
    digest = hashlib.sha256(fingerprint(schema_dir).encode())
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(files.data)
    return digest.hexdigest()


def folder_contents(folder: Path) -> list[tuple[str, bytes]]:
    """The names and bytes of the regular files directly in a folder (a small folder such as schemas/)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        if entry.is_file(follow_symlinks=False):
            data = read_capped(Path(entry.path))
            found.append((entry.name, hashlib.sha256(data).digest() if data is not None else b"unreadable"))
    return found


class ResultStore:
    """Results in one folder of the user's cache, one file per key."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def get(self, key: str) -> Result | None:
        found = read_marshalled(self._folder / f"{key}.marshal")
        if (isinstance(found, tuple) and len(found) == 4 and found[0] == key and isinstance(found[1], str)
                and isinstance(found[2], str) and type(found[3]) is int):
            return Result(found[1], found[2], found[3])
        return None

    def put(self, key: str, result: Result) -> None:
        """Keep a result; a failure to write it only costs speed next time."""
        if len(result.stdout) + len(result.stderr) > MAX_RESULT_CHARS:
            return
        try:
            self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_atomically(self._folder / f"{key}.marshal",
                             marshal.dumps((key, result.stdout, result.stderr, result.exit_code)))
            self._prune()
        except OSError:
            return

    def _prune(self) -> None:
        kept = []
        for entry in os.scandir(self._folder):
            if entry.name.endswith(".marshal") and entry.is_file(follow_symlinks=False):
                kept.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
        for _, path in sorted(kept, reverse=True)[KEEP_RESULTS:]:
            try:
                os.unlink(path)
            except FileNotFoundError:
                continue  # another run removed it first
