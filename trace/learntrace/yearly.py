"""The yearly report's numbers: what the partnership did in a reporting year as a result of the reviews,
and what difference it made, from the records and their git history alone.

The year's start is the records as they were the day before it began; its end, the records on its last day
(or the latest commit, for a year not yet over). What was done in the year comes from the commits dated in
it: the day an action was recorded complete, the day an evidence item was added. A decision belongs to
the year when its `decided` date falls in it, or, when that date is missing or cannot be placed in one
year, when the records first showed it during the year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from learntrace import dates
from learntrace.analyses import Gap
from learntrace.analyses.coverage import LEVELS
from learntrace.analyses.impact import first_day, is_impact, level_of
from learntrace.analyses.remeasure import Measure, is_overdue, measures_of, remeasurements
from learntrace.cache import RecordCache
from learntrace.changes import CommitChange
from learntrace.config import Config
from learntrace.gitio import GitRepo
from learntrace.graph import ADDRESSED_BY, MAKES, RecordGraph
from learntrace.history import commit_changes
from learntrace.model import Record, natural_key
from learntrace.periods import Period
from learntrace.report import ActionRow, ReportPoint, TrendPoint, action_row, period_points
from learntrace.schema import field_schemas

DECIDED_STATUSES = ("declined", "superseded")


@dataclass(frozen=True)
class Dated:
    """A record and the day the records first showed what happened to it (None: not known to the day)."""

    record: Record
    day: dt.date | None


@dataclass(frozen=True)
class RecommendationYear:
    recommendation: Record
    level_start: str | None  # None: not yet recorded when the year began
    level_end: str
    completed: tuple[Dated, ...]  # its actions recorded complete during the year
    evidence: tuple[Dated, ...]  # evidence of its actions added during the year

    @property
    def moved_up(self) -> bool:
        start = LEVELS.index(self.level_start) if self.level_start else 0
        return LEVELS.index(self.level_end) > start


@dataclass(frozen=True)
class SourceYear:
    source: Record
    new: bool  # first recorded during the year
    recommendations: tuple[RecommendationYear, ...]


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    latest: Record | None  # the latest impact-level evidence re-measuring it
    overdue: bool  # past its remeasure_by with no re-measurement


@dataclass(frozen=True)
class OutcomeImpact:
    outcome: Record
    measures: tuple[MeasureRow, ...]
    evidence: tuple[Record, ...]  # its impact-level evidence


@dataclass(frozen=True)
class Decision:
    recommendation: Record
    status: str
    recorded: dt.date | None  # the day the records first showed it in the year; None: recorded before


@dataclass(frozen=True)
class YearlyData:
    partnership: str
    strategy: str
    year: Period
    to_date: bool
    start: ReportPoint | None
    end: ReportPoint
    learning: tuple[SourceYear, ...]
    outcomes: tuple[OutcomeImpact, ...]
    impact_evidence: tuple[Dated, ...]  # every impact-level item at the year's end; day: added in the year
    stuck: tuple[RecommendationYear, ...]
    overdue: tuple[ActionRow, ...]
    not_remeasured: tuple[Gap, ...]
    unmeasured: tuple[Gap, ...]
    decisions: tuple[Decision, ...]
    accepted: tuple[tuple[Gap, bool], ...]  # accepted gaps at the year's end, and whether accepted in the year
    expired: tuple[Gap, ...]  # acceptances whose review date had passed by the year's end
    trend: tuple[TrendPoint, ...]
    numbers: tuple[tuple[str, int | None, int], ...]  # what, at the year's start (None: no records), at its end
    done: dict[str, int]  # counts of what was done in the year


@dataclass(frozen=True)
class _YearChanges:
    completed: dict[str, dt.date]  # action id -> the last day in the year it was recorded complete
    added: dict[str, dt.date]  # record id -> the first day in the year it was added
    status_set: dict[str, dt.date]  # recommendation id -> the last day its status changed (or it was added)


def _year_changes(changes: list[CommitChange]) -> _YearChanges:
    """What the year's commits (oldest first) did: completions, additions, status changes."""
    completed: dict[str, dt.date] = {}
    added: dict[str, dt.date] = {}
    status_set: dict[str, dt.date] = {}
    for item in changes:
        day, change = item.commit.date.date(), item.change
        if change.change == "added":
            added.setdefault(change.id, day)
            status_set[change.id] = day
            if change.kind == "action":
                completed[change.id] = day  # kept only if it is complete at the end and was not before
        status = change.field("status")
        if status is not None:
            status_set[change.id] = day
            if change.kind == "action" and status.new == "complete":
                completed[change.id] = day
    return _YearChanges(completed, added, status_set)


