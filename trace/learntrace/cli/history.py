"""Commands over the git history of the records: diff, history, log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import click

from learntrace.analyses.finding import Gap
from learntrace.cli.app import Session, parse_as_of
from learntrace.errors import TraceError
from learntrace.gitio import Commit
from learntrace.load import RecordFile
from learntrace.model import Record


def _records_and_gaps(session: Session, files: Iterable[RecordFile], as_of: dt.date,
                      commit: Commit | None) -> tuple[list[Record], list[Gap]]:
    """The records at one side of a diff and their gaps. A past commit's invalid records are used as
    they could be read (history cannot be fixed); the working tree's uncommitted edits count for
    suspect links."""
    from learntrace.analyses import AnalysisContext, find_gaps
    from learntrace.snapshot import read_history
    from learntrace.touches import history_index

    records, graph = read_history(files, session.cache)
    history = history_index(session.repo, commit, records, session.cache)
    context = AnalysisContext(as_of=as_of, config=session.config, history=history)
    return list(records), find_gaps(graph, context)


@click.command()
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The date that decides what is overdue (default: today).")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="markdown is ready to post as a pull-request comment.")
@click.pass_obj
def diff(session: Session, base: str | None, head: str | None, as_of: str | None, output_format: str) -> int:
    """Show what changed in the records between two commits: records added,
    removed, moved and edited (status and RAG changes first), and the gaps
    the change opens and closes.

    BASE defaults to where this branch left the default branch; HEAD to the
    working tree (including changes not yet committed).

    \b
    Examples:
      trace diff                      this branch's changes
      trace diff v2022-Q2 v2022-Q3
      trace diff origin/main --format markdown > comment.md
    """
    from learntrace.changes import diff_records
    from learntrace.load import read_worktree
    from learntrace.render import changes as render

    repo = session.repo
    if base is None:
        branch = repo.default_branch()
        if branch is None:
            raise TraceError("there is no default branch (main or master) to compare with; name one: trace diff BASE")
        base_commit = repo.merge_base(branch, "HEAD")
        base_label = f"{branch} ({base_commit.short})"
    else:
        base_commit = repo.resolve(base)
        base_label = f"{base} ({base_commit.short})"
    day = parse_as_of(as_of)
    head_commit = repo.resolve(head) if head is not None else None
    session.read_history_soon(base_commit, head_commit)
    old_files = repo.record_files_at(base_commit.sha, session.cache)
    old_records, old_gaps = _records_and_gaps(session, old_files, day, base_commit)
    new_files: Iterable[RecordFile]
    if head_commit is None:
        head_label = "the working tree"
        new_files = read_worktree(session.config.root)
    else:
        head_label = f"{head} ({head_commit.short})"
        new_files = repo.record_files_at(head_commit.sha, session.cache)
    new_records, new_gaps = _records_and_gaps(session, new_files, day, head_commit)
    changes = diff_records(old_records, new_records)
    old_keys, new_keys = {g.key for g in old_gaps}, {g.key for g in new_gaps}
    opened = [g for g in new_gaps if g.key not in old_keys]
    closed = [g for g in old_gaps if g.key not in new_keys]
    session.cache.save()
    formats = {"text": render.diff_text, "markdown": render.diff_markdown, "json": render.diff_json}
    click.echo(formats[output_format](base_label, head_label, changes, opened, closed),
               nl=output_format != "markdown")
    return 0


@click.command()
@click.argument("record_id", metavar="ID")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.pass_obj
def history(session: Session, record_id: str, output_format: str) -> int:
    """Every commit that changed one record, newest first: date, author,
    commit subject and the fields that changed, following the record when
    its file moved.

    \b
    Examples:
      trace history ACT-BP-11
      trace history REC-AB-5 --format json
    """
    from learntrace.history import record_history
    from learntrace.render import changes as render

    commit = session.at_commit
    entries = record_history(session.repo, record_id, rev=commit.sha if commit else "HEAD")
    render_history = render.history_json if output_format == "json" else render.history_text
    click.echo(render_history(record_id, entries))
    return 0


@click.command()
@click.option("--since", required=True, metavar="YYYY-MM-DD", help="The first day of the period.")
@click.option("--until", metavar="YYYY-MM-DD", help="The last day of the period (default: today).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.pass_obj
def log(session: Session, since: str, until: str | None, output_format: str) -> int:
    """Every change to every record in a period, grouped by kind: what was
    added, removed, moved, and which fields changed (status old → new).

    \b
    Examples:
      trace log --since 2022-07-01 --until 2022-09-30
      trace log --since 2022-07-01 --format json
    """
    from learntrace.history import change_log
    from learntrace.render import changes as render

    start = parse_as_of(since, "--since")
    end = parse_as_of(until, "--until") if until else None
    entries = change_log(session.repo, f"{start.isoformat()}T00:00:00",
                         f"{end.isoformat()}T23:59:59" if end else None)
    render_log = render.log_json if output_format == "json" else render.log_text
    click.echo(render_log(start.isoformat(), end.isoformat() if end else None, entries))
    return 0


COMMANDS = (diff, history, log)
