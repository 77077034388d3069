"""Records written as CSV text (the rows come from spreadsheet.export_table, as for a workbook)."""

from __future__ import annotations

import csv
import io


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    """CSV text; a cell a spreadsheet would run as a formula (=, +, -, @) starts with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["'" + cell if cell[:1] in ("=", "+", "-", "@") else cell for cell in row])
    return out.getvalue()
