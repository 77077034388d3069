"""One spreadsheet row read as field values, the way plans write them ("Amber", "In progress",
"31/03/2023", "Rec 9.2"), each reading that changed the text noted, and every problem of the row."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from learntrace.dates import normalise_target
from learntrace.fields import field_shape, parse_list, property_schemas
from learntrace.model import Record, natural_key
from learntrace.spreadsheet import Cell, SheetProblem, SheetRow
from learntrace.values import RAG_WORDS, STATUS_WORDS, enum_value

# "Rec 9.2", "Recommendation 9.2", "R9.2", "No. 9.2", "9.2": a recommendation named by its ref.
_REF = re.compile(r"^(?:rec(?:ommendation)?s?\.?|r)?\s*(?:no\.?|number|#)?\s*(\d+(?:\.\d+)*[a-z]?)$", re.IGNORECASE)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class RefIndex:
    """The recommendations by their ref, to read a link cell that names one as "Rec 9.2"."""

    by_ref: Mapping[str, tuple[Record, ...]]
    ids: frozenset[str]
    source_of: Mapping[str, str]  # recommendation id -> its source's id

    @classmethod
    def of(cls, records: Iterable[Record]) -> RefIndex:
        by_ref: dict[str, list[Record]] = {}
        ids: set[str] = set()
        source_of: dict[str, str] = {}
        for record in records:
            ids.add(record.id)
            if record.kind != "recommendation":
                continue
            source_of[record.id] = str(record.get("source", ""))
            ref = record.get("ref")
            if isinstance(ref, str | int | float) and str(ref).strip():
                by_ref.setdefault(str(ref).strip().lower(), []).append(record)
        return cls({ref: tuple(found) for ref, found in by_ref.items()}, frozenset(ids), source_of)


@dataclass
class RowValues:
    """The fields a row gives (None: the cell is empty), how cells were read, and what is wrong."""

    values: dict[str, Any] = field(default_factory=dict)
    readings: dict[str, str] = field(default_factory=dict)  # field -> "'Amber' read as amber"
    notes: list[str] = field(default_factory=list)  # wording kept in the record's notes
    problems: list[SheetProblem] = field(default_factory=list)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _cell_problem(name: str, cell: Cell) -> str | None:
    """Why a cell cannot be read at all, whatever its column: a formula, an error, an Excel date."""
    if cell.kind == "formula":
        return (f"the cell holds a formula ({cell.text}); trace reads only values: type the value itself, or copy "
                "the column and use Paste Special, Values")
    if cell.kind == "error":
        return f"the cell shows the error {cell.text}; type the value itself"
    if cell.kind == "date":
        raw = cell.raw
        day = raw.date() if isinstance(raw, dt.datetime) else raw
        shown = _long_date(day) if isinstance(day, dt.date) else str(raw)
        example = "type it as text"
        if name == "target" and isinstance(day, dt.date):
            example = f"type the target as text, such as {day:%b %Y} or {day:%d/%m/%Y}"
        return (f"the cell is an Excel date ({shown}), which cannot say whether the day, the month or the quarter is "
                f"meant; {example} (format the column as Text first, so that Excel keeps what you type)")
    if cell.kind == "number" and name == "target":
        raw = cell.raw
        if isinstance(raw, int | float) and 20000 <= raw <= 80000 and float(raw).is_integer():
            day = _EXCEL_EPOCH + dt.timedelta(days=int(raw))
            return (f"the target is the number {_number_text(raw)}, which is how Excel stores the date "
                    f"{_long_date(day)}; type the target as text, such as {day:%b %Y} or {day:%d/%m/%Y}")
        return f"the target is the number {_number_text(raw)}; {_target_hint()}"
    return None


def _target_hint() -> str:
    return ("write it as a month (Dec 2021), a range (Dec 21 \u2013 Jun 22), a quarter (Q3 2022), a day "
            "(31/03/2022), Ongoing or TBA")


def _reading(text: str, value: str) -> str:
    return f"'{' '.join(text.split())}' read as {value}" if text else f"blank, read as {value}"


def cell_text(cell: Cell) -> str:
    return _number_text(cell.raw) if cell.kind == "number" else cell.text


def _text_value(text: str) -> str:
    """Spreadsheet text as a record holds it: each line's spacing tidied, blank lines between paragraphs kept."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class RowReader:
    """Reads the rows of one spreadsheet for one kind of record."""

    def __init__(self, kind: str, columns: Mapping[int, str], header: tuple[str, ...], refs: RefIndex,
                 status_default: str | None) -> None:
        self.kind = kind
        self.columns = dict(columns)
        self.header = header
        self.refs = refs
        self.status_default = status_default
        self.properties = property_schemas(kind)

    def heading(self, name: str) -> str:
        for index, mapped in self.columns.items():
            if mapped == name:
                return self.header[index].strip() or name
        return name

    def read(self, row: SheetRow, record: Record | None) -> RowValues:
        """Every mapped cell of the row; `record` is the record the row updates (its links give context)."""
        result = RowValues()
        for index, name in sorted(self.columns.items()):
            cell = row.cell(index)
            problem = None if cell.is_empty else _cell_problem(name, cell)
            if problem is None:
                try:
                    self._read_cell(name, cell_text(cell), result, record)
                except ValueError as error:
                    problem = str(error)
            if problem is not None:
                result.problems.append(SheetProblem(row.number, self.heading(name), problem))
        return result

    def _read_cell(self, name: str, text: str, result: RowValues, record: Record | None) -> None:
        stripped = text.strip()
        if name == "target":
            target = normalise_target(stripped)
            result.values[name] = target.value
            if target.note:
                result.notes.append(target.note)
            if target.value != stripped:
                result.readings[name] = _reading(stripped, target.value)
        elif name in ("status", "rag"):
            result.values[name] = self._enum(name, stripped)
            if result.values[name] is not None and result.values[name] != stripped:
                result.readings[name] = _reading(stripped, result.values[name])
        elif not stripped:
            result.values[name] = None
        elif name == "aims" and self.kind == "recommendation" and stripped.lower() == "all":
            result.values[name] = "all"
        elif field_shape(self.kind, name) == "list":
            result.values[name] = self._links(name, stripped, result, record)
        elif name == "text":  # a recommendation's text may be a list: its line breaks are kept
            result.values[name] = _text_value(text)
        else:
            result.values[name] = " ".join(stripped.split())

    def _enum(self, name: str, text: str) -> str | None:
        allowed = [str(v) for v in self.properties[name]["enum"]]
        if not text:
            return self.status_default if name == "status" else None
        mapped = enum_value(text, allowed, STATUS_WORDS if name == "status" else RAG_WORDS)  # as set and new read it
        if mapped is None:
            what = "a RAG rating" if name == "rag" else "a status"
            raise ValueError(f"'{text}' is not {what}; use one of {', '.join(allowed)}")
        return mapped

    def _links(self, name: str, text: str, result: RowValues, record: Record | None) -> list[str]:
        items = parse_list(text.replace("\n", ";"))
        if name != "addresses":
            return items
        refs = {item: m.group(1).lower() for item in items if item not in self.refs.ids and (m := _REF.match(item))}
        # The sources this action answers (by id, by a ref only one source has, or already) say whose ref is meant.
        named = [item for item in items if item not in refs]
        named += [self.refs.by_ref[ref][0].id for ref in refs.values() if len(self.refs.by_ref.get(ref, ())) == 1]
        named += record.links("addresses") if record is not None else []
        context = {self.refs.source_of[i] for i in named if i in self.refs.source_of}
        found = [self._by_ref(item, refs[item], context) if item in refs else item for item in items]
        read = [f"'{item}' read as {record_id}" for item, record_id in zip(items, found, strict=True) if item in refs]
        if read:
            result.readings[name] = ", ".join(read)
        return list(dict.fromkeys(found))  # "REC-3; Rec 3" names one recommendation twice

    def _by_ref(self, item: str, ref: str, context: set[str]) -> str:
        candidates = list(self.refs.by_ref.get(ref, ()))
        if len(candidates) > 1 and context:
            candidates = [c for c in candidates if self.refs.source_of.get(c.id) in context] or candidates
        if len(candidates) == 1:
            return candidates[0].id
        if not candidates:
            raise ValueError(f"'{item}' names no recommendation: none has the ref {ref}; write the recommendation's "
                             "id instead, such as REC-AB-1")
        named = ", ".join(f"{c.id} ({c.get('source')})" for c in sorted(candidates, key=lambda r: natural_key(r.id)))
        raise ValueError(f"'{item}' could be any of {named}; write the id of the one meant")
