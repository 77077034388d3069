"""A cache of parsed and checked record files, so a second run over unchanged records skips parsing.

Entries are keyed by what determines their content: a working-tree file by its path, size,
modification time, inode and change time (editing a file in place and putting its old modification
time back still changes the change time); a file read from git by its path and blob id.

Nothing in the records' folder is trusted, since a pull request can commit anything there: the cache
lives in the user's cache folder ($XDG_CACHE_HOME/trace/, or ~/.cache/trace/), one file per records
root, named by a digest of the root's absolute path. It is opened without following a symbolic link,
read only if it is a regular file under MAX_CACHE_BYTES, thrown away when the tool or the schemas
change, and every entry is checked to have the shape it must have before it is used: anything else
is a miss. A file modified so recently that a later edit could share its timestamp is never kept.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import stat
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from learntrace import __version__
from learntrace.atomic import write_atomically
from learntrace.model import KINDS
from learntrace.privacy import KINDS as PERSONAL_DATA_KINDS

# v5: kept in the user's cache folder, entries checked; v4 explained YAML errors and pasted characters
CACHE_FILE = "records-v5.marshal"
HISTORY_FILE = "history-v1.marshal"  # beside it: what git history says, by commit (touches.py)
MAX_CACHE_BYTES = 256 * 1024 * 1024  # about 250,000 small records; a larger cache is not read or written
KEEP_RUNS = 5  # entries unused for this many runs are dropped
RACY_NS = 2_000_000_000  # a file modified within 2 s of saving may change again within its timestamp
_MAX_DEPTH = 32  # deeper than any record can be (the parser refuses more than 20 levels)


def cache_home(environ: Mapping[str, str]) -> Path | None:
    """trace's folder in the user's cache folder (None: there is none to use)."""
    home = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(home):  # unset, or relative: the XDG rules say to ignore it
        user_home = environ.get("HOME", "")
        if not os.path.isabs(user_home):
            return None
        home = os.path.join(user_home, ".cache")
    return Path(home) / "trace"


def cache_file(root: Path, environ: Mapping[str, str]) -> Path | None:
    """Where the cache of a records root lives (None: there is no user cache folder to use)."""
    home = cache_home(environ)
    if home is None:
        return None
    digest = hashlib.sha256(os.fsencode(os.path.abspath(root))).hexdigest()[:32]
    return home / digest / CACHE_FILE


def fingerprint(schema_dir: Path) -> str:
    """What every cached entry depends on besides its own inputs: the tool (its version and its own
    source files, so that an edited install is another tool) and its schemas."""
    digest = hashlib.sha256(__version__.encode() + code_stamp().encode())
    for path in sorted(schema_dir.glob("*.json")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def code_stamp(package: Path = Path(__file__).parent) -> str:
    """The name, size and modification time of each of trace's own source files, as a digest: a change to
    the code (an editable install, a patched copy) without a new version number still misses every cache."""
    found = []
    folders = [package]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                    folders.append(Path(entry.path))
                elif entry.name.endswith(".py"):
                    status = entry.stat()
                    found.append(f"{entry.path}\0{status.st_size}\0{status.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(found)).encode("utf-8", "surrogateescape")).hexdigest()


def read_capped(path: Path) -> bytes | None:
    """The file's bytes, if it is a regular file (not a link, a device or a pipe) under the size cap."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_CACHE_BYTES:
            return None
        data = file.read(status.st_size + 1)  # not the cap: read(n) sets aside n bytes first
    return data if len(data) <= MAX_CACHE_BYTES else None


def read_marshalled(path: Path) -> Any:
    """What a cache file holds, or None when it is not a regular file under the cap or not marshal data;
    the caller checks it has the shape it must have."""
    data = read_capped(path)
    if data is None:
        return None
    try:
        with without_cyclic_gc():  # a record cache is a million small objects: twice as fast without
            return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Loading builds hundreds of thousands of small dicts and lists and no reference cycles: the cyclic
    collector would only walk them again and again (a tenth to a third of the time of a large run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class CacheFile:
    """Entries by key, each remembering the last run that used it: in memory always, and on disk when
    given a file, which is read when an entry is first asked for (a run that needs none reads nothing)."""

    def __init__(self, path: Path | None, fingerprint_text: str) -> None:
        self._path = path
        self._fingerprint = fingerprint_text
        self._entries: dict[Any, tuple[int, Any]] = {}
        self._run = 0
        self._changed = False
        self._loaded = path is None

    def _ensure_loaded(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        assert self._path is not None
        found = read_marshalled(self._path)  # an unreadable or old cache is simply rebuilt
        if (isinstance(found, tuple) and len(found) == 3 and found[0] == self._fingerprint
                and isinstance(found[1], int) and isinstance(found[2], dict)):
            self._run, self._entries = found[1] + 1, found[2]

    def get(self, key: Any) -> Any:
        self._ensure_loaded()
        found = self._entries.get(key)
        if not (isinstance(found, tuple) and len(found) == 2):
            return None
        if found[0] != self._run:
            self._entries[key] = (self._run, found[1])
        return found[1]

    def put(self, key: Any, entry: Any) -> None:
        self._ensure_loaded()
        self._entries[key] = (self._run, entry)
        self._changed = True

    def save(self) -> None:
        """Write the file if anything changed; a failure to write it only costs speed next time."""
        if self._path is None or not self._loaded:
            return
        now = _now()
        kept = {
            key: value for key, value in self._entries.items()
            if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], int)
            and value[0] > self._run - KEEP_RUNS and not is_racy(key, now)
        }
        if not self._changed and len(kept) == len(self._entries):
            return
        if write_cache_file(self._path, marshal.dumps((self._fingerprint, self._run, kept))):
            self._changed = False


