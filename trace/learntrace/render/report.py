"""Render the quarterly report with Jinja2: HTML (autoescaped, self-contained) and Markdown."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from learntrace import dates
from learntrace.analyses import ANALYSES
from learntrace.analyses.coverage import LEVEL_MEANINGS, LEVELS
from learntrace.analyses.impact import NO_LEVEL, level_of
from learntrace.changes import describe_field_change
from learntrace.errors import TraceError
from learntrace.output import markdown_cell, terminal_safe
from learntrace.render import charts
from learntrace.report import ReportData, ReportPoint, TrendPoint
from learntrace.schema import data_dir


def css_string(value: object) -> Markup:
    """A quoted CSS string that no text can break out of (not even with </style>)."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;·–-_()/'" else f"\\{ord(ch):x} " for ch in str(value)
    )
    return Markup(f'"{escaped}"')


def _finalize(fmt: str) -> Callable[[Any], Any]:
    """What every {{ value }} becomes. Record text is data: no control character reaches the report, and
    in Markdown every string is escaped as a cell unless a filter already made it safe (as autoescape
    does for HTML), so a value nobody thought to escape (a status, a RAG rating) cannot break a table."""
    escape = markdown_cell if fmt == "md" else terminal_safe

    def finalize(value: Any) -> Any:
        return escape(value) if isinstance(value, str) and not isinstance(value, Markup) else value

    return finalize


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, keeping its verdict on each (type, attribute name): the sandbox's rule
    (jinja2.sandbox.is_internal_attribute) looks at nothing else, and a report at 10,000 records asks it
    a quarter of a million times."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


def report_environment(template_dir: Path, fmt: str = "html") -> SandboxedEnvironment:
    """The one environment both reports render in. A template the folder lacks (or one it includes, such as
    the stylesheet) comes from trace's own templates. Sandboxed: a template (trace.toml may name its own
    folder) can format values but never reach Python's internals ({{ cycler.__init__.__globals__.os }}
    raises SecurityError instead of running a command)."""
    env = _Sandbox(
        loader=FileSystemLoader([str(template_dir), str(data_dir("templates"))]),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize(fmt),
    )
    env.filters["md"] = lambda value: Markup(markdown_cell(str(value)))
    env.filters["css_string"] = css_string
    env.filters["change"] = describe_field_change
    env.filters["longdate"] = lambda day: f"{day.day} {day:%B %Y}" if day else "no date"
    env.filters["recorddate"] = lambda record, name="date": dates.describe_date(record.data, name)
    env.filters["evidencelevel"] = lambda record: ("level not recorded" if (level := level_of(record)) == NO_LEVEL
                                                   else level)
    return env


def themes_context(end: ReportPoint) -> dict[str, Any]:
    """The Recurring themes section of both reports: themes × sources, and the repeat-learning gaps."""
    from learntrace.analyses.themes import theme_matrix

    return {"themes": theme_matrix(end.graph), "repeat_gaps": [g for g in end.gaps if g.kind == "repeat-learning"]}


def trend_points(trend: Sequence[TrendPoint]) -> list[tuple[str, dict[str, int] | None]]:
    """The trend chart's bars: each quarter's name (marked when it is not over) and its levels."""
    return [(point.period.name + (" (to date)" if point.to_date else ""), point.levels) for point in trend]


def shared_context(data: object, end: ReportPoint) -> dict[str, Any]:
    """What the quarterly and the yearly templates both read: the data, the recurring themes, the
    ladder's levels and what they mean, what each gap kind means, and the commit reported on."""
    return {
        "d": data,
        **themes_context(end),
        "levels": LEVELS,
        "level_meanings": LEVEL_MEANINGS,
        "gap_meanings": {kind: analysis.meaning for kind, analysis in ANALYSES.items()},
        "commit": end.commit,
    }


def _context(data: ReportData) -> dict[str, Any]:
    source_titles = {s.id: s.title for s in data.end.graph.of_kind("source")}
    coverage_rows = [(source.get("ref") or source.id, data.end.coverage.by_source[source.id])
                     for source in data.end.graph.of_kind("source")]
    aim_rows = [(aim.get("ref") or aim.id, data.end.coverage.by_aim[aim.id]) for aim in data.end.graph.of_kind("aim")]
    return {
        **shared_context(data, data.end),
        "now_levels": data.end.level_counts(),
        "start_levels": data.start.level_counts() if data.start else None,
        "source_titles": source_titles,
        "charts": {
            "coverage": Markup(charts.stacked_bars("Recommendations by coverage level, per source", coverage_rows,
                                                   "cov")),
            "aims": Markup(charts.stacked_bars("Recommendations by coverage level, per aim", aim_rows, "aim")),
            "status": Markup(charts.count_bars("Actions by status", data.action_status_counts, prefix="status")),
            "rag": Markup(charts.count_bars("Actions by RAG rating", data.rag_counts, charts.RAG_COLOURS, "rag")),
            "trend": Markup(charts.trend_bars("Coverage at the end of each quarter", trend_points(data.trend))),
        },
    }


def render_report(data: ReportData, template_dir: Path, fmt: str) -> bytes:
    """`fmt` is html or md; the template is report.<fmt>.j2 in the template folder. UTF-8."""
    return render_safely(report_environment(template_dir, fmt), f"report.{fmt}.j2", _context(data), template_dir)


def render_safely(env: SandboxedEnvironment, name: str, context: dict[str, Any], template_dir: Path) -> bytes:
    """A template rendered, as UTF-8; one that reaches for what the sandbox refuses stops with a sentence.
    Encoded as it is made, a batch of pieces at a time: joining every piece at once held the millions of
    pieces of a report of 50,000 records, and the text twice (as text and as bytes), a fifth of its memory."""
    try:
        out, pieces = io.BytesIO(), env.get_template(name).generate(**context)
        while batch := list(islice(pieces, 8192)):
            out.write("".join(batch).encode("utf-8"))
        return out.getvalue()
    except SecurityError as error:
        raise TraceError(f"the template {name} in {template_dir} tried something a report template may not do "
                         f"({error}); use only the values and filters the report provides") from error
