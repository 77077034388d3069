"""Coverage matrices as text (fits 80 columns), CSV, Markdown, JSON and one HTML table."""

from __future__ import annotations

import csv
import html
import io
import json
import textwrap
from typing import Any

from learntrace.analyses.coverage import LEVEL_MEANINGS
from learntrace.analyses.matrix import Count, Heading, Matrix, SourceMatrix
from learntrace.output import markdown_cell, terminal_safe

WIDTH = 80
_GAP = "  "
_LONGEST_ROW_LABEL = 40  # with the level column and one matrix column this still fits in 80
_LONGEST_COLUMN_LABEL = 14
_PLURAL = {"aim": "aims", "outcome": "outcomes"}
_NO_RECOMMENDATIONS = "-"
_MARK, _NO_MARK = "x", "."

# A table row is its cells, or one line of text spanning the table (a source heading over its recommendations).
_Row = list[str] | str


def count_cell(count: Count) -> str:
    """"4/2": four recommendations, two of them at least planned; "-" for none."""
    if not count.recommendations:
        return _NO_RECOMMENDATIONS
    return f"{count.recommendations}/{count.at_least_planned}"


def title_of(matrix: Matrix) -> str:
    if isinstance(matrix, SourceMatrix):
        return f"Recommendations per source and {matrix.column_kind}"
    if matrix.column_kind == "aim":
        return "Recommendations and the aims they are cross-referenced to"
    return "Recommendations and the outcomes their actions contribute to"


def cell_meaning(matrix: Matrix, no_mark: str = _NO_MARK) -> str:
    """The legend line for the cells; `no_mark` says how an unmarked cell looks in this format."""
    if isinstance(matrix, SourceMatrix):
        under = ("cross-referenced to the aim" if matrix.column_kind == "aim"
                 else "with a live action contributing to the outcome")
        return (f"Cells: recommendations/at least planned (recommendations {under}, and how many of them "
                f"have a coverage level other than none); {_NO_RECOMMENDATIONS} = none. "
                "'all' counts each of the source's recommendations once.")
    marked = ("cross-referenced to the aim" if matrix.column_kind == "aim"
              else "a live (not dropped) action addressing it contributes to the outcome")
    levels = "; ".join(f"{level} = {meaning}" for level, meaning in LEVEL_MEANINGS.items())
    return f"Cells: {_MARK} = {marked}; {no_mark} = not. Levels: {levels}."


def _fit(text: str, width: int) -> str:
    text = " ".join(terminal_safe(text).split())
    return text if len(text) <= width else text[:width - 3].rstrip() + "..."


def _heading_text(heading: Heading) -> str:
    return heading.title + (" (retired)" if heading.retired else "")


# --- text ---------------------------------------------------------------------------------------

def _blocks(widths: list[int], room: int) -> list[list[int]]:
    """Split column indexes into the fewest runs that each fit `room`, as even in size as possible."""
    def fits(run: list[int]) -> bool:
        return sum(widths[i] for i in run) + len(_GAP) * (len(run) - 1) <= room

    count = len(widths)
    for parts in range(1, count + 1):
        size, extra = divmod(count, parts)
        runs, start = [], 0
        for part in range(parts):
            end = start + size + (1 if part < extra else 0)
            runs.append(list(range(start, end)))
            start = end
        if all(fits(run) for run in runs):
            return runs
    return [[i] for i in range(count)] or [[]]


def _layout(header: list[str], rows: list[_Row], fixed: int, right_aligned: bool, kind: str) -> list[str]:
    """The table in column blocks that each fit WIDTH; every block repeats the first `fixed` columns."""
    data_rows = [row for row in rows if isinstance(row, list)]
    widths = [max(len(cell) for cell in column) for column in zip(header, *data_rows, strict=False)]
    room = WIDTH - sum(widths[:fixed]) - len(_GAP) * fixed
    blocks = [[fixed + i for i in run] for run in _blocks(widths[fixed:], room)]

    def line(cells: list[str], shown: list[int]) -> str:
        parts = [cells[i].ljust(widths[i]) for i in range(fixed)]
        parts += [(cells[i].rjust(widths[i]) if right_aligned else cells[i].center(widths[i])) for i in shown]
        return _GAP.join(parts).rstrip()

    lines: list[str] = []
    for number, shown in enumerate(blocks):
        if len(blocks) > 1:
            if number:
                lines.append("")
            lines.append(f"({kind} {shown[0] - fixed + 1}-{shown[-1] - fixed + 1} of {len(header) - fixed})")
        lines.append(line(header, shown))
        lines.append(line(["-" * width for width in widths], shown))
        lines += [_fit(row, WIDTH) if isinstance(row, str) else line(row, shown) for row in rows]
    return lines


