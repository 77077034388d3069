"""Record history from git: a record's changes, all changes in a period, and suspect links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from learntrace.analyses.gaps import Gap, find_gaps
from learntrace.cache import RecordCache
from learntrace.changes import RecordChange, field_changes
from learntrace.errors import TraceError
from learntrace.graph import build_graph
from learntrace.gitio import BlobReader, Commit, FileChange, GitRepo
from learntrace.load import decode_record_bytes
from learntrace.model import FOLDER_KINDS, Record
from learntrace.validate import validate_files
from learntrace.yamlparse import RecordSyntaxError, parse_record_text

# A recommendation's meaning: when these change, actions answering it need a fresh look.
MEANING_FIELDS = ("text", "aims")


@dataclass(frozen=True)
class CommitChange:
    commit: Commit
    change: RecordChange


def _parse_blob(content: bytes | None) -> dict[str, Any] | None:
    if content is None:
        return None
    try:
        return parse_record_text(decode_record_bytes(content)).data
    except (RecordSyntaxError, UnicodeDecodeError):
        return None


def _kind(path: str | None) -> str:
    # String operations, not pathlib: this runs for every file of every commit.
    parts = (path or "").split("/")
    return FOLDER_KINDS.get(parts[1], "unknown") if len(parts) > 2 else "unknown"


def _stem(path: str | None) -> str | None:
    if not path:
        return None
    name = path.rpartition("/")[2]
    return name.rpartition(".")[0] or name


def _record_change(change: FileChange, old: dict[str, Any] | None, new: dict[str, Any] | None) -> RecordChange:
    path = change.new_path or change.old_path
    data = new if new is not None else (old or {})
    record_id = str(data.get("id") or _stem(path))
    title = str(data.get("title") or " ".join(str(data.get("text") or "").split())[:80] or record_id)
    if change.status == "A" or change.old_path is None:
        return RecordChange("added", _kind(path), record_id, title, None, change.new_path)
    if change.status == "D" or change.new_path is None:
        return RecordChange("removed", _kind(path), record_id, title, change.old_path, None)
    fields = field_changes(old or {}, new or {}) if old is not None and new is not None else ()
    return RecordChange("changed", _kind(path), record_id, title, change.old_path, change.new_path, fields)


def _with_data(repo: GitRepo, history: list[tuple[Commit, list[FileChange]]]) -> list[CommitChange]:
    blobs = {b for _, changes in history for c in changes for b in (c.old_blob, c.new_blob) if b}
    with BlobReader(repo) as reader:
        contents = reader.read_many(sorted(blobs))
    result = []
    for commit, changes in history:
        for change in changes:
            old = _parse_blob(contents.get(change.old_blob)) if change.old_blob else None
            new = _parse_blob(contents.get(change.new_blob)) if change.new_blob else None
            result.append(CommitChange(commit, _record_change(change, old, new)))
    return result


def record_history(repo: GitRepo, record_id: str, rev: str = "HEAD") -> list[CommitChange]:
    """Every commit that changed one record, newest first, following it across moves and renames."""
    raw = repo.record_history(rev=rev)
    wanted = record_id
    picked: list[tuple[Commit, list[FileChange]]] = []
    for commit, changes in raw:  # newest first
        mine = [c for c in changes if wanted in (_stem(c.new_path), _stem(c.old_path))]
        if mine:
            picked.append((commit, mine))
            for change in mine:
                if change.status == "R" and _stem(change.new_path) == wanted:
                    wanted = _stem(change.old_path) or wanted
    return _with_data(repo, picked)


def change_log(repo: GitRepo, since: str | None, until: str | None, rev: str = "HEAD") -> list[CommitChange]:
    """The semantic changes of every commit in a period, newest first."""
    return _with_data(repo, repo.record_history(since=since, until=until, rev=rev))


@dataclass(frozen=True)
class Touches:
    """For each record id: the position of the last commit that touched it, and, for recommendations,
    of the last commit that changed their meaning (text or aims). Positions count commits from the
    oldest on the first-parent line, so they only grow as history grows."""

    sha: str
    count: int
    last_touched: dict[str, int]
    meaning_changed: dict[str, tuple[int, tuple[str, str, str, str]]]


def _commit_fields(commit: Commit) -> tuple[str, str, str, str]:
    return (commit.sha, commit.date.isoformat(), commit.author, commit.subject)


def committed_touches(repo: GitRepo, rev: str, cache: RecordCache | None = None) -> Touches:
    """Touches up to a commit. History never changes, so the answer is cached by commit id, and a
    later commit only reads the commits added since."""
    sha = repo.resolve(rev).sha
    if cache is not None:
        found = cache.get(("h", sha))
        if found is not None:
            return Touches(sha, *found)
    base = cache.get(("h-latest",)) if cache is not None else None
    known = cache.get(("h", base)) if cache is not None and base else None
    head = repo.record_history(rev="HEAD")  # read once per run; most commits asked about are on it
    position = next((index for index, (commit, _) in enumerate(head) if commit.sha == sha), None)
    if position is not None and not (known is not None and base is not None and base == sha):
        count, last_touched, meaning_changed = 0, {}, {}
        history = list(reversed(head[position:]))
    elif known is not None and base is not None and repo.is_ancestor(base, sha):
        count, last_touched, meaning_changed = known[0], dict(known[1]), dict(known[2])
        history = list(reversed(repo.record_history(rev=f"{base}..{sha}")))
    else:
        count, last_touched, meaning_changed = 0, {}, {}
        history = list(reversed(repo.record_history(rev=sha)))  # oldest first
    # Only a recommendation edited in place needs its text read; any change touches an action.
    edited = {b for _, changes in history for c in changes
              if _kind(c.new_path) == "recommendation" and c.old_blob and c.new_blob and c.old_blob != c.new_blob
              for b in (c.old_blob, c.new_blob)}
    with BlobReader(repo) as reader:
        meaning = {blob: _meaning(_parse_blob(reader.read(blob))) for blob in sorted(edited)}
    for offset, (commit, changes) in enumerate(history):
        index = count + offset
        for change in changes:
            record_id = _stem(change.new_path or change.old_path) or ""
            last_touched[record_id] = index
            if _kind(change.new_path) != "recommendation":
                continue
            if change.old_path is None or (
                change.old_blob in meaning and meaning[change.old_blob] != meaning.get(change.new_blob or "")
            ):
                meaning_changed[record_id] = (index, _commit_fields(commit))
    touches = Touches(sha, count + len(history), last_touched, meaning_changed)
    if cache is not None:
        cache.put(("h", sha), (touches.count, touches.last_touched, touches.meaning_changed))
        cache.put(("h-latest",), sha)
    return touches


def find_suspect_links(repo: GitRepo, rev: str, records: Iterable[Record],
                       worktree_changes: Iterable[RecordChange] = (),
                       cache: RecordCache | None = None) -> list[Gap]:
    """Actions last changed before a recommendation they address changed its text or aims."""
    touches = committed_touches(repo, rev, cache)
    last_touched = dict(touches.last_touched)
    meaning_changed: dict[str, tuple[int, tuple[str, str, str, str] | None]] = dict(touches.meaning_changed)
    now = touches.count
    for change in worktree_changes:
        last_touched[change.id] = now
        if change.kind == "recommendation" and (
            change.change == "added" or any(f.field in MEANING_FIELDS for f in change.fields)
        ):
            meaning_changed[change.id] = (now, None)
    by_id = {record.id: record for record in records}
    gaps = []
    for action in sorted((r for r in by_id.values() if r.kind == "action"), key=lambda r: r.id):
        for index, rec_id in enumerate(action.links("addresses")):
            changed = meaning_changed.get(rec_id)
            if changed is None or changed[0] <= last_touched.get(action.id, -1):
                continue
            commit = changed[1]
            when = f"in commit {commit[0][:10]} ({commit[1][:10]}: {commit[3]})" if commit \
                else "in changes not yet committed"
            gaps.append(Gap(
                "suspect-link", action.id, action.path, action.line_of("addresses", index),
                f"{rec_id}, which this action addresses, changed its text or aims {when}, after this action "
                "was last changed; check the action still answers it, then commit a change to this action "
                "(for example a note that it was reviewed)",
                title=action.title, subject=rec_id,
            ))
    return gaps


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


def worktree_record_changes(repo: GitRepo, records: list[Record]) -> list[RecordChange]:
    """What the working tree changed since HEAD, read from git only for the files that differ."""
    changes = repo.worktree_changes()
    by_path = {record.path: record for record in records}
    with BlobReader(repo) as reader:
        old = {c.old_blob: _parse_blob(reader.read(c.old_blob)) for c in changes if c.old_blob}
    result = []
    for change in changes:
        new_record = by_path.get(change.new_path or "")
        new = dict(new_record.data) if new_record is not None else None
        result.append(_record_change(change, old.get(change.old_blob) if change.old_blob else None, new))
    return result


def suspect_links_for(repo: GitRepo, records: list[Record], at: Commit | None,
                      cache: RecordCache | None = None) -> list[Gap]:
    """Suspect links of the records at a commit, or of the working tree (whose uncommitted edits count too)."""
    if at is not None:
        return find_suspect_links(repo, at.sha, records, cache=cache)
    if not has_commits(repo):
        return []
    return find_suspect_links(repo, "HEAD", records, worktree_record_changes(repo, records), cache)


def gaps_at(repo: GitRepo, commit: Commit, as_of: dt.date, cache: RecordCache | None = None) -> list[Gap]:
    """The gaps the records had at a commit, judged as of a date."""
    records = list(validate_files(repo.record_files_at(commit.sha), cache).records)
    graph = build_graph(records)
    return find_gaps(graph, as_of, find_suspect_links(repo, commit.sha, records, cache=cache))
