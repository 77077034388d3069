"""Commands about learning that comes back: similar (recommendations that say the same thing)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import click

from learntrace.cli.app import Session, check_kind_id

_FORMATS = click.Choice(["text", "json", "markdown"])


def _threshold(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """0..1; click's FloatRange lets NaN through, so it is checked here."""
    if value is not None and (math.isnan(value) or not 0 <= value <= 1):
        raise click.BadParameter(f"{value} is not a number from 0 to 1; give a score such as 0.2", ctx, param)
    return value


def _threshold_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--threshold", type=float, callback=_threshold, metavar="T",
                        help=f"{what} (0..1; default: trace.toml's similarity_threshold, or 0.12).")


@click.command()
@click.argument("record_id", metavar="[ID]", required=False)
@_threshold_option("The lowest score reported")
@click.option("--format", "output_format", type=_FORMATS, default="text", show_default=True,
              help="text for people, json for programs, markdown for a pull-request comment or a report.")
@click.pass_obj
def similar(session: Session, record_id: str | None, threshold: float | None, output_format: str) -> int:
    """Recommendations of different sources that say the same thing, most
    similar first, with a score from 0 to 1 and the words they share. With
    an ID, the recommendations of other sources most like that one.

    The score compares the words of the two texts, weighing the rare ones
    more: "fathers" and "men", "safer sleeping" and "safe sleep",
    "pre-birth" and "unborn" count as the same word, and words every
    recommendation uses ("should", "ensure", "agencies", "practitioners",
    the partnership's name) count for nothing. Each pair is shown once,
    the recommendation of the source published first on the left.

    \b
    Examples:
      trace similar
      trace similar REC-AB-4
      trace similar --threshold 0.2 --format markdown
      trace similar --format json > pairs.json
    """
    from learntrace.analyses.similarity import nearest, similar_pairs
    from learntrace.render.similarity import similar_json, similar_markdown, similar_text

    graph = session.valid_graph()
    check_kind_id(graph, record_id, "recommendation", "ID")
    cutoff = session.config.similarity_threshold if threshold is None else threshold
    recommendations, sources = graph.of_kind("recommendation"), graph.of_kind("source")
    if record_id is None:
        pairs = similar_pairs(recommendations, cutoff, sources)
    else:
        pairs = nearest(recommendations, record_id, cutoff, sources)
    if output_format == "json":
        click.echo(similar_json(pairs, cutoff))
    elif output_format == "markdown":
        click.echo(similar_markdown(pairs, cutoff, graph, record_id), nl=False)
    else:
        click.echo(similar_text(pairs, cutoff, graph, record_id))
    return 0


COMMANDS = (similar,)
