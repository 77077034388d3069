"""Change records in place (set, link, unlink, rename, add files): every change checked against the
whole record set before anything is written, files replaced atomically."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ruamel.yaml.comments import CommentedSeq

from learntrace.errors import Problem, TraceError
from learntrace.fields import describe_value, field_shape, value_for
from learntrace.journal import FileChange, apply_changes
from learntrace.load import RecordFile, load_record_files, read_worktree
from learntrace.model import LINK_FIELDS, Record
from learntrace.privacy import PrivacyPolicy
from learntrace.roundtrip import Document, id_list, insert_field, styled
from learntrace.schema import article
from learntrace.strays import record_name
from learntrace.validate import validate_loaded
from learntrace.values import stored_value
from learntrace.yamlparse import RecordSyntaxError, parse_record_text

ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Workspace:
    """The record files under a root as they are now, the records read from them and their problems."""

    root: Path
    files: tuple[RecordFile, ...]
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]
    unreadable_paths: frozenset[str]

    def ids(self) -> set[str]:
        return {record.id for record in self.records}

    def content(self, path: str) -> bytes:
        for file in self.files:
            if file.path == path and file.content is not None:
                return file.content
        raise TraceError(f"{path} could not be read")

    def record(self, record_id: str) -> Record:
        """The record with this id; unknown ids say which ids are close."""
        found = [record for record in self.records if record.id == record_id]
        if len(found) > 1:
            raise TraceError(
                f"more than one record has the id '{record_id}' ({', '.join(r.path for r in found)}); "
                "fix that first (see trace validate)"
            )
        if found:
            return found[0]
        for path in sorted(self.unreadable_paths):
            if record_name(path) == record_id:
                raise TraceError(f"{path} cannot be read as a record; fix it first (see trace validate)")
        close = difflib.get_close_matches(record_id, sorted(self.ids()), n=3)
        same_prefix = [i for i in close if i.split("-")[0] == record_id.split("-")[0]]
        close = same_prefix or close  # REC-2 is more likely REC-1 than SRC-1
        hint = f"; did you mean {', '.join(close)}?" if close else "; trace validate lists every record"
        raise TraceError(f"there is no record with the id '{record_id}'{hint}")


def _with_content(root: Path, file: RecordFile) -> RecordFile:
    """The file with its bytes in hand: edits compare and rewrite them."""
    if file.content is not None or file.unreadable is not None:
        return file
    try:
        return RecordFile(file.path, (root / file.path).read_bytes())
    except OSError as error:
        return RecordFile(file.path, unreadable=f"could not be read: {error.strerror or error}")


def read_workspace(root: Path) -> Workspace:
    files = tuple(_with_content(root, file) for file in read_worktree(root))
    loaded = load_record_files(files)
    problems = validate_loaded(loaded).problems
    unreadable = frozenset(p.path for p in loaded.problems)
    return Workspace(root, files, loaded.records, problems, unreadable)


@dataclass(frozen=True)
class Change:
    """What an edit would do: files to write (path, bytes), files to remove, and what it means in words.

    `moved` pairs an old path with its new one, so that a renamed file's old problems are not new."""

    writes: tuple[tuple[str, bytes], ...] = ()
    removes: tuple[str, ...] = ()
    moved: tuple[tuple[str, str], ...] = ()
    summary: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.writes and not self.removes


def _written(document: Document, data_before: bytes) -> tuple[tuple[str, bytes], ...]:
    content = document.content()
    return () if content == data_before else ((document.path, content),)


def set_field(workspace: Workspace, record_id: str, field: str, value: str | None) -> Change:
    """Set (or with value None remove) one field of one record."""
    record = workspace.record(record_id)
    if field == "id":
        raise TraceError(f"to change an id, use: trace rename {record_id} NEW-ID (it also rewrites every link to it)")
    said = None
    if value is not None and field_shape(record.kind, field) == "text":
        try:  # what the import reads, set accepts (31/03/2023, Amber)
            stored = stored_value(record.kind, field, value)
        except TraceError as error:
            raise TraceError(f"{error}; nothing was changed") from None
        value, said = stored.value, stored.said(field)
    new_value = None if value is None else value_for(record.kind, field, value)
    old_value = record.data.get(field)
    if value is None and field not in record.data:
        return Change(summary=f"{record_id} has no '{field}'; nothing to remove.")
    if new_value == old_value and field in record.data:
        return Change(summary=f"{record_id}'s {field} is already {describe_value(new_value)}; nothing to change.")
    before = workspace.content(record.path)
    document = Document(record.path, before)
    data = document.data
    old = data.get(field)
    if new_value is None:
        del data[field]
        summary = f"Removed {field} from {record_id} ({record.path})."
    else:
        if isinstance(new_value, list):
            block = isinstance(old, CommentedSeq) and bool(old) and not old.fa.flow_style()
            styled_value: Any = id_list(new_value, block=block)
        else:
            styled_value = styled(new_value, old, field)
        if field in data:
            data[field] = styled_value
        else:
            insert_field(data, record.kind, field, styled_value)
        summary = (f"{said}\n" if said else "") + (
            f"Set {field} of {record_id} to {describe_value(new_value)} (was {describe_value(old_value)}) "
            f"in {record.path}.")
    _check_reads_back(document, field, new_value)
    return Change(_written(document, before), summary=_relaid_note(document, summary))


