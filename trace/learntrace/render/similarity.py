"""`trace similar`: pairs of recommendations that say the same thing, as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence

from learntrace.analyses.publication import published_text
from learntrace.analyses.similarity import SimilarPair
from learntrace.graph import RecordGraph
from learntrace.output import markdown_cell, terminal_safe

_TEXT_WIDTH = 80


def similar_json(pairs: Sequence[SimilarPair], threshold: float) -> str:
    return json.dumps({"threshold": threshold,
                       "pairs": [{"a": p.a, "b": p.b, "score": p.score} for p in pairs]}, indent=2)


def _origin(graph: RecordGraph, record_id: str) -> str:
    record = graph.records[record_id]
    source = graph.source_of(record)
    source_id = source.id if source is not None else str(record.get("source", ""))
    return f"{source_id}, {published_text(source)}"


def _heading(pairs: Sequence[SimilarPair], threshold: float, focus: str | None) -> str:
    if focus is not None:
        if not pairs:
            return f"No recommendation of another source scores {threshold} or more with {focus}."
        return f"Recommendations of other sources most like {focus} (score {threshold} or more): {len(pairs)}"
    if not pairs:
        return f"No two recommendations of different sources score {threshold} or more."
    return (f"Recommendations of different sources that say the same thing (score {threshold} or more, "
            f"earlier source first): {len(pairs)} pair(s)")


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def similar_text(pairs: Sequence[SimilarPair], threshold: float, graph: RecordGraph,
                 focus: str | None = None) -> str:
    lines = [_heading(pairs, threshold, focus)]
    for pair in pairs:
        lines.append("")
        for mark, record_id in ((f"{pair.score:.3f}", pair.a), ("", pair.b)):
            label = f"{record_id} ({_origin(graph, record_id)})"
            lines.append(f"{mark:5}  {label}")
            lines.append(f"{'':5}    {_shorten(graph.records[record_id].title, _TEXT_WIDTH - 11)}")
        lines.append(f"{'':5}  shared words: {', '.join(pair.shared_words) or 'none'}")
    if pairs:
        lines += ["", "Scores run from 0 (no term in common) to 1 (the same terms); see trace similar --help."]
    return terminal_safe("\n".join(lines))


def similar_markdown(pairs: Sequence[SimilarPair], threshold: float, graph: RecordGraph,
                     focus: str | None = None) -> str:
    lines = [f"### {markdown_cell(_heading(pairs, threshold, focus))}", ""]
    if pairs:
        lines += ["| score | first (earlier source) | second | shared words |", "|---:|---|---|---|"]
        for pair in pairs:
            cells = [f"{pair.score:.3f}",
                     *(f"**{markdown_cell(i)}** ({markdown_cell(_origin(graph, i))}): "
                       f"{markdown_cell(_shorten(graph.records[i].title, 90))}" for i in (pair.a, pair.b)),
                     markdown_cell(", ".join(pair.shared_words))]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
