"""Change record files so that no edit is ever lost or half done, even across a crash or kill -9.

Use it like this (the lock is held from the read to the last write):

    with records_lock(root, on_note=print_to_stderr):
        before = (root / path).read_bytes()           # or the bytes a Workspace read
        apply_changes(root, [FileChange(path, before, after)], label="trace set ACT-1 owner X")

- **Lock.** `records_lock` serialises every read-modify-write of the records (see locking.py). On entry it
  finishes a change an earlier command left half done, and removes leftover temporary files.
- **Compare before replace.** Each FileChange says what the file holds now (`old`, None: it must not exist);
  a file that holds something else is an error, never overwritten. New files are created exclusively: a file
  that appeared meanwhile is never replaced.
- **Journal.** A change of more than one file writes a journal (in the git folder, or `.trace-journal.json`
  at the root) before the first replace, listing every file's old bytes and its staged new bytes. The next
  command that takes the lock rolls it forward (or, if a staged file is gone, back), so a multi-file change
  is all or nothing even across kill -9.
- **Links.** A record that is a symbolic link is changed at its target when that is a regular file inside the
  root, and refused with a sentence otherwise.

Test-only hooks (environment variables; nothing else reads them):
  TRACE_TEST_KILL_AFTER_REPLACES=N  the process kills itself (SIGKILL) after its Nth file replace (0: just
                                    before the first), so a test can crash a change at a known point.
  TRACE_TEST_PAUSE_IN_LOCK=PATH     in apply_changes, holding the lock and after the command read the records,
                                    the process creates PATH.held and waits (at most 60 s) until PATH.go
                                    exists, so a test can run a second command or change a file meanwhile.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from learntrace.atomic import discard, fsync_dir, is_temporary, write_atomically
from learntrace.errors import TraceError
from learntrace.filechange import (
    FileChange,
    StagedFile,
    compare,
    digest,
    discard_temps,
    put,
    read_or_none,
    real_target,
    remove_temporary_files,
    resolved,
    restore,
    stage_all,
)
from learntrace.locking import file_lock, holds_lock, state_files

_JOURNAL_VERSION = 1

# ---------------------------------------------------------------------------------------------
# The lock, with recovery on entry


@contextlib.contextmanager
def records_lock(root: Path, on_note: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the records' lock for the block (re-entrant). On entry, finish any change an interrupted command
    left, and remove leftover temporary files; `on_note` hears what was done, and that it is waiting."""
    lock = state_files(root).lock
    if holds_lock(lock):  # already held by this command: recovery and clean-up were done on the first entry
        yield
        return
    with file_lock(lock, on_wait=on_note):
        note = recover(root)
        if note and on_note is not None:
            on_note(note)
        remove_temporary_files(root)
        yield


def finish_interrupted(root: Path, on_note: Callable[[str], None] | None = None) -> None:
    """For commands that only read: if an interrupted change is pending, finish it first (else one stat)."""
    if pending(root):
        with records_lock(root, on_note):
            pass


