"""The chase list (trace due) for people (text), for an e-mail or a GitHub issue (Markdown), and
for programs (JSON)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from learntrace.due import DueAction, DueReport
from learntrace.jsontext import indented_json
from learntrace.output import markdown_cell, one_line

_LISTS = (("overdue", "Overdue"), ("due_soon", "Due soon"), ("stale", "No change"))


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _item_json(item: DueAction, stale: bool) -> dict[str, Any]:
    found: dict[str, Any] = {"id": item.id, "title": item.title, "status": item.status, "target": item.target,
                             "due": item.due.isoformat() if item.due else None,
                             "recommendations": list(item.recommendations)}
    if stale:
        found["last_changed"] = item.last_changed.isoformat() if item.last_changed else None
    return found


def due_json(report: DueReport) -> str:
    owners = [{"owner": o.owner, **{key: [_item_json(i, key == "stale") for i in getattr(o, key)]
                                    for key, _ in _LISTS}} for o in report.owners]
    return indented_json({"as_of": report.as_of.isoformat(), "within_days": report.within_days, "owners": owners},
                         ensure_ascii=False)


def _heading(key: str, report: DueReport) -> str:
    if key == "overdue":
        return f"Overdue (target passed before {_long(report.as_of)})"
    if key == "due_soon":
        return f"Due within {report.within_days} days"
    return f"No change committed for {report.stale_days} days or more"


def _detail(item: DueAction, key: str) -> str:
    when = f"due {_long(item.due)} (target {item.target})" if item.due else f"target {item.target}"
    parts = [when, f"status {item.status}"]
    if key == "stale" and item.last_changed:
        parts.append(f"last changed {_long(item.last_changed)}")
    parts.append(f"answers {', '.join(item.recommendations)}" if item.recommendations else "answers no recommendation")
    return "; ".join(parts)


def _summary(report: DueReport) -> str:
    count = sum(len(o.overdue) + len(o.due_soon) + len(o.stale) for o in report.owners)
    if not count:
        return f"Nothing is overdue, due within {report.within_days} days or without a recent change."
    return f"{len(report.owners)} owner(s) have actions to update."


def due_text(report: DueReport) -> str:
    lines = [f"Actions to chase as of {report.as_of.isoformat()}: {_summary(report)}"]
    if not report.history_read:
        lines.append("(No git history here, so actions without a recent change are not listed.)")
    for owner in report.owners:
        lines += ["", one_line(owner.owner)]
        for key, _ in _LISTS:
            items = getattr(owner, key)
            if items:
                lines.append(f"  {_heading(key, report)}:")
                for item in items:
                    lines.append(one_line(f"    {item.id}  {item.title}"))
                    lines.append(one_line(f"      {_detail(item, key)}"))
    return "\n".join(lines) + "\n"


def due_markdown(report: DueReport) -> str:
    lines = [f"## Actions to update: as of {_long(report.as_of)}", "", _summary(report)]
    if not report.history_read:
        lines += ["", "_No git history was available, so actions without a recent change are not listed._"]
    for owner in report.owners:
        lines += ["", f"### {markdown_cell(owner.owner)}"]
        for key, _ in _LISTS:
            items = getattr(owner, key)
            if items:
                lines += ["", f"**{_heading(key, report)}**", ""]
                lines += [f"- **{item.id}** {markdown_cell(item.title)}: {markdown_cell(_detail(item, key))}"
                          for item in items]
    lines += ["", "Please reply with the new status, target or RAG rating of each action, and where its evidence is "
              "kept, or fill in the workbook sent with this message."]
    return "\n".join(lines) + "\n"
