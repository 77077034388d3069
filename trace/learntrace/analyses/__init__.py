"""Analyses over the record graph, and the one registry of them.

Every analysis is a function `(graph, context) -> list[Gap]`. The registry below gives each its
name (the gap kind), a one-line meaning, and its function; the commands (`trace gaps --kind`, the
`fail_on` setting, `--format json`) and the reports read the kinds and meanings from here. Adding an
analysis is one new module plus one line in ANALYSES.

`fail_on = "all"` (the default) fails on every kind marked `fails_by_default`; a kind marked
`fails_by_default=False` (status-unknown: a gap to work through, not a broken promise) is still found and
listed, and fails only when trace.toml's fail_on names it, for example `fail_on = ["all", "status-unknown"]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial

from learntrace.analyses import gaps
from learntrace.analyses.acceptances import apply_acceptances, find_stale_acceptances
from learntrace.analyses.closure import find_ready_to_close
from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.declined import find_declined_without_reason
from learntrace.analyses.finding import Gap
from learntrace.analyses.gaps import related_ids
from learntrace.analyses.output_only import find_output_only_evidence
from learntrace.analyses.remeasure import find_remeasure_overdue
from learntrace.analyses.repeat_learning import find_repeat_learning
from learntrace.analyses.status_unknown import find_status_unknown
from learntrace.analyses.suspect_links import find_suspect_links
from learntrace.config import CONFIG_FILE
from learntrace.errors import TraceError
from learntrace.graph import RecordGraph
from learntrace.model import natural_key

Finder = Callable[[RecordGraph, AnalysisContext], list[Gap]]


@dataclass(frozen=True)
class Analysis:
    name: str
    meaning: str
    find: Finder
    judges_findings: bool = False  # runs after the others, which it sees in context.earlier
    fails_by_default: bool = True  # counted by fail_on = "all"
    costly: bool = False  # takes longer than all the others together: worth a core of its own


ANALYSES: dict[str, Analysis] = {analysis.name: analysis for analysis in (
    Analysis("unaddressed-recommendation",
             "open recommendations (or ones whose status is unknown) that no action addresses",
             gaps.find_unaddressed_recommendations),
    Analysis("unmapped-recommendation", "recommendations cross-referenced to no aim",
             gaps.find_unmapped_recommendations),
    Analysis("orphaned-action", "actions that address no recommendation and serve no aim", gaps.find_orphaned_actions),
    Analysis("unevidenced-action", "complete actions with no evidence", gaps.find_unevidenced_actions),
    Analysis("overdue-action", "actions past their target and not complete", gaps.find_overdue_actions),
    Analysis("aim-without-actions", "active aims no action serves", gaps.find_aims_without_actions),
    Analysis("outcome-without-actions", "outcomes no action contributes to", gaps.find_outcomes_without_actions),
    Analysis("orphaned-evidence", "evidence that supports nothing", gaps.find_orphaned_evidence),
    Analysis("unmeasured-outcome", "outcomes with actions but no evidence of impact", gaps.find_unmeasured_outcomes),
    Analysis("source-without-recommendations", "sources with no recommendations recorded",
             gaps.find_sources_without_recommendations),
    Analysis("inconsistent-status", "statuses that contradict each other", gaps.find_inconsistent_statuses),
    Analysis("repeat-learning", "open recommendations repeating an earlier source's, which was marked done",
             find_repeat_learning, costly=True),  # it compares every text with every other
    Analysis("suspect-link", "actions whose recommendation changed after the action was last reviewed",
             find_suspect_links),
    Analysis("output-only-evidence", "complete actions whose evidence only counts what was done",
             find_output_only_evidence),
    Analysis("remeasure-overdue", "outcome measures past their re-measurement date with no later impact evidence",
             find_remeasure_overdue),
    Analysis("declined-without-reason", "declined recommendations whose reason says nothing",
             find_declined_without_reason),
    Analysis("status-unknown", "recommendations whose status no document gives (fails only if fail_on names it)",
             find_status_unknown, fails_by_default=False),
    Analysis("ready-to-close", "open recommendations whose actions are all complete and evidenced (fails only if "
             "fail_on names it)", find_ready_to_close, fails_by_default=False),
    Analysis("stale-acceptance", "accepted gaps that no longer exist", find_stale_acceptances, judges_findings=True),
)}


def gap_meaning(kind: str) -> str:
    analysis = ANALYSES.get(kind)
    return analysis.meaning if analysis is not None else kind


# With fewer recommendations than this the costly analyses are quick: a child would cost more than it saves.
SIDE_BY_SIDE_FROM = 1000


def find_gaps(graph: RecordGraph, context: AnalysisContext, side_by_side: bool = False) -> list[Gap]:
    """Every gap in the records as of the context's date, with the partnership's acceptances applied,
    in registry order. With `side_by_side`, on a large graph, the costly analyses run in a forked child
    while the others run here (parallel.py); the gaps are the same."""
    finders = [a for a in ANALYSES.values() if not a.judges_findings]
    costly = [a for a in finders if a.costly]
    if side_by_side and costly and len(graph.of_kind("recommendation")) >= SIDE_BY_SIDE_FROM:
        from learntrace.parallel import run_side_by_side

        rest = [a for a in finders if not a.costly]
        # The costly ones here, so that they may split their own work across the cores once the rest are done.
        found_by = run_side_by_side({"costly": partial(_found_by_kind, graph, context, costly),
                                     "rest": partial(_found_by_kind, graph, context, rest)})
        by_kind = {**found_by["rest"], **found_by["costly"]}
    else:
        by_kind = _found_by_kind(graph, context, finders)
    found = [gap for a in finders for gap in by_kind[a.name]]
    judged = replace(context, earlier=tuple(found))
    found += [gap for a in ANALYSES.values() if a.judges_findings for gap in a.find(graph, judged)]
    found = apply_acceptances(found, graph, context)
    order = {kind: index for index, kind in enumerate(ANALYSES)}
    return sorted(found, key=lambda g: (order.get(g.kind, len(order)), natural_key(g.id), g.message))


def _found_by_kind(graph: RecordGraph, context: AnalysisContext, analyses: Iterable[Analysis]) -> dict[str, list[Gap]]:
    return {a.name: a.find(graph, context) for a in analyses}


ALL_KINDS = "all"  # in a fail_on list: every kind that fails by default


def failing_kinds(fail_on: frozenset[str] | None) -> frozenset[str]:
    """The kinds that fail `trace gaps`: fail_on's list, where "all" (or no list) means every kind that fails
    by default."""
    defaults = {kind for kind, analysis in ANALYSES.items() if analysis.fails_by_default}
    if fail_on is None:
        return frozenset(defaults)
    return frozenset((fail_on - {ALL_KINDS}) | (defaults if ALL_KINDS in fail_on else set()))


def failing(found: Iterable[Gap], fail_on: frozenset[str] | None) -> list[Gap]:
    """The gaps that make `trace gaps` fail: not accepted, and of a failing kind."""
    kinds = failing_kinds(fail_on)
    return [gap for gap in found if not gap.accepted and gap.kind in kinds]


def check_fail_on(fail_on: frozenset[str] | None) -> None:
    """trace.toml's fail_on may name only kinds the registry knows (and "all")."""
    unknown = sorted(set(fail_on or ()) - set(ANALYSES) - {ALL_KINDS})
    if unknown:
        raise TraceError(
            f"{CONFIG_FILE}: 'fail_on' names unknown gap kinds: {', '.join(unknown)}; "
            f"the kinds are: {', '.join(ANALYSES)}"
        )


__all__ = ["ALL_KINDS", "ANALYSES", "Analysis", "AnalysisContext", "Finder", "Gap", "check_fail_on", "failing",
           "failing_kinds", "find_gaps", "gap_meaning", "related_ids"]
