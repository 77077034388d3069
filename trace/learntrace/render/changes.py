"""Semantic changes (diff, history, log) as text, Markdown and JSON."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from learntrace.analyses.finding import Gap
from learntrace.changes import (
    CALLED_OUT,
    CommitChange,
    FieldChange,
    RecordChange,
    describe_field_change,
    item_changes,
)
from learntrace.jsontext import indented_json
from learntrace.model import KINDS
from learntrace.output import markdown_cell, one_line, safe_lines


def _headline(change: RecordChange) -> str:
    if change.change == "added":
        return f"added {change.kind} {change.id} ({change.new_path})"
    if change.change == "removed":
        return f"removed {change.kind} {change.id} (was {change.old_path})"
    verb = "moved" if change.moved else "changed"
    where = f"{change.old_path} → {change.new_path}" if change.moved else str(change.new_path)
    if change.moved and change.fields:
        verb = "moved and changed"
    return f"{verb} {change.kind} {change.id} ({where})"


def _field_lines(change: RecordChange) -> list[str]:
    called = [f for f in change.fields if f.field in CALLED_OUT]
    links = [f for f in change.fields if f.is_link and f not in called]
    rest = [f for f in change.fields if f not in called and f not in links]
    return [describe_field_change(f) for f in (*called, *links, *rest)]


def change_summary(changes: Sequence[RecordChange]) -> str:
    counts = Counter("moved" if c.moved and not c.fields else c.change for c in changes)
    parts = [f"{counts[k]} {k}" for k in ("added", "removed", "changed", "moved") if counts[k]]
    return ", ".join(parts) if parts else "no record changes"


def _change_dict(change: RecordChange) -> dict[str, Any]:
    return {
        "change": "moved" if change.moved and not change.fields else change.change,
        "kind": change.kind, "id": change.id, "title": change.title,
        "old_path": change.old_path, "new_path": change.new_path, "moved": change.moved,
        "fields": [_field_dict(f) for f in change.fields],
    }


def _field_dict(change: FieldChange) -> dict[str, Any]:
    """old and new; for a list of fields (provenance), also the items added, removed and edited."""
    found: dict[str, Any] = {"field": change.field, "old": change.old, "new": change.new}
    items = item_changes(change)
    if items is not None:
        found["items"] = {"added": list(items.added), "removed": list(items.removed),
                          "changed": [{"old": old, "new": new} for old, new in items.changed]}
    return found


def _gap_dict(gap: Gap) -> dict[str, Any]:
    return {"kind": gap.kind, "id": gap.id, "path": gap.path, "message": gap.message}


def diff_text(base: str, head: str, changes: Sequence[RecordChange], opened: list[Gap], closed: list[Gap]) -> str:
    lines = [f"Changes from {base} to {head}: {change_summary(changes)}; "
             f"{len(opened)} gap(s) opened, {len(closed)} closed.", ""]
    for change in changes:
        lines.append(_headline(change))
        lines += [f"    {line}" for line in _field_lines(change)]
    for title, gaps in (("Gaps opened", opened), ("Gaps closed", closed)):
        if gaps:
            lines += ["", f"{title}:"]
            lines += [f"  {g.kind} {g.id}: {g.message}" for g in gaps]
    return safe_lines(lines)


def diff_markdown(base: str, head: str, changes: Sequence[RecordChange], opened: list[Gap],
                  closed: list[Gap]) -> str:
    lines = [f"### trace diff: {change_summary(changes)}", "",
             f"From `{markdown_cell(base)}` to `{markdown_cell(head)}`. "
             f"**{len(opened)}** gap(s) opened, **{len(closed)}** closed.", ""]
    status_moves = [(c, c.field(name)) for c in changes for name in CALLED_OUT if c.field(name)]
    if status_moves:
        lines += ["| record | change |", "|---|---|"]
        lines += [f"| {markdown_cell(c.id)} | {markdown_cell(describe_field_change(f))} |"
                  for c, f in status_moves if f is not None]
        lines.append("")
    if opened:
        lines += ["**Gaps opened**", ""] + [f"- `{g.kind}` {markdown_cell(g.id)}: {markdown_cell(g.message)}"
                                            for g in opened] + [""]
    if closed:
        lines += ["<details><summary>Gaps closed</summary>", ""]
        lines += [f"- `{g.kind}` {markdown_cell(g.id)}" for g in closed] + ["", "</details>", ""]
    if changes:
        lines += ["<details><summary>Every record change</summary>", ""]
        for change in changes:
            lines.append(f"- {markdown_cell(_headline(change))}")
            lines += [f"  - {markdown_cell(line)}" for line in _field_lines(change)]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def diff_json(base: str, head: str, changes: Sequence[RecordChange], opened: list[Gap], closed: list[Gap]) -> str:
    return indented_json({
        "base": base, "head": head,
        "changes": [_change_dict(c) for c in changes],
        "gaps_opened": [_gap_dict(g) for g in opened],
        "gaps_closed": [_gap_dict(g) for g in closed],
    }, ensure_ascii=False, default=str)


def history_text(record_id: str, entries: Sequence[CommitChange]) -> str:
    if not entries:
        return one_line(f"No commit has changed {record_id}.")
    lines = []
    for entry in entries:
        commit = entry.commit
        lines.append(f"{commit.date.date().isoformat()}  {commit.short}  {commit.author}: {commit.subject}")
        lines.append(f"    {_headline(entry.change)}")
        lines += [f"      {line}" for line in _field_lines(entry.change)]
    return safe_lines(lines)


def history_json(record_id: str, entries: Sequence[CommitChange]) -> str:
    return json.dumps({"id": record_id, "commits": [
        {"commit": e.commit.sha, "date": e.commit.date.isoformat(), "author": e.commit.author,
         "subject": e.commit.subject, **_change_dict(e.change)} for e in entries
    ]}, indent=2, ensure_ascii=False, default=str)


def log_text(since: str, until: str | None, entries: Sequence[CommitChange]) -> str:
    period = f"since {since}" + (f" until {until}" if until else "")
    if not entries:
        return one_line(f"No record changed {period}.")
    lines = [f"Record changes {period}: {change_summary([e.change for e in entries])}"]
    kinds = sorted({e.change.kind for e in entries}, key=lambda k: KINDS.index(k) if k in KINDS else 99)
    for kind in kinds:
        lines += ["", f"{kind}:"]
        for entry in (e for e in entries if e.change.kind == kind):
            lines.append(f"  {entry.commit.date.date().isoformat()} {entry.commit.short}  {_headline(entry.change)}")
            lines += [f"      {line}" for line in _field_lines(entry.change)]
    return safe_lines(lines)


def log_json(since: str, until: str | None, entries: Sequence[CommitChange]) -> str:
    return json.dumps({"since": since, "until": until, "changes": [
        {"commit": e.commit.sha, "date": e.commit.date.isoformat(), "author": e.commit.author,
         "subject": e.commit.subject, **_change_dict(e.change)} for e in entries
    ]}, indent=2, ensure_ascii=False, default=str)