class RecordCache(CacheFile):
    """Record files' entries (see cache_file), and beside them, in a file of its own, what git history
    says (touches.py): a run that reads only the history does not read every record's entry."""

    def __init__(self, path: Path | None, schema_dir: Path | None = None) -> None:
        self.fingerprint = fingerprint(schema_dir) if schema_dir is not None else ""
        super().__init__(path, self.fingerprint)
        self._checked: set[Any] = set()  # keys whose entries have been checked this run
        # What was built from entries this run (a Record per file key), shared by every snapshot that reads it.
        self.built: dict[Any, Any] = {}
        self.history = CacheFile(path.with_name(HISTORY_FILE) if path is not None else None, self.fingerprint)

    def record_entry(self, key: Any) -> tuple[Any, ...] | None:
        """A checked record file's entry, if it has the shape snapshot.checked_file gives it. Each entry
        is checked once per run, however many snapshots share it (a report reads five)."""
        entry = self.get(key)
        if key in self._checked:
            return entry  # type: ignore[no-any-return]
        if not is_record_entry(entry):
            return None
        self._checked.add(key)
        return entry  # type: ignore[no-any-return]

    def put(self, key: Any, entry: Any) -> None:
        super().put(key, entry)
        self._checked.discard(key)

    def put_record_entry(self, key: Any, entry: tuple[Any, ...]) -> None:
        """Keep an entry this run made from a record file (so it need not be checked when read back)."""
        self.put(key, entry)
        self._checked.add(key)

    def save(self) -> None:
        super().save()
        self.history.save()


def write_cache_file(path: Path, data: bytes) -> bool:
    """Write a file of the user's cache folder, atomically, in a folder only the user can read; whether it
    was written. A failure only costs speed next time: a read-only home folder, or more than MAX_CACHE_BYTES
    (too many records for one cache file: every run reads them afresh)."""
    if len(data) > MAX_CACHE_BYTES:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(path, data)
    except OSError:
        return False
    return True


def _now() -> int:
    return time.time_ns()


def now_ns() -> int:
    """The clock the racy-file rule reads (tests move it on rather than sleep)."""
    return _now()


def is_racy(key: Any, now: int) -> bool:
    """Whether a working-tree file changed (its content or its inode) too recently to be trusted."""
    return isinstance(key, tuple) and len(key) == 6 and key[0] == "w" and changed_recently(max(key[3], key[5]), now)


def changed_recently(change_ns: int, now: int) -> bool:
    """Whether a file changed at `change_ns` could change again within the same timestamp (RACY_NS)."""
    return change_ns > now - RACY_NS


# --- the shape of a record file's entry -----------------------------------------------------------

_SCALARS = frozenset({str, int, float, bool, type(None)})


def is_plain_value(value: Any, depth: int = 0) -> bool:
    """Whether a value is what a record's YAML gives: text, a number, true/false, nothing, or lists and
    fields of those (a cache holding a set, bytes or a code object is not a record). Exact types, with
    scalars checked inline: this runs for every record of every warm run."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if depth > _MAX_DEPTH:
        return False
    # Loops, not all() over a generator: a generator's frame per list and field cost a tenth of loading
    # 50,000 cached records.
    if kind is list:
        for item in value:  # noqa: SIM110 (see above)
            if type(item) not in _SCALARS and not is_plain_value(item, depth + 1):
                return False
        return True
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) not in _SCALARS and not is_plain_value(item, depth + 1)):
                return False
        return True
    return False


def _place(line: Any, column: Any) -> bool:
    return (line is None or type(line) is int) and (column is None or type(column) is int)


def is_problem_values(values: Any) -> bool:
    """(line, column, code, message, id): a problem of the file, as snapshot stores it."""
    return (isinstance(values, tuple) and len(values) == 5 and _place(values[0], values[1])
            and isinstance(values[2], str) and isinstance(values[3], str)
            and (values[4] is None or isinstance(values[4], str)))


def _candidate_values(values: Any) -> bool:
    """(line, column, kind, text): text that looks like personal data."""
    return (isinstance(values, tuple) and len(values) == 4 and _place(values[0], values[1])
            and values[2] in PERSONAL_DATA_KINDS and isinstance(values[3], str))


def is_record_entry(entry: Any) -> bool:
    """("bad", problem), ("ok", kind, id, data, packed positions, own problems, privacy candidates), or
    ("parsed", kind, id, data, packed positions): read from history, not checked yet."""
    if not isinstance(entry, tuple) or not entry:
        return False
    if entry[0] == "bad":
        return len(entry) == 2 and is_problem_values(entry[1])
    if not (len(entry) >= 5 and entry[1] in KINDS and isinstance(entry[2], str)
            and type(entry[3]) is dict and is_plain_value(entry[3]) and type(entry[4]) is bytes):
        return False
    if entry[0] == "parsed":
        return len(entry) == 5
    return (
        entry[0] == "ok" and len(entry) == 7
        and isinstance(entry[5], tuple) and all(is_problem_values(p) for p in entry[5])
        and isinstance(entry[6], tuple) and all(_candidate_values(c) for c in entry[6])
    )
