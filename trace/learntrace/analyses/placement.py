"""Where a pull request's new gap is shown: on a file the pull request changed, naming the records involved.

A gap belongs to one record (an outcome with no evidence of impact), but is often opened by a change to
another (an action that now contributes to it). The reviewer and the author look at the files the pull
request changed, so a new gap on a record it did not touch is shown on the changed record that links to
it, with a sentence naming both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from learntrace.analyses.finding import Gap
from learntrace.graph import (
    ADDRESSED_BY,
    CONTRIBUTES_TO,
    CROSS_REFERENCES,
    EVIDENCED_BY,
    MAKES,
    SERVES,
    RecordGraph,
)
from learntrace.model import LINK_FIELDS, Record

# For each relation: whether the downstream record holds the link field, and the verb from the holder.
_HOLDER_IS_DOWNSTREAM = {MAKES: True, CROSS_REFERENCES: False, ADDRESSED_BY: True, SERVES: False,
                         CONTRIBUTES_TO: False, EVIDENCED_BY: True}
_VERBS = {MAKES: ("comes from", "no longer comes from"),
          CROSS_REFERENCES: ("is cross-referenced to", "is no longer cross-referenced to"),
          ADDRESSED_BY: ("addresses", "no longer addresses"), SERVES: ("serves", "no longer serves"),
          CONTRIBUTES_TO: ("now contributes to", "no longer contributes to"),
          EVIDENCED_BY: ("supports", "no longer supports")}


def _relations(graph: RecordGraph, record_id: str) -> dict[str, tuple[str, bool]]:
    """The records linked to record_id (either way), each with the relation and whether it is upstream."""
    found: dict[str, tuple[str, bool]] = {}
    for upstream, downstream, relation in graph.edges:
        if upstream == record_id:
            found.setdefault(downstream, (relation, False))
        elif downstream == record_id:
            found.setdefault(upstream, (relation, True))
    return found


def _link_sentence(gap_id: str, other: str, relation: str, other_is_upstream: bool, now: bool) -> str:
    """'ACT-3 now contributes to OUT-4', 'EV-2 no longer supports ACT-3', from the link field's holder."""
    upstream, downstream = (other, gap_id) if other_is_upstream else (gap_id, other)
    holder, target = (downstream, upstream) if _HOLDER_IS_DOWNSTREAM[relation] else (upstream, downstream)
    return f"{holder} {_VERBS[relation][0 if now else 1]} {target}"


def _sentence(gap: Gap, other: Record, link_to: tuple[str, bool], graph: RecordGraph, now: bool) -> str:
    link = _link_sentence(gap.id, other.id, *link_to, now)
    if gap.kind == "unmeasured-outcome" and now:
        return (f"{link}, which has no evidence of impact: delivery is not impact; add evidence with "
                f"'supports: [{gap.id}]' showing what changed ({gap.path})")
    if gap.kind == "inconsistent-status" and gap.subject == other.id:
        owner = graph.records.get(gap.id)
        state = "retired" if owner is not None and owner.kind == "aim" else "marked complete"
        return (f"{link}, which is {state}, but {other.id} is {other.get('status')}; correct whichever is wrong "
                f"({gap.path})")
    if gap.kind == "suspect-link" and gap.subject == other.id:
        return (f"{other.id} changed its text or aims, so {gap.id}, which addresses it, may no longer answer it; "
                f"check {gap.id} ({gap.path}) and record that it was reviewed")
    return f"{link}, and {gap.id} now has a gap ({gap.kind}): {gap.message} ({gap.path})"


def _line(other: Record, gap_id: str) -> int:
    """The line of other's link to the gap's record, else of its id."""
    for field in LINK_FIELDS.get(other.kind, {}):
        links = other.links(field)
        if gap_id in links:
            return other.line_of(field, links.index(gap_id)) if isinstance(other.get(field), list) \
                else other.line_of(field)
    return other.line_of("id")


def place_in_change(gaps: Iterable[Gap], graph: RecordGraph, base: RecordGraph, changed: set[str]) -> list[Gap]:
    """Each gap on its own record when the change touched that record, else on the first changed record
    involved in it (the record it is about, a record linked to it now, or one linked to it before)."""
    placed = []
    for gap in gaps:
        if gap.id in changed or gap.id not in graph.records:
            placed.append(gap)
            continue
        now = _relations(graph, gap.id)
        before = {other: relation for other, relation in _relations(base, gap.id).items() if other not in now}
        involved = [(other, relation, True) for other, relation in now.items()]
        involved += [(other, relation, False) for other, relation in before.items()]
        if gap.subject:
            involved.sort(key=lambda entry: entry[0] != gap.subject)
        found = next((entry for entry in involved if entry[0] in changed and entry[0] in graph.records), None)
        if found is None:
            placed.append(gap)
            continue
        other = graph.records[found[0]]
        placed.append(replace(gap, path=other.path, line=_line(other, gap.id),
                              message=_sentence(gap, other, found[1], graph, found[2])))
    return placed


def changed_ids(base: RecordGraph, graph: RecordGraph) -> set[str]:
    """The records a change added, edited or moved (their files are in the change)."""
    return {record_id for record_id, record in graph.records.items()
            if (was := base.records.get(record_id)) is None or was.data != record.data or was.path != record.path}
