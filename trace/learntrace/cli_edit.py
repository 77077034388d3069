"""Commands that change records: new, set, link, unlink, rename, import csv; and export csv.
Registered on the `trace` group (see cli.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from learntrace.cli import Session, cli, load_graph, write_output
from learntrace.errors import TraceError
from learntrace.model import KINDS


def _interactive() -> bool:
    """Ask for missing fields only when a person is typing (never in CI or a pipe)."""
    return sys.stdin.isatty()


def _workspace(session: Session) -> Any:
    from learntrace.edit import read_workspace

    if session.at is not None:
        raise click.UsageError("--at reads the records as they were; changes are made to the files as they are now, "
                               "so leave --at out")
    return read_workspace(session.config().root)


def _apply(workspace: Any, change: Any) -> None:
    from learntrace.edit import apply_change

    try:
        apply_change(workspace.root, change)
    except OSError as error:
        raise TraceError(f"could not write {error.filename or 'the records'}: {error.strerror or error}; "
                         "no file was changed") from error


def _commit(workspace: Any, change: Any) -> None:
    """Check a change against every record; write it (all files or none), or say why not and exit 1."""
    from learntrace.edit import new_problems
    from learntrace.output import terminal_safe

    if change.is_empty:
        click.echo(terminal_safe(change.summary))
        return
    problems = new_problems(workspace, change)
    if problems:
        for problem in problems:
            click.echo(terminal_safe(f"{problem.location()}: {problem.message}"))
        click.echo(f"Nothing written: the change would add {len(problems)} problem(s), shown above; "
                   "no file was changed.")
        sys.exit(1)
    _apply(workspace, change)
    click.echo(terminal_safe(change.summary))


_NEW_FIELDS = ("title", "text", "owner", "status", "target", "source", "type", "published", "date", "supports",
               "addresses", "aims", "outcomes", "ref", "objective", "rag", "notes")


def _field_options(command: Any) -> Any:
    helps = {
        "title": "The title (source, aim, action, evidence, outcome).",
        "text": "A recommendation's full text.",
        "owner": "An action's owner: the group or agency responsible.",
        "status": "The status (choices depend on the kind; asked with choices when typed in a terminal).",
        "target": "An action's target: 2022-03, 2022-Q1, 2022-03-31, 2021-12..2022-06, ongoing or tba.",
        "source": "A recommendation's source id, such as SRC-AB.",
        "type": "A source's type, such as local-review.",
        "published": "When a source was published: YYYY, YYYY-MM or YYYY-MM-DD.",
        "date": "An evidence item's date: YYYY, YYYY-MM or YYYY-MM-DD.",
        "supports": "Evidence: the action or outcome ids it supports, such as ACT-1,ACT-2.",
        "addresses": "An action: the recommendation ids it addresses, such as REC-AB-1,REC-AB-2.",
        "aims": "The aim ids, such as AIM-2.1 (a recommendation may say all).",
        "outcomes": "An action: the outcome ids it contributes to.",
        "ref": "A reference number, such as a paragraph in the source.",
        "objective": "An action: the objective the plan lists it under.",
        "rag": "An action's RAG rating: red, amber or green.",
        "notes": "Free text: doubts, original wording.",
    }
    for name in reversed(_NEW_FIELDS):
        command = click.option(f"--{name}", name, metavar="TEXT" if name not in ("supports", "addresses", "aims",
                               "outcomes") else "IDS", help=helps[name])(command)
    return command


@cli.command("new")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--prefix", help="Number the new id after this prefix, such as ACT-BP (default: the folder's most used).")
@click.option("--id", "record_id", metavar="ID", help="Use this id instead of the next free one.")
@_field_options
@click.option("--document", help="Provenance: the document the facts come from.")
@click.option("--section", help="Provenance: the section, table or row of that document.")
@click.pass_obj
def new_record(session: Session, /, kind: str, prefix: str | None, record_id: str | None, document: str | None,
               section: str | None, **given: str | None) -> None:
    """Create a record with the next free id (following the ids already in
    its folder), checked before it is written.

    Give the required fields as options; typed in a terminal, trace asks for
    the missing ones (with the allowed values). The new file starts with the
    line that lets VS Code check it as you type.

    \b
    Examples:
      trace new action --prefix ACT-BP --title "Relaunch the guidance" \\
          --owner "Protecting Babies Steering Group" --status not-started \\
          --target 2023-03 --addresses REC-AB-1 --aims AIM-2.3 \\
          --document "Business plan 2022" --section "Table 2, row 4"
      trace new aim --title "Safer sleeping" --status active
      trace new recommendation      (asks for each field)
    """
    from learntrace.edit import add_files, field_shape, parse_list, property_schemas
    from learntrace.newrecord import id_pattern, next_ids, record_path, record_text
    from learntrace.schema import article, required_fields

    properties = property_schemas(kind)
    fields: dict[str, Any] = {name: value for name, value in given.items() if value is not None}
    for name in fields:
        if name not in properties:
            raise click.UsageError(f"{article(kind)} has no field '{name}', so --{name} cannot be used with it")
    if (document is None) != (section is None):
        raise click.UsageError("give both --document and --section (where the facts come from), or neither")
    missing = [name for name in required_fields(kind) if name != "id" and name not in fields]
    if missing and not _interactive():
        raise click.UsageError(
            f"{article(kind)} needs {', '.join('--' + name for name in missing)}; give them as options "
            "(or run trace new in a terminal to be asked for them)"
        )
    for name in missing:
        fields[name] = _ask(kind, name, properties[name])
    for name, value in list(fields.items()):
        if field_shape(kind, name) == "list" and not (kind == "recommendation" and name == "aims" and value == "all"):
            fields[name] = parse_list(value)
    workspace = _workspace(session)
    pattern = id_pattern(kind, workspace.records, prefix)
    new_id = record_id or next_ids(pattern, workspace.ids())[0]
    path = record_path(pattern, new_id)
    provenance = [(document, section)] if document and section else []
    text = record_text(kind, path, new_id, fields, provenance)
    _commit(workspace, add_files(workspace, [(path, text.encode("utf-8"))], f"Created {path} ({new_id})."))


def _ask(kind: str, name: str, schema: dict[str, Any]) -> str:
    from learntrace.edit import field_shape

    if "enum" in schema:
        return str(click.prompt(name, type=click.Choice([str(value) for value in schema["enum"]])))
    hint = schema.get("description", "")
    if field_shape(kind, name) == "list":
        hint = "ids separated by commas" + (", or all" if name == "aims" and kind == "recommendation" else "")
    return str(click.prompt(f"{name} ({hint})" if hint else name)).strip()


@cli.command("set")
@click.argument("record_id", metavar="ID")
@click.argument("field", metavar="FIELD")
@click.argument("value", metavar="[VALUE]", required=False)
@click.option("--remove", is_flag=True, help="Delete the field instead (only a field that is not required).")
@click.pass_obj
def set_command(session: Session, record_id: str, field: str, value: str | None, remove: bool) -> None:
    """Change one field of one record, keeping its comments, field order
    and quotes. The change is checked first (allowed values, links): a
    refused change leaves the file exactly as it was and says why.

    A list (addresses, aims, tags, ...) is given as A,B or "[A, B]"; "[]"
    empties it. To change an id use trace rename.

    \b
    Examples:
      trace set ACT-BP-12 status complete
      trace set ACT-BP-12 target 2023-03
      trace set ACT-BP-12 aims AIM-2.1,AIM-2.3
      trace set ACT-BP-12 notes --remove
    """
    from learntrace.edit import set_field

    if remove and value is not None:
        raise click.UsageError("give a VALUE or --remove, not both")
    if not remove and value is None:
        raise click.UsageError("give the new VALUE, or --remove to delete the field")
    workspace = _workspace(session)
    _commit(workspace, set_field(workspace, record_id, field, None if remove else value))


def _link_options(command: Any) -> Any:
    for name, what in reversed((("addresses", "A recommendation"), ("aims", "An aim"), ("outcomes", "An outcome"),
                                ("supports", "An action or outcome"))):
        command = click.option(f"--{name}", name, multiple=True, metavar="ID",
                               help=f"{what} id (repeatable, or several separated by commas).")(command)
    return command


def _links(options: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    from learntrace.edit import parse_list

    links = {name: [i for value in values for i in parse_list(value)] for name, values in options.items() if values}
    if not links:
        raise click.UsageError("say what to link, for example --addresses REC-AB-1")
    return links


@cli.command()
@click.argument("record_id", metavar="ID")
@_link_options
@click.pass_obj
def link(session: Session, /, record_id: str, **options: tuple[str, ...]) -> None:
    """Add links to a record: the recommendations an action addresses, the
    aims or outcomes it serves, what an evidence item supports. Links to ids
    that do not exist, or to the wrong kind of record, are refused.

    \b
    Examples:
      trace link ACT-BP-12 --addresses REC-AB-3
      trace link ACT-BP-12 --aims AIM-2.1 --outcomes OUT-PB-2
      trace link EV-07 --supports ACT-BP-12
    """
    from learntrace.edit import change_links

    workspace = _workspace(session)
    _commit(workspace, change_links(workspace, record_id, _links(options), remove=False))


@cli.command()
@click.argument("record_id", metavar="ID")
@_link_options
@click.pass_obj
def unlink(session: Session, /, record_id: str, **options: tuple[str, ...]) -> None:
    """Remove links from a record (the opposite of trace link). The rest of
    the list, and the file's comments, stay as they are.

    \b
    Examples:
      trace unlink ACT-BP-12 --addresses REC-AB-3
      trace unlink EV-07 --supports ACT-BP-12
    """
    from learntrace.edit import change_links

    workspace = _workspace(session)
    _commit(workspace, change_links(workspace, record_id, _links(options), remove=True))


@cli.command()
@click.argument("old_id", metavar="OLD")
@click.argument("new_id", metavar="NEW")
@click.pass_obj
def rename(session: Session, old_id: str, new_id: str) -> None:
    """Give a record a new id: its file is renamed and every link to it in
    other records is rewritten, all together or not at all.

    \b
    Examples:
      trace rename ACT-BP-38 ACT-BP-40
      trace rename REC-AB-10 REC-AB-9
    """
    from learntrace.edit import rename as rename_record

    workspace = _workspace(session)
    _commit(workspace, rename_record(workspace, old_id, new_id))


@cli.group("import")
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


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip() for cells in [header, *rows]]


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
               source: str | None, write: bool) -> None:
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
    from learntrace.csvio import file_label, plan_import
    from learntrace.edit import add_files, new_problems
    from learntrace.output import terminal_safe

    if source is not None and kind != "recommendation":
        raise click.UsageError("--source is for recommendations only")
    workspace = _workspace(session)
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
        sys.exit(1)
    if not plan.rows:
        click.echo("Nothing to import: the file has no rows.")
        return
    if not write:
        click.echo("Nothing written yet: run again with --write to create these records.")
        return
    _apply(workspace, change)
    click.echo(change.summary)


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
        lines += ["  " + line for line in _table(header, rows)]
    if plan.rejected:
        lines.append(f"Rows that cannot be imported: {len(plan.rejected)}")
        lines += [f"  row {problem.row}: {problem.message}" for problem in plan.rejected]
    return lines


def _joined(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value or "")


@cli.group("export")
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
def export_csv(session: Session, kind: str, out: Path | None) -> None:
    """One row per action or recommendation, with its links (joined with
    "; ") and, for recommendations, the coverage level: for people who
    want to filter and sort in a spreadsheet. The records must be valid.

    \b
    Examples:
      trace export csv --kind action --out actions.csv
      trace export csv --kind recommendation > recommendations.csv
      trace --at 2022-09-30 export csv --kind action --out actions-2022-Q2.csv
    """
    from learntrace.csvio import export_rows, to_csv
    header, rows = export_rows(load_graph(session), kind)
    text = to_csv(header, rows)
    if out is None:
        click.echo(text, nl=False)
        return
    # The byte-order mark tells Excel the file is UTF-8 (else it garbles dashes and accents).
    write_output(out, text.encode("utf-8-sig"))
    click.echo(f"Wrote {len(rows)} {kind}(s) to {out}.")
