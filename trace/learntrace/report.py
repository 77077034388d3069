"""The quarterly report's numbers: plain data built from the records at the period's start and end."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from learntrace import dates
from learntrace.analyses import ANALYSES, AnalysisContext, Gap, find_gaps
from learntrace.analyses.coverage import LEVELS, Coverage, find_coverage
from learntrace.analyses.matrix import SourceMatrix, find_source_matrix
from learntrace.cache import RecordCache
from learntrace.changes import RecordChange, diff_records
from learntrace.config import Config
from learntrace.errors import TraceError
from learntrace.gitio import Commit, GitRepo
from learntrace.graph import ADDRESSED_BY, RecordGraph
from learntrace.model import CLOSED_ACTION_STATUSES, Record, is_judgement_link
from learntrace.parallel import run_side_by_side
from learntrace.periods import Period, previous_quarter, quarter_containing
from learntrace.schema import field_schemas
from learntrace.snapshot import parse_ahead, read_history
from learntrace.touches import history_index


def _enum(kind: str, field: str) -> tuple[str, ...]:
    return tuple(str(value) for value in field_schemas(kind)[field]["enum"])


@dataclass(frozen=True)
class ReportPoint:
    """The records as they were at one commit, judged as of one day."""

    commit: Commit
    as_of: dt.date
    graph: RecordGraph
    coverage: Coverage
    gaps: list[Gap]

    def level_counts(self) -> dict[str, int]:
        return level_counts(self.coverage)


def level_counts(coverage: Coverage) -> dict[str, int]:
    """How many recommendations are at each coverage level."""
    counts = Counter(row.level for row in coverage.recommendations)
    return {level: counts.get(level, 0) for level in LEVELS}


@dataclass(frozen=True)
class ActionRow:
    action: Record
    owner: str
    target: str
    due: dt.date | None
    status: str
    rag: str
    why: str = ""
    evidence: tuple[Record, ...] = ()
    judgement: bool = False  # its link to the recommendation it is listed under is a judgement, not documented


@dataclass(frozen=True)
class RecommendationRow:
    recommendation: Record
    source: Record | None
    aims: tuple[str, ...]
    level: str
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    levels: dict[str, int] | None  # None: no records yet at that quarter's end
    to_date: bool = False


@dataclass(frozen=True)
class Changes:
    new_sources: list[RecordChange]
    new_recommendations: list[RecordChange]
    new_actions: list[RecordChange]
    actions_completed: list[RecordChange]
    actions_dropped: list[RecordChange]
    actions_started: list[RecordChange]
    new_evidence: list[RecordChange]
    status_changes: list[RecordChange]
    all: list[RecordChange]
    gaps_opened: list[Gap]
    gaps_closed: list[Gap]


@dataclass(frozen=True)
class ReportData:
    partnership: str
    strategy: str
    period: Period
    to_date: bool
    start: ReportPoint | None
    end: ReportPoint
    changes: Changes
    overdue: list[ActionRow]
    at_risk: list[ActionRow]
    trend: list[TrendPoint]
    appendix: list[RecommendationRow]
    next_quarter: Period
    matrix: SourceMatrix
    action_status_counts: dict[str, int] = field(default_factory=dict)
    rag_counts: dict[str, int] = field(default_factory=dict)
    gap_counts: dict[str, int] = field(default_factory=dict)
    declined: list[Record] = field(default_factory=list)  # recommendations the partnership decided not to act on


def records_commits(repo: GitRepo) -> list[Commit]:
    """Commits that changed records, newest first: a report depends on these alone, so commits that
    change only code or reports do not change it."""
    commits = [commit for commit, _ in repo.record_history()]
    if not commits:
        raise TraceError("no commit holds any records yet, so there is nothing to report; commit the records first")
    repo.refuse_cut_short(commits)
    return commits


def records_begin(repo: GitRepo) -> dt.date | None:
    """The day of the first commit that holds records, or None when none does yet."""
    commits = [commit for commit, _ in repo.record_history()]
    return commits[-1].date.date() if commits else None


def commit_at_or_before(commits: list[Commit], day: dt.date) -> Commit | None:
    return next((commit for commit in commits if commit.date.date() <= day), None)


def read_ahead(repo: GitRepo, period: Period, as_of: dt.date, cache: RecordCache) -> None:
    """While git reads the history a report needs before anything else (begun by read_history_soon):
    parse into the cache the records of the commit the report most likely ends at, the last one on or
    before the period's end (or `as_of`). The report then finds them parsed, by blob id; a wrong guess
    costs only the time the history took to read, and gives the same report."""
    try:
        likely = repo.resolve(min(period.end, as_of).isoformat())
    except TraceError:
        return  # no commit by then: the report says so when it looks
    parse_ahead(repo.record_files_at(likely.sha, cache), cache)


def _graph_at(repo: GitRepo, commit: Commit, cache: RecordCache) -> RecordGraph:
    """The records of a past commit as they could be read (the snapshot rule for history)."""
    return read_history(repo.record_files_at(commit.sha, cache), cache)[1]


@dataclass(frozen=True)
class _Reading:
    """A point's records, and what judging its gaps needs."""

    commit: Commit
    as_of: dt.date
    graph: RecordGraph
    context: AnalysisContext


