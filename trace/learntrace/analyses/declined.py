"""Declined without a reason: the partnership decided not to act, and the reason it wrote says nothing."""

from __future__ import annotations

import re

from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.finding import Gap
from learntrace.graph import RecordGraph

# Words that fill a box without giving a reason, compared after lower-casing and dropping punctuation.
EMPTY_REASONS = frozenset({
    "", "na", "n a", "not applicable", "none", "nil", "no", "no reason", "no reason given", "unknown", "not known",
    "tbc", "tba", "tbd", "to be confirmed", "to follow", "see notes", "see note", "see above", "see below",
    "see minutes", "as above", "as discussed", "discussed", "agreed", "declined", "not agreed", "other", "various",
    "x", "xx", "xxx", "todo", "to do", "reason", "test",
})
_NOT_LETTERS = re.compile(r"[^\w]+|_")


def is_empty_reason(reason: object) -> bool:
    """Whether a reason is missing or only filler: 'n/a', '-', 'TBC', 'see notes', '???' and the like."""
    if not isinstance(reason, str):
        return True
    words = " ".join(_NOT_LETTERS.sub(" ", reason.casefold()).split())
    return words in EMPTY_REASONS or not any(ch.isalpha() for ch in words)


def find_declined_without_reason(graph: RecordGraph, context: AnalysisContext) -> list[Gap]:
    return [
        Gap("declined-without-reason", rec.id, rec.path, rec.line_of("reason") if "reason" in rec.data
            else rec.line_of("status"),
            f"the partnership declined this recommendation, but its reason ({rec.get('reason')!r}) says nothing; "
            "guidance says a decision not to act is recorded with its reasons: write in 'reason' why the "
            "partnership decided not to act, as the minutes of the decision give it",
            title=rec.title)
        for rec in graph.of_kind("recommendation")
        if rec.get("status") == "declined" and is_empty_reason(rec.get("reason"))
    ]
