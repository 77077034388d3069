"""Themes across reviews: for each theme, the sources whose recommendations carry it, in publication order,
and whether it recurs (two or more sources published in different years)."""

from __future__ import annotations

from dataclasses import dataclass

from learntrace.analyses.publication import publication_key, published_text, shown_different_years
from learntrace.graph import CARRIES, RecordGraph
from learntrace.model import Record, natural_key


@dataclass(frozen=True)
class ThemeSource:
    """A source whose recommendations carry a theme. `published` is its record's value as written
    ("2021", "unknown"; None when it has none); `date` says it for people, with any bounds."""

    id: str
    title: str
    published: str | None
    date: str
    recommendations: tuple[str, ...]


@dataclass(frozen=True)
class ThemeSummary:
    id: str
    title: str
    recurring: bool
    sources: tuple[ThemeSource, ...]  # in publication order, unknown dates last

    @property
    def recommendation_count(self) -> int:
        return sum(len(source.recommendations) for source in self.sources)


@dataclass(frozen=True)
class ThemeMatrix:
    """Themes down the side, the sources that carry any theme across the top (in publication order), and
    in each cell the number of the source's recommendations that carry the theme: for a report's table."""

    sources: tuple[ThemeSource, ...]  # recommendations: every one of the source's that carries any theme
    themes: tuple[ThemeSummary, ...]
    counts: tuple[tuple[int, ...], ...]  # one row per theme, one count per source


def _published(source: Record | None) -> str | None:
    value = source.get("published") if source is not None else None
    return None if value is None else str(value).strip()


def _title(source: Record | None, source_id: str) -> str:
    return source.title if source is not None else source_id


def _recurring(sources: list[Record | None]) -> bool:
    """Two or more sources certainly published in different years: a source of unknown date counts only
    where its bounds put it in another year than another source."""
    return any(shown_different_years(a, b) for index, a in enumerate(sources) for b in sources[index + 1:])


def find_themes(graph: RecordGraph) -> list[ThemeSummary]:
    """Every theme, by id, with the sources whose recommendations carry it (themes nobody carries too)."""
    summaries = []
    for theme in graph.of_kind("theme"):
        by_source: dict[str, list[str]] = {}
        for recommendation in graph.upstream(theme.id, CARRIES):
            by_source.setdefault(str(recommendation.get("source", "")), []).append(recommendation.id)
        records = {source_id: graph.records.get(source_id) for source_id in by_source}
        order = sorted(by_source, key=lambda source_id: publication_key(records[source_id], source_id))
        sources = tuple(
            ThemeSource(source_id, _title(records[source_id], source_id), _published(records[source_id]),
                        published_text(records[source_id]), tuple(sorted(by_source[source_id], key=natural_key)))
            for source_id in order
        )
        summaries.append(ThemeSummary(theme.id, theme.title, _recurring(list(records.values())), sources))
    return summaries


def theme_matrix(graph: RecordGraph, themes: list[ThemeSummary] | None = None) -> ThemeMatrix:
    """The themes × sources table of counts (the data a report's "Recurring themes" table shows)."""
    themes = find_themes(graph) if themes is None else themes
    columns: dict[str, ThemeSource] = {}
    carried: dict[str, set[str]] = {}
    for theme in themes:
        for source in theme.sources:
            columns.setdefault(source.id, source)
            carried.setdefault(source.id, set()).update(source.recommendations)
    order = sorted(columns, key=lambda source_id: publication_key(graph.records.get(source_id), source_id))
    heads = tuple(ThemeSource(columns[i].id, columns[i].title, columns[i].published, columns[i].date,
                              tuple(sorted(carried[i], key=natural_key))) for i in order)
    counts = tuple(
        tuple(next((len(s.recommendations) for s in theme.sources if s.id == head.id), 0) for head in heads)
        for theme in themes
    )
    return ThemeMatrix(heads, tuple(themes), counts)
