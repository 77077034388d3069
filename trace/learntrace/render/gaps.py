"""Gap lists for people (text, Markdown), programs (JSON) and GitHub (annotations)."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from collections.abc import Sequence

from learntrace.analyses import ANALYSES, Gap
from learntrace.analyses.acceptances import AcceptanceChange
from learntrace.jsontext import indented_json
from learntrace.output import GITHUB_ANNOTATION_LIMIT, github_annotation, markdown_cell, one_line, terminal_safe


def gap_counts(gaps: list[Gap]) -> dict[str, int]:
    counts = Counter(gap.kind for gap in gaps)
    return {kind: counts.get(kind, 0) for kind in ANALYSES}


def _headline(gaps: list[Gap], as_of: dt.date, failing: list[Gap], baseline: str | None = None,
              remaining: int | None = None) -> str:
    accepted = sum(1 for gap in gaps if gap.accepted)
    new = " new" if baseline is not None else ""
    parts = [f"{len(gaps)}{new} gap(s) as of {as_of.isoformat()}"]
    if accepted:
        parts.append(f"{accepted} accepted")
    parts.append(f"{len(failing)} failing")
    text = ", ".join(parts) + "."
    if baseline is not None:
        text += f" {remaining} older gap(s) that already existed at {baseline} remain."
    return text


def gaps_text(gaps: list[Gap], as_of: dt.date, failing: list[Gap], width: int = 80,
              baseline: str | None = None, remaining: int | None = None,
              accepting: Sequence[AcceptanceChange] = ()) -> str:
    lines: list[str] = []
    failing_set = set(map(id, failing))
    for kind, meaning in ((k, a.meaning) for k, a in ANALYSES.items()):
        of_kind = [gap for gap in gaps if gap.kind == kind]
        if not of_kind:
            continue
        lines.append(f"{kind}: {meaning} ({len(of_kind)})")
        for gap in of_kind:
            mark = "" if id(gap) in failing_set else (" [accepted]" if gap.accepted else " [not failing]")
            heading = f"  {gap.id}{mark}"
            if gap.title and gap.title != gap.id:
                room = width - len(heading) - 2
                title = gap.title if len(gap.title) <= room else gap.title[: max(room - 3, 10)].rstrip() + "..."
                heading += f"  {title}"
            lines.append(one_line(heading))
            lines.append(one_line(f"    {gap.path}:{gap.line}"))
            body = gap.message
            if gap.accepted:
                body += f" Accepted until {gap.review_by}: {gap.reason}"
            lines.extend(textwrap.wrap(terminal_safe(body), width=width, initial_indent="    ",
                                       subsequent_indent="    ", break_on_hyphens=False))
        lines.append("")
    for change in accepting:
        lines.append(one_line(f"{change.path}:{change.line}: warning: {change.message}"))
    if accepting:
        lines.append("")
    lines.append(_headline(gaps, as_of, failing, baseline, remaining))
    return "\n".join(lines)


def _acceptance_dict(change: AcceptanceChange) -> dict[str, object]:
    return {"id": change.id, "path": change.path, "line": change.line, "kind": change.kind,
            "review_by": change.review_by, "reason": change.reason, "was_until": change.was_until,
            "message": change.message}


def gaps_json(gaps: list[Gap], as_of: dt.date, baseline: str | None = None, remaining: int | None = None,
              accepting: Sequence[AcceptanceChange] = ()) -> str:
    return indented_json({
        "as_of": as_of.isoformat(),
        **({"baseline": {"rev": baseline, "older_gaps_remaining": remaining,
                         "acceptances_added": [_acceptance_dict(c) for c in accepting]}}
           if baseline is not None else {}),
        "gaps": [
            {"kind": g.kind, "id": g.id, "path": g.path, "line": g.line, "message": g.message,
             "accepted": g.accepted, "title": g.title, **({"subject": g.subject} if g.subject else {}),
             **({"reason": g.reason, "review_by": g.review_by} if g.reason else {})}
            for g in gaps
        ],
        "counts": gap_counts(gaps),
    }, ensure_ascii=False)


def _acceptances_markdown(accepting: Sequence[AcceptanceChange]) -> list[str]:
    if not accepting:
        return []
    lines = [f"**This change accepts {len(accepting)} gap(s): a reviewer must agree.**", "",
             "| record | file | gap kind | accepted until | before | reason |", "|---|---|---|---|---|---|"]
    lines += [f"| {markdown_cell(c.id)} | {markdown_cell(c.path)}:{c.line} | {markdown_cell(c.kind)} | "
              f"{markdown_cell(c.review_by)} | {markdown_cell(c.was_until or 'not accepted')} | "
              f"{markdown_cell(c.reason)} |" for c in accepting]
    return [*lines, ""]


def gaps_markdown(gaps: list[Gap], as_of: dt.date, failing: list[Gap], baseline: str | None = None,
                  remaining: int | None = None, accepting: Sequence[AcceptanceChange] = ()) -> str:
    lines = [f"### trace gaps: {_headline(gaps, as_of, failing, baseline, remaining)}", "",
             *_acceptances_markdown(accepting)]
    counts = gap_counts(gaps)
    if not gaps:
        return "\n".join([*lines, "No gaps."]) + "\n"
    lines += ["| gap kind | meaning | count |", "|---|---|---:|"]
    lines += [f"| `{kind}` | {ANALYSES[kind].meaning} | {n} |" for kind, n in counts.items() if n]
    for kind, n in counts.items():
        if not n:
            continue
        lines += ["", f"<details><summary><code>{kind}</code> ({n})</summary>", "",
                  "| id | file | gap |", "|---|---|---|"]
        for gap in (g for g in gaps if g.kind == kind):
            note = f" (accepted until {gap.review_by}: {gap.reason})" if gap.accepted else ""
            lines.append(f"| {markdown_cell(gap.id)} | {markdown_cell(gap.path)}:{gap.line} | "
                         f"{markdown_cell(gap.message + note)} |")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def gaps_github(gaps: list[Gap], failing: list[Gap], accepting: Sequence[AcceptanceChange] = ()) -> str:
    """Annotations for the failing gaps and warnings for the acceptances the change adds (GitHub shows
    only ten of each), then every gap and acceptance as a plain line."""
    failing_set = set(map(id, failing))
    lines = [
        github_annotation("error", gap.path, f"{gap.kind}: {gap.message}", gap.line, title=f"trace gaps: {gap.id}")
        for gap in failing[:GITHUB_ANNOTATION_LIMIT]
    ]
    lines += [
        github_annotation("warning", change.path, change.message, change.line, title=f"trace gaps: {change.id}")
        for change in accepting[:GITHUB_ANNOTATION_LIMIT]
    ]
    lines += [one_line(f"{change.path}:{change.line}: warning: {change.message}") for change in accepting]
    for gap in gaps:
        state = "failing" if id(gap) in failing_set else ("accepted" if gap.accepted else "not failing")
        lines.append(one_line(f"{gap.path}:{gap.line}: {gap.kind} ({state}): {gap.message}"))
    return "\n".join(lines)
