"""How far each recommendation has got: none, planned, delivered, evidenced, impact.

The top step, impact, needs more than delivery: the recommendation is evidenced, and either its actions
have impact-level evidence of their own, or an outcome they contribute to has impact-level evidence dated
after the first of those actions started. Actions carry no start date, so the start is bounded by their
own evidence (an action had started by the time anything of it was evidenced); an undated impact item
cannot show it came after the start, so it never lifts a recommendation to impact: it stays evidenced
until the item's date, or a not-earlier-than bound, is recorded. See analyses/impact.py.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from learntrace.analyses.impact import impact_evidence
from learntrace.graph import RecordGraph
from learntrace.model import Record

LEVELS: tuple[str, ...] = ("none", "planned", "delivered", "evidenced", "impact")
LEVEL_MEANINGS = {
    "none": "no action addresses it",
    "planned": "actions exist, not all complete",
    "delivered": "all its actions complete, some without evidence",
    "evidenced": "all its actions complete, each with evidence",
    "impact": "evidenced, and impact-level evidence dated after its work started",
}


@dataclass(frozen=True)
class RecommendationCoverage:
    recommendation: Record
    source: str
    aims: tuple[str, ...]
    level: str


@dataclass(frozen=True)
class Coverage:
    recommendations: tuple[RecommendationCoverage, ...]
    by_source: dict[str, dict[str, int]]
    by_aim: dict[str, dict[str, int]]


def coverage_level(graph: RecordGraph, recommendation: Record) -> str:
    actions = graph.live_actions_addressing(recommendation.id)
    if not actions:
        return "none"
    if any(action.get("status") != "complete" for action in actions):
        return "planned"
    if not all(graph.evidence_for(action.id) for action in actions):
        return "delivered"
    return "impact" if impact_evidence(graph, actions) else "evidenced"


def _tally(levels: list[str]) -> dict[str, int]:
    counts = Counter(levels)
    return {"total": len(levels), **{level: counts.get(level, 0) for level in LEVELS}}


def find_coverage(graph: RecordGraph) -> Coverage:
    rows = []
    for recommendation in graph.of_kind("recommendation"):
        rows.append(RecommendationCoverage(
            recommendation=recommendation,
            source=str(recommendation.get("source", "")),
            aims=tuple(aim.id for aim in graph.aims_of(recommendation)),
            level=coverage_level(graph, recommendation),
        ))
    # One pass over the recommendations for every source and aim: scanning them all once per source
    # would grow with the square of the record set.
    levels_by_source: dict[str, list[str]] = defaultdict(list)
    levels_by_aim: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        levels_by_source[row.source].append(row.level)
        for aim in set(row.aims):
            levels_by_aim[aim].append(row.level)
    by_source = {source.id: _tally(levels_by_source[source.id]) for source in graph.of_kind("source")}
    by_aim = {aim.id: _tally(levels_by_aim[aim.id]) for aim in graph.of_kind("aim")}
    return Coverage(tuple(rows), by_source, by_aim)