def _reading(repo: GitRepo, commit: Commit, as_of: dt.date, config: Config, cache: RecordCache) -> _Reading:
    graph = _graph_at(repo, commit, cache)
    history = history_index(repo, commit, list(graph.records.values()), cache)
    return _Reading(commit, as_of, graph, AnalysisContext(as_of=as_of, config=config, history=history))


def _judged(readings: dict[str, _Reading], trend: Callable[[dict[str, dict[str, int]]], list[TrendPoint]]
            ) -> tuple[dict[str, ReportPoint], list[TrendPoint]]:
    """The points with their gaps, and the trend, each found side by side with the others (in forked
    children, parallel.py): finding gaps reads nothing but the point's records and history, and the trend
    reads only more of the history. (What a child parses is not kept in the parent's cache: the trend's
    commits share most of their files with the period's end, which is.)"""
    coverage = {name: find_coverage(reading.graph) for name, reading in readings.items()}
    known = {reading.commit.sha: level_counts(coverage[name]) for name, reading in readings.items()}
    jobs: dict[str, Callable[[], Any]] = {name: partial(find_gaps, reading.graph, reading.context)
                                          for name, reading in readings.items()}
    jobs["trend"] = partial(trend, known)
    found = run_side_by_side(jobs)
    return {name: ReportPoint(reading.commit, reading.as_of, reading.graph, coverage[name], found[name])
            for name, reading in readings.items()}, found["trend"]


def _levels_at(repo: GitRepo, commit: Commit, cache: RecordCache) -> dict[str, int]:
    """Coverage levels alone (the trend needs no gaps)."""
    return level_counts(find_coverage(_graph_at(repo, commit, cache)))


def action_row(graph: RecordGraph, action: Record, why: str = "") -> ActionRow:
    target = str(action.get("target", "not-set"))
    try:
        span = dates.parse_target(target).span
    except ValueError:
        span = None
    return ActionRow(
        action=action, owner=str(action.get("owner", "")), target=target, due=span.end if span else None,
        status=str(action.get("status", "")), rag=str(action.get("rag") or "not rated"), why=why,
        evidence=tuple(graph.evidence_for(action.id)),
    )


def _changes(start: ReportPoint | None, end: ReportPoint) -> Changes:
    before = list(start.graph.records.values()) if start else []
    changes = diff_records(before, end.graph.records.values())

    def became(change: RecordChange, status: str) -> bool:
        if change.kind != "action":
            return False
        if change.change == "added":
            return bool(end.graph.records[change.id].get("status") == status)
        moved = change.field("status")
        return moved is not None and moved.new == status

    start_keys = {g.key for g in start.gaps} if start else set()
    end_keys = {g.key for g in end.gaps}
    return Changes(
        new_sources=[c for c in changes if c.kind == "source" and c.change == "added"],
        new_recommendations=[c for c in changes if c.kind == "recommendation" and c.change == "added"],
        new_actions=[c for c in changes if c.kind == "action" and c.change == "added"],
        actions_completed=[c for c in changes if became(c, "complete")],
        actions_dropped=[c for c in changes if became(c, "dropped")],
        actions_started=[c for c in changes if became(c, "in-progress")],
        new_evidence=[c for c in changes if c.kind == "evidence" and c.change == "added"],
        status_changes=[c for c in changes if c.field("status") or c.field("rag")],
        all=changes,
        gaps_opened=[g for g in end.gaps if g.key not in start_keys],
        gaps_closed=[g for g in (start.gaps if start else []) if g.key not in end_keys],
    )


def _action_lists(end: ReportPoint, next_quarter: Period) -> tuple[list[ActionRow], list[ActionRow]]:
    """The open actions that are overdue, and those at risk (rated red or amber, or due next quarter)."""
    overdue_ids = {g.id for g in end.gaps if g.kind == "overdue-action"}
    graph = end.graph
    open_actions = [a for a in graph.of_kind("action") if a.get("status") not in CLOSED_ACTION_STATUSES]
    overdue = [action_row(graph, a, "overdue") for a in open_actions if a.id in overdue_ids]
    at_risk = []
    for action in open_actions:
        if action.id in overdue_ids:
            continue
        row = action_row(graph, action)
        reasons = []
        if row.rag in ("red", "amber"):
            reasons.append(f"rated {row.rag}")
        if row.due is not None and next_quarter.start <= row.due <= next_quarter.end:
            reasons.append(f"due in {next_quarter.name}")
        if reasons:
            at_risk.append(replace(row, why=" and ".join(reasons)))
    return overdue, at_risk


