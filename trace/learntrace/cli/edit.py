"""Commands that change records: new, set, link, unlink, rename."""

from __future__ import annotations

import sys
from typing import Any

import click

from learntrace.cli.app import Session, problem_line
from learntrace.edits import Change, Workspace
from learntrace.errors import TraceError
from learntrace.model import KINDS
from learntrace.privacy import PrivacyPolicy


def _interactive() -> bool:
    """Ask for missing fields only when a person is typing (never in CI or a pipe)."""
    return sys.stdin.isatty()


def note(message: str) -> None:
    """What trace did besides the command (finished an interrupted change, waited for another): on stderr."""
    click.echo(message, err=True)


def open_workspace(session: Session) -> Workspace:
    """The records as they are now, read under the records' lock, which this command then holds until it
    ends: no other trace command changes them between this read and this command's writes."""
    from learntrace.edits import read_workspace
    from learntrace.journal import records_lock

    if session.at is not None:
        raise click.UsageError("--at reads the records as they were; changes are made to the files as they are now, "
                               "so leave --at out")
    root = session.config.root
    click.get_current_context().with_resource(records_lock(root, on_note=note))
    return read_workspace(root)


def apply_edit(workspace: Workspace, change: Change, label: str | None = None) -> None:
    """Write a change read from `workspace` (all files or none; a file changed meanwhile is an error).
    `label` names the change should a crash leave it to be finished (default: its summary's first clause)."""
    from learntrace.edits import apply_change

    try:
        apply_change(workspace, change, label)
    except OSError as error:
        raise TraceError(f"could not write {error.filename or 'the records'}: {error.strerror or error}; "
                         "no file was changed") from error


def commit_change(workspace: Workspace, change: Change, privacy: PrivacyPolicy | None = None) -> int:
    """Check a change against every record; write it (all files or none), or say why not and exit 1.
    Text that looks like personal data is a warning (written anyway), or an error in CI."""
    from learntrace.edits import new_problems
    from learntrace.output import terminal_safe

    if change.is_empty:
        click.echo(terminal_safe(change.summary))
        return 0
    problems = new_problems(workspace, change, privacy)
    for problem in problems:
        click.echo(problem_line(problem))
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        click.echo(f"Nothing written: the change would add {len(errors)} problem(s), shown above; "
                   "no file was changed.")
        return 1
    apply_edit(workspace, change)
    click.echo(terminal_safe(change.summary))
    return 0


_NEW_FIELDS = ("title", "text", "description", "owner", "status", "target", "source", "type", "published", "date",
               "supports", "addresses", "aims", "outcomes", "themes", "ref", "objective", "rag", "notes")


def _field_options(command: Any) -> Any:
    helps = {
        "title": "The title (source, aim, action, evidence, outcome, theme).",
        "description": "What an outcome means, or what a theme covers.",
        "text": "A recommendation's full text.",
        "owner": "An action's owner: the group or agency responsible.",
        "status": "The status (choices depend on the kind; asked with choices when typed in a terminal).",
        "target": "An action's target: 2022-03, 2022-Q1, 2022-summer, 2022-03-31, 2021-12..2022-06, ongoing, tba, "
                  "not-set or quarterly.",
        "source": "A recommendation's source id, such as SRC-AB.",
        "type": "A source's type, such as local-review.",
        "published": "When a source was published: YYYY, YYYY-MM or YYYY-MM-DD, or unknown.",
        "date": "An evidence item's date: YYYY, YYYY-MM or YYYY-MM-DD, or unknown.",
        "supports": "Evidence: the action or outcome ids it supports, such as ACT-1,ACT-2.",
        "addresses": "An action: the recommendation ids it addresses, such as REC-AB-1,REC-AB-2.",
        "aims": "The aim ids, such as AIM-2.1 (a recommendation may say all).",
        "outcomes": "An action: the outcome ids it contributes to.",
        "themes": "A recommendation: the theme ids it carries.",
        "ref": "A reference number, such as a paragraph in the source.",
        "objective": "An action: the objective the plan lists it under.",
        "rag": "An action's RAG rating: red, amber or green.",
        "notes": "Free text: doubts, original wording.",
    }
    for name in reversed(_NEW_FIELDS):
        command = click.option(f"--{name}", name, metavar="TEXT" if name not in ("supports", "addresses", "aims",
                               "outcomes", "themes") else "IDS", help=helps[name])(command)
    return command


