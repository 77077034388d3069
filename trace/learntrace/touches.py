"""When each record last changed, from git history (and the working tree's uncommitted edits): the
index the suspect-link analysis reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from learntrace.cache import RecordCache
from learntrace.changes import RecordChange
from learntrace.errors import TraceError
from learntrace.gitio import BlobReader, Commit, GitRepo
from learntrace.history import kind_of_path, parse_blob, record_change, stem
from learntrace.model import Record

# A recommendation's meaning: when these change, actions answering it need a fresh look.
MEANING_FIELDS = ("text", "aims")

CommitFields = tuple[str, str, str, str]  # sha, ISO date, author, subject


@dataclass(frozen=True)
class Touches:
    """For each record id: the position of the last commit that touched it, and, for recommendations,
    of the last commit that changed their meaning (text or aims). Positions count commits from the
    oldest on the first-parent line, so they only grow as history grows."""

    sha: str
    count: int
    last_touched: dict[str, int]
    meaning_changed: dict[str, tuple[int, CommitFields]]


@dataclass(frozen=True)
class HistoryIndex:
    """Touches up to a commit, plus the working tree's changes (at position `count`, with no commit)."""

    count: int
    last_touched: dict[str, int]
    meaning_changed: dict[str, tuple[int, CommitFields | None]]


def _commit_fields(commit: Commit) -> CommitFields:
    return (commit.sha, commit.date.isoformat(), commit.author, commit.subject)


def _valid_touches(sha: str, found: Any) -> Touches | None:
    """A cached entry, if it has the shape a Touches needs (anything else is a miss)."""
    if not (isinstance(found, tuple) and len(found) == 3 and isinstance(found[0], int)
            and isinstance(found[1], dict) and isinstance(found[2], dict)):
        return None
    return Touches(sha, found[0], found[1], found[2])


def committed_touches(repo: GitRepo, rev: str, cache: RecordCache | None = None) -> Touches:
    """Touches up to a commit. History never changes, so the answer is cached by commit id, and a
    later commit only reads the commits added since."""
    sha = repo.resolve(rev).sha
    kept = cache.history if cache is not None else None
    if kept is not None:
        cached = _valid_touches(sha, kept.get(("h", sha)))
        if cached is not None:
            return cached
    base = kept.get(("h-latest",)) if kept is not None else None
    known = _valid_touches(base, kept.get(("h", base))) if kept is not None and isinstance(base, str) else None
    head = repo.record_history(rev="HEAD")  # read once per run; most commits asked about are on it
    position = next((index for index, (commit, _) in enumerate(head) if commit.sha == sha), None)
    count: int
    last_touched: dict[str, int]
    meaning_changed: dict[str, tuple[int, CommitFields]]
    if position is not None and not (known is not None and base == sha):
        count, last_touched, meaning_changed = 0, {}, {}
        history = list(reversed(head[position:]))
    elif known is not None and isinstance(base, str) and repo.is_ancestor(base, sha):
        count, last_touched, meaning_changed = known.count, dict(known.last_touched), dict(known.meaning_changed)
        history = list(reversed(repo.record_history(rev=f"{base}..{sha}")))
    else:
        count, last_touched, meaning_changed = 0, {}, {}
        history = list(reversed(repo.record_history(rev=sha)))  # oldest first
    # Only a recommendation edited in place needs its text read; any change touches an action.
    edited = {b for _, changes in history for c in changes
              if kind_of_path(c.new_path) == "recommendation" and c.old_blob and c.new_blob
              and c.old_blob != c.new_blob
              for b in (c.old_blob, c.new_blob)}
    with BlobReader(repo) as reader:
        meaning = {blob: _meaning(parse_blob(content)) for blob, content in reader.read_many(sorted(edited)).items()}
    for offset, (commit, changes) in enumerate(history):
        index = count + offset
        for change in changes:
            record_id = stem(change.new_path or change.old_path) or ""
            last_touched[record_id] = index
            if kind_of_path(change.new_path) != "recommendation":
                continue
            if change.old_path is None or (
                change.old_blob in meaning and meaning[change.old_blob] != meaning.get(change.new_blob or "")
            ):
                meaning_changed[record_id] = (index, _commit_fields(commit))
    touches = Touches(sha, count + len(history), last_touched, meaning_changed)
    if kept is not None:
        kept.put(("h", sha), (touches.count, touches.last_touched, touches.meaning_changed))
        kept.put(("h-latest",), sha)
    return touches


def _meaning(data: dict[str, Any] | None) -> tuple[Any, ...]:
    if data is None:
        return (None,)
    return tuple(repr(data.get(name)) for name in MEANING_FIELDS)


def has_commits(repo: GitRepo) -> bool:
    try:
        repo.resolve("HEAD")
    except TraceError:
        return False
    return True


def worktree_record_changes(repo: GitRepo, records: Sequence[Record]) -> list[RecordChange]:
    """What the working tree changed since HEAD, read from git only for the files that differ."""
    changes = repo.worktree_changes()
    by_path = {record.path: record for record in records}
    with BlobReader(repo) as reader:
        old = {blob: parse_blob(content)
               for blob, content in reader.read_many(c.old_blob for c in changes if c.old_blob).items()}
    result = []
    for change in changes:
        new_record = by_path.get(change.new_path or "")
        new = dict(new_record.data) if new_record is not None else None
        result.append(record_change(change, old.get(change.old_blob) if change.old_blob else None, new))
    return result


def _with_worktree(touches: Touches, worktree_changes: Iterable[RecordChange]) -> HistoryIndex:
    last_touched = dict(touches.last_touched)
    meaning_changed: dict[str, tuple[int, CommitFields | None]] = dict(touches.meaning_changed)
    now = touches.count
    for change in worktree_changes:
        last_touched[change.id] = now
        if change.kind == "recommendation" and (
            change.change == "added" or any(f.field in MEANING_FIELDS for f in change.fields)
        ):
            meaning_changed[change.id] = (now, None)
    return HistoryIndex(now, last_touched, meaning_changed)


def history_index(repo: GitRepo, at: Commit | None, records: Sequence[Record],
                  cache: RecordCache | None = None) -> HistoryIndex | None:
    """The index at a commit, or of the working tree (whose uncommitted edits count too); None when
    the repository has no commits yet."""
    if at is not None:
        return _with_worktree(committed_touches(repo, at.sha, cache), ())
    if not has_commits(repo):
        return None
    return _with_worktree(committed_touches(repo, "HEAD", cache), worktree_record_changes(repo, records))