def quarter_trend(repo: GitRepo, commits: list[Commit], period: Period, as_of: dt.date, month: int,
                  cache: RecordCache, known: dict[str, dict[str, int]]) -> list[TrendPoint]:
    """Coverage levels at the end of the period's quarter and the three before it, up to `as_of`. A quarter
    that ends at a commit whose levels are `known` (by commit id: the period's end, and its start, the day
    before the period) takes them from there, so those records are not read again."""
    first_day, head_day = commits[-1].date.date(), commits[0].date.date()
    quarters = [quarter_containing(period.end, month)]
    for _ in range(3):
        quarters.insert(0, previous_quarter(quarters[0], month))
    trend = []
    for quarter in quarters:
        commit = commit_at_or_before(commits, min(quarter.end, as_of))
        if quarter.end < first_day or commit is None:
            trend.append(TrendPoint(quarter, None))
            continue
        levels = known[commit.sha] if commit.sha in known else _levels_at(repo, commit, cache)
        trend.append(TrendPoint(quarter, levels, quarter.end >= head_day))
    return trend


def _appendix(end: ReportPoint) -> list[RecommendationRow]:
    graph = end.graph
    rows = []
    for covered in end.coverage.recommendations:
        rec = covered.recommendation
        actions = tuple(replace(action_row(graph, a), judgement=is_judgement_link(rec, a))
                        for a in graph.downstream(rec.id, ADDRESSED_BY))
        rows.append(RecommendationRow(rec, graph.source_of(rec), covered.aims, covered.level, actions))
    return rows


@dataclass(frozen=True)
class PeriodPoints:
    """The commits that changed records (newest first), and the report points at a period's start and end."""

    commits: list[Commit]
    to_date: bool  # the period had not ended on the day the report is as of
    start: ReportPoint | None  # None: no records before the period
    end: ReportPoint
    trend: list[TrendPoint]  # the quarter the period ends in and the three before it


def period_points(repo: GitRepo, config: Config, period: Period, as_of: dt.date, cache: RecordCache) -> PeriodPoints:
    """The records the day before a period began, and at its end; for a period not ended by `as_of`, the last
    commit on or before that day, judged as of that commit's date."""
    commits = records_commits(repo)
    first = commits[-1]
    if period.end < first.date.date():
        raise TraceError(
            f"{period.title} ends before the records begin: the first commit holding records is dated "
            f"{first.date.date().isoformat()}; choose a period that ends on or after that day"
        )
    to_date = period.end >= as_of
    end_commit = commit_at_or_before(commits, as_of if to_date else period.end)
    if end_commit is None:
        raise TraceError(f"no records were committed by {as_of.isoformat()}, the day the report is as of; "
                         f"the first commit holding records is dated {first.date.date().isoformat()}")
    end_day = end_commit.date.date() if to_date else period.end
    readings = {"end": _reading(repo, end_commit, end_day, config, cache)}
    before = period.start - dt.timedelta(days=1)
    start_commit = commit_at_or_before(commits, before)
    if start_commit is not None:
        readings["start"] = _reading(repo, start_commit, before, config, cache)
    points, trend = _judged(readings, partial(quarter_trend, repo, commits, period, end_day,
                                                    config.year_start_month, cache))
    return PeriodPoints(commits, to_date, points.get("start"), points["end"], trend)


def build_report(repo: GitRepo, config: Config, period: Period, as_of: dt.date,
                 cache: RecordCache | None = None) -> ReportData:
    """Everything the report shows, from git history and the day it is written on (`as_of`, which decides
    whether the period has ended): the same commit and day give the same report. A report to date shows
    the last commit on or before that day, judged as of that commit's date."""
    cache = cache if cache is not None else RecordCache(None)  # snapshots share most files: parse each once
    points = period_points(repo, config, period, as_of, cache)
    start, end, to_date = points.start, points.end, points.to_date
    month = config.year_start_month
    next_quarter = quarter_containing(period.end + dt.timedelta(days=1), month)
    overdue, at_risk = _action_lists(end, next_quarter)
    graph = end.graph
    statuses = Counter(str(a.get("status")) for a in graph.of_kind("action"))
    rags = Counter(str(a.get("rag") or "not rated") for a in graph.of_kind("action"))
    gap_counts = Counter(g.kind for g in end.gaps)
    return ReportData(
        partnership=config.partnership, strategy=config.strategy, period=period, to_date=to_date,
        start=start, end=end, changes=_changes(start, end), overdue=overdue, at_risk=at_risk,
        trend=points.trend, appendix=_appendix(end),
        next_quarter=next_quarter, matrix=find_source_matrix(graph),
        action_status_counts={s: statuses.get(s, 0) for s in _enum("action", "status")},
        rag_counts={r: rags.get(r, 0) for r in (*_enum("action", "rag"), "not rated")},
        gap_counts={k: gap_counts[k] for k in ANALYSES if gap_counts.get(k)},
        declined=[r for r in graph.of_kind("recommendation") if r.get("status") == "declined"],
    )
