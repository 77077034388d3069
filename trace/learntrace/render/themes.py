"""`trace themes` and `trace themes suggest`: themes across reviews, and suggested tags, for people and
programs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from learntrace.analyses.theme_suggestions import Suggestion
from learntrace.analyses.themes import ThemeSummary
from learntrace.output import markdown_cell, terminal_safe


def themes_json(themes: Sequence[ThemeSummary]) -> str:
    return json.dumps({"themes": [
        {"id": theme.id, "title": theme.title, "recurring": theme.recurring,
         "sources": [{"id": s.id, "published": s.published, "recommendations": list(s.recommendations)}
                     for s in theme.sources]}
        for theme in themes
    ]}, indent=2, ensure_ascii=False)


def _summary(theme: ThemeSummary) -> str:
    if not theme.sources:
        return "no recommendation carries it"
    sources = len(theme.sources)
    said = f"{theme.recommendation_count} recommendation(s) from {sources} source(s)"
    return f"recurring: {said}" if theme.recurring else said


def themes_text(themes: Sequence[ThemeSummary]) -> str:
    if not themes:
        return "No themes recorded yet: add them under records/themes/ (see trace new theme --help)."
    recurring = sum(1 for theme in themes if theme.recurring)
    lines = [f"{len(themes)} theme(s), {recurring} recurring (carried by sources published in different years)"]
    for theme in themes:
        lines += ["", f"{theme.id}  {theme.title}", f"  {_summary(theme)}"]
        width = max((len(s.id) for s in theme.sources), default=0)
        date_width = max((len(s.date) for s in theme.sources), default=0)
        for source in theme.sources:
            lines.append(f"  {source.id:{width}}  {source.date:{date_width}}  "
                         f"{len(source.recommendations)}  {', '.join(source.recommendations)}")
    return terminal_safe("\n".join(lines))


def themes_markdown(themes: Sequence[ThemeSummary]) -> str:
    if not themes:
        return "No themes recorded yet.\n"
    lines = ["| theme | recurring | source | published | recommendations |", "|---|---|---|---|---|"]
    for theme in themes:
        label = f"**{markdown_cell(theme.id)}** {markdown_cell(theme.title)}"
        recurring = "yes" if theme.recurring else "no"
        if not theme.sources:
            lines.append(f"| {label} | {recurring} | - | - | none |")
        for index, source in enumerate(theme.sources):
            first = (label, recurring) if index == 0 else ("", "")
            lines.append(f"| {first[0]} | {first[1]} | {markdown_cell(source.id)} | "
                         f"{markdown_cell(source.date)} | "
                         f"{len(source.recommendations)}: {markdown_cell(', '.join(source.recommendations))} |")
    return "\n".join(lines) + "\n"


def suggestions_text(suggestions: Sequence[Suggestion], threshold: float, write: bool) -> str:
    if not suggestions:
        return "Every recommendation carries a theme already: nothing to suggest."
    with_themes = [s for s in suggestions if s.themes]
    lines = [f"{len(suggestions)} recommendation(s) carry no theme; {len(with_themes)} have themes scoring "
             f"{threshold} or more:"]
    width = max(len(s.recommendation) for s in suggestions)
    for suggestion in suggestions:
        found = ", ".join(f"{t.theme} ({t.score:.3f})" for t in suggestion.themes) or "no theme is close enough"
        lines.append(f"  {suggestion.recommendation:{width}}  {found}")
    if with_themes and not write:
        lines.append("Nothing written yet: run again with --write to add these themes to the recommendations "
                     "(check them first: they come from shared words, not from reading).")
    return terminal_safe("\n".join(lines))
