"""Read record files (from the working tree, or any other source of path and bytes) into Records."""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from learntrace.errors import Problem, TraceError
from learntrace.model import FOLDER_KINDS, Record
from learntrace.strays import is_hidden, record_name, stem_and_suffix, stray_message

MAX_RECORD_BYTES = 256 * 1024
RECORD_SUFFIXES = (".yaml", ".yml")


class RecordFile(NamedTuple):
    """One candidate record file: its path relative to the root (POSIX form) and its bytes, or why it can't be
    read. A named tuple, not a frozen dataclass: a run makes one per file, and a named tuple is made in a
    third of the time (a tenth of listing 50,000 files)."""

    path: str
    content: bytes | None = None
    unreadable: str | None = None
    source: str | None = None  # where to read the content from when it is needed (a cache miss)
    cache_key: tuple[Any, ...] | None = None  # what the content depends on, for the record cache
    problem_code: str = "unreadable"  # the code of the problem `unreadable` describes

    def read(self) -> RecordFile:
        """The same file with its content read, or with the reason it can't be."""
        if self.content is not None or self.unreadable is not None or self.source is None:
            return self
        try:
            with open(self.source, "rb") as handle:
                return RecordFile(self.path, content=handle.read(), cache_key=self.cache_key)
        except PermissionError:
            return RecordFile(self.path,
                              unreadable="could not be read: permission denied; check the file's permissions")
        except OSError as error:
            return RecordFile(self.path, unreadable=f"could not be read: {error.strerror or error}")


@dataclass(frozen=True)
class LoadedRecords:
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]
    # Names of files that could not be read as records: links to them are not reported twice.
    unreadable_ids: frozenset[str] = frozenset()


def ignored_name(name: str) -> bool:
    """Hidden files and editor leftovers (backups, swap and lock files) are not records."""
    return is_hidden(name)


def stray_files(paths: Iterable[str], record_paths: Container[str]) -> Iterator[RecordFile]:
    """The files among `paths` that sit under records/ but will not be read (ACT-8.txt), each with why."""
    for path in paths:
        message = stray_message(path, record_paths)
        if message is not None:
            yield RecordFile(path, unreadable=message, problem_code="wrong-ending")


def is_record_path(path: str) -> bool:
    name = path.rpartition("/")[2]
    return name.endswith(RECORD_SUFFIXES) and not ignored_name(name)


# One rule for the working tree and for git history (--at, --baseline, diff), so that both read the same:
# a record is an ordinary file in an ordinary folder of this repository. A symbolic link is never
# followed (to inside or outside records/), a submodule is never read, and names must be UTF-8 text.
LINK = ("is a symbolic link, which trace does not follow (so that every checkout, and git history, reads "
        "the same); put the record itself here instead")
SUBMODULE = ("is a git submodule (another repository), which trace does not read; put the records themselves "
             "in this repository")


