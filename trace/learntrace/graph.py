"""The records as a networkx graph: source → recommendation → aim and theme; recommendation → action → evidence;
action → aim and outcome; outcome → evidence of impact."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from learntrace.cache import without_cyclic_gc
from learntrace.model import CLOSED_ACTION_STATUSES, Record, natural_key

if TYPE_CHECKING:  # networkx is imported when the graph itself is first needed (export, lineage)
    import networkx as nx

# Edge relation names, read as "upstream REL downstream".
MAKES = "makes"  # source makes recommendation
CROSS_REFERENCES = "cross-references"  # recommendation cross-references aim
ADDRESSED_BY = "addressed-by"  # recommendation addressed by action
SERVES = "serves"  # action serves aim
CONTRIBUTES_TO = "contributes-to"  # action contributes to outcome
EVIDENCED_BY = "evidenced-by"  # action or outcome evidenced by evidence
CARRIES = "carries"  # recommendation carries theme


@dataclass(frozen=True)
class RecordGraph:
    """The records and their links. The analyses read the link indexes, built when first asked for (`trace
    similar` needs none); the networkx graph (for export and lineage) is built from the same edges when
    first asked for."""

    records: dict[str, Record]
    _by_kind: dict[str, list[Record]] = field(repr=False, compare=False)
    _rank: dict[str, int] = field(repr=False, compare=False)  # each id's place in natural order

    @property
    def edges(self) -> tuple[tuple[str, str, str], ...]:
        """(upstream id, downstream id, relation), in record order."""
        return self._links.edges

    @cached_property
    def _links(self) -> _Links:
        return find_links(self.records, self._rank)

    @cached_property
    def graph(self) -> nx.DiGraph[str]:
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        for record in self.records.values():
            graph.add_node(record.id, kind=record.kind)
        graph.add_edges_from((up, down, {"rel": relation}) for up, down, relation in self.edges)
        return graph

    def of_kind(self, kind: str) -> list[Record]:
        return list(self._by_kind.get(kind, ()))

    def downstream(self, record_id: str, relation: str) -> list[Record]:
        return list(self._links.down.get((record_id, relation), ()))

    def upstream(self, record_id: str, relation: str) -> list[Record]:
        return list(self._links.up.get((record_id, relation), ()))

    def live_actions_addressing(self, recommendation_id: str) -> list[Record]:
        return [a for a in self.downstream(recommendation_id, ADDRESSED_BY) if a.get("status") != "dropped"]

    def evidence_for(self, record_id: str) -> list[Record]:
        return self.downstream(record_id, EVIDENCED_BY)

    def aims_of(self, recommendation: Record) -> list[Record]:
        return self.downstream(recommendation.id, CROSS_REFERENCES)

    def source_of(self, recommendation: Record) -> Record | None:
        sources = self.upstream(recommendation.id, MAKES)
        return sources[0] if sources else None

    def actions_serving(self, aim_id: str, include_closed: bool = True) -> list[Record]:
        """Actions that serve an aim directly, or address a recommendation cross-referenced to it."""
        found = {a.id: a for a in self.upstream(aim_id, SERVES)}
        for recommendation in self.upstream(aim_id, CROSS_REFERENCES):
            for action in self.downstream(recommendation.id, ADDRESSED_BY):
                found[action.id] = action
        actions = [a for a in found.values() if include_closed or a.get("status") not in CLOSED_ACTION_STATUSES]
        return sorted(actions, key=lambda r: natural_key(r.id))


def build_graph(records: Iterable[Record]) -> RecordGraph:
    """One node per record, one edge per link, pointing downstream (the links are found when first asked for)."""
    by_id = {record.id: record for record in records}
    # Sort once; every list is then filled in sorted order.
    ordered = sorted(by_id.values(), key=lambda r: natural_key(r.id))
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for record in ordered:
        by_kind[record.kind].append(record)
    return RecordGraph(records=by_id, _by_kind=dict(by_kind),
                       _rank={record.id: index for index, record in enumerate(ordered)})


@dataclass(frozen=True)
class _Links:
    edges: tuple[tuple[str, str, str], ...]
    down: dict[tuple[str, str], list[Record]]  # (upstream id, relation) -> downstream records, in id order
    up: dict[tuple[str, str], list[Record]]  # (downstream id, relation) -> upstream records, in id order


def find_links(by_id: dict[str, Record], rank: dict[str, int]) -> _Links:
    """Every link between the records, and the indexes the analyses read."""
    with without_cyclic_gc():  # a hundred thousand small lists and tuples, and no cycles
        return _found_links(by_id, rank)


def _found_links(by_id: dict[str, Record], rank: dict[str, int]) -> _Links:
    # `aims: all` means every aim the strategy still pursues, not the retired ones: Appendix 1's "ALL" column
    # value cross-references a recommendation to all of the strategy's (active) aims.
    active_aims = [r.id for r in by_id.values() if r.kind == "aim" and r.get("status") != "retired"]
    edges: dict[tuple[str, str], str] = {}

    def link(upstream: Any, downstream: str, relation: str) -> None:
        if isinstance(upstream, str) and upstream in by_id and downstream in by_id:
            edges[(upstream, downstream)] = relation

    for record in by_id.values():
        if record.kind == "recommendation":
            link(record.get("source"), record.id, MAKES)
            linked_aims = active_aims if record.get("aims") == "all" else record.links("aims")
            for aim in linked_aims:
                link(record.id, aim, CROSS_REFERENCES)
            for theme in record.links("themes"):
                link(record.id, theme, CARRIES)
        elif record.kind == "action":
            for recommendation in record.links("addresses"):
                link(recommendation, record.id, ADDRESSED_BY)
            for aim in record.links("aims"):
                link(record.id, aim, SERVES)
            for outcome in record.links("outcomes"):
                link(record.id, outcome, CONTRIBUTES_TO)
        elif record.kind == "evidence":
            for supported in record.links("supports"):
                link(supported, record.id, EVIDENCED_BY)

    down: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for (upstream, downstream), relation in sorted(edges.items(), key=lambda e: rank[e[0][1]]):
        down[(upstream, relation)].append(by_id[downstream])
    up: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for (upstream, downstream), relation in sorted(edges.items(), key=lambda e: rank[e[0][0]]):
        up[(downstream, relation)].append(by_id[upstream])
    return _Links(tuple((u, v, rel) for (u, v), rel in edges.items()), dict(down), dict(up))