def _check_reads_back(document: Document, field: str, expected: Any) -> None:
    """The written text must mean exactly the value asked for (YAML has many ways to surprise)."""
    try:
        found = parse_record_text(document.text()).data.get(field)
    except RecordSyntaxError:
        found = object()
    if found != expected:
        raise TraceError(f"trace cannot write that value of '{field}' safely in {document.path}; edit the file itself")


def _relaid_note(document: Document, summary: str) -> str:
    if document.relaid:
        return summary + f" Note: {document.path} was re-indented to the records' usual layout; check the diff."
    return summary


def list_link_fields(kind: str) -> list[str]:
    """The link fields of a kind that hold a list of ids (a recommendation's source is a single id)."""
    return [name for name in LINK_FIELDS.get(kind, {}) if field_shape(kind, name) == "list"]


def change_links(workspace: Workspace, record_id: str, links: Mapping[str, Sequence[str]], remove: bool) -> Change:
    """Add (or remove) ids to (from) link fields of one record, keeping the rest of each list as it is."""
    record = workspace.record(record_id)
    allowed = list_link_fields(record.kind)
    for name in links:
        if name not in allowed:
            fields = ", ".join(f"--{f}" for f in allowed) or "none"
            raise TraceError(f"{article(record.kind)} has no '{name}' links; its link options are: {fields}")
    before = workspace.content(record.path)
    document = Document(record.path, before)
    data = document.data
    said = []
    for name, ids in links.items():
        current = data.get(name)
        if isinstance(current, str):
            raise TraceError(
                f"{record_id}'s {name} is '{current}', not a list; to list ids instead use: "
                f"trace set {record_id} {name} \"{', '.join(ids)}\""
            )
        present = [str(item) for item in current] if isinstance(current, list) else []
        if remove:
            missing = [i for i in ids if i not in present]
            if missing:
                listed = ", ".join(present) if present else "none"
                raise TraceError(f"{record_id}'s {name} do not include {', '.join(missing)}; they are: {listed}")
            assert isinstance(current, CommentedSeq)
            for item in ids:
                current.remove(item)
            if not current:
                current.fa.set_flow_style()  # an emptied list is written [] as the records do
            said.append(f"{name} -{' -'.join(ids)}")
            continue
        added = [i for i in dict.fromkeys(ids) if i not in present]
        if not added:
            continue
        if isinstance(current, CommentedSeq):
            was_empty = not current
            current.extend(added)
            if was_empty:
                current.fa.set_flow_style()
        elif name in data:  # written but empty ("addresses:")
            data[name] = id_list(added)
        else:
            insert_field(data, record.kind, name, id_list(added))
        said.append(f"{name} +{' +'.join(added)}")
    if not said:
        return Change(summary=f"{record_id} already links to all of these; nothing to change.")
    verb = "Unlinked" if remove else "Linked"
    return Change(_written(document, before),
                  summary=_relaid_note(document, f"{verb} {record_id}: {'; '.join(said)} ({record.path})."))


def _rewrite_links(document: Document, kind: str, old: str, new: str) -> bool:
    changed = False
    for name in (*LINK_FIELDS.get(kind, {}), "judgement_links"):  # the marker names linked ids too
        value = document.data.get(name)
        if isinstance(value, str) and value == old:
            document.data[name] = styled(new, value, name)
            changed = True
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if item == old:
                    value[index] = styled(new, item, name)
                    changed = True
    return changed


