"""Output-only evidence: a complete action whose every evidence item only counts what was done."""

from __future__ import annotations

from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.finding import Gap
from learntrace.analyses.impact import level_of
from learntrace.graph import RecordGraph


def find_output_only_evidence(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    """Only items that say `level: output` count as output: an item of unknown level might show more."""
    gaps = []
    for action in graph.of_kind("action"):
        evidence = graph.evidence_for(action.id)
        if action.get("status") != "complete" or not evidence:
            continue
        if all(level_of(item) == "output" for item in evidence):
            ids = ", ".join(item.id for item in evidence)
            gaps.append(Gap(
                "output-only-evidence", action.id, action.path, action.line_of("status"),
                f"this action is complete, but its evidence ({ids}) only shows how much was done, and delivery is "
                "not impact; add evidence of how well it was done (level: quality) or of what changed for babies "
                "and families (level: impact), to this action or to an outcome it contributes to",
                title=action.title,
            ))
    return gaps
