"""The partnership's accepted gaps: applied to the findings, and reported when stale or expired."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from learntrace import dates
from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.finding import Gap
from learntrace.graph import RecordGraph
from learntrace.model import Record, natural_key


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


@dataclass(frozen=True)
class AcceptanceChange:
    """An accepted gap that a change adds, or keeps for longer: a pull request could otherwise silence
    the very gap it opens, so a reviewer must see it and agree."""

    id: str
    path: str
    line: int
    kind: str
    review_by: str
    reason: str
    was_until: str | None = None  # the review date before the change, when it extends one

    @property
    def message(self) -> str:
        before = f" (it was accepted until {self.was_until})" if self.was_until else ""
        return (f"this change accepts the {self.kind} gap of {self.id} until {self.review_by}{before}: "
                f"a reviewer must agree; the reason given is: {self.reason}")


def _later(until: str, was: str) -> bool:
    try:
        return dates.parse_day(until) > dates.parse_day(was)
    except ValueError:
        return until != was


def changed_acceptances(before: RecordGraph, after: RecordGraph) -> list[AcceptanceChange]:
    """The acceptances in `after` that `before` did not have, or had with an earlier review date."""
    old = {(record.id, acceptance.get("kind")): str(acceptance.get("review_by", ""))
           for record in before.records.values() for _, acceptance in _acceptances(record)}
    changes = []
    for record in sorted(after.records.values(), key=lambda r: natural_key(r.id)):
        for index, acceptance in _acceptances(record):
            until, was = str(acceptance.get("review_by", "")), old.get((record.id, acceptance.get("kind")))
            if was is None or _later(until, was):
                changes.append(AcceptanceChange(
                    record.id, record.path, record.line_of("accepted_gaps", index), str(acceptance.get("kind")),
                    until, str(acceptance.get("reason", "")), was,
                ))
    return changes
