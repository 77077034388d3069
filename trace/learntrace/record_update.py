"""Several fields of one record changed in its file by the round-trip editor: comments, key order
and quoting kept, so that the diff shows only the lines whose values changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from learntrace.edits import Workspace
from learntrace.errors import TraceError
from learntrace.model import Record
from learntrace.roundtrip import Document, foldable, folded, id_list, insert_field, styled
from learntrace.yamlparse import RecordSyntaxError, parse_record_text


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any  # None: the field is removed
    reading: str | None = None  # how the cell was read, when that changed its text


def _extended(old: FoldedScalarString, value: str) -> FoldedScalarString:
    """Folded text with more added at its end: the lines already there stay as they are (a one-line diff
    for a note added to the notes), and only the last line and the new text are folded afresh."""
    kept = [int(p) for p in getattr(old, "fold_pos", [])]
    start = kept[-1] + 1 if kept else 0
    tail = folded(value[start:])
    result: FoldedScalarString = FoldedScalarString(value)
    result.fold_pos = [*kept, *(start + int(p) for p in getattr(tail, "fold_pos", []))]  # type: ignore[attr-defined]
    return result


def _styled(old: Any, name: str, value: Any) -> Any:
    if isinstance(old, FoldedScalarString) and isinstance(value, str) and value.startswith(str(old)) \
            and foldable(value):
        return _extended(old, value)
    if isinstance(value, list):
        block = isinstance(old, CommentedSeq) and bool(old) and not old.fa.flow_style()
        return id_list([str(item) for item in value], block=block)
    return styled(str(value), old, name)


def updated_content(workspace: Workspace, record: Record, changes: Sequence[FieldChange]) -> bytes:
    """The record file with the changes made; raises TraceError if the result would not read back as meant."""
    document = Document(record.path, workspace.content(record.path))
    data = document.data
    for change in changes:
        if change.new is None:
            data.pop(change.field, None)
        elif change.field in data:
            data[change.field] = _styled(data[change.field], change.field, change.new)
        else:
            insert_field(data, record.kind, change.field, _styled(None, change.field, change.new))
    try:
        found = parse_record_text(document.text()).data
    except RecordSyntaxError:
        found = None
    for change in changes:
        if found is None or found.get(change.field) != change.new:
            raise TraceError(f"trace cannot write that value of '{change.field}' safely in {record.path}; "
                             "edit the file itself")
    return document.content()
