"""Records written as CSV rows, for filtering and sorting in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

from learntrace.analyses.coverage import coverage_level
from learntrace.graph import ADDRESSED_BY, RecordGraph
from learntrace.output import terminal_safe

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
