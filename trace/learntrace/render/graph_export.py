"""The record graph as Mermaid, Graphviz dot, GraphML or node-link JSON; sorted, so exports can be diffed."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import networkx as nx

from learntrace.analyses.lineage import edges_of
from learntrace.output import terminal_safe

# Words Mermaid reads as syntax when they stand alone as a node id.
_MERMAID_KEYWORDS = frozenset({"end", "graph", "flowchart", "subgraph", "style", "class", "classdef",
                               "linkstyle", "click", "call", "href", "direction", "default"})


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
    lines += [f"  {ids[u]} -->|{rel}| {ids[v]}" for u, v, rel in edges_of(graph)]
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
    lines += [f"  {dot_string(u)} -> {dot_string(v)} [label={dot_string(rel)}];" for u, v, rel in edges_of(graph)]
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
