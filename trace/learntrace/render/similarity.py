"""`trace similar`: pairs of recommendations that say the same thing, as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence

from learntrace.analyses.publication import published_text
from learntrace.analyses.similarity import PairList, SimilarPair
from learntrace.graph import RecordGraph
from learntrace.output import markdown_cell, terminal_safe

_TEXT_WIDTH = 80


def similar_json(found: PairList, threshold: float, nearest: int) -> str:
    """What json.dumps(..., indent=2) writes, with each pair written out here: with tens of thousands of
    pairs, json's indenting encoder (in Python, not C) was a tenth of `trace similar`."""
    text = json.encoder.encode_basestring_ascii
    pairs = ",\n".join(f'    {{\n      "a": {text(p.a)},\n      "b": {text(p.b)},\n      "score": {p.score!r}\n    }}'
                        for p in found.pairs)
    listed = "[\n" + pairs + "\n  ]" if pairs else "[]"
    return (f'{{\n  "threshold": {json.dumps(threshold)},\n  "pairs": {listed},\n'
            f'  "nearest": {json.dumps(nearest)},\n  "left_out": {json.dumps(found.left_out)}\n}}')


def _left_out(found: PairList, focus: str | None) -> str:
    if focus is not None:
        return (f"{found.left_out} more recommendation(s) of other sources reach the score; "
                "raise --nearest to see them.")
    return (f"{found.left_out} more pair(s) reach the score but are not among each recommendation's nearest; "
            "see them with trace similar ID, or raise --nearest.")


class _Labels:
    """Each recommendation's origin ("SRC-AB, 2020-07") and title, worked out once however many pairs it is in."""

    def __init__(self, graph: RecordGraph) -> None:
        self._graph = graph
        self._origins: dict[str, str] = {}
        self._titles: dict[tuple[str, int], str] = {}

    def origin(self, record_id: str) -> str:
        if record_id not in self._origins:
            record = self._graph.records[record_id]
            source = self._graph.source_of(record)
            source_id = source.id if source is not None else str(record.get("source", ""))
            self._origins[record_id] = f"{source_id}, {published_text(source)}"
        return self._origins[record_id]

    def title(self, record_id: str, width: int) -> str:
        key = (record_id, width)
        if key not in self._titles:
            self._titles[key] = _shorten(self._graph.records[record_id].title, width)
        return self._titles[key]


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


def similar_text(found: PairList, threshold: float, graph: RecordGraph, focus: str | None = None) -> str:
    pairs, labels = found.pairs, _Labels(graph)
    lines = [_heading(pairs, threshold, focus)]
    for pair in pairs:
        lines.append("")
        for mark, record_id in ((f"{pair.score:.3f}", pair.a), ("", pair.b)):
            lines.append(f"{mark:5}  {record_id} ({labels.origin(record_id)})")
            lines.append(f"{'':5}    {labels.title(record_id, _TEXT_WIDTH - 11)}")
        lines.append(f"{'':5}  shared words: {', '.join(pair.shared_words) or 'none'}")
    if found.left_out:
        lines += ["", _left_out(found, focus)]
    if pairs:
        lines += ["", "Scores run from 0 (no term in common) to 1 (the same terms); see trace similar --help."]
    return terminal_safe("\n".join(lines))


def similar_markdown(found: PairList, threshold: float, graph: RecordGraph, focus: str | None = None) -> str:
    pairs, labels = found.pairs, _Labels(graph)
    lines = [f"### {markdown_cell(_heading(pairs, threshold, focus))}", ""]
    if pairs:
        lines += ["| score | first (earlier source) | second | shared words |", "|---:|---|---|---|"]
        for pair in pairs:
            cells = [f"{pair.score:.3f}",
                     *(f"**{markdown_cell(i)}** ({markdown_cell(labels.origin(i))}): "
                       f"{markdown_cell(labels.title(i, 90))}" for i in (pair.a, pair.b)),
                     markdown_cell(", ".join(pair.shared_words))]
            lines.append("| " + " | ".join(cells) + " |")
    if found.left_out:
        lines += ["", markdown_cell(_left_out(found, focus))]
    return "\n".join(lines) + "\n"
