"""A cache of parsed and checked record files, so a second run over unchanged records skips parsing.

Entries are keyed by what determines their content: a working-tree file by its path, size,
modification time and inode; a file read from git by its path and blob id. The cache lives in
.trace-cache/ at the root (outside records/, ignored by git), is thrown away when the tool or the
schemas change, and never trusts a file modified so recently that a later edit could share its
timestamp.
"""

from __future__ import annotations

import hashlib
import marshal
import time
from pathlib import Path
from typing import Any

from learntrace import __version__
from learntrace.atomic import write_atomically

CACHE_DIR = ".trace-cache"
CACHE_FILE = "records-v4.marshal"  # v4: YAML errors and pasted characters explained
KEEP_RUNS = 5  # entries unused for this many runs are dropped
RACY_NS = 2_000_000_000  # a file modified within 2 s of saving may change again within its timestamp


def _fingerprint(schema_dir: Path) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(schema_dir.glob("*.json")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


class RecordCache:
    """In memory always; on disk when given a root."""

    def __init__(self, root: Path | None, schema_dir: Path | None = None) -> None:
        self._path = root / CACHE_DIR / CACHE_FILE if root is not None else None
        self._fingerprint = _fingerprint(schema_dir) if schema_dir is not None else ""
        self._entries: dict[Any, tuple[int, Any]] = {}
        self._run = 0
        self._changed = False
        if self._path is not None and self._path.exists():
            self._load()

    def _load(self) -> None:
        assert self._path is not None
        try:
            fingerprint, run, entries = marshal.loads(self._path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return  # an unreadable or old cache is simply rebuilt
        if fingerprint == self._fingerprint and isinstance(entries, dict):
            self._run, self._entries = run + 1, entries

    def get(self, key: Any) -> Any:
        found = self._entries.get(key)
        if found is None:
            return None
        if found[0] != self._run:
            self._entries[key] = (self._run, found[1])
        return found[1]

    def put(self, key: Any, entry: Any) -> None:
        self._entries[key] = (self._run, entry)
        self._changed = True

    def save(self) -> None:
        """Write the cache if anything changed; a failure to write it only costs speed next time."""
        if self._path is None:
            return
        now = time.time_ns()
        kept = {
            key: value for key, value in self._entries.items()
            if value[0] > self._run - KEEP_RUNS and not (key[0] == "w" and key[3] > now - RACY_NS)
        }
        if not self._changed and len(kept) == len(self._entries):
            return
        try:
            self._path.parent.mkdir(exist_ok=True)
            gitignore = self._path.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n")
            write_atomically(self._path, marshal.dumps((self._fingerprint, self._run, kept)))
        except OSError:
            # A read-only checkout: the run still gives the right answer, just without a cache next time.
            return
