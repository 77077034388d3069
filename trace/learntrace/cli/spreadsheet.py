"""Commands between records and spreadsheets: export xlsx|csv (one file, one owner's, or one per owner)
and import xlsx|csv (create and update by id). openpyxl is imported only by these, when they run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from learntrace.cli.app import Session, problem_line, write_output
from learntrace.cli.edit import apply_edit, open_workspace
from learntrace.errors import Problem, TraceError

if TYPE_CHECKING:
    from learntrace.graph import RecordGraph
    from learntrace.spreadsheet import SheetProblem, Table

_FORMATS = {"xlsx": "workbook", "csv": "CSV file"}


@click.group("import")
def import_group() -> None:
    """Create and update records from a spreadsheet.

    \b
    Examples:
      trace import xlsx actions-health-visiting.xlsx
      trace import xlsx actions-health-visiting.xlsx --write
      trace import csv plan.csv --kind action
    """


@click.group("export")
def export_group() -> None:
    """Write records out for a spreadsheet.

    \b
    Examples:
      trace export xlsx --kind action --out actions.xlsx
      trace export xlsx --kind action --split-by owner --out to-owners/
      trace export csv --kind recommendation
    """


def _encoded(file_format: str, kind: str, header: list[str], rows: list[list[str]]) -> bytes:
    if file_format == "xlsx":
        from learntrace.schema import field_schemas
        from learntrace.xlsx_io import write_workbook

        schemas = field_schemas(kind)
        choices: dict[str, list[str]] = {name: [str(v) for v in schemas[name]["enum"]] for name in ("status", "rag")
                                         if name in schemas}
        return write_workbook(kind, header, rows, choices)
    from learntrace.csv_export import to_csv

    # The byte-order mark tells Excel the file is UTF-8 (else it garbles dashes and accents).
    return to_csv(header, rows).encode("utf-8-sig")


def _check_owner(graph: RecordGraph, owner: str) -> None:
    from learntrace.spreadsheet import owners, same_owner

    if not any(same_owner(action.get("owner"), owner) for action in graph.of_kind("action")):
        raise click.BadParameter(f"no action has the owner '{owner}'; the owners are: {'; '.join(owners(graph))}",
                                 param_hint="--owner")


def _export(session: Session, file_format: str, kind: str, out: Path | None, owner: str | None,
            split_by: str | None) -> int:
    from learntrace.output import terminal_safe
    from learntrace.spreadsheet import export_table

    if (owner or split_by) and kind != "action":
        raise click.UsageError("--owner and --split-by are for actions: recommendations have no owner")
    if owner and split_by:
        raise click.UsageError("give --owner or --split-by owner, not both")
    graph = session.valid_graph()
    if split_by:
        if out is None or out.is_file():
            raise click.UsageError("--split-by owner writes one file per owner: give the folder with --out DIR")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise TraceError(f"cannot make the folder {out}: {error.strerror or error}") from error
        from learntrace.spreadsheet import tables_by_owner

        tables = tables_by_owner(graph, kind)
        for table in tables:
            write_output(out / f"{table.stem}.{file_format}", _encoded(file_format, kind, table.header, table.rows),
                         session.config.root)
        click.echo(f"Wrote {len(tables)} {_FORMATS[file_format]}(s), one per owner, to {out}:")
        for table in tables:
            path = out / f"{table.stem}.{file_format}"
            click.echo(terminal_safe(f"  {path}  {table.owner} ({len(table.rows)} {kind}(s))"))
        return 0
    if owner:
        _check_owner(graph, owner)
    header, rows = export_table(graph, kind, owner=owner)
    if out is None:
        if file_format == "xlsx":
            raise click.UsageError("a workbook cannot be shown on the screen: give the file with --out FILE.xlsx")
        from learntrace.csv_export import to_csv

        click.echo(terminal_safe(to_csv(header, rows)), nl=False)
        return 0
    if out.is_dir():
        example = out / f"{kind}s.{file_format}"
        raise click.UsageError(f"{out} is a folder; give the file to write, such as {example}")
    streamed = write_output(out, _encoded(file_format, kind, header, rows), session.config.root)
    click.echo(f"Wrote {len(rows)} {kind}(s) to {out}.", err=streamed)  # not into the data on /dev/stdout
    return 0


def _export_options(command: Any) -> Any:
    options = [
        click.option("--kind", type=click.Choice(["action", "recommendation"]), required=True,
                     help="Which records: one row each."),
        click.option("--out", type=click.Path(path_type=Path),
                     help="The file to write (with --split-by owner: the folder)."),
        click.option("--owner", metavar="NAME", help="Only the actions of this owner (exact name, any case)."),
        click.option("--split-by", type=click.Choice(["owner"]),
                     help="One file per owner in the folder --out, named after the owner."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@export_group.command("xlsx")
@_export_options
@click.pass_obj
def export_xlsx(session: Session, kind: str, out: Path | None, owner: str | None, split_by: str | None) -> int:
    """An Excel workbook with one row per action or recommendation, for
    people to fill in and send back (then trace import xlsx).

    Dropdowns offer the allowed statuses and RAG ratings; the grey columns
    are the id and what trace works out itself. A hidden column holds each
    row's fingerprint, so that an import can tell what changed since.

    \b
    Examples:
      trace export xlsx --kind action --out actions.xlsx
      trace export xlsx --kind action --owner "Health Visiting" --out hv.xlsx
      trace export xlsx --kind action --split-by owner --out to-owners/
      trace export xlsx --kind recommendation --out recommendations.xlsx
    """
    return _export(session, "xlsx", kind, out, owner, split_by)


@export_group.command("csv")
@_export_options
@click.pass_obj
def export_csv(session: Session, kind: str, out: Path | None, owner: str | None, split_by: str | None) -> int:
    """One row per action or recommendation, with its links (joined with
    "; "), the columns trace works out itself (evidence; coverage level and
    actions) and a fingerprint per row: the same columns as the workbook,
    and imported back the same way. The records must be valid.

    \b
    Examples:
      trace export csv --kind action --out actions.csv
      trace export csv --kind recommendation > recommendations.csv
      trace --at 2022-09-30 export csv --kind action --out actions-2022-Q2.csv
    """
    return _export(session, "csv", kind, out, owner, split_by)


def _mappings(values: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for value in values:
        column, sep, name = value.rpartition("=")
        if not sep or not column.strip() or not name.strip():
            raise click.BadParameter(f"'{value}' should be COLUMN=FIELD, such as \"Target Date=target\"",
                                     param_hint="--map")
        mapping[column.strip()] = name.strip()
    return mapping


def _read_table(file: Path, file_format: str) -> Table:
    from learntrace.csv_import import read_csv_table
    from learntrace.xlsx_io import read_workbook

    try:
        data = file.read_bytes()
    except OSError as error:
        raise TraceError(f"could not read {file}: {error.strerror or error}") from error
    return read_workbook(data, file.name) if file_format == "xlsx" else read_csv_table(data, file.name)


def _refuse(file_name: str, problems: list[SheetProblem | Problem]) -> int:
    from learntrace.output import terminal_safe
    from learntrace.render.import_preview import problem_lines

    click.echo(f"Problems: {len(problems)}")
    for line in problem_lines(file_name, problems):
        click.echo(terminal_safe(line))
    click.echo(f"Nothing written: {len(problems)} problem(s) above; fix them in the spreadsheet and run again.")
    return 1


def _import(session: Session, file: Path, file_format: str, kind: str | None, mappings: tuple[str, ...],
            prefix: str | None, source: str | None, allow_duplicates: bool, write: bool) -> int:
    from learntrace.edits import Change, new_problems
    from learntrace.output import terminal_safe
    from learntrace.plan_update import plan_update
    from learntrace.render.import_preview import preview_lines
    from learntrace.sheet_columns import detect_kind

    workspace = open_workspace(session)
    table = _read_table(file, file_format)
    if not table.header:  # not one table of records (two sheets of them): only its problems can be said
        return _refuse(table.name, list(table.problems))
    kind = kind or detect_kind(table, workspace.records)
    if source is not None and kind != "recommendation":
        raise click.UsageError("--source is for recommendations only")
    plan = plan_update(table, kind, workspace, _mappings(mappings), prefix=prefix,
                       defaults={"source": source} if source else None, allow_duplicates=allow_duplicates)
    writes = plan.writes()
    created = [c.path for c in plan.creates]
    change = Change(writes, summary="\n".join(f"  {path}" for path, _ in writes))
    # Text that looks like personal data is a warning (written anyway), or an error in CI.
    found = new_problems(workspace, change, session.privacy) if writes else []
    warnings = [problem for problem in found if problem.severity == "warning"]
    problems = [*plan.problems, *plan.locate([problem for problem in found if problem.severity != "warning"])]
    for line in preview_lines(plan, table.notes, write and not problems):
        click.echo(terminal_safe(line))  # spreadsheet text: no control characters reach the terminal
    for warning in warnings:
        click.echo(problem_line(warning))
    if problems:
        return _refuse(table.name, problems)
    if not writes:
        rows = any(not cell.is_empty for row in table.rows for cell in row.cells)
        click.echo("Nothing to change: every row matches its record." if rows else
                   "Nothing to import: the file has no rows below its header.")
        return 0
    if not write:
        click.echo("Nothing written yet: run again with --write to make these changes.")
        return 0
    apply_edit(workspace, change, label=f"trace import {file_format} {file.name}")
    click.echo(f"Wrote {len(writes)} file(s) ({len(writes) - len(created)} changed, {len(created)} new):")
    click.echo(terminal_safe(change.summary))
    return 0


def _import_options(command: Any) -> Any:
    options = [
        click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
        click.option("--kind", type=click.Choice(["action", "recommendation"]),
                     help="What each row is (default: read from the file's columns)."),
        click.option("--map", "mappings", multiple=True, metavar='"COLUMN=FIELD"',
                     help='Read a column as a field, such as --map "When by=target" (repeatable); FIELD - leaves '
                     "it out."),
        click.option("--prefix", help="Number new ids after this prefix, such as ACT-BP (default: the folder's "
                     "most used)."),
        click.option("--source", metavar="SRC", help="Recommendations: the source of new rows that do not name one."),
        click.option("--allow-duplicates", is_flag=True,
                     help="Create a new row even when its title (or text) matches an existing record."),
        click.option("--write", is_flag=True, help="Make the changes (without it, only show what would change)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


_IMPORT_HELP = """

    A row whose id names a record updates it: only the cells that differ
    change the record, and the file keeps its comments, order and quotes.
    A row without an id creates a record; one whose title matches an
    existing record is refused as a duplicate. Values are read as plans
    write them (Amber, In progress, 31/03/2023, Dec 21 - Jun 22, Rec 9.2),
    and a blank status is recorded as unknown.

    Without --write nothing is written: trace shows each change, each new
    record and every problem, with its row and column. With --write it
    makes every change, or none if any row has a problem. A row whose
    record changed after the export is refused (export again).
"""


@import_group.command("xlsx", help="Update and create actions or recommendations from an Excel workbook"
                      " (.xlsx), such as one trace export xlsx wrote." + _IMPORT_HELP + """
    \b
    Examples:
      trace import xlsx actions-health-visiting.xlsx
      trace import xlsx actions-health-visiting.xlsx --write
      trace import xlsx plan.xlsx --kind action --map "Lead Officer=owner"
    """)
@_import_options
@click.pass_obj
def import_xlsx(session: Session, /, file: Path, **options: Any) -> int:
    return _import(session, file, "xlsx", **options)


@import_group.command("csv", help="Update and create actions or recommendations from a spreadsheet saved as"
                      " CSV (commas, semicolons or tabs; UTF-8 or Windows text)." + _IMPORT_HELP + """
    \b
    Examples:
      trace import csv plan.csv --kind action
      trace import csv plan.csv --kind action --map "Lead Officer=owner" --write
      trace import csv recs.csv --kind recommendation --source SRC-AB
    """)
@_import_options
@click.pass_obj
def import_csv(session: Session, /, file: Path, **options: Any) -> int:
    return _import(session, file, "csv", **options)


COMMANDS = (import_group, export_group)
