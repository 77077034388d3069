"""Repeat learning: an open recommendation that says again what a recommendation of an earlier source said,
when the partnership already marked that earlier one complete, or evidenced every action on it.

"Earlier" means shown to be earlier by the sources' `published` dates: every day the earlier source's
date can mean comes before every day the later one's can (analyses/publication.py). Two sources published
in the same year, written only as the year, are not shown to be in either order; a source whose date is
unknown is shown to be earlier only where the bounds its record gives put it before the other, and with no
bounds never. Such pairs are left out, because the finding would claim an order the records do not give;
`trace similar` still lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.coverage import LEVELS, coverage_level
from learntrace.analyses.finding import Gap
from learntrace.analyses.publication import published_span, published_text
from learntrace.config import DEFAULT_SIMILARITY_THRESHOLD
from learntrace.graph import RecordGraph
from learntrace.model import UNSETTLED_RECOMMENDATION_STATUSES, Record

KIND = "repeat-learning"
_EVIDENCED = LEVELS.index("evidenced")


@dataclass(frozen=True)
class _Done:
    record: Record
    how: str  # "marked complete", or what its coverage shows


def _done(graph: RecordGraph, recommendation: Record) -> _Done | None:
    if recommendation.get("status") == "complete":
        return _Done(recommendation, "marked complete")
    level = coverage_level(graph, recommendation)
    if level in LEVELS and LEVELS.index(level) >= _EVIDENCED:
        return _Done(recommendation, f"its actions complete and {level} (coverage: {level})")
    return None


def _published_days(graph: RecordGraph, recommendations: list[Record]) -> dict[str, tuple[float, float]]:
    """By recommendation, the first and last day its source can have been published on, where known."""
    spans = {source.id: published_span(source) for source in graph.of_kind("source")}
    days = {}
    for rec in recommendations:
        span = spans.get(str(rec.get("source", "")))
        if span is not None:
            days[rec.id] = (float(span.start.toordinal()), float(span.end.toordinal()))
    return days


def _also(others: tuple[tuple[str, float], ...], more: int) -> str:
    if not others:
        return ""
    listed = ", ".join(f"{record_id} ({score:.2f})" for record_id, score in others)
    return f"; also like {listed}" + (f" and {more} more" if more else "")


def find_repeat_learning(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    """One gap per open recommendation that repeats earlier done learning, naming the most similar earlier
    recommendation, then the next most similar."""
    threshold = context.config.similarity_threshold if context.config is not None else DEFAULT_SIMILARITY_THRESHOLD
    recommendations = graph.of_kind("recommendation")
    done = {found.record.id: found for rec in recommendations if (found := _done(graph, rec)) is not None}
    pending = [rec.id for rec in recommendations if rec.get("status") in UNSETTLED_RECOMMENDATION_STATUSES]
    if not done or not pending:
        return []  # nothing can repeat: the texts need not even be compared
    from learntrace.analyses.similarity import repeated

    gaps = []
    dated: dict[str, str] = {}  # each source's date as written, worked out once however many gaps name it
    for match in repeated(recommendations, pending, list(done), threshold, _published_days(graph, recommendations)):
        later = graph.records[match.later]
        (earlier_id, score), *others = match.earlier
        earlier = done[earlier_id]
        source_id = str(earlier.record.get("source", ""))
        if source_id not in dated:
            dated[source_id] = published_text(graph.records.get(source_id))
        gaps.append(Gap(
            KIND, later.id, later.path, later.line_of("text"),
            f"this learning was recorded before: {earlier_id} from {source_id} "
            f"({dated[source_id]}), {earlier.how}; check whether what was done then "
            f"has embedded (similarity {score:.2f}; shared words: {', '.join(match.shared_words) or 'none'}"
            f"{_also(tuple(others), match.also)})",
            title=later.title, subject=earlier_id,
        ))
    return gaps