def _legend(name: str, headings: tuple[Heading, ...], longest_label: int) -> list[str]:
    """`name:`, then one line per heading: its label as shown, its id (if different) and its title."""
    labels = [_fit(heading.label, longest_label) for heading in headings]
    ids = ["" if label == heading.id else heading.id for label, heading in zip(labels, headings, strict=False)]
    label_width = min(max(len(label) for label in labels), 20)
    id_width = min(max(len(i) for i in ids), 30)
    lines = [f"{name}:"]
    for label, record_id, heading in zip(labels, ids, headings, strict=False):
        key = f"{label.ljust(label_width)}  {record_id.ljust(id_width)}" if id_width else label.ljust(label_width)
        lines += textwrap.wrap(
            f"{key}  {terminal_safe(_heading_text(heading))}", width=WIDTH,
            initial_indent="  ", subsequent_indent=" " * min(len(key) + 4, 40), break_on_hyphens=False,
        )
    return lines


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, break_on_hyphens=False)


def matrix_text(matrix: Matrix) -> str:
    lines = [title_of(matrix)]
    columns = [_fit(column.label, _LONGEST_COLUMN_LABEL) for column in matrix.columns]
    if isinstance(matrix, SourceMatrix):
        header = ["source", "all", *columns]
        rows: list[_Row] = [
            [_fit(row.source.label, _LONGEST_ROW_LABEL), count_cell(row.total), *map(count_cell, row.cells)]
            for row in matrix.rows
        ]
        lines += _layout(header, rows, fixed=2, right_aligned=True, kind=_PLURAL[matrix.column_kind])
    else:
        header = ["recommendation", "level", *columns]
        rows = []
        for group in matrix.groups:
            rows.append(f"{group.source.id}  {group.source.title}")
            rows += [
                [_fit(row.recommendation.label, _LONGEST_ROW_LABEL), row.level,
                 *(_MARK if marked else _NO_MARK for marked in row.marked)]
                for row in group.rows
            ]
        lines += _layout(header, rows, fixed=2, right_aligned=False, kind=_PLURAL[matrix.column_kind])
    if not matrix.columns:
        lines.append(f"(no {_PLURAL[matrix.column_kind]} recorded)")
    lines += ["", *_wrapped(cell_meaning(matrix))]
    if matrix.columns:
        lines += _legend(_PLURAL[matrix.column_kind].capitalize(), matrix.columns, _LONGEST_COLUMN_LABEL)
    if isinstance(matrix, SourceMatrix) and matrix.rows:
        lines += _legend("Sources", tuple(row.source for row in matrix.rows), _LONGEST_ROW_LABEL)
    return "\n".join(lines)


# --- CSV ----------------------------------------------------------------------------------------

