"""CSV rows mapped to new records, with values read as plans write them (targets, statuses, RAG)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from learntrace.dates import normalise_target
from learntrace.errors import TraceError
from learntrace.fields import field_shape, parse_list, property_schemas
from learntrace.model import Record
from learntrace.newrecord import id_pattern, next_ids, record_path, record_text
from learntrace.schema import schema_properties

IMPORT_KINDS = ("action", "recommendation")

# ---------------------------------------------------------------------------------------------
# Import

# Header (lower case, single spaces) -> field, beyond the field names themselves.
_SYNONYMS: dict[str, dict[str, str]] = {
    "action": {
        "action": "title", "actions": "title", "task": "title", "what": "title",
        "lead": "owner", "lead agency": "owner", "lead officer": "owner", "responsible": "owner", "who": "owner",
        "target date": "target", "target": "target", "deadline": "target", "due": "target", "due date": "target",
        "timescale": "target", "timescales": "target", "by when": "target", "when": "target",
        "rag": "rag", "rag rating": "rag", "rag status": "rag", "progress rag": "rag",
        "recommendation": "addresses", "recommendations": "addresses",
        "aim": "aims", "strategic aim": "aims", "strategic aims": "aims",
        "outcome": "outcomes", "comments": "notes", "comment": "notes",
    },
    "recommendation": {
        "recommendation": "text", "recommendations": "text", "review": "source",
        "aim": "aims", "strategic aim": "aims", "strategic aims": "aims", "cross reference": "aims",
        "reference": "ref", "no": "ref", "number": "ref", "paragraph": "ref",
        "comments": "notes", "comment": "notes",
    },
}
_STATUS_WORDS = {"completed": "complete", "done": "complete", "not started yet": "not-started"}
_RAG_WORDS = {"r": "red", "a": "amber", "g": "green"}
_NOT_IMPORTED = {"provenance", "accepted_gaps"}


def _header_key(header: str) -> str:
    return " ".join(header.replace("_", " ").replace("\ufeff", "").strip().rstrip(":*?.").lower().split())


def importable_fields(kind: str) -> list[str]:
    return [name for name in schema_properties(kind) if name not in _NOT_IMPORTED]


def map_columns(headers: list[str], kind: str, overrides: Mapping[str, str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> field by header name (any case, synonyms such as Lead -> owner), with --map taking
    precedence; and the headers of columns not used. --map "Header=-" leaves a column out."""
    fields = importable_fields(kind)
    keys = [_header_key(header) for header in headers]
    chosen: dict[int, str] = {}
    override_keys = {_header_key(header): name.strip() for header, name in overrides.items()}
    for key in override_keys:
        if key not in keys:
            raise TraceError(f"--map names the column '{key}', but the file has no such column; "
                             f"its columns are: {', '.join(h for h in headers if h.strip())}")
    for index, key in enumerate(keys):
        if key in override_keys:
            name = override_keys[key]
            if name == "-":
                continue
            if name not in fields:
                raise TraceError(f"--map: {'an' if kind[0] in 'aeiou' else 'a'} {kind} has no field '{name}'; "
                                 f"the fields are: {', '.join(fields)}")
            chosen[index] = name
        elif key.replace(" ", "_") in fields:
            chosen[index] = key.replace(" ", "_")
        elif key in _SYNONYMS[kind]:
            chosen[index] = _SYNONYMS[kind][key]
    seen: dict[str, int] = {}
    for index, name in sorted(chosen.items()):
        if name in seen:
            raise TraceError(
                f"the columns '{headers[seen[name]]}' and '{headers[index]}' both give the {name}; say which to use "
                f"with --map, for example --map \"{headers[index]}=-\" to leave the second out"
            )
        seen[name] = index
    ignored = [headers[i].strip() for i in range(len(headers)) if i not in chosen and headers[i].strip()]
    return chosen, ignored


