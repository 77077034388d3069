"""Excel workbooks (.xlsx) through openpyxl: a sheet of records read into a table, every cell kept
as Excel holds it (text, number, date, formula), and a table written as a workbook people can fill in.

openpyxl is imported here only, and only when a workbook is read or written: it costs a fifth of a
second, which every other command should not pay."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from learntrace.csv_import import header_key
from learntrace.errors import TraceError
from learntrace.spreadsheet import COMPUTED, EMPTY, FINGERPRINT, Cell, SheetProblem, SheetRow, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary format, which encrypted workbooks also use
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_MAX_UNPACKED = 200 * 1024 * 1024  # a workbook of records is a few MB: anything far larger is refused
_MAX_CELLS = 2_000_000
_GREY_FILL, _GREY_FONT, _HEADER_FILL = "F2F2F2", "808080", "DDEBF7"
_RAG_FILLS = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE"}
_SPARE_ROWS = 200  # rows below the records that keep the dropdowns and the Text format for new rows
_WIDEST = 60


def _unreadable(name: str, data: bytes) -> TraceError | None:
    """Why the bytes are not a workbook trace can open, said so that the person can fix it."""
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            return TraceError(f"{name} is password-protected, so trace cannot read it; open it in Excel, remove the "
                              "password (File, Info, Protect Workbook, Encrypt with Password) and save it again")
        return TraceError(f"{name} is an old Excel 97-2003 workbook (.xls); open it in Excel and save it as an "
                          "Excel Workbook (.xlsx)")
    if not data.startswith(_ZIP):
        hint = "; it looks like text, so if it is a CSV file use trace import csv" if _looks_like_text(data) else ""
        return TraceError(f"{name} is not an Excel workbook (.xlsx){hint}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return TraceError(f"{name} is damaged or not an Excel workbook (.xlsx); open it in Excel and save it again")
    if unpacked > _MAX_UNPACKED:
        return TraceError(f"{name} unpacks to {unpacked // (1024 * 1024)} MB, far more than a sheet of records; "
                          "trace does not open it")
    if "xl/workbook.xml" not in names:
        return TraceError(f"{name} is a zip file but not an Excel workbook (.xlsx)")
    return None


def _looks_like_text(data: bytes) -> bool:
    sample = data[:2000]
    return bool(sample) and b"\x00" not in sample


def _cell(cell: Any) -> Cell:
    value = cell.value
    ref = str(getattr(cell, "coordinate", ""))
    if value is None:
        return EMPTY
    if cell.data_type == "f" or (isinstance(value, str) and cell.data_type != "s" and value.startswith("=")):
        return Cell(str(value), "formula", value, ref)
    if cell.data_type == "e":
        return Cell(str(value), "error", value, ref)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return Cell(str(value), "date", value, ref)
    if isinstance(value, bool):
        return Cell("TRUE" if value else "FALSE", "text", value, ref)
    if isinstance(value, int | float):
        return Cell(str(value), "number", value, ref)
    text = str(value)
    return Cell(text, "text" if text.strip() else "empty", value, ref)


def _rows(sheet: Worksheet) -> list[SheetRow]:
    rows = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        read = tuple(_cell(cell) for cell in cells)
        while read and read[-1].is_empty:
            read = read[:-1]
        if read:
            rows.append(SheetRow(number, read))
    return rows


def _is_records(header: Sequence[Cell]) -> bool:
    from learntrace.csv_import import importable_fields

    known = {name for kind in ("action", "recommendation") for name in importable_fields(kind)}
    keys = {header_key(cell.text) for cell in header if cell.kind == "text"}
    return len(keys & known) >= 2 or FINGERPRINT in keys


def _merged(sheet: Worksheet, header_row: int, header: tuple[str, ...]) -> list[SheetProblem]:
    problems = []
    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        column = header[merged.min_col - 1].strip() if merged.min_col - 1 < len(header) else None
        if merged.min_row <= header_row <= merged.max_row:
            problems.append(SheetProblem(header_row, None, f"the header cells {merged.coord} are merged; unmerge them "
                                         "(Home, Merge & Center) so that each column has its own heading"))
        elif merged.min_row > header_row:
            problems.append(SheetProblem(merged.min_row, column or None, f"the cells {merged.coord} are merged, so "
                                         "only the first holds a value; unmerge them and fill in each cell"))
    return problems


def read_workbook(data: bytes, name: str) -> Table:
    """The one sheet of records in a workbook. Raises TraceError when the file cannot be opened at all."""
    problem = _unreadable(name, data)
    if problem is not None:
        raise problem
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # openpyxl raises a dozen different errors for damaged files; all mean the same
        raise TraceError(f"{name} could not be opened as an Excel workbook ({type(error).__name__}); open it in "
                         "Excel and save it again") from error
    sheets: list[tuple[Any, list[SheetRow]]] = []  # openpyxl's own types: a sheet, or a chartsheet
    skipped = []
    for sheet in workbook.worksheets:
        if sheet.max_row * sheet.max_column > _MAX_CELLS:
            raise TraceError(f"{name}: the sheet '{sheet.title}' has {sheet.max_row} rows and {sheet.max_column} "
                             "columns, far more than a sheet of records; trace does not read it")
        rows = _rows(sheet)
        if rows and _is_records(rows[0].cells):
            sheets.append((sheet, rows))
        elif rows:
            skipped.append(sheet.title)
    if not sheets:
        first = next(((s, r) for s in workbook.worksheets if (r := _rows(s))), None)
        if first is None:
            raise TraceError(f"{name} has no rows; its first row should name the columns, such as Action, Lead, "
                             "Target Date")
        sheets = [first]
    if len(sheets) > 1:
        titles = ", ".join(f"'{sheet.title}'" for sheet, _ in sheets)
        problem_text = (f"the workbook has {len(sheets)} sheets of records ({titles}); trace reads one sheet per "
                        "workbook: move the others into workbooks of their own, then import each")
        return Table(name, (), 1, (), (SheetProblem(0, None, problem_text),), what="workbook")
    sheet, rows = sheets[0]
    header_row = rows[0].number
    header = tuple(cell.text if cell.kind == "text" else "" for cell in rows[0].cells)
    notes = [f"{name}: sheet '{sheet.title}'"]
    if skipped:
        notes.append(f"sheets not read (no record columns): {', '.join(skipped)}")
    return Table(name, header, header_row, tuple(rows[1:]), tuple(_merged(sheet, header_row, header)), tuple(notes),
                 "workbook")


# ---------------------------------------------------------------------------------------------
# Writing


def _width(header: str, cells: Sequence[str]) -> float:
    longest = max([len(header), *(len(line) for cell in cells for line in cell.split("\n"))])
    return float(min(max(longest + 2, 8), _WIDEST))


def write_workbook(kind: str, header: Sequence[str], rows: Sequence[Sequence[str]],
                   choices: Mapping[str, Sequence[str]]) -> bytes:
    """One sheet: a frozen header with filters, fitted and wrapped columns, dropdowns for the columns in
    `choices`, coloured RAG cells, grey columns that trace fills in itself, and a hidden fingerprint."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = f"{kind}s"
    workbook.properties.creator = "trace"
    sheet.append(list(header))
    last_row = len(rows) + 1
    spare_row = last_row + _SPARE_ROWS
    grey = {"id", *COMPUTED[kind], FINGERPRINT}
    for values in rows:
        sheet.append(list(values))
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        column = [str(values[index - 1]) for values in rows]
        sheet.column_dimensions[letter].width = _width(name, column)
        head = sheet.cell(row=1, column=index)
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        for row in range(2, (spare_row if name in ("target", "ref", "id") else last_row) + 1):
            cell = sheet.cell(row=row, column=index)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text that starts with = stays text, never a formula
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if name in ("target", "ref", "id"):
                cell.number_format = "@"  # Text: Excel keeps "Mar 2023" as typed instead of making it a date
            if name in grey:
                cell.fill = PatternFill("solid", fgColor=_GREY_FILL)
                cell.font = Font(color=_GREY_FONT)
        if name in choices:
            listed = ",".join(choices[name])
            validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True,
                                        errorStyle="warning", showErrorMessage=True, errorTitle=name,
                                        error=f"trace expects one of: {', '.join(choices[name])}")
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{spare_row}")
        if name == "rag":
            for value, colour in _RAG_FILLS.items():
                rule = CellIsRule(  # type: ignore[no-untyped-call]  # openpyxl's stubs leave it untyped
                    operator="equal", formula=[f'"{value}"'], fill=PatternFill("solid", bgColor=colour))
                sheet.conditional_formatting.add(f"{letter}2:{letter}{spare_row}", rule)
        if name == FINGERPRINT:
            sheet.column_dimensions[letter].hidden = True
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{last_row}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