def _changes_in(repo: GitRepo, year: Period, end: ReportPoint) -> _YearChanges:
    history = [(commit, files) for commit, files in repo.record_history()
               if year.start <= commit.date.date() <= end.as_of]
    return _year_changes(list(reversed(commit_changes(repo, history))))


def _status(point: ReportPoint | None, record_id: str) -> object:
    record = point.graph.records.get(record_id) if point is not None else None
    return record.get("status") if record is not None else None


def _recommendation_year(rec: Record, start: ReportPoint | None, end: ReportPoint,
                         levels: tuple[dict[str, str], dict[str, str]], changes: _YearChanges) -> RecommendationYear:
    graph = end.graph
    actions = graph.downstream(rec.id, ADDRESSED_BY)
    completed = tuple(Dated(a, changes.completed.get(a.id)) for a in actions
                      if a.get("status") == "complete" and _status(start, a.id) != "complete")
    before = start.graph.records if start is not None else {}
    evidence = {e.id: e for a in actions for e in graph.evidence_for(a.id) if e.id not in before}
    return RecommendationYear(rec, levels[0].get(rec.id), levels[1][rec.id], completed,
                              tuple(Dated(e, changes.added.get(e.id)) for e in evidence.values()))


def _learning(start: ReportPoint | None, end: ReportPoint, changes: _YearChanges) -> tuple[SourceYear, ...]:
    """Per source with recommendations, national reviews first: each recommendation's year."""
    levels_start = {row.recommendation.id: row.level for row in start.coverage.recommendations} if start else {}
    levels = (levels_start, {row.recommendation.id: row.level for row in end.coverage.recommendations})
    order = {kind: index for index, kind in enumerate(field_schemas("source")["type"]["enum"])}
    sources = sorted(end.graph.of_kind("source"),
                     key=lambda s: (order.get(s.get("type"), len(order)), natural_key(s.id)))
    before = start.graph.records if start is not None else {}
    return tuple(
        SourceYear(source, source.id not in before, tuple(
            _recommendation_year(rec, start, end, levels, changes)
            for rec in end.graph.downstream(source.id, MAKES)
        ))
        for source in sources if end.graph.downstream(source.id, MAKES)
    )


def _latest(evidence: list[Record]) -> Record | None:
    dated = [e for e in evidence if first_day(e) is not None]
    if dated:
        return max(dated, key=lambda e: (first_day(e) or dt.date.min, natural_key(e.id)))
    return evidence[-1] if evidence else None


def _outcomes(end: ReportPoint) -> tuple[OutcomeImpact, ...]:
    graph = end.graph
    return tuple(
        OutcomeImpact(outcome, tuple(
            MeasureRow(measure, _latest(found := remeasurements(graph, outcome, measure)),
                       is_overdue(measure, end.as_of) and not found)
            for measure in measures_of(outcome)
        ), tuple(e for e in graph.evidence_for(outcome.id) if is_impact(e)))
        for outcome in graph.of_kind("outcome")
    )


def _decisions(year: Period, start: ReportPoint | None, end: ReportPoint,
               changes: _YearChanges) -> tuple[Decision, ...]:
    found = []
    for rec in end.graph.of_kind("recommendation"):
        status = rec.get("status")
        if status not in DECIDED_STATUSES:
            continue
        recorded = changes.status_set.get(rec.id) if _status(start, rec.id) != status else None
        try:
            span = dates.parse_partial_date(str(rec.get("decided"))) if rec.get("decided") is not None else None
        except ValueError:
            span = None
        if span is not None and (span.end < year.start or span.start > year.end):
            continue  # decided in another year, whenever it was recorded
        if (span is not None and dates.falls_within(span, year.start, year.end)) or recorded is not None:
            found.append(Decision(rec, str(status), recorded))
    return tuple(found)


