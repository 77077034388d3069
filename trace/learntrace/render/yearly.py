"""Render the yearly report with the quarterly report's Jinja environment: HTML (autoescaped,
self-contained, the same print stylesheet) and Markdown."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from markupsafe import Markup

from learntrace.analyses.impact import EVIDENCE_LEVEL_MEANINGS
from learntrace.render import charts
from learntrace.render.report import render_safely, report_environment, shared_context, trend_points
from learntrace.yearly import YearlyData

TEMPLATES = ("yearly.html.j2", "yearly.md.j2")


def ladder_summary(data: YearlyData) -> dict[str, int]:
    """How many recommendations reached impact (and how many of those during the year), and how many were
    only delivered (all actions complete, no evidence of impact)."""
    rows = [row for source in data.learning for row in source.recommendations]
    levels = Counter(row.level_end for row in rows)
    return {
        "total": len(data.end.coverage.recommendations),
        "impact": levels["impact"],
        "impact_in_year": sum(1 for row in rows if row.level_end == "impact" and row.level_start != "impact"),
        "only_delivered": levels["delivered"] + levels["evidenced"],
        "delivered": levels["delivered"],
        "evidenced": levels["evidenced"],
    }


def yearly_context(data: YearlyData) -> dict[str, Any]:
    """Everything the templates (and the Word writer) read, besides the data itself."""
    start_levels = data.start.level_counts() if data.start else None
    end_levels = data.end.level_counts()
    ladder_rows = [("End of the year", end_levels)]
    if start_levels is not None:
        ladder_rows.insert(0, ("Start of the year", start_levels))
    return {
        **shared_context(data, data.end),
        "evidence_level_meanings": EVIDENCE_LEVEL_MEANINGS,
        "start_levels": start_levels,
        "end_levels": end_levels,
        "summary": ladder_summary(data),
        "charts": {
            "ladder": Markup(charts.stacked_bars("Recommendations by ladder step, start and end of the year",
                                                 ladder_rows, "ladder")),
            "trend": Markup(charts.trend_bars("Ladder steps at the end of each quarter", trend_points(data.trend))),
        },
    }


def render_yearly(data: YearlyData, template_dir: Path, fmt: str) -> bytes:
    """`fmt` is html or md; the template is yearly.<fmt>.j2 in the template folder, else trace's own. UTF-8."""
    env = report_environment(template_dir, fmt)
    env.filters["onday"] = lambda day: f"{day.day} {day:%B %Y}" if day else "day not known"
    return render_safely(env, f"yearly.{fmt}.j2", yearly_context(data), template_dir)
