"""Commands between records and spreadsheets: import csv, export csv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from learntrace.cli.app import Session, text_table, write_output
from learntrace.cli.edit import apply_edit, open_workspace
from learntrace.errors import TraceError


@click.group("import")
def import_group() -> None:
    """Create records from a spreadsheet.

    \b
    Examples:
      trace import csv actions.csv --kind action
      trace import csv actions.csv --kind action --write
    """


def _mappings(values: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for value in values:
        column, sep, name = value.rpartition("=")
        if not sep or not column.strip() or not name.strip():
            raise click.BadParameter(f"'{value}' should be COLUMN=FIELD, such as \"Target Date=target\"",
                                     param_hint="--map")
        mapping[column.strip()] = name.strip()
    return mapping


def _shorten(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


@import_group.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["action", "recommendation"]), required=True,
              help="What each row of the spreadsheet is.")
@click.option("--map", "mappings", multiple=True, metavar='"COLUMN=FIELD"',
              help='Read a column as a field, such as --map "When by=target" (repeatable); FIELD - leaves it out.')
@click.option("--prefix",
              help="Number the new ids after this prefix, such as ACT-BP (default: the folder's most used).")
@click.option("--source", metavar="SRC", help="Recommendations: the source of rows that do not name one.")
@click.option("--write", is_flag=True, help="Create the records (without it, only show what would be created).")
@click.pass_obj
def import_csv(session: Session, file: Path, kind: str, mappings: tuple[str, ...], prefix: str | None,
               source: str | None, write: bool) -> int:
    """Create actions or recommendations from a spreadsheet saved as CSV.

    Columns are matched by their header (any case; Action, Lead, Target
    Date, RAG, Recommendation and other usual names are understood). Target
    dates are read as plans write them (Dec 21 - Jun 22, Q3 2022,
    31/03/2022, TBC); a row trace cannot read is listed with its row number
    and why, never guessed. A missing status is recorded as unknown.

    Without --write nothing is written: trace shows what it would create.
    With --write it creates every record, or none if any row has a problem.

    \b
    Examples:
      trace import csv plan.csv --kind action
      trace import csv plan.csv --kind action --map "Lead Officer=owner" --write
      trace import csv recs.csv --kind recommendation --source SRC-AB
    """
    from learntrace.csv_import import file_label, plan_import
    from learntrace.edits import add_files, new_problems
    from learntrace.output import terminal_safe

    if source is not None and kind != "recommendation":
        raise click.UsageError("--source is for recommendations only")
    workspace = open_workspace(session)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise TraceError(f"could not read {file}: {error.strerror or error}") from error
    plan = plan_import(data, file_label(str(file)), kind, workspace.records, workspace.ids(), _mappings(mappings),
                       prefix=prefix, defaults={"source": source} if source else None)
    for line in _import_preview(plan, file.name, write):
        click.echo(terminal_safe(line))  # spreadsheet text: no control characters reach the terminal
    change = add_files(workspace, [(r.path, r.text.encode("utf-8")) for r in plan.rows],
                       f"Created {len(plan.rows)} {kind}(s):\n" + "\n".join(f"  {r.path}" for r in plan.rows))
    problems = new_problems(workspace, change) if plan.rows else []
    for problem in problems:
        click.echo(terminal_safe(f"{problem.location()}: {problem.message}"))
    if plan.rejected or problems:
        count = len(plan.rejected) + len(problems)
        click.echo(f"Nothing written: {count} problem(s) above; fix them in the spreadsheet (or use --map) "
                   "and run again.")
        return 1
    if not plan.rows:
        click.echo("Nothing to import: the file has no rows.")
        return 0
    if not write:
        click.echo("Nothing written yet: run again with --write to create these records.")
        return 0
    apply_edit(workspace, change)
    click.echo(change.summary)
    return 0


def _import_preview(plan: Any, file_name: str, write: bool) -> list[str]:
    """The columns used, a table of the records to create, and every row that cannot be imported."""
    lines = ["Columns used: " + (", ".join(f"{header} -> {name}" for header, name in plan.columns.items()) or "none")]
    if plan.ignored:
        lines.append("Columns not used: " + ", ".join(plan.ignored))
    if plan.kind == "action":
        header = ["row", "id", "title", "owner", "status", "target"]
        rows = [[str(r.row), r.id, _shorten(r.fields.get("title", ""), 40), _shorten(r.fields.get("owner", ""), 24),
                 r.fields.get("status", ""), r.fields.get("target", "")] for r in plan.rows]
    else:
        header = ["row", "id", "source", "aims", "status", "text"]
        rows = [[str(r.row), r.id, r.fields.get("source", ""), _shorten(_joined(r.fields.get("aims")), 20),
                 r.fields.get("status", ""), _shorten(r.fields.get("text", ""), 40)] for r in plan.rows]
    lines.append(f"{'To create' if write else 'Would create'}: {len(plan.rows)} {plan.kind}(s) from {file_name}")
    if rows:
        lines += ["  " + line for line in text_table(header, rows)]
    if plan.rejected:
        lines.append(f"Rows that cannot be imported: {len(plan.rejected)}")
        lines += [f"  row {problem.row}: {problem.message}" for problem in plan.rejected]
    return lines


def _joined(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value or "")


@click.group("export")
def export_group() -> None:
    """Write records out for a spreadsheet.

    \b
    Examples:
      trace export csv --kind action --out actions.csv
      trace export csv --kind recommendation
    """


@export_group.command("csv")
@click.option("--kind", type=click.Choice(["action", "recommendation"]), required=True,
              help="Which records: one row each.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (UTF-8 that Excel reads) instead of the screen.")
@click.pass_obj
def export_csv(session: Session, kind: str, out: Path | None) -> int:
    """One row per action or recommendation, with its links (joined with
    "; ") and, for recommendations, the coverage level: for people who
    want to filter and sort in a spreadsheet. The records must be valid.

    \b
    Examples:
      trace export csv --kind action --out actions.csv
      trace export csv --kind recommendation > recommendations.csv
      trace --at 2022-09-30 export csv --kind action --out actions-2022-Q2.csv
    """
    from learntrace.csv_export import export_rows, to_csv

    header, rows = export_rows(session.valid_graph(), kind)
    text = to_csv(header, rows)
    if out is None:
        click.echo(text, nl=False)
        return 0
    # The byte-order mark tells Excel the file is UTF-8 (else it garbles dashes and accents).
    write_output(out, text.encode("utf-8-sig"))
    click.echo(f"Wrote {len(rows)} {kind}(s) to {out}.")
    return 0


COMMANDS = (import_group, export_group)
