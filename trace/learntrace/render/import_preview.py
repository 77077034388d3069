"""What `trace import` would do (or did), as lines for the terminal: columns read, each field change,
each new record, each value read differently from how it was written, and every problem."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from learntrace.errors import Problem
from learntrace.plan_update import Create, UpdatePlan
from learntrace.record_update import FieldChange
from learntrace.spreadsheet import SheetProblem


def shorten(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _shown(value: Any) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return shorten(str(value), 60)


def table_lines(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=False)).rstrip()
            for cells in [header, *rows]]


def _change_text(change: FieldChange) -> str:
    old, new = change.old, change.new
    if isinstance(old, str) and isinstance(new, str) and len(new) > len(old) and new.startswith(old) and old:
        return f"{change.field}: added '{shorten(new[len(old):].strip(), 80)}'"
    how = f" ({change.reading})" if change.reading else ""
    return f"{change.field} {_shown(old)} \u2192 {_shown(new)}{how}"


def _columns(plan: UpdatePlan) -> list[str]:
    used = ", ".join(heading if heading == name else f"{heading} -> {name}" for heading, name in plan.columns.used())
    lines = [f"Columns used: {used}"]
    computed = plan.columns.computed(plan.kind)
    if computed:
        lines.append(f"Columns trace fills in itself (not read): {', '.join(computed)}")
    if plan.columns.ignored:
        lines.append(f"Columns not used: {', '.join(plan.columns.ignored)}")
    return lines


def _creates(plan: UpdatePlan, creates: Sequence[Create]) -> list[str]:
    if plan.kind == "action":
        header = ["row", "id", "title", "owner", "status", "target"]
        rows = [[str(c.row), c.id, shorten(c.fields.get("title", ""), 40), shorten(c.fields.get("owner", ""), 24),
                 str(c.fields.get("status", "")), str(c.fields.get("target", ""))] for c in creates]
    else:
        header = ["row", "id", "source", "aims", "status", "text"]
        rows = [[str(c.row), c.id, str(c.fields.get("source", "")), shorten(_joined(c.fields.get("aims")), 20),
                 str(c.fields.get("status", "")), shorten(c.fields.get("text", ""), 40)] for c in creates]
    lines = ["  " + line for line in table_lines(header, rows)]
    readings: dict[tuple[str, str], list[int]] = {}
    for create in creates:
        for heading, reading in create.readings:
            readings.setdefault((heading, reading), []).append(create.row)
    if readings:
        lines.append("  Read as trace writes them:")
        lines += [f"    column '{heading}': {reading} (row{'s' if len(numbers) > 1 else ''} "
                  f"{', '.join(map(str, numbers))})" for (heading, reading), numbers in readings.items()]
    return lines


def _joined(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def preview_lines(plan: UpdatePlan, notes: Sequence[str], write: bool) -> list[str]:
    lines = [f"Read {'; '.join(notes)}" if notes else f"Read {plan.file_name}", *_columns(plan)]
    lines += [f"Warning: {warning}" for warning in plan.warnings]
    if plan.updates:
        count = len(plan.updates)
        lines.append(f"{'Changes' if write else 'Would change'}: {count} {plan.kind}(s)")
        for update in plan.updates:
            for change in update.changes:
                lines.append(f"  row {update.row}  {update.id}: {_change_text(change)}")
    if plan.creates:
        lines.append(f"{'New' if write else 'Would create'}: {len(plan.creates)} {plan.kind}(s) from {plan.file_name}")
        lines += _creates(plan, plan.creates)
    if plan.unchanged:
        lines.append(f"Unchanged: {plan.unchanged} row(s) already match their records.")
    return lines


def problem_lines(file_name: str, problems: Sequence[SheetProblem | Problem]) -> list[str]:
    lines = []
    for problem in problems:
        if isinstance(problem, SheetProblem):
            lines.append(f"  {problem.text(file_name)}")
        else:
            lines.append(f"  {problem.location()}: {problem.message}")
    return lines
