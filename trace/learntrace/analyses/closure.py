"""Recommendations that look done: every action answering them is complete and evidenced, yet they are open."""

from __future__ import annotations

from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.coverage import coverage_level
from learntrace.analyses.finding import Gap
from learntrace.graph import RecordGraph

# Statuses that still wait for the partnership's decision (complete, superseded and declined are decisions).
_UNDECIDED = frozenset({"open", "unknown"})
# Every action complete, each with evidence (and, at the top of the ladder, evidence of impact too).
_DONE = frozenset({"evidenced", "impact"})


def find_ready_to_close(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    gaps = []
    for rec in graph.of_kind("recommendation"):
        if rec.get("status") not in _UNDECIDED or coverage_level(graph, rec) not in _DONE:
            continue
        actions = ", ".join(action.id for action in graph.live_actions_addressing(rec.id))
        gaps.append(Gap(
            "ready-to-close", rec.id, rec.path, rec.line_of("status"),
            f"every action addressing this recommendation ({actions}) is complete and has evidence, but its status "
            f"is still {rec.get('status')}; if the partnership agrees it has been met, close it with: "
            f"trace set {rec.id} status complete",
            title=rec.title,
        ))
    return gaps
