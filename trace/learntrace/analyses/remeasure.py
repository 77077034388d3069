"""Re-measurement overdue: an outcome measure past its `remeasure_by` date with no impact-level evidence
of the outcome dated after the measure's baseline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from learntrace import dates
from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.finding import Gap
from learntrace.analyses.impact import dated_after, evidence_span, is_impact
from learntrace.graph import RecordGraph
from learntrace.model import Record


@dataclass(frozen=True)
class Measure:
    """One of an outcome's measures, as the record gives it (any field may be missing)."""

    index: int
    indicator: str
    baseline: str | None
    baseline_date: str | None
    target: str | None
    remeasure_by: str | None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def measures_of(outcome: Record) -> Iterator[Measure]:
    for index, item in enumerate(outcome.get("measures") or []):
        if isinstance(item, dict):
            yield Measure(index, str(item.get("indicator", "")), _text(item.get("baseline")),
                          _text(item.get("baseline_date")), _text(item.get("target")), _text(item.get("remeasure_by")))


def _span(text: str | None) -> dates.Span | None:
    try:
        return dates.parse_partial_date(text) if text is not None else None
    except ValueError:
        return None


def remeasurements(graph: RecordGraph, outcome: Record, measure: Measure) -> list[Record]:
    """The outcome's impact-level evidence that re-measures it: dated after the baseline (the baseline's last
    possible day); without a baseline date, any of its impact-level evidence."""
    impact = [e for e in graph.evidence_for(outcome.id) if is_impact(e)]
    baseline = _span(measure.baseline_date)
    if baseline is None:
        return impact
    return [e for e in impact if dated_after(e, baseline.end)]


def is_overdue(measure: Measure, as_of: dt.date) -> bool:
    due = _span(measure.remeasure_by)
    return due is not None and due.end < as_of


def _message(graph: RecordGraph, outcome: Record, measure: Measure) -> str:
    baseline = f"baseline {measure.baseline or 'not recorded'}"
    if measure.baseline_date:
        baseline += f" in {measure.baseline_date}"
    undated = [e.id for e in graph.evidence_for(outcome.id) if is_impact(e) and evidence_span(e) is None]
    note = (f" ({', '.join(undated)} is impact-level but undated, so it cannot show it came after the baseline; "
            "record its date)") if undated and measure.baseline_date else ""
    return (f"the measure '{measure.indicator}' was due to be re-measured by {measure.remeasure_by} ({baseline}), "
            f"and no impact-level evidence of this outcome is dated after the baseline{note}; add the "
            f"re-measurement as evidence with 'level: impact' and 'supports: [{outcome.id}]', or agree a new "
            "'remeasure_by'")


def find_remeasure_overdue(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    gaps = []
    for outcome in graph.of_kind("outcome"):
        for measure in measures_of(outcome):
            if is_overdue(measure, context.as_of) and not remeasurements(graph, outcome, measure):
                gaps.append(Gap(
                    "remeasure-overdue", outcome.id, outcome.path,
                    outcome.line_of("measures", measure.index, "remeasure_by"),
                    _message(graph, outcome, measure), title=outcome.title, subject=measure.indicator,
                ))
    return gaps
