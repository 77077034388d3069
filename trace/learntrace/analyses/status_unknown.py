"""Status unknown: recommendations whose status no document gives. Not failing by default (see the registry):
transcribed records start this way, and the fix is to find out, not to guess."""

from __future__ import annotations

from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.finding import Gap
from learntrace.graph import RecordGraph


def find_status_unknown(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    return [
        Gap("status-unknown", rec.id, rec.path, rec.line_of("status"),
            "no document says whether this recommendation is open, complete, declined or superseded "
            "(status: unknown); ask its owner or the partnership's minutes, then record the status with its "
            "provenance",
            title=rec.title)
        for rec in graph.of_kind("recommendation")
        if rec.get("status") == "unknown"
    ]
