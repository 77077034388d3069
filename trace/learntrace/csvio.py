"""Spreadsheets in and out: CSV rows mapped to new records (targets as people write them normalised),
and records written as CSV rows for filtering in a spreadsheet."""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from learntrace.analyses.coverage import coverage_level
from learntrace.dates import parse_target
from learntrace.edit import field_shape, parse_list, property_schemas
from learntrace.errors import TraceError
from learntrace.graph import ADDRESSED_BY, RecordGraph
from learntrace.model import Record
from learntrace.newrecord import id_pattern, next_ids, record_path, record_text
from learntrace.output import terminal_safe
from learntrace.schema import schema_properties

IMPORT_KINDS = ("action", "recommendation")

# ---------------------------------------------------------------------------------------------
# Targets as action plans write them

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
# Meteorological seasons, as UK plans use them. Winter spans two years, so it is never read.
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_SEASON_WORDS = {"spring": "March to May", "summer": "June to August", "autumn": "September to November",
                 "fall": "September to November"}
_TBA = {"", "tba", "tbc", "tbd", "to be agreed", "to be confirmed"}
_ONGOING = {"ongoing", "on-going", "on going"}
_TRACE_TARGET = re.compile(
    r"^(ongoing|tba|[0-9]{4}-(Q[1-4]|[0-9]{2}(-[0-9]{2})?)(\.\.[0-9]{4}-(Q[1-4]|[0-9]{2}(-[0-9]{2})?))?)$"
)
_RANGE_SPLIT = re.compile(
    r"\s*[\u2013\u2014]\s*|\s+-\s+|\s+to\s+|\s*\.\.\s*|(?<=[0-9])-(?=[A-Za-z])|(?<=[A-Za-z])-(?=[A-Za-z])",
    re.IGNORECASE,
)
_YEAR = r"(?:'|\u2019)?(\d{4}|\d{2})"
_MONTH_YEAR = re.compile(rf"^([a-z]+)\.?(?:[\s,-]+{_YEAR})?$")
_QUARTER = re.compile(rf"^q([1-4])[\s-]*{_YEAR}$|^{_YEAR}[\s-]*q([1-4])$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$")
_MONTH_NUMBER = re.compile(r"^(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^\d{4}-(?:q[1-4]|\d{2}(?:-\d{2})?)$")
_LEADING = re.compile(r"^(?:by|end of|by end of|by the end of|end)\s+", re.IGNORECASE)
_EXAMPLE_YEAR = 2022
TARGET_EXAMPLES = (
    "write it as a month (Dec 2021), a range (Dec 21 \u2013 Jun 22), a quarter (Q3 2022), a day (31/03/2022), "
    "Ongoing or TBA"
)


@dataclass(frozen=True)
class NormalisedTarget:
    """A target in trace's form, and a note keeping the original wording when reading it took a choice."""

    value: str
    note: str | None = None


@dataclass(frozen=True)
class _Point:
    start: str
    end: str
    year: int | None  # None: the text gave no year (the first half of "Jan – Mar 2022")
    month: int = 0  # for a point without a year: its first month
    last_month: int = 0
    season: bool = False


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _point(text: str) -> _Point:
    """One date of a target: a month, season, quarter or day, with or without its year."""
    low = text.lower().strip().rstrip(".")
    if _ISO.match(low):
        upper = low.upper()
        return _Point(upper, upper, int(low[:4]))
    if match := _QUARTER.match(low):
        quarter = match.group(1) or match.group(4)
        year = _year(match.group(2) or match.group(3))
        return _Point(f"{year}-Q{quarter}", f"{year}-Q{quarter}", year)
    if match := _DAY_FIRST.match(low):
        day, month, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' has month {month}; trace reads dates day first, as 31/03/2022")
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"'{text}' is not a real date: {calendar.month_name[month]} {year} has {last} days")
        value = f"{year}-{month:02d}-{day:02d}"
        return _Point(value, value, year)
    if match := _MONTH_NUMBER.match(low):
        value = f"{match.group(2)}-{int(match.group(1)):02d}"
        return _Point(value, value, int(match.group(2)))
    if match := _MONTH_YEAR.match(low):
        word, year_text = match.group(1), match.group(2)
        given = _year(year_text) if year_text else None
        if word in _MONTHS:
            month = _MONTHS[word]
            value = f"{given}-{month:02d}" if given else ""
            return _Point(value, value, given, month, month)
        if word in _SEASONS:
            first, last = _SEASONS[word]
            start, end = (f"{given}-{first:02d}", f"{given}-{last:02d}") if given else ("", "")
            return _Point(start, end, given, first, last, season=True)
        if word == "winter":
            raise ValueError(
                f"'{text}' could mean the start or the end of the year; write the months, such as Dec 22 – Feb 23"
            )
    if re.match(r"^\d{4}$", low):
        raise ValueError(f"'{text}' is only a year; a target needs a month or a quarter, such as Dec {low} or Q4 {low}")
    if re.match(r"^\d{4}\s*/\s*\d{2,4}$", low):
        raise ValueError(f"'{text}' is a financial year; write the months or quarter it means, such as Apr 22 – Mar 23")
    raise ValueError("")  # nothing more specific to say than "cannot be read"


