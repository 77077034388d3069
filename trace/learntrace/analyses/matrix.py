"""Coverage matrices: sources or recommendations down the side, aims or outcomes across the top."""

from __future__ import annotations

from dataclasses import dataclass

from learntrace.analyses.coverage import coverage_level
from learntrace.graph import CONTRIBUTES_TO, MAKES, RecordGraph
from learntrace.model import Record

ROW_KINDS: tuple[str, ...] = ("source", "recommendation")
COLUMN_KINDS: tuple[str, ...] = ("aim", "outcome")

@dataclass(frozen=True)
class Heading:
    """A row or column of the matrix: the record's id, a short label for narrow tables, its title."""

    id: str
    label: str
    title: str
    retired: bool = False


@dataclass(frozen=True)
class Count:
    """How many recommendations fall in a cell, and how many of those are at least planned."""

    recommendations: int
    at_least_planned: int


@dataclass(frozen=True)
class SourceRow:
    source: Heading
    total: Count  # all the source's recommendations, whatever they map to
    cells: tuple[Count, ...]  # one per column


@dataclass(frozen=True)
class RecommendationRow:
    recommendation: Heading
    source: str
    level: str
    marked: tuple[bool, ...]  # one per column


@dataclass(frozen=True)
class SourceGroup:
    source: Heading
    rows: tuple[RecommendationRow, ...]


@dataclass(frozen=True)
class SourceMatrix:
    """Sources × aims (or outcomes): a count in each cell."""

    column_kind: str
    columns: tuple[Heading, ...]
    rows: tuple[SourceRow, ...]


@dataclass(frozen=True)
class RecommendationMatrix:
    """Recommendations (grouped by source) × aims (or outcomes): a mark in each cell."""

    column_kind: str
    columns: tuple[Heading, ...]
    groups: tuple[SourceGroup, ...]


Matrix = SourceMatrix | RecommendationMatrix


def short_labels(records: list[Record]) -> dict[str, str]:
    """A short, unique label per record: its `ref` (2.1, AB), else its id without the prefix all share.

    Where two labels would clash, the full id is used instead.
    """
    prefix = _shared_prefix([record.id for record in records])
    labels: dict[str, str] = {}
    for record in records:
        ref = record.get("ref")
        label = str(ref).strip() if isinstance(ref, (str, int)) and str(ref).strip() else record.id[len(prefix):]
        labels[record.id] = " ".join(label.split())
    clashing = {label for label in labels.values() if list(labels.values()).count(label) > 1}
    for record_id, label in labels.items():
        if not label or label in clashing:
            labels[record_id] = record_id
    return labels


def _shared_prefix(ids: list[str]) -> str:
    """The longest prefix, up to a dash or underscore, that the ids share (AIM- for AIM-2.1 and AIM-ABC)."""
    if not ids:
        return ""
    common = ids[0]
    for other in ids[1:]:
        while not other.startswith(common):
            common = common[:-1]
    cut = max(common.rfind("-"), common.rfind("_"))
    return common[:cut + 1]


def _headings(records: list[Record]) -> tuple[Heading, ...]:
    labels = short_labels(records)
    return tuple(
        Heading(r.id, labels[r.id], r.title, retired=r.kind == "aim" and r.get("status") == "retired")
        for r in records
    )


def _columns_of(graph: RecordGraph, recommendation: Record, column_kind: str) -> set[str]:
    """The aims a recommendation is cross-referenced to, or the outcomes its live actions contribute to."""
    if column_kind == "aim":
        return {aim.id for aim in graph.aims_of(recommendation)}
    return {
        outcome.id
        for action in graph.live_actions_addressing(recommendation.id)
        for outcome in graph.downstream(action.id, CONTRIBUTES_TO)
    }


def _count(levels: list[str]) -> Count:
    return Count(len(levels), sum(1 for level in levels if level != "none"))


def find_source_matrix(graph: RecordGraph, column_kind: str = "aim") -> SourceMatrix:
    """Per source and column: its recommendations under that column, and how many are at least planned."""
    columns = _headings(graph.of_kind(column_kind))
    rows = []
    for source in _headings(graph.of_kind("source")):
        mapped = [
            (coverage_level(graph, recommendation), _columns_of(graph, recommendation, column_kind))
            for recommendation in graph.downstream(source.id, MAKES)
        ]
        rows.append(SourceRow(
            source=source,
            total=_count([level for level, _ in mapped]),
            cells=tuple(_count([level for level, ids in mapped if column.id in ids]) for column in columns),
        ))
    return SourceMatrix(column_kind, columns, tuple(rows))


def find_recommendation_matrix(graph: RecordGraph, column_kind: str = "aim") -> RecommendationMatrix:
    """One row per recommendation, grouped by source: its coverage level and the columns it maps to."""
    columns = _headings(graph.of_kind(column_kind))
    groups = []
    for source in _headings(graph.of_kind("source")):
        recommendations = graph.downstream(source.id, MAKES)
        rows = []
        for recommendation in recommendations:
            ids = _columns_of(graph, recommendation, column_kind)
            rows.append(RecommendationRow(
                recommendation=Heading(recommendation.id, recommendation.id, recommendation.title),
                source=source.id,
                level=coverage_level(graph, recommendation),
                marked=tuple(column.id in ids for column in columns),
            ))
        groups.append(SourceGroup(source, tuple(rows)))
    return RecommendationMatrix(column_kind, columns, tuple(groups))


def find_matrix(graph: RecordGraph, row_kind: str = "source", column_kind: str = "aim") -> Matrix:
    if row_kind not in ROW_KINDS or column_kind not in COLUMN_KINDS:
        raise ValueError(f"no matrix of {row_kind} × {column_kind}")
    if row_kind == "recommendation":
        return find_recommendation_matrix(graph, column_kind)
    return find_source_matrix(graph, column_kind)
