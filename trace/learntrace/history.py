"""Record history from git: a record's changes, and all changes in a period, as semantic changes."""

from __future__ import annotations

from typing import Any

from learntrace.changes import CommitChange, RecordChange, field_changes
from learntrace.gitio import BlobReader, Commit, FileChange, GitRepo
from learntrace.load import decode_record_bytes
from learntrace.model import FOLDER_KINDS
from learntrace.yamlparse import RecordSyntaxError, parse_record_text


def parse_blob(content: bytes | None) -> dict[str, Any] | None:
    if content is None:
        return None
    try:
        return parse_record_text(decode_record_bytes(content)).data
    except (RecordSyntaxError, UnicodeDecodeError):
        return None


def kind_of_path(path: str | None) -> str:
    # String operations, not pathlib: this runs for every file of every commit.
    parts = (path or "").split("/")
    return FOLDER_KINDS.get(parts[1], "unknown") if len(parts) > 2 else "unknown"


def stem(path: str | None) -> str | None:
    if not path:
        return None
    name = path.rpartition("/")[2]
    return name.rpartition(".")[0] or name


def record_change(change: FileChange, old: dict[str, Any] | None, new: dict[str, Any] | None) -> RecordChange:
    path = change.new_path or change.old_path
    data = new if new is not None else (old or {})
    record_id = str(data.get("id") or stem(path))
    title = str(data.get("title") or " ".join(str(data.get("text") or "").split())[:80] or record_id)
    if change.status == "A" or change.old_path is None:
        return RecordChange("added", kind_of_path(path), record_id, title, None, change.new_path)
    if change.status == "D" or change.new_path is None:
        return RecordChange("removed", kind_of_path(path), record_id, title, change.old_path, None)
    fields = field_changes(old or {}, new or {}) if old is not None and new is not None else ()
    return RecordChange("changed", kind_of_path(path), record_id, title, change.old_path, change.new_path, fields)


def _with_data(repo: GitRepo, history: list[tuple[Commit, list[FileChange]]]) -> list[CommitChange]:
    blobs = {b for _, changes in history for c in changes for b in (c.old_blob, c.new_blob) if b}
    with BlobReader(repo) as reader:
        contents = reader.read_many(sorted(blobs))
    result = []
    for commit, changes in history:
        for change in changes:
            old = parse_blob(contents.get(change.old_blob)) if change.old_blob else None
            new = parse_blob(contents.get(change.new_blob)) if change.new_blob else None
            result.append(CommitChange(commit, record_change(change, old, new)))
    return result


def record_history(repo: GitRepo, record_id: str, rev: str = "HEAD") -> list[CommitChange]:
    """Every commit that changed one record, newest first, following it across moves and renames."""
    raw = repo.record_history(rev=rev)
    wanted = record_id
    picked: list[tuple[Commit, list[FileChange]]] = []
    for commit, changes in raw:  # newest first
        mine = [c for c in changes if wanted in (stem(c.new_path), stem(c.old_path))]
        if mine:
            picked.append((commit, mine))
            for change in mine:
                if change.status == "R" and stem(change.new_path) == wanted:
                    wanted = stem(change.old_path) or wanted
    repo.refuse_cut_short(commit for commit, _ in picked)
    return _with_data(repo, picked)


def change_log(repo: GitRepo, since: str | None, until: str | None, rev: str = "HEAD") -> list[CommitChange]:
    """The semantic changes of every commit in a period, newest first."""
    history = repo.record_history(since=since, until=until, rev=rev)
    repo.refuse_cut_short(commit for commit, _ in history)
    return _with_data(repo, history)


def commit_changes(repo: GitRepo, history: list[tuple[Commit, list[FileChange]]]) -> list[CommitChange]:
    """The semantic changes of some commits of `GitRepo.record_history` (in the order given)."""
    return _with_data(repo, history)
