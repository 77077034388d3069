"""Commands about learning that comes back: similar (recommendations that say the same thing) and themes
(themes across reviews, and suggested theme tags)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import click

from learntrace.cli.app import Session, check_kind_id
from learntrace.cli.remembered import remembered

_FORMATS = click.Choice(["text", "json", "markdown"])


def _threshold(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """0..1; click's FloatRange lets NaN through, so it is checked here."""
    if value is not None and (math.isnan(value) or not 0 <= value <= 1):
        raise click.BadParameter(f"{value} is not a number from 0 to 1; give a score such as 0.2", ctx, param)
    return value


def _threshold_option(what: str, default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--threshold", type=float, callback=_threshold, metavar="T",
                        help=f"{what} (0..1; default: {default}).")


@click.command()
@click.argument("record_id", metavar="[ID]", required=False)
@_threshold_option("The lowest score reported", "trace.toml's similarity_threshold, or 0.12")
@click.option("--nearest", type=click.IntRange(min=1), default=5, show_default=True, metavar="N",
              help="List each recommendation's N nearest recommendations of other sources.")
@click.option("--format", "output_format", type=_FORMATS, default="text", show_default=True,
              help="text for people, json for programs, markdown for a pull-request comment or a report.")
@click.pass_obj
@remembered()
def similar(session: Session, record_id: str | None, threshold: float | None, nearest: int,
            output_format: str) -> int:
    """Recommendations of different sources that say the same thing, most
    similar first, with a score from 0 to 1 and the words they share. With
    an ID, the recommendations of other sources most like that one.

    The score compares the words of the two texts, weighing the rare ones
    more: "fathers" and "men", "safer sleeping" and "safe sleep",
    "pre-birth" and "unborn" count as the same word, and words every
    recommendation uses ("should", "ensure", "agencies", "practitioners",
    the partnership's name) count for nothing. Each pair is shown once,
    the recommendation of the source published first on the left. For
    each recommendation, its nearest few are listed (--nearest); how many
    more pairs reach the threshold is said at the end.

    \b
    Examples:
      trace similar
      trace similar REC-AB-4
      trace similar REC-AB-4 --nearest 20
      trace similar --threshold 0.2 --format markdown
      trace similar --format json > pairs.json
    """
    from learntrace.analyses.similarity import nearest_to, similar_pairs
    from learntrace.render.similarity import similar_json, similar_markdown, similar_text

    graph = session.valid_graph()
    check_kind_id(graph, record_id, "recommendation", "ID")
    cutoff = session.config.similarity_threshold if threshold is None else threshold
    recommendations, sources = graph.of_kind("recommendation"), graph.of_kind("source")
    if record_id is None:
        found = similar_pairs(recommendations, cutoff, sources, nearest, words=output_format != "json")
    else:
        found = nearest_to(recommendations, record_id, cutoff, sources, nearest, words=output_format != "json")
    if output_format == "json":
        click.echo(similar_json(found, cutoff, nearest))
    elif output_format == "markdown":
        click.echo(similar_markdown(found, cutoff, graph, record_id), nl=False)
    else:
        click.echo(similar_text(found, cutoff, graph, record_id))
    return 0


@click.group(invoke_without_command=True)
@click.option("--format", "output_format", type=_FORMATS, default="text", show_default=True,
              help="text for people, json for programs, markdown for a report or a pull-request comment.")
@click.pass_context
def themes(ctx: click.Context, output_format: str) -> int | None:
    """Themes across reviews: for each theme (records/themes/), the sources
    whose recommendations carry it, in order of publication, how many of
    their recommendations, and whether it is recurring: carried by two or
    more sources published in different years (a source whose date is
    unknown cannot count towards that).

    \b
    Examples:
      trace themes
      trace themes --format json
      trace themes suggest              themes for untagged recommendations
      trace themes suggest --write
    """
    if ctx.invoked_subcommand is not None:
        return None
    from learntrace.analyses.themes import find_themes
    from learntrace.render.themes import themes_json, themes_markdown, themes_text

    session: Session = ctx.obj
    found = find_themes(session.valid_graph())
    formats = {"text": themes_text, "json": themes_json, "markdown": themes_markdown}
    click.echo(formats[output_format](found), nl=output_format != "markdown")
    return 0


@themes.command("suggest")
@_threshold_option("The lowest score a suggested theme needs", "0.2")
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True, metavar="N",
              help="At most this many themes per recommendation.")
@click.option("--write", is_flag=True, help="Add the suggested themes to the recommendations' files "
              "(without it, only show them).")
@click.pass_obj
def suggest(session: Session, threshold: float | None, top: int, write: bool) -> int:
    """Suggest themes for the recommendations that carry none: the themes
    whose title, description, keywords and already-tagged recommendations
    share the most words with the recommendation's text, with scores.

    Without --write nothing is changed. With --write, each suggested theme
    is added to the recommendation's themes list, keeping the file's
    comments, field order and quotes; every file is written, or none.
    Suggestions come from shared words: read them before you commit.

    \b
    Examples:
      trace themes suggest
      trace themes suggest --threshold 0.2 --top 1
      trace themes suggest --write
    """
    from learntrace.analyses.theme_suggestions import DEFAULT_SUGGESTION_THRESHOLD, suggest_themes, tagging_change
    from learntrace.render.themes import suggestions_text

    graph = session.valid_graph()
    if not graph.of_kind("theme"):
        raise click.UsageError("there are no themes to suggest yet: add them under records/themes/ first")
    cutoff = DEFAULT_SUGGESTION_THRESHOLD if threshold is None else threshold
    suggestions = suggest_themes(graph, cutoff, top)
    click.echo(suggestions_text(suggestions, cutoff, write))
    if not write or not any(s.themes for s in suggestions):
        return 0
    from learntrace.cli.edit import commit_change, open_workspace  # only to write: it brings the YAML writer

    workspace = open_workspace(session)
    return commit_change(workspace, tagging_change(workspace, suggestions))


COMMANDS = (similar, themes)
