"""`trace due`: who owes what, per owner, for the monthly update request."""

from __future__ import annotations

from typing import Any

import click

from learntrace.cli.app import Session, parse_as_of
from learntrace.errors import TraceError


def _last_changed(session: Session, until: Any) -> dict[str, Any] | None:
    """The day each record last changed in a commit; None when there is no git history to read."""
    from learntrace.due import last_changed_dates

    try:
        repo = session.repo
        commit = session.at_commit
        history = repo.record_history(rev=commit.sha if commit is not None else "HEAD")
    except TraceError:
        return None
    return last_changed_dates(history, until)


@click.command()
@click.option("--within", "within_days", type=click.IntRange(min=0), default=30, show_default=True, metavar="DAYS",
              help="List as due soon the actions whose target ends within this many days.")
@click.option("--stale", "stale_days", type=click.IntRange(min=1), default=90, show_default=True, metavar="DAYS",
              help="List the actions with no change committed for this many days (from git history).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The day to judge from (default: today, or the "
              "commit's day with --at).")
@click.option("--owner", metavar="NAME", help="Only this owner's actions (exact name, any case).")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="text for people, markdown for an e-mail or a GitHub issue, json for programs.")
@click.pass_obj
def due(session: Session, within_days: int, stale_days: int, as_of: str | None, owner: str | None,
        output_format: str) -> int:
    """Who owes what: for each owner, the live actions (not complete, not
    dropped) that are overdue, that are due within --within days, and that
    have had no change committed for --stale days, each with its target,
    status and the recommendations it answers.

    With trace export xlsx --split-by owner, this is the monthly update
    request: paste the Markdown into the e-mail (or a GitHub issue) and
    attach each owner's workbook.

    \b
    Examples:
      trace due
      trace due --as-of 2023-03-31 --within 60
      trace due --owner "Health Visiting" --format markdown
      trace due --format json > due.json
    """
    from learntrace.due import find_due
    from learntrace.render.due import due_json, due_markdown, due_text
    from learntrace.spreadsheet import owners, same_owner

    commit = session.at_commit
    day = parse_as_of(as_of) if as_of or commit is None else commit.date.date()
    graph = session.valid_graph()
    if owner is not None and not any(same_owner(a.get("owner"), owner) for a in graph.of_kind("action")):
        raise click.BadParameter(f"no action has the owner '{owner}'; the owners are: {'; '.join(owners(graph))}",
                                 param_hint="--owner")
    report = find_due(graph, day, within_days, stale_days, _last_changed(session, day), owner)
    if output_format == "json":
        click.echo(due_json(report))
    elif output_format == "markdown":
        click.echo(due_markdown(report), nl=False)
    else:
        click.echo(due_text(report), nl=False)
    return 0


COMMANDS = (due,)
