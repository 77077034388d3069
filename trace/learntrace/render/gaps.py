"""Gap lists for people (text, Markdown), programs (JSON) and GitHub (annotations)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections import Counter

from learntrace.analyses import ANALYSES, Gap
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
              baseline: str | None = None, remaining: int | None = None) -> str:
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
    lines.append(_headline(gaps, as_of, failing, baseline, remaining))
    return "\n".join(lines)


def gaps_json(gaps: list[Gap], as_of: dt.date, baseline: str | None = None, remaining: int | None = None) -> str:
    return json.dumps({
        "as_of": as_of.isoformat(),
        **({"baseline": {"rev": baseline, "older_gaps_remaining": remaining}} if baseline is not None else {}),
        "gaps": [
            {"kind": g.kind, "id": g.id, "path": g.path, "line": g.line, "message": g.message,
             "accepted": g.accepted, "title": g.title, **({"subject": g.subject} if g.subject else {}),
             **({"reason": g.reason, "review_by": g.review_by} if g.reason else {})}
            for g in gaps
        ],
        "counts": gap_counts(gaps),
    }, indent=2, ensure_ascii=False)


def gaps_markdown(gaps: list[Gap], as_of: dt.date, failing: list[Gap], baseline: str | None = None,
                  remaining: int | None = None) -> str:
    lines = [f"### trace gaps: {_headline(gaps, as_of, failing, baseline, remaining)}", ""]
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


def gaps_github(gaps: list[Gap], failing: list[Gap]) -> str:
    """Annotations for the failing gaps (GitHub shows only ten), then every gap as a plain line."""
    failing_set = set(map(id, failing))
    lines = [
        github_annotation("error", gap.path, f"{gap.kind}: {gap.message}", gap.line, title=f"trace gaps: {gap.id}")
        for gap in failing[:GITHUB_ANNOTATION_LIMIT]
    ]
    for gap in gaps:
        state = "failing" if id(gap) in failing_set else ("accepted" if gap.accepted else "not failing")
        lines.append(one_line(f"{gap.path}:{gap.line}: {gap.kind} ({state}): {gap.message}"))
    return "\n".join(lines)
