"""The record graph as Mermaid, Graphviz dot, GraphML or node-link JSON; sorted, so exports can be diffed."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import networkx as nx

from learntrace.graph import RecordGraph
from learntrace.model import KINDS, natural_key
from learntrace.output import terminal_safe

_SHORT_TITLE = 40
# Words Mermaid reads as syntax when they stand alone as a node id.
_MERMAID_KEYWORDS = frozenset({"end", "graph", "flowchart", "subgraph", "style", "class", "classdef",
                               "linkstyle", "click", "call", "href", "direction", "default"})


def short_title(title: str) -> str:
    """The title on one line, at most 40 characters, control characters removed."""
    text = " ".join(terminal_safe(title).split())
    return text if len(text) <= _SHORT_TITLE else text[:_SHORT_TITLE - 3].rstrip() + "..."


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
    edges = [(u, v, rel) for u, v, rel in _edges(graph.graph) if u in keep and v in keep]
    for upstream, downstream, rel in sorted(edges, key=lambda e: (order(e[0]), order(e[1]))):
        exported.add_edge(upstream, downstream, rel=str(rel))
    return exported


def _edges(graph: nx.DiGraph[str]) -> list[tuple[str, str, str]]:
    return [(u, v, str(graph.edges[u, v]["rel"])) for u, v in graph.edges]


# --- Mermaid ------------------------------------------------------------------------------------

def mermaid_label(text: str) -> str:
    """Text for inside a quoted Mermaid label: Mermaid's entity codes for the characters it would read."""
    text = " ".join(terminal_safe(text).split())
    text = text.replace("#", "#35;")  # first: the codes below start with #
    for char, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("&", "#amp;"), ("\\", "#92;"), ("`", "#96;")):
        text = text.replace(char, code)
    return text


def _mermaid_ids(nodes: list[str]) -> dict[str, str]:
    """A Mermaid-safe, unique node id per record id: letters, digits and underscores only."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for node in nodes:
        base = re.sub(r"[^A-Za-z0-9_]", "_", node)
        if base.lower() in _MERMAID_KEYWORDS or not base[:1].isalpha():
            base = f"n_{base}"
        candidate, number = base, 2
        while candidate in used:
            candidate, number = f"{base}_{number}", number + 1
        ids[node] = candidate
        used.add(candidate)
    return ids


def graph_mermaid(graph: nx.DiGraph[str]) -> str:
    ids = _mermaid_ids(list(graph.nodes))
    lines = ["flowchart LR"]
    lines += [f'  {ids[node]}["{mermaid_label(node)}<br/>{mermaid_label(data["title"])}"]'
              for node, data in graph.nodes(data=True)]
    lines += [f"  {ids[u]} -->|{rel}| {ids[v]}" for u, v, rel in _edges(graph)]
    return "\n".join(lines) + "\n"


# --- Graphviz dot -------------------------------------------------------------------------------

def _dot_escaped(text: str) -> str:
    return " ".join(terminal_safe(text).split()).replace("\\", "\\\\").replace('"', '\\"')


def dot_string(text: str) -> str:
    """A double-quoted dot string: backslashes and quotes escaped, on one line."""
    return f'"{_dot_escaped(text)}"'


def graph_dot(graph: nx.DiGraph[str]) -> str:
    lines = ["digraph trace {", "  rankdir=LR;", "  node [shape=box];"]
    for node, data in graph.nodes(data=True):
        # \n is dot's line break; any backslash from the record text was escaped, so this is the only one.
        label = f'"{_dot_escaped(node)}\\n{_dot_escaped(data["title"])}"'
        lines.append(f"  {dot_string(node)} [label={label}, class={dot_string(data['kind'])}];")
    lines += [f"  {dot_string(u)} -> {dot_string(v)} [label={dot_string(rel)}];" for u, v, rel in _edges(graph)]
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- GraphML and JSON ---------------------------------------------------------------------------

def graph_graphml(graph: nx.DiGraph[str]) -> str:
    out = io.BytesIO()
    nx.write_graphml_xml(graph, out, encoding="utf-8")
    return out.getvalue().decode("utf-8")


def graph_json(graph: nx.DiGraph[str]) -> str:
    """networkx node-link data, the edge list under "edges" whatever the networkx version's default."""
    try:
        data: dict[str, Any] = nx.node_link_data(graph, edges="edges")
    except TypeError:  # networkx before 3.4 names the keyword `link`
        data = nx.node_link_data(graph, link="edges")  # type: ignore[call-arg]  # the older signature
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


GRAPH_FORMATS = {
    "mermaid": graph_mermaid,
    "dot": graph_dot,
    "graphml": graph_graphml,
    "json": graph_json,
}
