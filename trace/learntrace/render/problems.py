"""Record problems as GitHub annotations and a job-summary table."""

from __future__ import annotations

from collections.abc import Sequence

from learntrace.errors import Problem
from learntrace.output import GITHUB_ANNOTATION_LIMIT, github_annotation, markdown_cell


def problems_github(problems: Sequence[Problem], title: str) -> list[str]:
    """Annotations for the first problems of each level: GitHub shows ten of each per step."""
    lines = []
    for level in ("error", "warning"):
        of_level = [p for p in problems if p.severity == level][:GITHUB_ANNOTATION_LIMIT]
        lines += [github_annotation(level, p.path, p.message, p.line, p.column, title) for p in of_level]
    return lines


def problems_summary(problems: Sequence[Problem], title: str) -> str:
    """Every problem as a Markdown table, for $GITHUB_STEP_SUMMARY."""
    lines = [f"### {title}: {len(problems)} problem(s)", "", "| file | line | problem |", "|---|---|---|"]
    lines += [
        f"| {markdown_cell(p.path)} | {p.line or ''} | {'warning: ' if p.severity == 'warning' else ''}"
        f"{markdown_cell(p.message)} |" for p in problems
    ]
    return "\n".join(lines) + "\n\n"


def problems_markdown(problems: Sequence[Problem], records: int) -> str:
    """The problems as a pull-request comment: a headline, then every problem in a table."""
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    if errors:
        files = len({p.path for p in errors})
        also = f" and {len(warnings)} warning(s)" if warnings else ""
        headline = f"{len(errors)} problem(s) in {files} file(s){also}; {records} record(s) read"
    elif warnings:
        headline = f"no errors in {records} record(s); {len(warnings)} warning(s) to check"
    else:
        headline = f"all good: {records} record(s), no problems"
    lines = [f"### trace validate: {headline}", ""]
    if problems:
        lines += ["| file | line | problem |", "|---|---:|---|"]
        lines += [f"| {markdown_cell(p.path)} | {p.line or ''} | {'warning: ' if p.severity == 'warning' else ''}"
                  f"{markdown_cell(p.message)} |" for p in problems]
    return "\n".join(lines) + "\n"
