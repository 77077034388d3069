"""The table model that workbooks and CSV files share: the columns of each kind, a spreadsheet's
cells as read, the fingerprint of a record as exported, and the rows an export writes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from learntrace.analyses.coverage import coverage_level
from learntrace.graph import ADDRESSED_BY, RecordGraph
from learntrace.model import Record

SHEET_KINDS = ("action", "recommendation")

# The columns a person may change, in the order an export writes them (the id first: it says which
# record a row updates).
EDITABLE: dict[str, tuple[str, ...]] = {
    "action": ("id", "title", "owner", "status", "target", "rag", "objective", "addresses", "aims", "outcomes",
               "notes"),
    "recommendation": ("id", "source", "ref", "text", "aims", "status", "notes"),
}
# Columns trace works out from the other records: exported to read, never imported.
COMPUTED: dict[str, tuple[str, ...]] = {
    "action": ("evidence", "path"),
    "recommendation": ("coverage", "actions", "path"),
}
FINGERPRINT = "fingerprint"
# A fingerprint starts with the kind's letter and the format's version: a1- or r1-.
_FINGERPRINT_TAGS = {"action": "a1", "recommendation": "r1"}
_WHOLE = 12  # hex digits of the hash of the whole record
_PART = 4  # hex digits of the hash of each column's value


def export_columns(kind: str) -> tuple[str, ...]:
    return (*EDITABLE[kind], *COMPUTED[kind], FINGERPRINT)


@dataclass(frozen=True)
class Cell:
    """One cell as the spreadsheet holds it. `kind` is text, number, date, formula, error or empty;
    `raw` is the number, date or formula itself; `ref` is the cell's address in a workbook (D4)."""

    text: str
    kind: str = "text"
    raw: Any = None
    ref: str = ""

    @property
    def is_empty(self) -> bool:
        return self.kind == "empty" or (self.kind == "text" and not self.text.strip())


EMPTY = Cell("", "empty")


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the spreadsheet numbers it: the header is usually row 1
    cells: tuple[Cell, ...]

    def cell(self, index: int) -> Cell:
        return self.cells[index] if index < len(self.cells) else EMPTY


@dataclass(frozen=True, order=True)
class SheetProblem:
    """Something wrong in a spreadsheet, located by its row and the column's heading."""

    row: int
    column: str | None
    message: str
    id: str | None = None

    def text(self, file_name: str) -> str:
        where = f"{file_name} row {self.row}" if self.row else file_name
        if self.id:
            where += f" ({self.id})"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook, or a CSV file: its header, its rows, and what was wrong with the file
    as a whole (merged cells, two sheets of records), each located."""

    name: str  # the file's name, as problems name it
    header: tuple[str, ...]
    header_row: int
    rows: tuple[SheetRow, ...]
    problems: tuple[SheetProblem, ...] = ()
    notes: tuple[str, ...] = ()  # how the file was read: its encoding, delimiter, sheet
    what: str = "file"  # what to call it in a sentence: "workbook" or "file"


# ---------------------------------------------------------------------------------------------
# Values and fingerprints


def canonical(value: Any) -> str:
    """A field's value as one line of text, the form in which a cell and a record are compared:
    spacing and line breaks never count as a change."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(canonical(item) for item in value)
    return " ".join(str(value).split())


def _digest(text: str, size: int) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size // 2).hexdigest()


def part_hash(value: Any) -> str:
    return _digest(canonical(value), _PART)


def _whole_hash(record: Record) -> str:
    return _digest(json.dumps(dict(record.data), sort_keys=True, ensure_ascii=False, default=str), _WHOLE)


def make_fingerprint(record: Record) -> str:
    """The record as exported: a hash of all of it (any later change shows), then a short hash per
    column, so that an import can tell which cells a person changed and which fields the records did."""
    parts = "".join(part_hash(record.get(name)) for name in EDITABLE[record.kind])
    return f"{_FINGERPRINT_TAGS[record.kind]}-{_whole_hash(record)}-{parts}"


