"""What git prints about history, as values: commits, the record files each changed (from `--raw`), and
commit dates. No git process runs here (gitio.py runs them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from learntrace.dates import GIT_FIRST_DAY, GIT_LAST_DAY
from learntrace.load import is_record_path


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.datetime  # committer date
    author: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass(frozen=True)
class FileChange:
    """One record file changed by a commit: status A/M/D/R, paths and blob ids (None when absent)."""

    status: str
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None


def _records_path(prefix: str, path: str) -> str | None:
    """A repository path as a path under the records root (at `prefix` in the repository), if it is a
    record file there."""
    if not path.startswith(prefix):
        return None
    rel = path[len(prefix):]
    return rel if rel.startswith("records/") and is_record_path(rel) else None


def parse_raw(prefix: str, raw: bytes) -> Iterator[FileChange]:
    """The record files in git's `--raw -z` output, for a records root at `prefix` in the repository."""
    parts = [p.decode("utf-8", "replace") for p in raw.split(b"\x00")]  # a name that is not UTF-8 is shown
    index = 0
    while index < len(parts):
        meta = parts[index].strip("\n")
        if not meta.startswith(":"):
            index += 1
            continue
        _, _, old_blob, new_blob, status = meta[1:].split(" ")
        letter = status[0]
        if letter in "RC":
            old_path, new_path = parts[index + 1], parts[index + 2]
            index += 3
        else:
            old_path = new_path = parts[index + 1]
            index += 2
        zero = "0" * len(old_blob)
        old_rel = _records_path(prefix, old_path) if letter != "A" else None
        new_rel = _records_path(prefix, new_path) if letter != "D" else None
        if old_rel is None and new_rel is None:
            continue
        yield FileChange(letter, old_rel, new_rel,
                         None if old_blob == zero else old_blob, None if new_blob == zero else new_blob)


def log_args(since: str | None, until: str | None, rev: str) -> list[str] | None:
    """`git log` reading the record history of rev, since and until a day; None for a period git can
    hold no commit in."""
    # No pathspec: git filters paths more slowly than we do, twice as slowly on large trees.
    args = ["log", "--first-parent", "-m", "--raw", "-M", "--no-abbrev", "-z",
            "--format=%x01%H%x00%cI%x00%an%x00%s", rev]
    since_day, until_day = day_of(since), day_of(until)
    if (since_day is not None and since_day > GIT_LAST_DAY) or (
            until_day is not None and until_day < GIT_FIRST_DAY):
        return None
    if since and not (since_day is not None and since_day < GIT_FIRST_DAY):
        args.insert(1, f"--since={since}")
    if until and not (until_day is not None and until_day > GIT_LAST_DAY):
        args.insert(1, f"--until={until}")
    return [*args, "--"]


def parse_history(prefix: str, output: bytes) -> list[tuple[Commit, list[FileChange]]]:
    """What log_args's `git log` printed: each commit that changed record files, with its changes."""
    history = []
    for chunk in output.split(b"\x01")[1:]:
        header, _, raw = chunk.partition(b"\n")
        fields = header.split(b"\x00")
        changes = list(parse_raw(prefix, b"\x00".join(fields[4:]) + raw))
        if changes:
            sha, date, author, subject = (field.decode("utf-8", "replace") for field in fields[:4])
            history.append((Commit(sha, commit_date(date), author, subject), changes))
    return history


def day_of(moment: str | None) -> dt.date | None:
    """The day of a YYYY-MM-DD[THH:MM:SS] bound, to compare with the days git can date."""
    try:
        return dt.date.fromisoformat(moment[:10]) if moment else None
    except ValueError:
        return None


def commit_date(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:  # a commit whose date git cannot show in ISO form (far outside its range)
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
