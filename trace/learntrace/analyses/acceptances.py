"""The partnership's accepted gaps: applied to the findings, and reported when stale or expired."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from learntrace import dates
from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.finding import Gap
from learntrace.graph import RecordGraph
from learntrace.model import Record


def _acceptances(record: Record) -> Iterator[tuple[int, dict[str, Any]]]:
    for index, acceptance in enumerate(record.get("accepted_gaps") or []):
        if isinstance(acceptance, dict):
            yield index, acceptance


def _matching(gap: Gap, graph: RecordGraph) -> tuple[int, dict[str, Any]] | None:
    record = graph.records.get(gap.id)
    if record is None:
        return None
    return next(((i, a) for i, a in _acceptances(record) if a.get("kind") == gap.kind), None)


def apply_acceptances(gaps: Iterable[Gap], graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    """Mark the gaps the partnership has accepted; an expired acceptance says so in the gap's message."""
    result = []
    for gap in gaps:
        found = _matching(gap, graph)
        if found is not None:
            acceptance = found[1]
            review_by = str(acceptance.get("review_by", ""))
            reason = str(acceptance.get("reason", ""))
            try:
                expired = dates.parse_day(review_by) < context.as_of
            except ValueError:
                expired = True
            if expired:
                gap = replace(gap, message=(
                    f"{gap.message} (this gap was accepted until {review_by} because: {reason}; that acceptance "
                    "has expired, so review the decision and renew or remove it)"
                ), reason=reason, review_by=review_by)
            else:
                gap = replace(gap, accepted=True, reason=reason, review_by=review_by)
        result.append(gap)
    return result


def find_stale_acceptances(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    """Acceptances that match none of the gaps the other analyses found."""
    used = set()
    for gap in context.earlier:
        found = _matching(gap, graph)
        if found is not None:
            used.add((gap.id, found[0]))
    return [
        Gap("stale-acceptance", record.id, record.path, record.line_of("accepted_gaps", index),
            f"this record accepts a '{acceptance.get('kind')}' gap, but it has no such gap any more; "
            "remove the acceptance", title=record.title)
        for record in graph.records.values()
        for index, acceptance in _acceptances(record)
        if (record.id, index) not in used
    ]