@dataclass(frozen=True)
class Fingerprint:
    kind: str
    whole: str
    parts: Mapping[str, str]  # column -> hash of its value as exported

    def matches(self, record: Record) -> bool:
        return self.whole == _whole_hash(record)

    def changed_in_cell(self, name: str, value: Any) -> bool:
        return name in self.parts and self.parts[name] != part_hash(value)


def fingerprint_kind(text: str) -> str | None:
    tag = text.strip()[:2]
    return next((kind for kind, known in _FINGERPRINT_TAGS.items() if known == tag), None)


def parse_fingerprint(text: str) -> Fingerprint:
    """Raises ValueError when the text is not a fingerprint trace wrote."""
    tag, _, rest = text.strip().partition("-")
    whole, _, parts = rest.partition("-")
    kind = next((k for k, known in _FINGERPRINT_TAGS.items() if known == tag), None)
    hexdigits = set("0123456789abcdef")
    if kind is None or len(whole) != _WHOLE or len(parts) != _PART * len(EDITABLE[kind]) \
            or not set(whole + parts) <= hexdigits:
        raise ValueError("is not a fingerprint trace wrote; leave the fingerprint column as exported, or empty it")
    names = EDITABLE[kind]
    return Fingerprint(kind, whole, {name: parts[i * _PART:(i + 1) * _PART] for i, name in enumerate(names)})


# ---------------------------------------------------------------------------------------------
# Export


def _export_text(value: Any) -> str:
    """A field as a cell: lists joined with '; ', text with its line breaks (a cell can hold them)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value).strip()


def export_table(graph: RecordGraph, kind: str, owner: str | None = None) -> tuple[list[str], list[list[str]]]:
    """The header and one row per record of the kind (only one owner's actions with `owner`), in id order."""
    header = list(export_columns(kind))
    rows = []
    for record in graph.of_kind(kind):
        if owner is not None and not same_owner(record.get("owner"), owner):
            continue
        computed: dict[str, Any] = {"path": record.path, FINGERPRINT: make_fingerprint(record)}
        if kind == "action":
            computed["evidence"] = [e.id for e in graph.evidence_for(record.id)]
        else:
            computed["coverage"] = coverage_level(graph, record)
            computed["actions"] = [a.id for a in graph.downstream(record.id, ADDRESSED_BY)]
        rows.append([_export_text(computed[name] if name in computed else record.get(name)) for name in header])
    return header, rows


def same_owner(value: Any, owner: str) -> bool:
    return isinstance(value, str) and " ".join(value.split()).casefold() == " ".join(owner.split()).casefold()


def owners(graph: RecordGraph) -> list[str]:
    """Every action owner, as written, sorted."""
    found = {str(a.get("owner")).strip() for a in graph.of_kind("action") if a.get("owner")}
    return sorted(found, key=lambda name: (name.casefold(), name))


def safe_stem(name: str) -> str:
    """A file name from an owner's name: lower-case letters and digits joined by dashes, at most about 60
    characters, cut at a word."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "owner"
    return slug if len(slug) <= 60 else slug[:61].rsplit("-", 1)[0]


@dataclass(frozen=True)
class OwnerTable:
    stem: str  # the file name to write it to, without its extension
    owner: str
    header: list[str]
    rows: list[list[str]]


def tables_by_owner(graph: RecordGraph, kind: str) -> list[OwnerTable]:
    """One table per owner (names that differ only in case or spacing are one owner), each with a file name
    of its own made safe from the owner's name."""
    groups: dict[str, str] = {}
    for name in owners(graph):
        groups.setdefault(" ".join(name.split()).casefold(), name)
    tables: list[OwnerTable] = []
    stems: set[str] = set()
    for owner in groups.values():
        base = f"{kind}s-{safe_stem(owner)}"
        stem, number = base, 1
        while stem in stems:
            number += 1
            stem = f"{base}-{number}"
        stems.add(stem)
        header, rows = export_table(graph, kind, owner=owner)
        tables.append(OwnerTable(stem, owner, header, rows))
    return tables