def _pause_for_tests() -> None:
    hold = os.environ.get("TRACE_TEST_PAUSE_IN_LOCK")
    if not hold:
        return
    Path(hold + ".held").touch()
    deadline = time.monotonic() + 60
    while not Path(hold + ".go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def _killed_for_tests(replaced: int) -> None:
    limit = os.environ.get("TRACE_TEST_KILL_AFTER_REPLACES")
    if limit and limit.isdigit() and replaced == int(limit):
        os.kill(os.getpid(), signal.SIGKILL)


# ---------------------------------------------------------------------------------------------
# Applying a change


def apply_changes(root: Path, changes: Sequence[FileChange], label: str = "") -> None:
    """Write every file of a change, or none: compare each file with what it held when read, stage the new
    bytes, write a journal (for more than one file), then replace. Raises TraceError with a sentence."""
    with records_lock(root):
        changes = resolved(root, [c for c in changes if c.old != c.new])
        if not changes:
            return
        _pause_for_tests()
        compare(root, changes)
        entries = stage_all(root, changes)
        journal = state_files(root).journal if len(entries) > 1 else None
        try:
            if journal is not None:
                _write_journal(root, journal, entries, label)
        except BaseException:
            discard_temps(root, entries)
            raise
        _replace_all(root, entries, journal)


def _replace_all(root: Path, entries: Sequence[StagedFile], journal: Path | None) -> None:
    done: list[StagedFile] = []
    try:
        _killed_for_tests(0)
        for entry in entries:
            put(root, entry)
            done.append(entry)
            _killed_for_tests(len(done))
        for folder in sorted({(root / entry.path).parent for entry in entries}):
            fsync_dir(folder)
    except BaseException as error:
        _undo(root, done, entries, journal, error)
        raise
    if journal is not None:
        discard(journal)


def _undo(root: Path, done: Sequence[StagedFile], entries: Sequence[StagedFile], journal: Path | None,
          error: BaseException) -> None:
    """A replace failed part way: give the files already changed their old bytes back."""
    try:
        for entry in reversed(done):
            restore(root, entry)
    except OSError as second:
        raise TraceError(
            f"could not write {getattr(error, 'filename', None) or 'the records'}, nor put back the files already "
            f"changed ({second.strerror or second}); the next trace command will finish or undo the change"
        ) from error
    discard_temps(root, entries)
    if journal is not None:
        discard(journal)
    if isinstance(error, OSError):
        raise TraceError(f"could not write {error.filename or 'the records'}: {error.strerror or error}; "
                         "no file was changed") from error


# ---------------------------------------------------------------------------------------------
# The journal


def _write_journal(root: Path, journal: Path, entries: Sequence[StagedFile], label: str) -> None:
    data = {
        "trace_journal": _JOURNAL_VERSION,
        "root": state_files(root).root_name,
        "label": label,
        "files": [
            {"path": e.path, "old": None if e.old is None else base64.b64encode(e.old).decode("ascii"),
             "new_sha256": e.new_digest, "temp": e.temp}
            for e in entries
        ],
    }
    try:
        write_atomically(journal, json.dumps(data).encode("utf-8"))
        fsync_dir(journal.parent)
    except OSError as error:
        raise TraceError(f"could not write trace's journal {journal} ({error.strerror or error}); no file was "
                         "changed") from error


def pending(root: Path) -> bool:
    """Whether an interrupted change waits to be finished (one stat: cheap enough for every command)."""
    return state_files(root).journal.exists()


def _load_journal(root: Path, journal: Path) -> tuple[str, list[StagedFile]] | None:
    try:
        data: Any = json.loads(journal.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise _stuck(journal, f"it cannot be read ({error})") from error
    try:
        if data.get("trace_journal") != _JOURNAL_VERSION:
            raise ValueError("unknown version")
        if data.get("root") != state_files(root).root_name:
            return None  # another records folder in the same repository: its own commands finish it
        entries = [_journal_entry(root, item) for item in data["files"]]
        return str(data.get("label") or "a change"), entries
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise _stuck(journal, f"it is not a journal this version of trace wrote ({error})") from error


def _journal_entry(root: Path, item: dict[str, Any]) -> StagedFile:
    path = str(item["path"])
    real_target(root, path, following=False)  # a journal never names a file outside the root
    temp = item["temp"]
    if temp is not None:
        temp = str(temp)
        if PurePosixPath(temp).parent != PurePosixPath(path).parent or not is_temporary(PurePosixPath(temp).name):
            raise ValueError(f"the staged file {temp} is not beside {path}")
    old = None if item["old"] is None else base64.b64decode(str(item["old"]), validate=True)
    digest = None if item["new_sha256"] is None else str(item["new_sha256"])
    return StagedFile(path, old, digest, temp)


def _stuck(journal: Path, why: str) -> TraceError:
    return TraceError(f"an earlier trace command was interrupted while changing several records, and its journal "
                      f"{journal} cannot be used: {why}. Check the records (git status, git diff), then delete "
                      "that file to go on")


def _state(root: Path, entry: StagedFile) -> str:
    now = read_or_none(root / entry.path)
    if (now is None and entry.new_digest is None) or (now is not None and digest(now) == entry.new_digest):
        return "new"
    return "old" if now == entry.old else "other"


def recover(root: Path) -> str | None:
    """Finish (or undo) the change an interrupted command left; the sentence saying what was done, or None.
    Call only while holding the lock (records_lock does)."""
    journal = state_files(root).journal
    loaded = _load_journal(root, journal)
    if loaded is None:
        return None
    label, entries = loaded
    states = {entry.path: _state(root, entry) for entry in entries}
    changed_since = [path for path, state in states.items() if state == "other"]
    if changed_since:
        raise _stuck(journal, f"{', '.join(changed_since)} changed after the interruption, so finishing it would "
                     "lose that change")
    waiting = [e for e in entries if states[e.path] == "old"]
    forward = all(e.temp is None or _staged_intact(root, e) for e in waiting)
    try:
        for entry in entries:
            if forward and states[entry.path] == "old":
                put(root, entry)
            elif not forward and states[entry.path] == "new":
                restore(root, entry)
    except OSError as error:
        raise _stuck(journal, f"{error.filename or 'a file'} could not be written ({error.strerror or error})") \
            from error
    discard_temps(root, entries)
    discard(journal)
    files = len(entries)
    if forward:
        return f"Finished an interrupted change ({label}): all {files} files are now changed."
    return f"Undid an interrupted change ({label}): all {files} files are as they were before it."


def _staged_intact(root: Path, entry: StagedFile) -> bool:
    assert entry.temp is not None
    staged = read_or_none(root / entry.temp)
    return staged is not None and digest(staged) == entry.new_digest


__all__ = ["FileChange", "apply_changes", "finish_interrupted", "pending", "records_lock", "recover"]
