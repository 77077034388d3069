"""One record and its lineage: its fields, what it comes from, what was done about it; as a tree or JSON."""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from dataclasses import dataclass
from typing import Any

from learntrace import dates
from learntrace.analyses.coverage import LEVEL_MEANINGS, LEVELS, coverage_level
from learntrace.graph import (
    ADDRESSED_BY,
    CARRIES,
    CONTRIBUTES_TO,
    CROSS_REFERENCES,
    EVIDENCED_BY,
    MAKES,
    SERVES,
    RecordGraph,
)
from learntrace.model import Record, is_judgement_link, natural_key
from learntrace.output import terminal_safe

WIDTH = 80
_LONGEST_FIELD_NAME = 14


@dataclass(frozen=True)
class Item:
    """A linked record, a few facts about it (status, target...), and what hangs below it."""

    id: str
    kind: str
    title: str
    facts: tuple[tuple[str, str], ...] = ()
    below: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Section:
    """Linked records of one kind: `key` names them in JSON, `heading` in text, `empty` says there are none.

    A `single` section holds at most one record (a recommendation's source): JSON gives it as an object.
    """

    key: str
    heading: str
    items: tuple[Item, ...]
    empty: str = ""
    single: bool = False


@dataclass(frozen=True)
class Fact:
    """One derived value about the record, such as its coverage level."""

    key: str
    heading: str
    value: str
    meaning: str = ""


@dataclass(frozen=True)
class RecordView:
    record: Record
    parts: tuple[Fact | Section, ...]


# --- gathering ----------------------------------------------------------------------------------

def _action_facts(action: Record) -> tuple[tuple[str, str], ...]:
    return tuple((name, str(action.get(name))) for name in ("status", "target", "owner")
                 if action.get(name) is not None)


def _item(record: Record, facts: tuple[tuple[str, str], ...] = (), below: tuple[Section, ...] = ()) -> Item:
    return Item(record.id, record.kind, record.title, facts, below)


def _marked(viewed: Record, items: tuple[Item, ...], graph: RecordGraph) -> tuple[Item, ...]:
    """The items whose link to the viewed record is a judgement no document states, marked as such."""
    return tuple(
        Item(i.id, i.kind, i.title, (*i.facts, ("link", "judgement")), i.below)
        if is_judgement_link(viewed, graph.records[i.id]) else i
        for i in items
    )


def _evidence_facts(evidence: Record) -> tuple[tuple[str, str], ...]:
    facts = (("date", dates.describe_date(evidence.data, "date")),) if evidence.get("date") is not None else ()
    return (*facts, ("level", str(evidence.get("level")))) if evidence.get("level") else facts


def _evidence_section(graph: RecordGraph, record: Record, heading: str = "Evidence") -> Section:
    items = tuple(_item(e, _evidence_facts(e)) for e in graph.evidence_for(record.id))
    return Section("evidence", heading, _marked(record, items, graph), empty="no evidence")


def _action_item(graph: RecordGraph, action: Record, with_evidence: bool = True) -> Item:
    below = (_evidence_section(graph, action),) if with_evidence else ()
    return _item(action, _action_facts(action), below)


def _recommendation_item(graph: RecordGraph, recommendation: Record, below: tuple[Section, ...] = ()) -> Item:
    facts = (("source", str(recommendation.get("source"))), ("coverage", coverage_level(graph, recommendation)))
    return _item(recommendation, facts, below)


def _recommendation_parts(graph: RecordGraph, record: Record) -> tuple[Fact | Section, ...]:
    level = coverage_level(graph, record)
    return (
        Section("source", "Source", tuple(_item(s) for s in graph.upstream(record.id, MAKES)), single=True),
        Section("aims", "Aims", _marked(record, tuple(_item(a) for a in graph.aims_of(record)), graph), empty="none"),
        Fact("coverage", "Coverage", level, LEVEL_MEANINGS[level]),
        Section("actions", "Actions addressing it", _marked(record, tuple(
            _action_item(graph, action) for action in graph.downstream(record.id, ADDRESSED_BY)
        ), graph), empty="none"),
    )


