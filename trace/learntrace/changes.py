"""What changed between two sets of records, field by field, matched by id (so a moved file is a move)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from learntrace.gitio import Commit
from learntrace.model import KINDS, LINK_FIELDS, Record, natural_key

# Fields whose changes the reports call out.
CALLED_OUT = ("status", "rag")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    @property
    def is_link(self) -> bool:
        return any(self.field in fields for fields in LINK_FIELDS.values())

    def added_links(self) -> list[str]:
        return [i for i in _ids(self.new) if i not in _ids(self.old)]

    def removed_links(self) -> list[str]:
        return [i for i in _ids(self.old) if i not in _ids(self.new)]


def _ids(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if value is None:
        return []
    return [str(value)]


@dataclass(frozen=True)
class RecordChange:
    """One record added, removed or changed (a change may also be a move to a new path)."""

    change: str  # "added", "removed" or "changed"
    kind: str
    id: str
    title: str
    old_path: str | None
    new_path: str | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def moved(self) -> bool:
        return self.change == "changed" and self.old_path != self.new_path

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)


@dataclass(frozen=True)
class CommitChange:
    """A record's change in one commit."""

    commit: Commit
    change: RecordChange


def field_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    names = list(old) + [name for name in new if name not in old]
    return tuple(
        FieldChange(name, old.get(name), new.get(name)) for name in names if old.get(name) != new.get(name)
    )


def diff_records(old: Iterable[Record], new: Iterable[Record]) -> list[RecordChange]:
    """Every added, removed, moved or edited record, upstream kinds first, then by id."""
    before = {record.id: record for record in old}
    after = {record.id: record for record in new}
    result = []
    for record_id in before.keys() | after.keys():
        was, now = before.get(record_id), after.get(record_id)
        if was is None and now is not None:
            result.append(RecordChange("added", now.kind, record_id, now.title, None, now.path))
        elif now is None and was is not None:
            result.append(RecordChange("removed", was.kind, record_id, was.title, was.path, None))
        elif was is not None and now is not None:
            fields = field_changes(was.data, now.data)
            if fields or was.path != now.path:
                result.append(RecordChange("changed", now.kind, record_id, now.title, was.path, now.path, fields))
    order = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(result, key=lambda c: (order.get(c.kind, 99), natural_key(c.id)))


def short(value: Any, limit: int = 60) -> str:
    """A value as one short line, for 'old → new'."""
    if value is None:
        return "(none)"
    if isinstance(value, list):
        text = "[" + ", ".join(str(v) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


@dataclass(frozen=True)
class ItemChanges:
    """A list of fields (provenance, accepted_gaps) compared item by item."""

    added: tuple[dict[str, Any], ...]
    removed: tuple[dict[str, Any], ...]
    changed: tuple[tuple[dict[str, Any], dict[str, Any]], ...]  # (old, new): the same item, edited


def _mappings(value: Any) -> list[dict[str, Any]] | None:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    return None


def item_changes(change: FieldChange) -> ItemChanges | None:
    """For a list of fields on both sides, what was added, removed and edited; None for other values.
    An item edited in place is one whose first field (its document, its gap kind) stayed the same."""
    old, new = _mappings(change.old), _mappings(change.new)
    if old is None or new is None or not (old or new):
        return None
    removed = [item for item in old if item not in new]
    added = [item for item in new if item not in old]
    changed = []
    for item in list(removed):
        first = next(iter(item.items()), None)
        partner = next((other for other in added if first is not None and next(iter(other.items()), None) == first),
                       None)
        if partner is not None:
            changed.append((item, partner))
            removed.remove(item)
            added.remove(partner)
    return ItemChanges(tuple(added), tuple(removed), tuple(changed))


def _item_words(item: dict[str, Any]) -> str:
    """001_Delivery_Plan.txt, Delivery Plan row 3"""
    return ", ".join(short(value) for value in item.values())


def _describe_items(field: str, items: ItemChanges) -> str:
    parts = [f"added {_item_words(item)}" for item in items.added]
    parts += [f"removed {_item_words(item)}" for item in items.removed]
    for old, new in items.changed:
        first = short(next(iter(new.values())))
        edits = [f"{name} {short(old.get(name))} → {short(new.get(name))}"
                 for name in [*old, *(n for n in new if n not in old)] if old.get(name) != new.get(name)]
        parts.append(f"changed {first} ({'; '.join(edits)})")
    return f"{field}: {'; '.join(parts) or 'reordered'}"


def describe_field_change(change: FieldChange) -> str:
    """status: in-progress → complete; addresses: +REC-2 -REC-1; provenance: added 001.txt, row 3."""
    items = item_changes(change)
    if items is not None:
        return _describe_items(change.field, items)
    if change.is_link and (isinstance(change.old, list) or isinstance(change.new, list)):
        parts = [f"+{i}" for i in change.added_links()] + [f"-{i}" for i in change.removed_links()]
        return f"{change.field}: {' '.join(parts) or short(change.new)}"
    if change.old is None:
        return f"{change.field}: added ({short(change.new)})"
    if change.new is None:
        return f"{change.field}: removed (was {short(change.old)})"
    return f"{change.field}: {short(change.old)} → {short(change.new)}"
