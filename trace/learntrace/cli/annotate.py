"""Commands that add to a record without editing YAML: provenance, reviewed."""

from __future__ import annotations

import datetime as dt

import click

from learntrace.cli.app import Session
from learntrace.cli.edit import commit_change, open_workspace


@click.command()
@click.argument("record_id", metavar="ID")
@click.option("--document", required=True, help="The document the record's facts come from (its file name or title).")
@click.option("--section", required=True, help="Where in it: the section, table, row or paragraph.")
@click.pass_obj
def provenance(session: Session, record_id: str, document: str, section: str) -> int:
    """Add where a record's facts come from: a document and the section of
    it. The record keeps the provenance it had; this adds one more entry.

    \b
    Examples:
      trace provenance ACT-BP-12 --document "Business plan 2022" \\
          --section "Table 2, row 4"
      trace provenance REC-AB-3 --document 001_SCR_AB.txt --section "Paragraph 18"
    """
    from learntrace.additions import add_provenance

    workspace = open_workspace(session)
    return commit_change(workspace, add_provenance(workspace, record_id, document, section))


@click.command()
@click.argument("record_id", metavar="ACTION")
@click.option("--note", help="What was checked or decided, such as \"Still answers the reworded recommendation\".")
@click.option("--by", "by", metavar="WHO",
              help="Who checked it: a role, a group or a member of staff (default: git's user.name, if set).")
@click.pass_obj
def reviewed(session: Session, record_id: str, note: str | None, by: str | None) -> int:
    """Record that an action was checked against the current wording of
    the recommendations it addresses: its `reviewed` field gets today's
    date, who checked it and your note. This clears the action's suspect
    links (trace gaps) once the change is committed.

    \b
    Examples:
      trace reviewed ACT-BP-12 --note "Still answers REC-AB-3 as reworded"
      trace reviewed ACT-BP-12 --by "Protecting Babies Steering Group"
    """
    from learntrace.additions import mark_reviewed

    workspace = open_workspace(session)
    return commit_change(workspace, mark_reviewed(workspace, record_id, dt.date.today(), by or _git_user(session),
                                                  note))


def _git_user(session: Session) -> str | None:
    from learntrace.errors import TraceError
    from learntrace.gitio import GitRepo

    try:
        return GitRepo(session.config.root).user_name()
    except TraceError:  # not in git: nobody to name unless --by says
        return None


COMMANDS = (provenance, reviewed)
