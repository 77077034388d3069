"""Themes for the recommendations that carry none: the themes whose own words (title, description,
keywords) and whose already-tagged recommendations are most like the recommendation's text.

Each theme is a profile: the average of its own text's TF-IDF row and the rows of the recommendations that
already carry it, scaled to unit length; a recommendation's score for a theme is the cosine between its
row and that profile (0..1), with the terms weighed over all recommendations and themes together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from learntrace.analyses.cosine_matches import DECIMALS
from learntrace.analyses.similarity import build_index, check_threshold, recommendation_text
from learntrace.graph import CARRIES, RecordGraph
from learntrace.model import Record, natural_key

if TYPE_CHECKING:
    from learntrace.edits import Change, Workspace


# The lowest score a suggested theme needs. Measured leave-one-out on Norfolk's 34 hand-tagged
# recommendations (each one's tags removed in turn and suggested again): at 0.2 with at most 3 themes,
# 97% of the suggested themes were the ones tagged by hand, and 26 of the 34 got at least one right one;
# at the similarity threshold (0.12) only 72% were. A tag is written into the records, so this favours
# being right over finding every theme; the tags were written with the themes' keywords in view, so the
# figure is optimistic for new recommendations.
DEFAULT_SUGGESTION_THRESHOLD = 0.2


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    score: float


@dataclass(frozen=True)
class Suggestion:
    """The themes suggested for one recommendation, best first (empty when none reaches the threshold)."""

    recommendation: str
    themes: tuple[ThemeScore, ...]


def theme_text(theme: Record) -> str:
    """What a theme says about itself: its title, description and keywords."""
    keywords = theme.get("keywords")
    words = [str(k) for k in keywords] if isinstance(keywords, list) else []
    return "\n".join(str(part) for part in (theme.get("title", ""), theme.get("description", ""), *words))


def untagged(graph: RecordGraph) -> list[Record]:
    """The recommendations that carry no theme (a superseded one is left alone: it needs no theme)."""
    return [rec for rec in graph.of_kind("recommendation")
            if not rec.links("themes") and rec.get("status") != "superseded"]


def suggest_themes(graph: RecordGraph, threshold: float, top: int = 3) -> list[Suggestion]:
    """For each recommendation that carries no theme, at most `top` themes scoring at or above the
    threshold, best first."""
    import numpy as np

    check_threshold(threshold)
    themes = graph.of_kind("theme")
    wanting = untagged(graph)
    if not themes or not wanting:
        return [Suggestion(rec.id, ()) for rec in wanting]
    recommendations = graph.of_kind("recommendation")
    documents = [(rec.id, recommendation_text(rec)) for rec in recommendations]
    documents += [(f"theme:{theme.id}", theme_text(theme)) for theme in themes]
    index = build_index(documents)
    vectors = index.vectors.to_scipy()
    row = {doc_id: position for position, doc_id in enumerate(index.ids)}
    profiles = []
    for theme in themes:
        rows = [row[f"theme:{theme.id}"], *(row[r.id] for r in graph.upstream(theme.id, CARRIES))]
        profile = np.asarray(vectors[rows].mean(axis=0)).ravel()
        length = float(np.linalg.norm(profile))
        profiles.append(profile / length if length else profile)
    scores = vectors[[row[rec.id] for rec in wanting]] @ np.vstack(profiles).T
    suggestions = []
    for rec, line in zip(wanting, np.round(np.asarray(scores), DECIMALS), strict=True):
        ranked = sorted(((float(score), theme.id) for score, theme in zip(line, themes, strict=True)
                         if score >= threshold and score > 0), key=lambda item: (-item[0], natural_key(item[1])))
        suggestions.append(Suggestion(rec.id, tuple(ThemeScore(t, s) for s, t in ranked[:top])))
    return suggestions


def tagging_change(workspace: Workspace, suggestions: list[Suggestion]) -> Change:
    """The round-trip edits that add each suggestion's themes to its recommendation's `themes` list
    (comments, field order and quoting kept; see edits.change_links)."""
    from learntrace.edits import Change, change_links

    writes: list[tuple[str, bytes]] = []
    said = []
    for suggestion in suggestions:
        if not suggestion.themes:
            continue
        change = change_links(workspace, suggestion.recommendation,
                              {"themes": [t.theme for t in suggestion.themes]}, remove=False)
        writes.extend(change.writes)
        said.append(change.summary)
    return Change(tuple(writes), summary="\n".join(said))
