"""The one module that talks to git: resolve revisions, read record blobs, walk record history.

Blobs are read through one long-lived `git cat-file --batch` process, never one process per file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from learntrace.background import Running
from learntrace.dates import GIT_FIRST_DAY, GIT_LAST_DAY
from learntrace.errors import TraceError
from learntrace.gitlog import Commit as Commit
from learntrace.gitlog import FileChange as FileChange
from learntrace.gitlog import commit_date, log_args, parse_history, parse_raw
from learntrace.load import (
    LINK,
    MAX_RECORD_BYTES,
    SUBMODULE,
    RecordFile,
    decode_path,
    ignored_name,
    is_record_path,
    linked_records_error,
    stray_files,
    too_big,
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


@dataclass(frozen=True)
class _Output:
    returncode: int
    stdout: bytes
    stderr: str


@dataclass(frozen=True)
class _TextOutput:
    returncode: int
    stdout: str
    stderr: str


def _hidden(rel: str) -> bool:
    """A hidden file or folder (or an editor's leftover) anywhere in the path: not records, as in the working tree."""
    return any(ignored_name(part) for part in rel.split("/")[1:])


def head_state(root: Path) -> str:
    """The commit HEAD names and whether the clone is shallow (deepening it changes the history HEAD
    reaches), in one call to git; or why there is none. For keying results, not for showing."""
    try:
        found = subprocess.run(["git", "rev-parse", "--is-shallow-repository", "HEAD"], cwd=root,
                               capture_output=True, env={**os.environ, **_ENV}, check=False)
    except OSError:
        return "no git"
    return f"{found.returncode} {found.stdout.decode('ascii', 'replace').strip()}"


class GitRepo:
    """The git repository holding a records root (which may be a sub-folder of it)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        toplevel = self._run(["rev-parse", "--show-toplevel"], cwd=root, check=False)
        if toplevel.returncode != 0:
            raise TraceError(
                f"{root} is not in a git repository, so there is no history to read; "
                "run this inside a clone of the records repository (git clone ...)"
            )
        self.toplevel = Path(toplevel.stdout.strip())
        self._histories: dict[tuple[str | None, str | None, str], list[tuple[Commit, list[FileChange]]]] = {}
        self._reading: dict[tuple[str | None, str | None, str], Running] = {}
        # Each line of a commit's file listing, as record_files_at reads it: commits share most of their lines.
        self._listed: dict[bytes, tuple[str, str, str]] = {}
        prefix = os.path.relpath(root.resolve(), self.toplevel.resolve())
        self.prefix = "" if prefix == "." else prefix.replace(os.sep, "/") + "/"

    # -- running git ---------------------------------------------------------------------------

    def _bytes(self, args: list[str], cwd: Path | None = None, check: bool = True) -> _Output:
        """git's output as bytes: names and authors need not be UTF-8, and must never crash the command."""
        try:
            result = subprocess.run(["git", *args], cwd=cwd or self.toplevel, capture_output=True,
                                    env={**os.environ, **_ENV}, check=False)
        except FileNotFoundError as error:
            raise TraceError("git is not installed; install git to read the records' history") from error
        output = _Output(result.returncode, result.stdout, result.stderr.decode("utf-8", "replace"))
        if check and output.returncode != 0:
            raise TraceError(f"git {' '.join(args[:2])} failed: {output.stderr.strip()}")
        return output

    def _run(self, args: list[str], cwd: Path | None = None, check: bool = True) -> _TextOutput:
        """git's output as text (ids, dates, refs; any byte that is not UTF-8 becomes a replacement character)."""
        output = self._bytes(args, cwd, check)
        return _TextOutput(output.returncode, output.stdout.decode("utf-8", "replace"), output.stderr)

    def is_shallow(self) -> bool:
        return self._run(["rev-parse", "--is-shallow-repository"]).stdout.strip() == "true"

    def refuse_cut_short(self, commits: Iterable[Commit]) -> None:
        """In a shallow clone the oldest commit it holds seems to add every record; a history that
        reaches it is cut short, and is refused rather than shown wrong."""
        if not self.is_shallow():
            return
        path = self._run(["rev-parse", "--git-path", "shallow"]).stdout.strip()
        try:
            boundary = set(Path(self.toplevel, path).read_text(encoding="ascii", errors="replace").split())
        except OSError:
            return
        for commit in commits:
            if commit.sha in boundary:
                raise TraceError(
                    f"the history is cut short at commit {commit.short} ({commit.date.date().isoformat()}): this "
                    "clone is shallow (it holds only recent history), so everything before that commit would "
                    "look added in it; fetch the full history with: git fetch --unshallow"
                )

    def _missing_history(self, what: str) -> TraceError:
        if self.is_shallow():
            return TraceError(
                f"{what} is not in this clone because it is shallow (it holds only recent history); "
                "fetch the full history with: git fetch --unshallow"
            )
        return TraceError(f"{what} is not in this repository's history; check the name with: git log --oneline")

    # -- revisions ------------------------------------------------------------------------------

    def resolve(self, rev: str) -> Commit:
        """A commit, tag or branch; or a date YYYY-MM-DD: the last commit on this branch at or before that day."""
        if _DATE.match(rev):
            try:
                day = dt.date.fromisoformat(rev)
            except ValueError as error:
                raise TraceError(f"'{rev}' is not a real date") from error
            # Past git's last day every commit is before it (git would read the date as another);
            # before its first, none is.
            before = [] if day > GIT_LAST_DAY else [f"--before={min(day, GIT_LAST_DAY).isoformat()}T23:59:59"]
            found = self._run(["rev-list", "-1", "--first-parent", *before, "HEAD"], check=False)
            sha = found.stdout.strip() if day >= GIT_FIRST_DAY else ""
            if found.returncode != 0 or not sha:
                if self._run(["rev-parse", "--verify", "-q", "HEAD"], check=False).returncode != 0:
                    raise TraceError("this repository has no commits yet, so there is no history to read")
                if self.is_shallow():
                    raise self._missing_history(f"a commit on or before {day.isoformat()}")
                first = self._run(["rev-list", "--max-parents=0", "--first-parent", "HEAD"]).stdout.split()[-1]
                raise TraceError(
                    f"there is no commit on or before {day.isoformat()}: the history starts on "
                    f"{self.commit(first).date.date().isoformat()}"
                )
            return self.commit(sha)
        found = self._run(["rev-parse", "--verify", "-q", f"{rev}^{{commit}}"], check=False)
        if found.returncode != 0 or not found.stdout.strip():
            raise self._missing_history(f"the revision '{rev}'")
        return self.commit(found.stdout.strip())

    def commit(self, sha: str) -> Commit:
        out = self._run(["show", "-s", "--format=%H%x00%cI%x00%an%x00%s", sha]).stdout
        full, date, author, subject = out.rstrip("\n").split("\x00", 3)
        return Commit(full, commit_date(date), author, subject)

    def user_name(self) -> str | None:
        """Who git says is working here (user.name), or None when it is not set."""
        found = self._run(["config", "user.name"], check=False)
        return found.stdout.strip() or None if found.returncode == 0 else None

    def default_branch(self) -> str | None:
        for ref in ("refs/remotes/origin/HEAD",):
            found = self._run(["symbolic-ref", "-q", ref], check=False)
            if found.returncode == 0 and found.stdout.strip():
                return found.stdout.strip().removeprefix("refs/remotes/")
        for name in ("origin/main", "origin/master", "main", "master"):
            if self._run(["rev-parse", "--verify", "-q", name], check=False).returncode == 0:
                return name
        return None

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        return self._run(["merge-base", "--is-ancestor", ancestor, descendant], check=False).returncode == 0

    def merge_base(self, a: str, b: str = "HEAD") -> Commit:
        found = self._run(["merge-base", a, b], check=False)
        if found.returncode != 0 or not found.stdout.strip():
            raise self._missing_history(f"the common ancestor of {a} and {b}")
        return self.commit(found.stdout.strip())

    # -- reading records at a commit -----------------------------------------------------------------

    def record_files_at(self, sha: str, cached: Any = None) -> list[RecordFile]:
        """Every record file under records/ as it was at a commit, read through one cat-file process, by the
        same rule as the working tree (see load.LINK): links and submodules are reported, not followed;
        then the other files there that will not be read, each with why. A file whose (path, blob) the
        record cache already holds is not read at all."""
        listing = self._bytes(["ls-tree", "-r", "-l", "-z", "--full-tree", sha, "--",
                               f"{self.prefix}records/"]).stdout
        if not listing:
            self._refuse_linked_records(sha)
        files: list[RecordFile | None] = []  # None: a record, read below
        wanted: list[tuple[str, str, int]] = []  # (blob, path relative to the records root, index in files)
        others: list[str] = []  # files that are not records: reported unless hidden or a README
        for item in listing.split(b"\0"):
            if not item:
                continue
            listed = self._listed.get(item)
            if listed is None:
                listed = self._listed[item] = self._listed_item(item)
            what, rel, detail = listed
            if what == "record":
                wanted.append((detail, rel, len(files)))
                files.append(None)
            elif what == "refused":
                files.append(RecordFile(rel, unreadable=detail))
            elif what == "other":
                others.append(rel)
        unread = [(blob, rel, index) for blob, rel, index in wanted
                  if cached is None or cached.record_entry(("b", rel, blob)) is None]
        contents: dict[str, bytes | None] = {}
        if unread:
            with BlobReader(self) as reader:
                contents = reader.read_many(blob for blob, _, _ in unread)
        for blob, rel, index in wanted:
            files[index] = RecordFile(rel, content=contents.get(blob), cache_key=("b", rel, blob))
        found = [file for file in files if file is not None]  # every one, now
        return found + list(stray_files(others, {file.path for file in found}))

    def _listed_item(self, item: bytes) -> tuple[str, str, str]:
        """What one line of `git ls-tree -r -l -z` is: ("record", path, blob), ("refused", path, why),
        ("other", path, "") for a file that is not a record, or ("hidden", path, "")."""
        meta, raw_path = item.split(b"\t", 1)
        mode, kind, blob, size = meta.decode().split()
        rel, bad_name = decode_path(raw_path[len(os.fsencode(self.prefix)):])
        if _hidden(rel):
            return "hidden", rel, ""
        if kind == "blob" and mode != "120000" and not is_record_path(rel):
            return "other", rel, ""
        problem = (LINK if mode == "120000" else SUBMODULE if kind == "commit" else bad_name
                   or (too_big(int(size)) if int(size) > MAX_RECORD_BYTES else None))
        return ("refused", rel, problem) if problem is not None else ("record", rel, blob)

    def _refuse_linked_records(self, sha: str) -> None:
        """records/ itself a link, at that commit: refused as in the working tree."""
        entry = self._bytes(["ls-tree", "-z", "--full-tree", sha, "--", f"{self.prefix}records"]).stdout
        if entry.startswith(b"120000 "):
            raise linked_records_error()

    # -- history -----------------------------------------------------------------------------------

    def record_history(self, since: str | None = None, until: str | None = None,
                       rev: str = "HEAD") -> list[tuple[Commit, list[FileChange]]]:
        """Commits on the first-parent line that changed record files, newest first, each with its changes."""
        key = (since, until, rev)
        if key not in self._histories:
            reading = self._reading.pop(key, None)
            self._histories[key] = self._record_history(since, until, rev, reading)
        return self._histories[key]

    def read_history_soon(self, rev: str = "HEAD") -> None:
        """Start git on record_history(rev=rev) now, writing to a temporary file: git works on another
        core while the records are parsed, and record_history reads what it wrote. No thread waits on
        it, so the work can still be shared out among forked children (parallel.py)."""
        key = (None, None, rev)
        if key in self._histories or key in self._reading:
            return
        args = log_args(*key)
        if args is not None:
            try:
                self._reading[key] = Running(["git", *args], self.toplevel, {**os.environ, **_ENV})
            except OSError:
                return  # git is missing: record_history says so when asked

    def _record_history(self, since: str | None, until: str | None, rev: str,
                        reading: Running | None = None) -> list[tuple[Commit, list[FileChange]]]:
        args = log_args(since, until, rev)
        if args is None:
            return []  # a period git has no commit in
        finished = reading.finished() if reading is not None else None
        if finished is not None:
            out = _Output(finished[0], finished[1], finished[2].decode("utf-8", "replace"))
        else:  # not started, or started by the process this one was forked from
            out = self._bytes(args, check=False)
        if out.returncode != 0:
            if "does not have any commits" in out.stderr or "unknown revision" in out.stderr:
                return []
            raise TraceError(f"git log failed: {out.stderr.strip()}")
        return parse_history(self.prefix, out.stdout)

    def worktree_changes(self) -> list[FileChange]:
        """Record files the working tree changed since HEAD (committed or not, staged or not).
        The new side has no blob id: read it from the working tree."""
        out = self._bytes(["diff", "HEAD", "--raw", "-M", "--no-abbrev", "-z", "--", f"{self.prefix}records/"]).stdout
        changes = [replace(c, new_blob=None) for c in parse_raw(self.prefix, out)]
        untracked = self._bytes(["ls-files", "-z", "--others", "--exclude-standard", "--",
                                 f"{self.prefix}records/"]).stdout
        for raw_path in filter(None, untracked.split(b"\0")):
            rel = decode_path(raw_path)[0][len(self.prefix):]
            if is_record_path(rel):
                changes.append(FileChange("A", None, rel, None, None))
        return changes


class BlobReader:
    """One `git cat-file --batch` process for many blobs."""

    def __init__(self, repo: GitRepo) -> None:
        self._repo = repo
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BlobReader:
        self._process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=self._repo.toplevel, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env={**os.environ, **_ENV},
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait()

    def read(self, blob: str) -> bytes | None:
        """A blob's bytes; None for one larger than a record may be (a 15 MB file in history would
        otherwise cost seconds and gigabytes to parse), which is skipped unread."""
        assert self._process is not None and self._process.stdin
        self._process.stdin.write(blob.encode() + b"\n")
        self._process.stdin.flush()
        return self._answer(blob)

    def _answer(self, blob: str) -> bytes | None:
        """Git's answer to the next blob asked for."""
        assert self._process is not None and self._process.stdout
        header = self._process.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            raise TraceError(f"git could not find the file content {blob}; the clone may be incomplete")
        size = int(header[2])
        if size > MAX_RECORD_BYTES:
            while size > 0:
                chunk = self._process.stdout.read(min(size, 1 << 20))
                if not chunk:
                    raise TraceError(f"git stopped while reading the file content {blob}")
                size -= len(chunk)
            self._process.stdout.read(1)
            return None
        data = self._process.stdout.read(size)
        self._process.stdout.read(1)  # the newline after each blob
        return data

    def read_many(self, blobs: Iterable[str]) -> dict[str, bytes | None]:
        """Many blobs in one stream: a thread asks for them all while this one reads the answers, instead
        of one round trip to git per blob (which cost seconds for ten thousand records)."""
        assert self._process is not None and self._process.stdin
        wanted, stdin = list(blobs), self._process.stdin

        def ask() -> None:
            try:
                stdin.write(b"".join(blob.encode() + b"\n" for blob in wanted))
                stdin.flush()
            except (BrokenPipeError, ValueError):
                return  # git stopped, or the reader gave up: the reading side reports why

        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        try:
            return {blob: self._answer(blob) for blob in wanted}
        except BaseException:
            self._process.kill()  # unblocks the asking thread
            raise
        finally:
            asking.join()