def read_csv(data: bytes) -> list[list[str]]:
    """Rows of a CSV file as Excel saves it: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise TraceError(
                "the file is neither UTF-8 nor Windows text; save it from the spreadsheet as CSV UTF-8"
            ) from error
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise TraceError(f"the file is not readable as CSV: {error}") from error


@dataclass(frozen=True)
class ImportedRow:
    row: int
    id: str
    path: str
    fields: dict[str, Any]
    text: str


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str


@dataclass(frozen=True)
class ImportPlan:
    kind: str
    rows: tuple[ImportedRow, ...]
    rejected: tuple[RowProblem, ...]
    columns: dict[str, str] = field(default_factory=dict)  # header -> field
    ignored: tuple[str, ...] = ()


def _enum(value: str, allowed: list[str], words: Mapping[str, str]) -> str | None:
    key = " ".join(value.lower().replace("_", " ").split())
    key = words.get(key, key).replace(" ", "-")
    return key if key in allowed else None


def _row_fields(kind: str, cells: dict[str, str], defaults: Mapping[str, str]) -> dict[str, Any]:
    """The fields of one row; raises ValueError with the reason a row cannot be mapped."""
    properties = property_schemas(kind)
    values: dict[str, Any] = {}
    notes: list[str] = []
    for name, raw in cells.items():
        value = raw.strip()
        if name == "target":
            target = normalise_target(value)
            values["target"] = target.value
            if target.note:
                notes.append(target.note)
        elif not value:
            continue
        elif name in ("status", "rag"):
            allowed = [str(v) for v in properties[name]["enum"]]
            mapped = _enum(value, allowed, _STATUS_WORDS if name == "status" else _RAG_WORDS)
            if mapped is None:
                label = "RAG" if name == "rag" else name
                raise ValueError(f"{label} '{value}' is not one of: {', '.join(allowed)}")
            values[name] = mapped
        elif name == "aims" and kind == "recommendation" and value.lower() == "all":
            values[name] = "all"
        elif field_shape(kind, name) == "list":
            values[name] = parse_list(value.replace("\n", ","))
        elif name == "notes":
            notes.insert(0, " ".join(value.split()))
        else:
            values[name] = " ".join(value.split())
    for name, value in defaults.items():
        values.setdefault(name, value)
    if notes:
        values["notes"] = " ".join(notes)
    if kind == "action":
        if not values.get("title"):
            raise ValueError("has no title (what the action is)")
        if not values.get("owner"):
            raise ValueError("has no owner; every action needs the group or agency responsible")
        values.setdefault("status", "unknown")  # no document says: never guess
        values.setdefault("target", "not-set")
    else:
        for name, meaning in (("text", "the recommendation's text"), ("source", "the source's id (or use --source)"),
                              ("aims", "the aims, or all"), ("status", "open, complete or superseded")):
            if not values.get(name):
                raise ValueError(f"has no {name} ({meaning})")
    return values


def plan_import(data: bytes, file_name: str, kind: str, records: Iterable[Record], taken: set[str],
                overrides: Mapping[str, str], prefix: str | None = None,
                defaults: Mapping[str, str] | None = None) -> ImportPlan:
    """What importing a CSV would create, and every row it cannot map (with its row number and why)."""
    if kind not in IMPORT_KINDS:
        raise TraceError(f"trace imports actions and recommendations, not {kind}s")
    rows = read_csv(data)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise TraceError(
            "the file has no header row; its first row should name the columns, such as Action, Lead, Target Date"
        )
    headers = rows[0]
    columns, ignored = map_columns(headers, kind, overrides)
    records = list(records)
    pattern = id_pattern(kind, records, prefix)
    taken = set(taken)
    made: list[ImportedRow] = []
    rejected: list[RowProblem] = []
    for number, row in enumerate(rows[1:], start=2):  # spreadsheet row numbers: the header is row 1
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: row[index] if index < len(row) else "" for index, name in columns.items()}
        try:
            values = _row_fields(kind, cells, defaults or {})
        except ValueError as error:
            rejected.append(RowProblem(number, str(error)))
            continue
        record_id = str(values.pop("id", "") or next_ids(pattern, taken)[0])
        taken.add(record_id)
        path = record_path(pattern, record_id)
        text = record_text(kind, path, record_id, values, provenance=[(file_name, f"row {number}")])
        made.append(ImportedRow(number, record_id, path, values, text))
    mapped = {headers[index].strip(): name for index, name in sorted(columns.items())}
    return ImportPlan(kind, tuple(made), tuple(rejected), mapped, tuple(ignored))


# ---------------------------------------------------------------------------------------------
# Export

def file_label(path: str) -> str:
    return PurePosixPath(path.replace("\\", "/")).name
