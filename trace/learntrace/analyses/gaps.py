"""Gaps: what the records show nobody has done. Every finder takes (graph, context); the registry in
analyses/__init__.py lists them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from learntrace import dates
from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.finding import Gap as Gap  # where the analyses before the registry found it
from learntrace.graph import ADDRESSED_BY, CONTRIBUTES_TO, EVIDENCED_BY, MAKES, SERVES, RecordGraph
from learntrace.model import CLOSED_ACTION_STATUSES, UNSETTLED_RECOMMENDATION_STATUSES, Record


def _gap(kind: str, record: Record, message: str, *field: object) -> Gap:
    line = record.line_of(*field) if field else record.line_of("id")
    return Gap(kind, record.id, record.path, line, message, title=record.title)


def _names(records: list[Record], shown: int = 3) -> str:
    """'ACT-1', 'ACT-1 and ACT-2', 'ACT-1, ACT-2, ACT-3 and 4 more'."""
    ids = [record.id for record in records]
    if len(ids) > shown + 1:
        return f"{', '.join(ids[:shown])} and {len(ids) - shown} more"
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} and {ids[-1]}"


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _open(action: Record) -> bool:
    return action.get("status") not in CLOSED_ACTION_STATUSES


def _unaddressed_message(rec: Record) -> str:
    fix = f"add an action with 'addresses: [{rec.id}]', or record why the partnership will not act on it"
    if rec.get("status") == "unknown":
        # Nobody has said it is closed and nobody acts on it: still a gap.
        return (f"no action addresses this recommendation from {rec.get('source')}, and no document says it is "
                f"complete, declined or superseded (status: unknown); {fix}")
    return f"no action addresses this open recommendation from {rec.get('source')}; {fix}"


def find_unaddressed_recommendations(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    return [
        _gap("unaddressed-recommendation", rec, _unaddressed_message(rec), "status")
        for rec in graph.of_kind("recommendation")
        if rec.get("status") in UNSETTLED_RECOMMENDATION_STATUSES and not graph.live_actions_addressing(rec.id)
    ]


def find_unmapped_recommendations(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    return [
        _gap("unmapped-recommendation", rec,
             "this recommendation is cross-referenced to no aim; list its aims in 'aims' (or write 'aims: all')",
             "aims")
        for rec in graph.of_kind("recommendation")
        if rec.get("aims") != "all" and not rec.links("aims")
    ]


def find_orphaned_actions(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    return [
        _gap("orphaned-action", action,
             "this action addresses no recommendation and serves no aim; link it with 'addresses' or 'aims'")
        for action in graph.of_kind("action")
        if not graph.upstream(action.id, ADDRESSED_BY) and not graph.downstream(action.id, SERVES)
    ]


def find_unevidenced_actions(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    return [
        _gap("unevidenced-action", action,
             f"this action is marked complete, but no evidence supports it; add an evidence record with "
             f"'supports: [{action.id}]' saying where the proof is kept", "status")
        for action in graph.of_kind("action")
        if action.get("status") == "complete" and not graph.evidence_for(action.id)
    ]


def find_overdue_actions(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    gaps = []
    for action in graph.of_kind("action"):
        if not _open(action):
            continue
        try:
            target = dates.parse_target(str(action.get("target", "")))
        except ValueError:
            continue
        if target.span is not None and target.span.end < context.as_of:
            gaps.append(_gap(
                "overdue-action", action,
                f"this action was due by {_long_date(target.span.end)} (target {target.text}) and is not "
                f"complete (status: {action.get('status')}); update its status, or agree a new target",
                "target",
            ))
    return gaps


def find_aims_without_actions(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    return [
        _gap("aim-without-actions", aim,
             "no action serves this active aim, directly or through a recommendation cross-referenced to it")
        for aim in graph.of_kind("aim")
        if aim.get("status") == "active"
        and not [a for a in graph.actions_serving(aim.id) if a.get("status") != "dropped"]
    ]


def find_outcomes_without_actions(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    return [
        _gap("outcome-without-actions", outcome,
             f"no action contributes to this outcome; list it in an action's 'outcomes: [{outcome.id}]'")
        for outcome in graph.of_kind("outcome")
        if not [a for a in graph.upstream(outcome.id, CONTRIBUTES_TO) if a.get("status") != "dropped"]
    ]


def find_orphaned_evidence(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    return [
        _gap("orphaned-evidence", evidence,
             "this evidence supports no action and no outcome; list what it shows in 'supports'", "supports")
        for evidence in graph.of_kind("evidence")
        if not graph.upstream(evidence.id, EVIDENCED_BY)
    ]


def find_unmeasured_outcomes(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    gaps = []
    for outcome in graph.of_kind("outcome"):
        contributors = graph.upstream(outcome.id, CONTRIBUTES_TO)
        if contributors and not graph.evidence_for(outcome.id):
            gaps.append(_gap(
                "unmeasured-outcome", outcome,
                f"{_names(contributors)} {'contributes' if len(contributors) == 1 else 'contribute'} to this "
                f"outcome, but no evidence of impact supports it: delivery is not impact; add evidence with "
                f"'supports: [{outcome.id}]' showing what changed",
            ))
    return gaps


def find_sources_without_recommendations(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    return [
        _gap("source-without-recommendations", source,
             f"no recommendations are recorded for this source; add them with 'source: {source.id}'")
        for source in graph.of_kind("source")
        if not graph.downstream(source.id, MAKES)
    ]


def find_inconsistent_statuses(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    gaps = []
    for rec in graph.of_kind("recommendation"):
        if rec.get("status") != "complete":
            continue
        for action in graph.downstream(rec.id, ADDRESSED_BY):
            if _open(action):
                gaps.append(replace(_gap(
                    "inconsistent-status", rec,
                    f"this recommendation is marked complete, but {action.id}, which addresses it, is "
                    f"{action.get('status')}", "status",
                ), subject=action.id))
    for aim in graph.of_kind("aim"):
        if aim.get("status") != "retired":
            continue
        for action in graph.upstream(aim.id, SERVES):
            if _open(action):
                gaps.append(replace(_gap(
                    "inconsistent-status", aim,
                    f"this aim is retired, but {action.id}, which serves it, is {action.get('status')}", "status",
                ), subject=action.id))
    return gaps


def related_ids(graph: RecordGraph, source: str | None = None, aim: str | None = None,
                owner: str | None = None) -> set[str] | None:
    """The ids a filter keeps: a source's recommendations, their actions and evidence; an aim's
    recommendations and the actions serving it; an owner's actions. None means no filter."""
    if source is None and aim is None and owner is None:
        return None
    keep: set[str] | None = None

    def narrow(ids: set[str]) -> None:
        nonlocal keep
        keep = ids if keep is None else keep & ids

    def with_evidence(action_ids: Iterable[str]) -> set[str]:
        ids = set(action_ids)
        for action_id in list(ids):
            ids |= {e.id for e in graph.evidence_for(action_id)}
        return ids

    if source is not None:
        ids = {source}
        for rec in graph.downstream(source, MAKES) if source in graph.records else []:
            ids.add(rec.id)
            ids |= with_evidence(a.id for a in graph.downstream(rec.id, ADDRESSED_BY))
        narrow(ids)
    if aim is not None:
        ids = {aim}
        if aim in graph.records:
            ids |= {r.id for r in graph.upstream(aim, "cross-references")}
            ids |= with_evidence(a.id for a in graph.actions_serving(aim))
        narrow(ids)
    if owner is not None:
        wanted = owner.casefold()
        narrow(with_evidence(
            a.id for a in graph.of_kind("action") if str(a.get("owner", "")).casefold() == wanted
        ))
    return keep or set()
