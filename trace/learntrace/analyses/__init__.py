"""Analyses over the record graph, and the one registry of them.

Every analysis is a function `(graph, context) -> list[Gap]`. The registry below gives each its
name (the gap kind), a one-line meaning, and its function; the commands (`trace gaps --kind`, the
`fail_on` setting, `--format json`) and the reports read the kinds and meanings from here. Adding an
analysis is one new module plus one line in ANALYSES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from learntrace.analyses import gaps
from learntrace.analyses.acceptances import apply_acceptances, find_stale_acceptances
from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.finding import Gap
from learntrace.analyses.gaps import failing, related_ids
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
    Analysis("suspect-link", "actions whose recommendation changed after the action was last reviewed",
             find_suspect_links),
    Analysis("stale-acceptance", "accepted gaps that no longer exist", find_stale_acceptances, judges_findings=True),
)}


def gap_meaning(kind: str) -> str:
    analysis = ANALYSES.get(kind)
    return analysis.meaning if analysis is not None else kind


def find_gaps(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    """Every gap in the records as of the context's date, with the partnership's acceptances applied,
    in registry order."""
    found = [gap for a in ANALYSES.values() if not a.judges_findings for gap in a.find(graph, context)]
    judged = replace(context, earlier=tuple(found))
    found += [gap for a in ANALYSES.values() if a.judges_findings for gap in a.find(graph, judged)]
    found = apply_acceptances(found, graph, context)
    order = {kind: index for index, kind in enumerate(ANALYSES)}
    return sorted(found, key=lambda g: (order.get(g.kind, len(order)), natural_key(g.id), g.message))


def check_fail_on(fail_on: frozenset[str] | None) -> None:
    """trace.toml's fail_on may name only kinds the registry knows."""
    unknown = sorted(set(fail_on or ()) - set(ANALYSES))
    if unknown:
        raise TraceError(
            f"{CONFIG_FILE}: 'fail_on' names unknown gap kinds: {', '.join(unknown)}; "
            f"the kinds are: {', '.join(ANALYSES)}"
        )


__all__ = ["ANALYSES", "Analysis", "AnalysisContext", "Finder", "Gap", "check_fail_on", "failing", "find_gaps",
           "gap_meaning", "related_ids"]