def _action_parts(graph: RecordGraph, record: Record) -> tuple[Fact | Section, ...]:
    return (
        Section("addresses", "Recommendations it addresses", _marked(record, tuple(
            _recommendation_item(graph, r) for r in graph.upstream(record.id, ADDRESSED_BY)
        ), graph), empty="none"),
        Section("aims", "Aims it serves", _marked(record, tuple(
            _item(a) for a in graph.downstream(record.id, SERVES)), graph), empty="none"),
        Section("outcomes", "Outcomes it contributes to", _marked(record, tuple(
            _item(o) for o in graph.downstream(record.id, CONTRIBUTES_TO)), graph), empty="none"),
        _evidence_section(graph, record),
    )


def _source_parts(graph: RecordGraph, record: Record) -> tuple[Fact | Section, ...]:
    recommendations = graph.downstream(record.id, MAKES)
    counts = Counter(coverage_level(graph, r) for r in recommendations)
    summary = ", ".join(f"{counts[level]} {level}" for level in LEVELS)
    return (
        Fact("coverage", "Coverage", f"{len(recommendations)} recommendation(s): {summary}"),
        Section("recommendations", "Recommendations", tuple(
            _item(r, (("coverage", coverage_level(graph, r)),), (Section("actions", "Actions", tuple(
                _action_item(graph, a, with_evidence=False) for a in graph.downstream(r.id, ADDRESSED_BY)
            ), empty="no actions"),))
            for r in recommendations
        ), empty="none"),
    )


def _aim_parts(graph: RecordGraph, record: Record) -> tuple[Fact | Section, ...]:
    return (
        Section("recommendations", "Recommendations cross-referenced to it", tuple(
            _recommendation_item(graph, r) for r in graph.upstream(record.id, CROSS_REFERENCES)
        ), empty="none"),
        Section("actions", "Actions serving it (directly or through its recommendations)", _marked(record, tuple(
            _action_item(graph, a, with_evidence=False) for a in graph.actions_serving(record.id)
        ), graph), empty="none"),
    )


def _outcome_parts(graph: RecordGraph, record: Record) -> tuple[Fact | Section, ...]:
    actions = graph.upstream(record.id, CONTRIBUTES_TO)
    recommendations = {r.id: r for a in actions for r in graph.upstream(a.id, ADDRESSED_BY)}
    return (
        Section("actions", "Actions contributing to it", _marked(record, tuple(
            _action_item(graph, a, with_evidence=False) for a in actions), graph), empty="none"),
        Section("recommendations", "Recommendations those actions address", tuple(
            _recommendation_item(graph, recommendations[i]) for i in sorted(recommendations, key=natural_key)
        ), empty="none"),
        _evidence_section(graph, record, "Evidence of impact"),
    )


def _evidence_parts(graph: RecordGraph, record: Record) -> tuple[Fact | Section, ...]:
    items = []
    for supported in graph.upstream(record.id, EVIDENCED_BY):
        if supported.kind == "action":
            addressed = Section("addresses", "Addresses", tuple(
                _recommendation_item(graph, r) for r in graph.upstream(supported.id, ADDRESSED_BY)
            ))
            items.append(_item(supported, _action_facts(supported), (addressed,)))
        else:
            items.append(_item(supported))
    return (Section("supports", "Supports", _marked(record, tuple(items), graph), empty="nothing"),)


def _theme_parts(graph: RecordGraph, record: Record) -> tuple[Fact | Section, ...]:
    return (Section("recommendations", "Recommendations carrying it", _marked(record, tuple(
        _recommendation_item(graph, r) for r in graph.upstream(record.id, CARRIES)
    ), graph), empty="none"),)


_PARTS_OF_KIND = {
    "recommendation": _recommendation_parts,
    "action": _action_parts,
    "source": _source_parts,
    "aim": _aim_parts,
    "outcome": _outcome_parts,
    "evidence": _evidence_parts,
    "theme": _theme_parts,
}


def describe_record(graph: RecordGraph, record_id: str) -> RecordView:
    """The record and what it is linked to upstream and downstream; `record_id` must be in the graph."""
    record = graph.records[record_id]
    return RecordView(record, _PARTS_OF_KIND[record.kind](graph, record))


