"""The records as a networkx graph: source → recommendation → aim; recommendation → action → evidence;
action → aim and outcome; outcome → evidence of impact."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from learntrace.model import CLOSED_ACTION_STATUSES, Record, natural_key

# Edge relation names, read as "upstream REL downstream".
MAKES = "makes"  # source makes recommendation
CROSS_REFERENCES = "cross-references"  # recommendation cross-references aim
ADDRESSED_BY = "addressed-by"  # recommendation addressed by action
SERVES = "serves"  # action serves aim
CONTRIBUTES_TO = "contributes-to"  # action contributes to outcome
EVIDENCED_BY = "evidenced-by"  # action or outcome evidenced by evidence


@dataclass(frozen=True)
class RecordGraph:
    graph: nx.DiGraph
    records: dict[str, Record]

    def of_kind(self, kind: str) -> list[Record]:
        return sorted((r for r in self.records.values() if r.kind == kind), key=lambda r: natural_key(r.id))

    def _linked(self, record_id: str, relation: str, upstream: bool) -> list[Record]:
        edges = self.graph.in_edges(record_id, data="rel") if upstream else self.graph.out_edges(record_id, data="rel")
        ids = [(source if upstream else target) for source, target, rel in edges if rel == relation]
        return sorted((self.records[i] for i in ids), key=lambda r: natural_key(r.id))

    def downstream(self, record_id: str, relation: str) -> list[Record]:
        return self._linked(record_id, relation, upstream=False)

    def upstream(self, record_id: str, relation: str) -> list[Record]:
        return self._linked(record_id, relation, upstream=True)

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
    """One node per record (attribute `kind`), one edge per link, pointing downstream."""
    by_id = {record.id: record for record in records}
    graph = nx.DiGraph()
    for record in by_id.values():
        graph.add_node(record.id, kind=record.kind)
    # `aims: all` means every aim the strategy still pursues, not the retired ones.
    active_aims = [r.id for r in by_id.values() if r.kind == "aim" and r.get("status") != "retired"]

    def link(upstream: str, downstream: str, relation: str) -> None:
        if upstream in by_id and downstream in by_id:
            graph.add_edge(upstream, downstream, rel=relation)

    for record in by_id.values():
        if record.kind == "recommendation":
            link(record.get("source"), record.id, MAKES)
            linked_aims = active_aims if record.get("aims") == "all" else record.links("aims")
            for aim in linked_aims:
                link(record.id, aim, CROSS_REFERENCES)
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
    return RecordGraph(graph, by_id)
