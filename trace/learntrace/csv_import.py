"""Spreadsheet columns mapped to fields by their headings (with the usual synonyms and --map), and a CSV
file read as a table: its encoding (UTF-8 with or without BOM, UTF-16, Windows-1252) and its delimiter
(comma, semicolon, tab) found from the file itself, as Excel saves it in any locale."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from learntrace.errors import TraceError
from learntrace.schema import schema_properties
from learntrace.spreadsheet import Cell, SheetRow, Table

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
_NOT_IMPORTED = {"provenance", "accepted_gaps"}


def header_key(header: str) -> str:
    return " ".join(header.replace("_", " ").replace("\ufeff", "").strip().rstrip(":*?.").lower().split())


def importable_fields(kind: str) -> list[str]:
    return [name for name in schema_properties(kind) if name not in _NOT_IMPORTED]


def map_columns(headers: list[str], kind: str, overrides: Mapping[str, str]) -> tuple[dict[int, str], list[str]]:
    """Column index -> field by header name (any case, synonyms such as Lead -> owner), with --map taking
    precedence; and the headers of columns not used. --map "Header=-" leaves a column out."""
    fields = importable_fields(kind)
    keys = [header_key(header) for header in headers]
    chosen: dict[int, str] = {}
    override_keys = {header_key(header): name.strip() for header, name in overrides.items()}
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


# ---------------------------------------------------------------------------------------------
# Reading a CSV file as a table

_DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}
# trace's export puts an apostrophe before a cell a spreadsheet would run as a formula.
_NEUTRALISED = ("'=", "'+", "'-", "'@")


def decode_csv(data: bytes, name: str) -> tuple[str, str]:
    """The text of the file and the name of its encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as error:
            raise TraceError(f"{name} says it is UTF-16 text but is not; save it from the spreadsheet as "
                             "CSV UTF-8") from error
    encoding = "UTF-8 with BOM" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    try:
        return data.decode("utf-8-sig"), encoding
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise TraceError(f"{name} is neither UTF-8 nor Windows text; save it from the spreadsheet as CSV UTF-8") \
            from error


def _first_line(text: str) -> str:
    """The header line, with quoted parts (which may hold any character) left out."""
    out, quoted = [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif not quoted:
            out.append(char)
    return "".join(out)


def find_delimiter(text: str) -> str:
    """The delimiter the header uses most; a comma when the header has a single column."""
    line = _first_line(text)
    counts = {delimiter: line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _cell(text: str) -> Cell:
    if text.startswith(_NEUTRALISED):
        text = text[1:]
    return Cell(text, "text" if text.strip() else "empty")


def read_csv_table(data: bytes, name: str) -> Table:
    """Raises TraceError for a file that cannot be read as CSV."""
    text, encoding = decode_csv(data, name)
    delimiter = find_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise TraceError(f"{name} is not readable as CSV: {error}") from error
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise TraceError(f"{name} is empty; its first row should name the columns, such as Action, Lead, "
                         "Target Date")
    header_row, header = numbered[0]
    body = tuple(SheetRow(number, tuple(_cell(cell) for cell in row)) for number, row in numbered[1:])
    note = f"{name}: {encoding}, columns separated by {_DELIMITERS[delimiter]}"
    return Table(name, tuple(header), header_row, body, notes=(note,))
