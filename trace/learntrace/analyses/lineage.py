"""Lineage: a record and everything upstream and downstream of it, as a graph ready to export."""

from __future__ import annotations

from typing import Any

import networkx as nx

from learntrace.graph import RecordGraph
from learntrace.model import KINDS, natural_key
from learntrace.output import short_title


def lineage_ids(graph: RecordGraph, focus: str, depth: int | None = None) -> set[str]:
    """The record, everything upstream and everything downstream of it (at most `depth` links away)."""
    if depth is None:
        return {focus} | nx.ancestors(graph.graph, focus) | nx.descendants(graph.graph, focus)
    down = nx.single_source_shortest_path_length(graph.graph, focus, cutoff=depth)
    up = nx.single_source_shortest_path_length(graph.graph.reverse(copy=False), focus, cutoff=depth)
    return set(down) | set(up)


def lineage_graph(graph: RecordGraph, focus: str | None = None, depth: int | None = None) -> nx.DiGraph[str]:
    """A new graph, nodes and edges inserted in sorted order, every attribute a string.

    Nodes carry `kind`, `title` (short) and `label` (id and short title); edges carry `rel`.
    Without `focus`, the whole graph.
    """
    keep = set(graph.graph.nodes) if focus is None else lineage_ids(graph, focus, depth)

    def order(node: str) -> tuple[Any, ...]:
        # Upstream kinds first (sources, recommendations, aims, ...), then by id.
        kind = graph.records[node].kind
        return (KINDS.index(kind) if kind in KINDS else len(KINDS), natural_key(node))

    exported: nx.DiGraph[str] = nx.DiGraph()
    for node in sorted(keep, key=order):
        record = graph.records[node]
        title = short_title(record.title)
        exported.add_node(node, kind=record.kind, title=title, label=f"{node}: {title}")
    edges = [(u, v, rel) for u, v, rel in edges_of(graph.graph) if u in keep and v in keep]
    for upstream, downstream, rel in sorted(edges, key=lambda e: (order(e[0]), order(e[1]))):
        exported.add_edge(upstream, downstream, rel=str(rel))
    return exported


def edges_of(graph: nx.DiGraph[str]) -> list[tuple[str, str, str]]:
    """(upstream, downstream, relation) of every edge."""
    return [(u, v, str(graph.edges[u, v]["rel"])) for u, v in graph.edges]