def _acceptances(start: ReportPoint | None, end: ReportPoint) -> tuple[tuple[tuple[Gap, bool], ...], tuple[Gap, ...]]:
    accepted_before = {g.key for g in start.gaps if g.accepted} if start is not None else set()
    accepted = tuple((g, g.key not in accepted_before) for g in end.gaps if g.accepted)
    expired = tuple(g for g in end.gaps if not g.accepted and g.review_by is not None)
    return accepted, expired


def _counts(graph: RecordGraph, gaps: list[Gap]) -> dict[str, int]:
    evidence = graph.of_kind("evidence")
    levels = Counter(level_of(e) for e in evidence)
    return {
        "Sources": len(graph.of_kind("source")),
        "Recommendations": len(graph.of_kind("recommendation")),
        "Recommendations declined": sum(1 for r in graph.of_kind("recommendation") if r.get("status") == "declined"),
        "Actions": len(graph.of_kind("action")),
        "Actions complete": sum(1 for a in graph.of_kind("action") if a.get("status") == "complete"),
        "Evidence items": len(evidence),
        **{f"Evidence of {level}": levels.get(level, 0) for level in ("output", "quality", "impact")},
        "Evidence of unknown level": levels.get("unknown", 0),
        "Outcomes": len(graph.of_kind("outcome")),
        "Outcome measures": sum(len(list(measures_of(o))) for o in graph.of_kind("outcome")),
        "Gaps not accepted": sum(1 for g in gaps if not g.accepted),
    }


def _numbers(start: ReportPoint | None, end: ReportPoint) -> tuple[tuple[str, int | None, int], ...]:
    before = _counts(start.graph, start.gaps) if start is not None else {}
    return tuple((label, before.get(label), value) for label, value in _counts(end.graph, end.gaps).items())


def build_yearly(repo: GitRepo, config: Config, year: Period, as_of: dt.date,
                 cache: RecordCache | None = None) -> YearlyData:
    """Everything the yearly report shows, from git history and the day it is written on (`as_of`, which
    decides whether the year has ended): the same commit and day give the same report."""
    cache = cache if cache is not None else RecordCache(None)
    points = period_points(repo, config, year, as_of, cache)
    start, end = points.start, points.end
    changes = _changes_in(repo, year, end)
    learning = _learning(start, end, changes)
    rows = [row for source in learning for row in source.recommendations]
    before = start.graph.records if start is not None else {}
    impact = tuple(Dated(e, changes.added.get(e.id) if e.id not in before else None)
                   for e in end.graph.of_kind("evidence") if is_impact(e))
    decisions = _decisions(year, start, end, changes)
    accepted, expired = _acceptances(start, end)
    overdue_ids = {g.id for g in end.gaps if g.kind == "overdue-action"}
    return YearlyData(
        partnership=config.partnership, strategy=config.strategy, year=year, to_date=points.to_date,
        start=start, end=end, learning=learning, outcomes=_outcomes(end), impact_evidence=impact,
        stuck=tuple(r for r in rows if not r.moved_up and r.level_end != "impact"
                    and r.recommendation.get("status") not in DECIDED_STATUSES),
        overdue=tuple(action_row(end.graph, a, "overdue") for a in end.graph.of_kind("action") if a.id in overdue_ids),
        not_remeasured=tuple(g for g in end.gaps if g.kind == "remeasure-overdue"),
        unmeasured=tuple(g for g in end.gaps if g.kind == "unmeasured-outcome"),
        decisions=decisions, accepted=accepted, expired=expired,
        trend=tuple(points.trend),
        numbers=_numbers(start, end),
        done={
            "actions completed": sum(1 for a in end.graph.of_kind("action")
                                     if a.get("status") == "complete" and _status(start, a.id) != "complete"),
            "evidence items added": sum(1 for e in end.graph.of_kind("evidence") if e.id not in before),
            "impact-level evidence added": sum(1 for d in impact if d.record.id not in before),
            "recommendations added": sum(1 for r in rows if r.level_start is None),
            "recommendations moved up the ladder": sum(1 for r in rows if r.moved_up),
            "decisions recorded": len(decisions),
        },
    )