def matrix_csv(matrix: Matrix) -> str:
    """Ids and numbers only, one column per number: a spreadsheet would read "4/2" as a date."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if isinstance(matrix, SourceMatrix):
        header = ["source", "all recommendations", "all at least planned"]
        for column in matrix.columns:
            header += [f"{column.id} recommendations", f"{column.id} at least planned"]
        writer.writerow(header)
        for row in matrix.rows:
            cells: list[Any] = [row.source.id, row.total.recommendations, row.total.at_least_planned]
            for count in row.cells:
                cells += [count.recommendations, count.at_least_planned]
            writer.writerow(cells)
    else:
        writer.writerow(["recommendation", "source", "level", *(column.id for column in matrix.columns)])
        for group in matrix.groups:
            for rec in group.rows:
                writer.writerow([rec.recommendation.id, rec.source, rec.level,
                                 *(_MARK if marked else "" for marked in rec.marked)])
    return out.getvalue()


# --- Markdown -----------------------------------------------------------------------------------

def _markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def matrix_markdown(matrix: Matrix) -> str:
    labels = [markdown_cell(column.label) for column in matrix.columns]
    lines = [f"### {title_of(matrix)}", ""]
    if isinstance(matrix, SourceMatrix):
        lines += [_markdown_row(["source", "all", *labels]), "|---|---:|" + "---:|" * len(labels)]
        lines += [
            _markdown_row([markdown_cell(row.source.label), count_cell(row.total), *map(count_cell, row.cells)])
            for row in matrix.rows
        ]
        sources = tuple(row.source for row in matrix.rows)
    else:
        lines += [_markdown_row(["recommendation", "source", "level", *labels]),
                  "|---|---|---|" + ":---:|" * len(labels)]
        lines += [
            _markdown_row([markdown_cell(rec.recommendation.id), markdown_cell(group.source.label), rec.level,
                           *(_MARK if marked else "" for marked in rec.marked)])
            for group in matrix.groups for rec in group.rows
        ]
        sources = tuple(group.source for group in matrix.groups)
    lines += ["", markdown_cell(cell_meaning(matrix, "empty")), ""]
    for name, headings in ((_PLURAL[matrix.column_kind].capitalize(), matrix.columns), ("Sources", sources)):
        if headings:
            lines += [f"{name}:", ""]
            lines += [
                f"- **{markdown_cell(h.label)}**: "
                + ("" if h.label == h.id else f"{markdown_cell(h.id)} ")
                + markdown_cell(_heading_text(h))
                for h in headings
            ]
            lines.append("")
    return "\n".join(lines)


# --- JSON ---------------------------------------------------------------------------------------

def _heading_json(heading: Heading) -> dict[str, Any]:
    return {"id": heading.id, "label": heading.label, "title": heading.title}


def _count_json(count: Count) -> dict[str, int]:
    return {"recommendations": count.recommendations, "at_least_planned": count.at_least_planned}


def matrix_json(matrix: Matrix) -> str:
    columns = [{**_heading_json(c), **({"retired": True} if c.retired else {})} for c in matrix.columns]
    data: dict[str, Any]
    if isinstance(matrix, SourceMatrix):
        data = {"rows": "source", "columns": matrix.column_kind, "column_headings": columns, "sources": [
            {**_heading_json(row.source), "all": _count_json(row.total),
             "cells": {column.id: _count_json(count) for column, count in zip(matrix.columns, row.cells, strict=False)}}
            for row in matrix.rows
        ]}
    else:
        data = {"rows": "recommendation", "columns": matrix.column_kind, "column_headings": columns, "sources": [
            {**_heading_json(group.source), "recommendations": [
                {"id": rec.recommendation.id, "title": rec.recommendation.title, "level": rec.level,
                 "marked": [column.id for column, marked in zip(matrix.columns, rec.marked, strict=False) if marked]}
                for rec in group.rows
            ]}
            for group in matrix.groups
        ]}
    return json.dumps(data, indent=2, ensure_ascii=False)


# --- HTML ---------------------------------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(terminal_safe(text), quote=True)


def _column_headers(matrix: Matrix) -> str:
    return "".join(
        f'<th scope="col" title="{_e(_heading_text(c))}">{_e(c.id)}</th>' for c in matrix.columns
    )


def matrix_html(matrix: Matrix) -> str:
    """One self-contained <table>: no script, no style sheet; every piece of record text escaped."""
    lines = ['<table class="trace-matrix">',
             f"<caption>{_e(title_of(matrix))}. {_e(cell_meaning(matrix, 'empty'))}</caption>", "<thead>"]
    if isinstance(matrix, SourceMatrix):
        lines += [f'<tr><th scope="col">source</th><th scope="col">all</th>{_column_headers(matrix)}</tr>',
                  "</thead>", "<tbody>"]
        for row in matrix.rows:
            cells = "".join(f"<td>{count_cell(count)}</td>" for count in row.cells)
            lines.append(f'<tr><th scope="row">{_e(row.source.id)}: {_e(row.source.title)}</th>'
                         f"<td>{count_cell(row.total)}</td>{cells}</tr>")
        lines.append("</tbody>")
    else:
        lines += [f'<tr><th scope="col">recommendation</th><th scope="col">level</th>{_column_headers(matrix)}</tr>',
                  "</thead>"]
        for group in matrix.groups:
            lines += ["<tbody>", (f'<tr><th scope="rowgroup" colspan="{2 + len(matrix.columns)}">'
                                  f"{_e(group.source.id)}: {_e(group.source.title)}</th></tr>")]
            for rec in group.rows:
                cells = "".join(f"<td>{_MARK if marked else ''}</td>" for marked in rec.marked)
                lines.append(f'<tr><th scope="row" title="{_e(rec.recommendation.title)}">'
                             f"{_e(rec.recommendation.id)}</th><td>{rec.level}</td>{cells}</tr>")
            lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)


MATRIX_FORMATS = {
    "text": matrix_text,
    "csv": matrix_csv,
    "markdown": matrix_markdown,
    "json": matrix_json,
    "html": matrix_html,
}