def rename(workspace: Workspace, old_id: str, new_id: str) -> Change:
    """A record's new id and file name, and every link to it rewritten."""
    record = workspace.record(old_id)
    if not ID_PATTERN.match(new_id):
        raise TraceError(
            f"'{new_id}' is not an id: start with a letter, then letters, digits, dots, dashes or underscores"
        )
    if new_id == old_id:
        return Change(summary=f"{old_id} already has that id; nothing to change.")
    if new_id in workspace.ids():
        holder = next(r for r in workspace.records if r.id == new_id)
        raise TraceError(f"the id '{new_id}' is already used by {holder.path}; choose another")
    old_path = PurePosixPath(record.path)
    new_path = str(old_path.with_name(new_id + old_path.suffix))
    if (workspace.root / new_path).exists() or any(f.path == new_path for f in workspace.files):
        raise TraceError(f"{new_path} already exists; choose another id or remove that file first")
    writes: list[tuple[str, bytes]] = []
    linked: list[str] = []
    for other in workspace.records:
        if other.path == record.path:
            continue
        if old_id not in _linked_ids(other):
            continue
        document = Document(other.path, workspace.content(other.path))
        if _rewrite_links(document, other.kind, old_id, new_id):
            writes.append((other.path, document.content()))
            linked.append(other.path)
    own = Document(record.path, workspace.content(record.path))
    own.data["id"] = styled(new_id, own.data.get("id"), "id")
    _rewrite_links(own, record.kind, old_id, new_id)
    writes.append((new_path, own.content()))
    summary = f"Renamed {old_id} to {new_id}: {record.path} is now {new_path}"
    if linked:
        summary += f"; links rewritten in {len(linked)} file(s): {', '.join(linked)}."
    else:
        summary += "; nothing linked to it."
    return Change(tuple(writes), removes=(record.path,), moved=((record.path, new_path),), summary=summary)


def _linked_ids(record: Record) -> set[str]:
    found: set[str] = set()
    for name in LINK_FIELDS.get(record.kind, {}):
        found.update(record.links(name))
    return found


def add_files(workspace: Workspace, files: Sequence[tuple[str, bytes]], summary: str) -> Change:
    """New record files (trace new, trace import), refused if any of them exists already."""
    existing = {file.path for file in workspace.files}
    for path, _ in files:
        if path in existing or (workspace.root / path).exists():
            raise TraceError(f"{path} already exists; nothing was written")
    return Change(tuple(files), summary=summary)


# ---------------------------------------------------------------------------------------------
# Checking and writing


def new_problems(workspace: Workspace, change: Change, privacy: PrivacyPolicy | None = None) -> list[Problem]:
    """The problems the record set would have after the change that it does not have now, and, with a
    privacy policy, what looks like personal data in the files it writes (a warning, or an error in CI).

    Problems that exist already elsewhere never block an unrelated change."""
    replaced = dict(change.writes)
    removed = set(change.removes)
    files: list[RecordFile] = []
    for file in workspace.files:
        if file.path in removed and file.path not in replaced:
            continue
        if file.path in replaced:
            files.append(RecordFile(file.path, replaced.pop(file.path)))
        else:
            files.append(file)
    files.extend(RecordFile(path, content) for path, content in replaced.items())
    after = validate_loaded(load_record_files(files)).problems
    moved = dict(change.moved)
    before = Counter((moved.get(p.path, p.path), p.code, p.message) for p in workspace.problems)
    added = []
    for problem in after:
        key = (problem.path, problem.code, problem.message)
        if before[key] > 0:
            before[key] -= 1
        else:
            added.append(problem)
    if privacy is not None and change.writes:
        from learntrace.snapshot import check_files

        written = [RecordFile(path, content) for path, content in change.writes]
        added += [p for p in check_files(written, None, privacy)[1] if p.code == "personal-data"]
    return added


def file_changes(workspace: Workspace, change: Change) -> list[FileChange]:
    """The change as files with the bytes the workspace read from them (None: a new file)."""
    known = {file.path: file.content for file in workspace.files}
    changes = [FileChange(path, known.get(path), data) for path, data in change.writes]
    changes += [FileChange(path, known.get(path), None) for path in change.removes]
    return changes


def apply_change(workspace: Workspace, change: Change, label: str | None = None) -> None:
    """Write every file of a change, or none, unless a file changed since the workspace read it
    (see journal.apply_changes). Call while holding journal.records_lock."""
    # What the journal calls the change, should it have to be finished later: "Renamed REC-1 to REC-9".
    if label is None:
        label = change.summary.splitlines()[0].partition(": ")[0].rstrip(":.")[:160] if change.summary else ""
    apply_changes(workspace.root, file_changes(workspace, change), label)


