"""Evidence of impact: evidence levels, what evidence dates can show, and when a recommendation's work
can be shown to have made a difference.

An evidence item's `level` is `output` (how much was done), `quality` (how well) or `impact` (is anyone
better off); an item without one is of unknown level, and never counts as any of the three.

Dates are judged by what they can be shown to mean, never by a guess. A written date covers a span of
days (`2022-06` is 1 to 30 June 2022); a date no document gives (`unknown`) covers the days between its
bounds (`date_not_earlier_than`, `date_not_later_than`), open-ended on a side without one, and nothing at
all without either. So "dated after X" holds only when the first day the date can mean is after X, and an
undated item never shows that it came after anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from learntrace import dates
from learntrace.graph import CONTRIBUTES_TO, RecordGraph
from learntrace.model import Record

EVIDENCE_LEVELS: tuple[str, ...] = ("output", "quality", "impact")
NO_LEVEL = "unknown"
EVIDENCE_LEVEL_MEANINGS = {
    "output": "how much was done (sessions held, leaflets issued)",
    "quality": "how well it was done (audit findings, practitioner feedback, compliance rates)",
    "impact": "whether anyone is better off (a change in outcomes for babies and families)",
}


def level_of(evidence: Record) -> str:
    """output, quality or impact; `unknown` when the record does not say."""
    level = evidence.get("level")
    return level if isinstance(level, str) and level in EVIDENCE_LEVELS else NO_LEVEL


def is_impact(evidence: Record) -> bool:
    return level_of(evidence) == "impact"


def evidence_span(evidence: Record) -> dates.Span | None:
    """The days the evidence's date can be shown to fall in; None when nothing is known (or it cannot be read)."""
    try:
        return dates.date_span(evidence.data, "date")
    except ValueError:
        return None


def first_day(evidence: Record) -> dt.date | None:
    """The earliest day the evidence can be dated to, when it has a lower bound at all."""
    span = evidence_span(evidence)
    return span.start if span is not None and span.start != dt.date.min else None


def last_day(evidence: Record) -> dt.date | None:
    """The latest day the evidence can be dated to, when it has an upper bound at all."""
    span = evidence_span(evidence)
    return span.end if span is not None and span.end != dt.date.max else None


def dated_after(evidence: Record, day: dt.date) -> bool:
    """Whether the evidence can be shown to date from after `day` (an undated item cannot)."""
    first = first_day(evidence)
    return first is not None and first > day


def started_by(graph: RecordGraph, action: Record) -> dt.date | None:
    """The day by which an action had certainly started. Actions record no start date, but an action had
    started by the time anything was evidenced of it: the last day its earliest own evidence can mean.
    None when none of its evidence has an upper bound."""
    days = [day for evidence in graph.evidence_for(action.id) if (day := last_day(evidence)) is not None]
    return min(days, default=None)


def outcomes_of(graph: RecordGraph, actions: Iterable[Record]) -> list[Record]:
    """The outcomes the actions contribute to, each once, in the order met."""
    found: dict[str, Record] = {}
    for action in actions:
        for outcome in graph.downstream(action.id, CONTRIBUTES_TO):
            found.setdefault(outcome.id, outcome)
    return list(found.values())


def impact_evidence(graph: RecordGraph, actions: list[Record]) -> list[Record]:
    """The impact-level evidence that shows the actions made a difference: their own impact-level evidence,
    and impact-level evidence of an outcome they contribute to, dated after the first of them started.

    "After the first started" is judged safely: the first action started on or before the earliest
    `started_by` day among them, so outcome evidence whose first possible day is after that day is
    certainly later. Outcome evidence without a date (or only a not-later-than bound) never counts, nor
    does any when no action's start can be bounded: it could be the baseline rather than a change.
    """
    own = [e for action in actions for e in graph.evidence_for(action.id) if is_impact(e)]
    starts = [day for action in actions if (day := started_by(graph, action)) is not None]
    later: list[Record] = []
    if starts:
        first_start = min(starts)
        later = [e for outcome in outcomes_of(graph, actions) for e in graph.evidence_for(outcome.id)
                 if is_impact(e) and dated_after(e, first_start)]
    unique: dict[str, Record] = {}
    for evidence in own + later:
        unique.setdefault(evidence.id, evidence)
    return list(unique.values())
