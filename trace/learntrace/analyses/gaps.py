"""Gaps: what the records show nobody has done. Every finder has the same signature and is in GAP_FINDERS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from learntrace import dates
from learntrace.graph import ADDRESSED_BY, CONTRIBUTES_TO, EVIDENCED_BY, MAKES, SERVES, RecordGraph
from learntrace.model import CLOSED_ACTION_STATUSES, Record, natural_key


@dataclass(frozen=True)
class Gap:
    kind: str
    id: str
    path: str
    line: int
    message: str
    accepted: bool = False
    reason: str | None = None
    review_by: str | None = None
    title: str = ""
    subject: str = ""  # the other record, where one record can have several gaps of a kind

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes a gap the same gap at two points in history."""
        return (self.kind, self.id, self.subject)

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.id, "path": self.path, "line": self.line,
                "message": self.message, "accepted": self.accepted, "reason": self.reason,
                "review_by": self.review_by}


def _gap(kind: str, record: Record, message: str, *field: object) -> Gap:
    line = record.line_of(*field) if field else record.line_of("id")
    return Gap(kind, record.id, record.path, line, message, title=record.title)


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _open(action: Record) -> bool:
    return action.get("status") not in CLOSED_ACTION_STATUSES


def find_unaddressed_recommendations(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    return [
        _gap("unaddressed-recommendation", rec,
             f"no action addresses this open recommendation from {rec.get('source')}; add an action with "
             f"'addresses: [{rec.id}]', or record why the partnership will not act on it", "status")
        for rec in graph.of_kind("recommendation")
        if rec.get("status") == "open" and not graph.live_actions_addressing(rec.id)
    ]


def find_unmapped_recommendations(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    return [
        _gap("unmapped-recommendation", rec,
             "this recommendation is cross-referenced to no aim; list its aims in 'aims' (or write 'aims: all')",
             "aims")
        for rec in graph.of_kind("recommendation")
        if rec.get("aims") != "all" and not rec.links("aims")
    ]


def find_orphaned_actions(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    return [
        _gap("orphaned-action", action,
             "this action addresses no recommendation and serves no aim; link it with 'addresses' or 'aims'")
        for action in graph.of_kind("action")
        if not graph.upstream(action.id, ADDRESSED_BY) and not graph.downstream(action.id, SERVES)
    ]


def find_unevidenced_actions(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    return [
        _gap("unevidenced-action", action,
             f"this action is marked complete, but no evidence supports it; add an evidence record with "
             f"'supports: [{action.id}]' saying where the proof is kept", "status")
        for action in graph.of_kind("action")
        if action.get("status") == "complete" and not graph.evidence_for(action.id)
    ]


def find_overdue_actions(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    gaps = []
    for action in graph.of_kind("action"):
        if not _open(action):
            continue
        try:
            target = dates.parse_target(str(action.get("target", "")))
        except ValueError:
            continue
        if target.span is not None and target.span.end < as_of:
            gaps.append(_gap(
                "overdue-action", action,
                f"this action was due by {_long_date(target.span.end)} (target {target.text}) and is not "
                f"complete (status: {action.get('status')}); update its status, or agree a new target",
                "target",
            ))
    return gaps


def find_aims_without_actions(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    return [
        _gap("aim-without-actions", aim,
             "no action serves this active aim, directly or through a recommendation cross-referenced to it")
        for aim in graph.of_kind("aim")
        if aim.get("status") == "active"
        and not [a for a in graph.actions_serving(aim.id) if a.get("status") != "dropped"]
    ]


def find_outcomes_without_actions(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    return [
        _gap("outcome-without-actions", outcome,
             f"no action contributes to this outcome; list it in an action's 'outcomes: [{outcome.id}]'")
        for outcome in graph.of_kind("outcome")
        if not [a for a in graph.upstream(outcome.id, CONTRIBUTES_TO) if a.get("status") != "dropped"]
    ]


def find_orphaned_evidence(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    return [
        _gap("orphaned-evidence", evidence,
             "this evidence supports no action and no outcome; list what it shows in 'supports'", "supports")
        for evidence in graph.of_kind("evidence")
        if not graph.upstream(evidence.id, EVIDENCED_BY)
    ]


def find_unmeasured_outcomes(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    gaps = []
    for outcome in graph.of_kind("outcome"):
        contributors = graph.upstream(outcome.id, CONTRIBUTES_TO)
        if contributors and not graph.evidence_for(outcome.id):
            gaps.append(_gap(
                "unmeasured-outcome", outcome,
                f"{len(contributors)} action(s) contribute to this outcome, but no evidence of impact supports "
                f"it: delivery is not impact; add evidence with 'supports: [{outcome.id}]' showing what changed",
            ))
    return gaps


def find_sources_without_recommendations(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    return [
        _gap("source-without-recommendations", source,
             f"no recommendations are recorded for this source; add them with 'source: {source.id}'")
        for source in graph.of_kind("source")
        if not graph.downstream(source.id, MAKES)
    ]


def find_inconsistent_statuses(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
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


GapFinder = Callable[[RecordGraph, dt.date], list[Gap]]

GAP_FINDERS: dict[str, GapFinder] = {
    "unaddressed-recommendation": find_unaddressed_recommendations,
    "unmapped-recommendation": find_unmapped_recommendations,
    "orphaned-action": find_orphaned_actions,
    "unevidenced-action": find_unevidenced_actions,
    "overdue-action": find_overdue_actions,
    "aim-without-actions": find_aims_without_actions,
    "outcome-without-actions": find_outcomes_without_actions,
    "orphaned-evidence": find_orphaned_evidence,
    "unmeasured-outcome": find_unmeasured_outcomes,
    "source-without-recommendations": find_sources_without_recommendations,
    "inconsistent-status": find_inconsistent_statuses,
}

GAP_MEANINGS: dict[str, str] = {
    "unaddressed-recommendation": "open recommendations that no action addresses",
    "unmapped-recommendation": "recommendations cross-referenced to no aim",
    "orphaned-action": "actions that address no recommendation and serve no aim",
    "unevidenced-action": "complete actions with no evidence",
    "overdue-action": "actions past their target and not complete",
    "aim-without-actions": "active aims no action serves",
    "outcome-without-actions": "outcomes no action contributes to",
    "orphaned-evidence": "evidence that supports nothing",
    "unmeasured-outcome": "outcomes with actions but no evidence of impact",
    "source-without-recommendations": "sources with no recommendations recorded",
    "inconsistent-status": "statuses that contradict each other",
    "suspect-link": "actions whose recommendation changed after the action was last reviewed",
    "stale-acceptance": "accepted gaps that no longer exist",
}


def _apply_acceptances(gaps: list[Gap], graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    """Mark gaps the partnership has accepted; report acceptances that expired or match no gap."""
    result = []
    used: set[tuple[str, int]] = set()
    for gap in gaps:
        record = graph.records[gap.id]
        for index, acceptance in enumerate(record.get("accepted_gaps") or []):
            if not isinstance(acceptance, dict) or acceptance.get("kind") != gap.kind:
                continue
            used.add((record.id, index))
            review_by = str(acceptance.get("review_by", ""))
            reason = str(acceptance.get("reason", ""))
            try:
                expired = dates.parse_day(review_by) < as_of
            except ValueError:
                expired = True
            if expired:
                gap = replace(gap, message=(
                    f"{gap.message} (this gap was accepted until {review_by} because: {reason}; that acceptance "
                    "has expired, so review the decision and renew or remove it)"
                ), reason=reason, review_by=review_by)
            else:
                gap = replace(gap, accepted=True, reason=reason, review_by=review_by)
            break
        result.append(gap)
    for record in graph.records.values():
        for index, acceptance in enumerate(record.get("accepted_gaps") or []):
            if (record.id, index) in used or not isinstance(acceptance, dict):
                continue
            result.append(Gap(
                "stale-acceptance", record.id, record.path, record.line_of("accepted_gaps", index),
                f"this record accepts a '{acceptance.get('kind')}' gap, but it has no such gap any more; "
                "remove the acceptance", title=record.title,
            ))
    return result


def find_gaps(graph: RecordGraph, as_of: dt.date, extra: Iterable[Gap] = ()) -> list[Gap]:
    """Every gap in the records as of a date, with the partnership's acceptances applied."""
    gaps = [gap for finder in GAP_FINDERS.values() for gap in finder(graph, as_of)]
    gaps.extend(extra)
    gaps = _apply_acceptances(gaps, graph, as_of)
    order = {kind: index for index, kind in enumerate(GAP_MEANINGS)}
    return sorted(gaps, key=lambda g: (order.get(g.kind, 99), natural_key(g.id), g.message))


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


def failing(gaps: Iterable[Gap], fail_on: frozenset[str]) -> list[Gap]:
    return [gap for gap in gaps if not gap.accepted and gap.kind in fail_on]


def sort_ids(ids: Iterable[str]) -> list[str]:
    return sorted(ids, key=natural_key)
