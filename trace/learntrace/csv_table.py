"""A CSV file as a table: its encoding (UTF-8 with or without BOM, UTF-16, Windows-1252) and its
delimiter (comma, semicolon, tab) found from the file itself, as Excel saves it in any locale."""

from __future__ import annotations

import csv
import io

from learntrace.errors import TraceError
from learntrace.spreadsheet import Cell, SheetRow, Table

_DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}
# trace's export puts an apostrophe before a cell a spreadsheet would run as a formula.
_NEUTRALISED = ("'=", "'+", "'-", "'@")


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of the file and the name of its encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as error:
            raise TraceError("the file says it is UTF-16 text but is not; save it from the spreadsheet as "
                             "CSV UTF-8") from error
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "UTF-8 with BOM"
    else:
        encoding = "UTF-8"
    try:
        return data.decode("utf-8-sig"), encoding
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise TraceError("the file is neither UTF-8 nor Windows text; save it from the spreadsheet as CSV UTF-8") \
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
    text, encoding = decode_csv(data)
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
