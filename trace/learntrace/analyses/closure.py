"""Recommendations that look done: every action answering them is complete and evidenced, yet they are open."""

from __future__ import annotations

import datetime as dt

from learntrace.analyses.coverage import coverage_level
from learntrace.analyses.gaps import Gap, _gap
from learntrace.graph import RecordGraph

READY_TO_CLOSE = "ready-to-close"
READY_TO_CLOSE_MEANING = "open recommendations whose actions are all complete and evidenced"
# A recommendation with one of these statuses has been decided on; anything else still waits for a decision.
_DECIDED = frozenset({"complete", "superseded"})


def find_ready_to_close(graph: RecordGraph, as_of: dt.date) -> list[Gap]:
    gaps = []
    for rec in graph.of_kind("recommendation"):
        if rec.get("status") in _DECIDED or coverage_level(graph, rec) != "evidenced":
            continue
        actions = ", ".join(action.id for action in graph.live_actions_addressing(rec.id))
        gaps.append(_gap(
            READY_TO_CLOSE, rec,
            f"every action addressing this recommendation ({actions}) is complete and has evidence, but its status "
            f"is still {rec.get('status') or 'not set'}; if the partnership agrees it has been met, close it with: "
            f"trace set {rec.id} status complete",
            "status",
        ))
    return gaps