def decode_path(raw: bytes) -> tuple[str, str | None]:
    """A path (relative to the root, as bytes from git or the file system) as text, and the problem with
    it if a folder or file name is not UTF-8: shown with replacement characters, never a crash."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    parts = raw.split(b"/")
    bad = next(index for index, part in enumerate(parts) if not _is_utf8(part))
    what = "file" if bad == len(parts) - 1 else "folder"
    return raw.decode("utf-8", "replace"), f"the {what} name is not UTF-8 text; rename it"


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_worktree(root: Path) -> Iterator[RecordFile]:
    """Every .yaml/.yml file under root/records/ with its content, in a stable order."""
    return (file.read() for file in scan_worktree(root))


def scan_worktree(root: Path) -> Iterator[RecordFile]:
    """Every .yaml/.yml file under root/records/, in a stable order, each with its cache key and where
    to read it (the content is read only when needed); then every other file there that will not be
    read, with why (not a README, not hidden)."""
    records_dir = root / "records"
    if records_dir.is_symlink():
        raise linked_records_error()
    if not records_dir.is_dir():
        raise TraceError(
            f"there is no records/ folder in {root}; run trace in the partnership's repository "
            "or pass --root DIR pointing at the folder that holds records/"
        )
    others: list[str] = []  # the files that are not records
    records = {file.path: file for file in _scan(str(records_dir), "records", others)}
    yield from records.values()
    yield from stray_files(others, records)


def linked_records_error() -> TraceError:
    return TraceError("records/ is a symbolic link, which trace does not follow (so that every checkout, and git "
                      "history, reads the same); replace the link with the folder itself")


def _scan(folder: str, rel_folder: str, others: list[str]) -> Iterator[RecordFile]:
    """The record files under a folder (and each link, submodule or name that will not be read, with
    why); the files that are not records are added to `others`."""
    # os.scandir, not pathlib: its entries carry their stat, which matters with ten thousand files.
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda entry: entry.name)
    except PermissionError:
        yield RecordFile(rel_folder, unreadable="could not be read: permission denied; check the folder's permissions")
        return
    except OSError as error:
        yield RecordFile(rel_folder, unreadable=f"could not be read: {error.strerror or error}")
        return
    for entry in entries:
        name = entry.name
        if is_hidden(name):
            continue
        rel = f"{rel_folder}/{name}"
        if entry.is_symlink():
            yield RecordFile(decode_path(os.fsencode(rel))[0], unreadable=LINK)
        elif entry.is_dir(follow_symlinks=False):
            if os.path.lexists(os.path.join(entry.path, ".git")):
                yield RecordFile(decode_path(os.fsencode(rel))[0], unreadable=SUBMODULE)
            else:
                yield from _scan(entry.path, rel, others)
        elif not name.endswith(RECORD_SUFFIXES):
            others.append(decode_path(os.fsencode(rel))[0])
        elif not rel.isascii() and (decoded := decode_path(os.fsencode(rel)))[1]:
            yield RecordFile(decoded[0], unreadable=decoded[1])
        else:  # a record's name (hidden names were skipped above)
            yield _scanned_file(entry, rel)


def _scanned_file(entry: os.DirEntry[str], rel: str) -> RecordFile:
    try:
        status = entry.stat(follow_symlinks=False)  # not a link: checked above
    except OSError as error:
        return RecordFile(rel, unreadable=f"could not be read: {error.strerror or error}")
    if not stat.S_ISREG(status.st_mode):  # a named pipe or a device would be read for ever
        return RecordFile(rel, unreadable="is not a regular file; a record is one short YAML file")
    if status.st_size > MAX_RECORD_BYTES:
        return RecordFile(rel, unreadable=too_big(status.st_size))
    # The change time too: editing a file in place and putting its modification time back changes it.
    key = ("w", rel, status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns)
    return RecordFile(rel, source=entry.path, cache_key=key)


def too_big(size: int) -> str:
    return (f"is {-(-size // 1024)} KB, larger than the {MAX_RECORD_BYTES // 1024} KB a record may be; "
            "a record is one short YAML file")


def decode_record_bytes(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    text = content.decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _kind_of(path: str) -> tuple[str | None, Problem | None]:
    parts = path.split("/")  # a path relative to the root, in POSIX form, as every RecordFile's is
    if len(parts) < 3 or parts[0] != "records":
        return None, Problem(path, None, None, "wrong-folder", (
            "is not inside a kind folder; move it into one of: "
            + ", ".join(f"records/{folder}/" for folder in FOLDER_KINDS)
        ))
    folder = parts[1]
    if folder in FOLDER_KINDS:
        return FOLDER_KINDS[folder], None
    close = difflib.get_close_matches(folder, list(FOLDER_KINDS), n=1)
    suggestion = f"did you mean records/{close[0]}/?" if close else (
        "the folders are " + ", ".join(f"records/{name}/" for name in FOLDER_KINDS)
    )
    return None, Problem(path, None, None, "wrong-folder",
                         f"is in records/{folder}/, which is not a record folder; {suggestion}")


def load_record_files(files: Iterable[RecordFile]) -> LoadedRecords:
    """Parse every file; one bad file never hides the others."""
    records: list[Record] = []
    problems: list[Problem] = []
    unreadable_ids: set[str] = set()
    for file in files:
        record, problem = load_one(file)
        if problem is not None:
            problems.append(problem)
            unreadable_ids.add(record_name(file.path))
        if record is not None:
            records.append(record)
    return LoadedRecords(tuple(records), tuple(problems), frozenset(unreadable_ids))


def load_one(file: RecordFile) -> tuple[Record | None, Problem | None]:
    """One file as a record, or the problem that stops it being one."""
    from learntrace.yamlparse import RecordSyntaxError, parse_record_text  # only on a cache miss
    from learntrace.yamlsimple import parse_simple_text

    file = file.read()
    if file.unreadable is not None:
        return None, Problem(file.path, None, None, file.problem_code, file.unreadable)
    kind, folder_problem = _kind_of(file.path)
    if folder_problem is not None:
        return None, folder_problem
    assert kind is not None
    if file.unreadable is not None or file.content is None:
        return None, Problem(file.path, None, None, "unreadable", file.unreadable or "could not be read")
    if len(file.content) > MAX_RECORD_BYTES:
        return None, Problem(file.path, None, None, "unreadable", (
            too_big(len(file.content))))
    try:
        text = decode_record_bytes(file.content)
    except UnicodeDecodeError as error:
        line = file.content[: error.start].count(b"\n") + 1
        return None, Problem(file.path, line, None, "not-utf8", (
            f"is not UTF-8 text (byte 0x{file.content[error.start]:02x} on line {line}); "
            "save the file with UTF-8 encoding"
        ))
    conflict = merge_conflict(text)
    if conflict is not None:
        return None, Problem(file.path, conflict[0][0], None, "merge-conflict", (
            f"this file still holds a merge conflict ({_ranges(conflict)}); keep the lines you want and delete "
            "the marker lines (<<<<<<<, =======, >>>>>>>) and the rest"
        ))
    try:
        parsed = parse_simple_text(text) or parse_record_text(text)
    except RecordSyntaxError as error:
        return None, Problem(file.path, error.line, error.column, "yaml", error.message)
    except RecursionError:  # a backstop: parse_record_text refuses deep nesting before it recurses
        return None, Problem(file.path, None, None, "yaml", "nests lists and fields too deeply to read")
    record_id = parsed.data.get("id")
    return Record(
        kind=kind,
        id=record_id if isinstance(record_id, str) else stem_and_suffix(file.path)[0],
        path=file.path,
        data=parsed.data,
        positions=parsed.positions,
    ), None


def merge_conflict(text: str) -> list[tuple[int, int]] | None:
    """The (first, last) lines of each conflict git left in the text, wherever they are (a marker
    inside a quoted value is still at the start of its line), or None."""
    if "<<<<<<<" not in text:
        return None
    found, start = [], None
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("<<<<<<<") and (len(line) == 7 or line[7] == " "):
            start = number if start is None else start
        elif start is not None and line.startswith(">>>>>>>") and (len(line) == 7 or line[7] == " "):
            found.append((start, number))
            start = None
    return found or None


def _ranges(conflicts: list[tuple[int, int]]) -> str:
    spans = [f"{first}\u2013{last}" for first, last in conflicts]
    words = spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]
    return f"lines {words}"
