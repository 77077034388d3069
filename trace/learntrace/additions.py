"""Additions to a record that people make without editing YAML: a dated paragraph in its notes, a provenance
entry, and the note that an action was reviewed against the current wording of what it addresses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from learntrace.edits import Change, Workspace
from learntrace.errors import TraceError
from learntrace.model import Record
from learntrace.newrecord import nested_text
from learntrace.roundtrip import Document, insert_field, styled
from learntrace.schema import article, schema_properties
from learntrace.yamlparse import RecordSyntaxError, parse_record_text


def _field_change(workspace: Workspace, record: Record, field: str, value: Any, summary: str) -> Change:
    """Write one field's new (styled) value into the record's file, checking it reads back as meant."""
    before = workspace.content(record.path)
    document = Document(record.path, before)
    if field in document.data:
        document.data[field] = value
    else:
        insert_field(document.data, record.kind, field, value)
    expected = _plain(value)
    try:
        found = parse_record_text(document.text()).data.get(field)
    except RecordSyntaxError:
        found = object()
    if found != expected:
        raise TraceError(f"trace cannot write that value of '{field}' safely in {record.path}; edit the file itself")
    if document.relaid:
        summary += f" Note: {record.path} was re-indented to the records' usual layout; check the diff."
    return Change(((record.path, document.content()),), summary=summary)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return str(value)


def _has_field(record: Record, field: str) -> None:
    if field not in schema_properties(record.kind):
        raise TraceError(f"{article(record.kind)} has no field '{field}'")


def append_note(workspace: Workspace, record_id: str, text: str, today: dt.date) -> Change:
    """Add a paragraph starting with today's date to a record's notes (the notes become a `|-` block)."""
    record = workspace.record(record_id)
    _has_field(record, "notes")
    paragraph = " ".join(text.split())
    if not paragraph:
        raise TraceError("give the text to add, such as: trace set ACT-1 notes --append \"Checked in June\"")
    old = record.data.get("notes")
    dated = f"{today.isoformat()}: {paragraph}"
    notes = f"{str(old).strip()}\n\n{dated}" if old is not None and str(old).strip() else dated
    return _field_change(workspace, record, "notes", styled(notes, None, "notes"),
                         f"Added to the notes of {record_id} ({record.path}): {dated}")


def add_provenance(workspace: Workspace, record_id: str, document: str, section: str) -> Change:
    """Add where a record's facts come from (a document and its section) to the record's provenance."""
    record = workspace.record(record_id)
    _has_field(record, "provenance")
    document, section = " ".join(document.split()), " ".join(section.split())
    if not document or not section:
        raise TraceError("give both the document and the section, such as --document \"Business plan 2022\" "
                         "--section \"Table 2, row 4\"")
    existing = record.data.get("provenance")
    entries = existing if isinstance(existing, list) else []
    if any(isinstance(e, dict) and e.get("document") == document and e.get("section") == section for e in entries):
        return Change(summary=f"{record_id} already names {document}, {section} as its provenance; nothing to change.")
    item = CommentedMap()
    item["document"] = styled(document, None, "document")
    item["section"] = nested_text(section)
    current = Document(record.path, workspace.content(record.path)).data.get("provenance")
    items = current if isinstance(current, CommentedSeq) else CommentedSeq()
    items.append(item)
    return _field_change(workspace, record, "provenance", items,
                         f"Added provenance to {record_id} ({record.path}): {document}, {section}.")


def mark_reviewed(workspace: Workspace, record_id: str, today: dt.date, by: str | None, note: str | None) -> Change:
    """Record that an action was checked against the current wording of the recommendations it addresses:
    the `reviewed` field (date, who, a note). Changing the action clears its suspect links."""
    record = workspace.record(record_id)
    if record.kind != "action":
        raise TraceError(f"{record_id} is {article(record.kind)}; trace reviewed records that an action was checked "
                         "against the recommendations it addresses")
    reviewed = CommentedMap()
    reviewed["date"] = styled(today.isoformat(), None, "date")
    who = " ".join((by or "").split())
    if who:
        reviewed["by"] = styled(who, None, "by")
    said = " ".join((note or "").split())
    if said:
        reviewed["note"] = styled(said, None, "note")
    if _plain(reviewed) == _plain(record.data.get("reviewed") or {}):
        return Change(summary=f"{record_id} is already recorded as reviewed today; nothing to change.")
    addresses = ", ".join(record.links("addresses")) or "no recommendation"
    summary = (f"Recorded that {record_id} was reviewed on {today.isoformat()}" + (f" by {who}" if who else "")
               + f" against the current wording of {addresses} ({record.path}); its suspect links are cleared: "
               "commit the change so that everyone sees it.")
    return _field_change(workspace, record, "reviewed", reviewed, summary)