# --- text ---------------------------------------------------------------------------------------

def _wrap(text: str, first: str, rest: str) -> list[str]:
    """Wrap each line of `text` (its own line breaks kept) to WIDTH, behind the given prefixes.

    A line that is a list item ("- ...") keeps its continuation lines under the item's text.
    """
    lines: list[str] = []
    for paragraph in terminal_safe(text).split("\n"):
        hang = "  " if paragraph.lstrip().startswith(("- ", "* ")) else ""
        initial = first if not lines else rest
        wrapper = textwrap.TextWrapper(
            width=max(WIDTH, len(rest) + len(hang) + 20), initial_indent=initial, subsequent_indent=rest + hang,
            break_on_hyphens=False,
        )
        lines += [line.rstrip() for line in wrapper.wrap(paragraph.strip())] or [initial.rstrip()]
    return lines


def _field_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_field_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return "[] (none)"
        if all(not isinstance(v, (dict, list)) for v in value):
            return ", ".join(_field_value(v) for v in value)
        return "\n".join(f"- {_field_value(v)}" for v in value)
    return str(value)


def _field_lines(record: Record) -> list[str]:
    names = [name for name in record.data if name != "id"]
    width = min(max((len(str(n)) for n in names), default=0) + 1, _LONGEST_FIELD_NAME + 1)
    lines: list[str] = []
    for name in names:
        label = f"{name}:".ljust(width)
        lines += _wrap(_field_value(record.data[name]), f"  {label}  ", " " * (width + 4))
    return lines


def _facts_text(facts: tuple[tuple[str, str], ...]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in facts)


def _tree(items: tuple[Item, ...], prefix: str) -> list[str]:
    lines: list[str] = []
    for index, item in enumerate(items):
        last = index == len(items) - 1
        branch, under = ("└─ ", "   ") if last else ("├─ ", "│  ")
        hang = " " * (len(item.id) + 2) if len(item.id) <= 20 else "    "
        lines += _wrap(f"{item.id}  {item.title}", prefix + branch, prefix + under + hang)
        if item.facts:
            lines += _wrap(_facts_text(item.facts), prefix + under, prefix + under + "  ")
        for section in item.below:
            if section.items:
                lines += _tree(section.items, prefix + under)
            elif section.empty:
                lines.append(f"{prefix}{under}({section.empty})")
    return lines


def _part_lines(part: Fact | Section) -> list[str]:
    if isinstance(part, Fact):
        text = f"{part.heading}: {part.value}" + (f" ({part.meaning})" if part.meaning else "")
        return _wrap(text, "", "  ")
    if not part.items:
        return [f"{part.heading}: none"]
    if len(part.items) == 1 and not part.items[0].facts and not part.items[0].below:
        only = part.items[0]
        return _wrap(f"{part.heading}: {only.id}  {only.title}", "", "  ")
    return [f"{part.heading} ({len(part.items)}):", *_tree(part.items, "")]


def show_text(view: RecordView) -> str:
    record = view.record
    lines = [f"{record.kind.capitalize()} {terminal_safe(record.id)}", f"File: {terminal_safe(record.path)}", ""]
    lines += _field_lines(record)
    for part in view.parts:
        lines += ["", *_part_lines(part)]
    return "\n".join(lines)


# --- JSON ---------------------------------------------------------------------------------------

def _item_json(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "kind": item.kind, "title": item.title, **dict(item.facts)}
    for section in item.below:
        data[section.key] = [_item_json(child) for child in section.items]
    return data


def show_json(view: RecordView) -> str:
    record = view.record
    data: dict[str, Any] = {"id": record.id, "kind": record.kind, "path": record.path, "title": record.title,
                            "fields": dict(record.data)}
    for part in view.parts:
        if isinstance(part, Fact):
            data[part.key] = part.value
        elif part.single:
            data[part.key] = _item_json(part.items[0]) if part.items else None
        else:
            data[part.key] = [_item_json(item) for item in part.items]
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