def _with_year(point: _Point, year: int) -> _Point:
    first, last = point.month, point.last_month
    return _Point(f"{year}-{first:02d}", f"{year}-{last:02d}", year, first, last, point.season)


def normalise_target(text: str) -> NormalisedTarget:
    """A target as a spreadsheet writes it ("Dec 21 – Jun 22", "Q3 2022", "31/03/2022", "TBC") in trace's
    form (2021-12..2022-06, 2022-Q3, 2022-03-31, tba). Raises ValueError, saying why, rather than guess."""
    original = text
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    low = cleaned.lower().rstrip(".")
    if low in _TBA:
        return NormalisedTarget("tba")
    if low in _ONGOING:
        return NormalisedTarget("ongoing")
    if _TRACE_TARGET.match(cleaned):
        return NormalisedTarget(_checked(cleaned, original))
    cleaned = _LEADING.sub("", cleaned)
    parts = [part for part in _RANGE_SPLIT.split(cleaned) if part is not None]
    try:
        if len(parts) == 1:
            point = _point(parts[0])
            if point.year is None:
                raise ValueError(f"'{parts[0]}' has no year; give one, such as {parts[0]} {_EXAMPLE_YEAR}")
            first, last = point, point
        elif len(parts) == 2:
            first, last = _point(parts[0]), _point(parts[1])
            if last.year is None:
                raise ValueError(f"'{parts[1]}' has no year; give one, such as {parts[1]} {_EXAMPLE_YEAR}")
            if first.year is None:
                # "Jan – Mar 2022": the first half takes the second's year; "Nov – Feb 2022" starts the year before.
                year = last.year if first.month <= last.month else last.year - 1
                first = _with_year(first, year)
        else:
            raise ValueError("it names more than two dates; a target is one date, or a range from one to another")
    except ValueError as error:
        reason = f": {error}" if str(error) else f"; {TARGET_EXAMPLES}"
        raise ValueError(f"the target '{original.strip()}' cannot be read{reason}") from None
    value = first.start if first.start == last.end else f"{first.start}..{last.end}"
    note = None
    seasons = [word for word in _SEASONS if re.search(rf"\b{word}\b", low)]
    if seasons:
        read_as = ", ".join(f"{word} = {_SEASON_WORDS[word]}" for word in seasons)
        note = f"Target in the spreadsheet: '{original.strip()}' (read as {value}: {read_as})."
    return NormalisedTarget(_checked(value, original), note)


def _checked(value: str, original: str) -> str:
    try:
        parse_target(value)
    except ValueError as error:
        raise ValueError(f"the target '{original.strip()}' cannot be read: {error}") from None
    return value


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
        values.setdefault("target", "tba")
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

_EXPORT_COLUMNS = {
    "action": ["id", "title", "owner", "status", "rag", "target", "objective", "addresses", "aims", "outcomes",
               "evidence", "path"],
    "recommendation": ["id", "source", "ref", "text", "aims", "status", "coverage", "actions", "path"],
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return terminal_safe("; ".join(str(item) for item in value))
    return terminal_safe(" ".join(str(value).split()) if isinstance(value, str) else str(value))


def export_rows(graph: RecordGraph, kind: str) -> tuple[list[str], list[list[str]]]:
    """One row per record of the kind, its links joined with '; ' (recommendations with their coverage level)."""
    header = _EXPORT_COLUMNS[kind]
    rows = []
    for record in graph.of_kind(kind):
        derived: dict[str, Any] = {"path": record.path}
        if kind == "action":
            derived["evidence"] = [e.id for e in graph.evidence_for(record.id)]
        else:
            derived["coverage"] = coverage_level(graph, record)
            derived["actions"] = [a.id for a in graph.downstream(record.id, ADDRESSED_BY)]
        rows.append([_cell(derived[name] if name in derived else record.get(name)) for name in header])
    return header, rows


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    """CSV text; a cell a spreadsheet would run as a formula (=, +, -, @) starts with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["'" + cell if cell[:1] in ("=", "+", "-", "@") else cell for cell in row])
    return out.getvalue()


def file_label(path: str) -> str:
    return PurePosixPath(path.replace("\\", "/")).name