@click.command("new")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--prefix", help="Number the new id after this prefix, such as ACT-BP (default: the folder's most used).")
@click.option("--id", "record_id", metavar="ID", help="Use this id instead of the next free one.")
@_field_options
@click.option("--document", help="Provenance: the document the facts come from.")
@click.option("--section", help="Provenance: the section, table or row of that document.")
@click.pass_obj
def new_record(session: Session, /, kind: str, prefix: str | None, record_id: str | None, document: str | None,
               section: str | None, **given: str | None) -> int:
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
    from learntrace.edits import add_files
    from learntrace.fields import property_schemas
    from learntrace.newrecord import choose_id, record_path, record_text
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
    said = _store_given(kind, fields)
    for name in missing:  # asked after the given ones are checked, and before the records are locked
        fields[name] = _ask(kind, name, properties[name])
        said += [line] if (line := _store(kind, name, fields)) is not None else []
    workspace = open_workspace(session)
    pattern, new_id, proposed = choose_id(kind, workspace.records, fields, prefix, record_id)
    path = record_path(pattern, new_id)
    provenance = [(document, section)] if document and section else []
    text = record_text(kind, path, new_id, fields, provenance)
    for line in said + ([proposed] if proposed else []):
        click.echo(line)
    return commit_change(workspace, add_files(workspace, [(path, text.encode("utf-8"))], f"Created {path} ({new_id})."),
                         session.privacy)


def _store_given(kind: str, fields: dict[str, Any]) -> list[str]:
    """Every option given, as it will be stored; all the values that cannot be, in one error."""
    said, wrong = [], []
    for name in list(fields):
        try:
            line = _store(kind, name, fields)
        except TraceError as error:
            wrong.append(f"  --{name}: {error}")
            continue
        said += [line] if line is not None else []
    if wrong:
        raise TraceError("nothing was created, because:\n" + "\n".join(wrong))
    return said


def _store(kind: str, name: str, fields: dict[str, Any]) -> str | None:
    """The field as it will be stored (a list of ids; a target, date or choice read as the import reads it),
    and the line saying so when that differs from what was typed."""
    from learntrace.fields import field_shape, parse_list
    from learntrace.values import stored_value

    value = fields[name]
    if field_shape(kind, name) == "list":
        if not (kind == "recommendation" and name == "aims" and value.strip() == "all"):
            fields[name] = parse_list(value)
        return None
    stored = stored_value(kind, name, value)
    fields[name] = stored.value
    return stored.said(name)


def _ask(kind: str, name: str, schema: dict[str, Any]) -> str:
    """Ask for one field until the answer can be stored: a bad target or status is asked again."""
    from learntrace.fields import field_shape
    from learntrace.values import stored_value

    shape = field_shape(kind, name)
    if "enum" in schema:
        hint = ", ".join(str(value) for value in schema["enum"])
    elif shape == "list":
        hint = "ids separated by commas" + (", or all" if name == "aims" and kind == "recommendation" else "")
    else:
        hint = schema.get("description", "")

    def checked(text: str) -> str:
        if shape != "list":
            try:
                stored_value(kind, name, text)
            except TraceError as error:
                raise click.UsageError(str(error)) from None
        return text.strip()

    return str(click.prompt(f"{name} ({hint})" if hint else name, value_proc=checked))


@click.command("set")
@click.argument("record_id", metavar="ID")
@click.argument("field", metavar="FIELD")
@click.argument("value", metavar="[VALUE]", required=False)
@click.option("--remove", is_flag=True, help="Delete the field instead (only a field that is not required).")
@click.option("--append", is_flag=True, help="notes: add VALUE as a new paragraph starting with today's date.")
@click.pass_obj
def set_command(session: Session, record_id: str, field: str, value: str | None, remove: bool, append: bool) -> int:
    """Change one field of one record, keeping its comments, field order
    and quotes. The change is checked first (allowed values, links): a
    refused change leaves the file exactly as it was and says why.

    Values are read as the spreadsheet import reads them: a target or a
    date as 31/03/2023, March 2023 or Q1 2023; a status or RAG in any case
    (Amber). trace says what it stored when that differs from what you
    typed. A list (addresses, aims, tags, ...) is given as A,B or
    "[A, B]"; "[]" empties it. To change an id use trace rename.

    \b
    Examples:
      trace set ACT-BP-12 status complete
      trace set ACT-BP-12 target "31/03/2023"
      trace set ACT-BP-12 aims AIM-2.1,AIM-2.3
      trace set ACT-BP-12 notes --append "Agreed at the June meeting"
      trace set ACT-BP-12 notes --remove
    """
    import datetime as dt

    from learntrace.additions import append_note
    from learntrace.edits import set_field

    if remove and (value is not None or append):
        raise click.UsageError("give a VALUE or --remove, not both")
    if not remove and value is None:
        raise click.UsageError("give the new VALUE, or --remove to delete the field")
    if append and field != "notes":
        raise click.UsageError(f"--append adds a dated paragraph to notes; to change {field}, leave --append out")
    workspace = open_workspace(session)
    if append:
        assert value is not None
        return commit_change(workspace, append_note(workspace, record_id, value, dt.date.today()), session.privacy)
    return commit_change(workspace, set_field(workspace, record_id, field, None if remove else value), session.privacy)


def _link_options(command: Any) -> Any:
    for name, what in reversed((("addresses", "A recommendation"), ("aims", "An aim"), ("outcomes", "An outcome"),
                                ("supports", "An action or outcome"), ("themes", "A theme"))):
        command = click.option(f"--{name}", name, multiple=True, metavar="ID",
                               help=f"{what} id (repeatable, or several separated by commas).")(command)
    return command


def _links(options: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    from learntrace.fields import parse_list

    links = {name: [i for value in values for i in parse_list(value)] for name, values in options.items() if values}
    if not links:
        raise click.UsageError("say what to link, for example --addresses REC-AB-1")
    return links


@click.command()
@click.argument("record_id", metavar="ID")
@_link_options
@click.pass_obj
def link(session: Session, /, record_id: str, **options: tuple[str, ...]) -> int:
    """Add links to a record: the recommendations an action addresses, the
    aims or outcomes it serves, what an evidence item supports. Links to ids
    that do not exist, or to the wrong kind of record, are refused.

    \b
    Examples:
      trace link ACT-BP-12 --addresses REC-AB-3
      trace link ACT-BP-12 --aims AIM-2.1 --outcomes OUT-PB-2
      trace link EV-07 --supports ACT-BP-12
    """
    from learntrace.edits import change_links

    workspace = open_workspace(session)
    return commit_change(workspace, change_links(workspace, record_id, _links(options), remove=False))


@click.command()
@click.argument("record_id", metavar="ID")
@_link_options
@click.pass_obj
def unlink(session: Session, /, record_id: str, **options: tuple[str, ...]) -> int:
    """Remove links from a record (the opposite of trace link). The rest of
    the list, and the file's comments, stay as they are.

    \b
    Examples:
      trace unlink ACT-BP-12 --addresses REC-AB-3
      trace unlink EV-07 --supports ACT-BP-12
    """
    from learntrace.edits import change_links

    workspace = open_workspace(session)
    return commit_change(workspace, change_links(workspace, record_id, _links(options), remove=True))


@click.command()
@click.argument("old_id", metavar="OLD")
@click.argument("new_id", metavar="NEW")
@click.pass_obj
def rename(session: Session, old_id: str, new_id: str) -> int:
    """Give a record a new id: its file is renamed and every link to it in
    other records is rewritten, all together or not at all.

    \b
    Examples:
      trace rename ACT-BP-38 ACT-BP-40
      trace rename REC-AB-10 REC-AB-9
    """
    from learntrace.edits import rename as rename_record

    workspace = open_workspace(session)
    return commit_change(workspace, rename_record(workspace, old_id, new_id), session.privacy)




COMMANDS = (new_record, set_command, link, unlink, rename)
