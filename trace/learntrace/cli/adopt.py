"""Commands for starting and upgrading a records repository: init, schemas. Registered on the `trace` group."""

from __future__ import annotations

from pathlib import Path

import click

from learntrace import __version__
from learntrace.cli.app import Session
from learntrace.errors import TraceError


def _year_start(value: str) -> int:
    from learntrace.dates import month_number

    text = value.strip()
    number = int(text) if text.isdigit() and 1 <= int(text) <= 12 else month_number(text)
    if number is None:
        raise click.BadParameter(f"'{value}' is not a month; give a month name such as April or a number 1-12",
                                 param_hint="--year-starts")
    return number


@click.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path), default=".")
@click.option("--partnership", required=True, metavar="NAME",
              help='The partnership\'s name, as the report shows it, such as "Derby and Derbyshire SCP".')
@click.option("--strategy", metavar="TITLE", help="The strategy or plan the records follow (default: Action plan).")
@click.option("--year-starts", "year_starts", default="April", show_default=True, metavar="MONTH",
              help="The month the reporting year starts; quarters follow it.")
@click.option("--trace-repository", "trace_repository", metavar="OWNER/NAME", default="",
              help="The GitHub repository of trace that the workflows and pre-commit use "
              "(default: where this trace was published).")
@click.option("--force", is_flag=True, help="Replace files that already exist with other content (each is named).")
def init(folder: Path, partnership: str, strategy: str | None, year_starts: str, trace_repository: str,
         force: bool) -> int:
    """Start a records repository for a partnership: trace.toml, records/
    with a folder per kind, the schemas, the GitHub checks and reports,
    pre-commit, VS Code settings, CODEOWNERS and a README for the business
    unit.

    FOLDER (default: here) is an empty folder, or a git repository that
    holds no records yet. Nothing that exists is replaced without --force;
    run twice, the second run changes nothing.

    \b
    Examples:
      trace init derby-records --partnership "Derby and Derbyshire SCP"
      trace init . --partnership "Norfolk SCP" --strategy "Protect Babies From Harm" --year-starts April
    """
    from learntrace.scaffold import InitOptions, check_name, plan_init, write_init

    try:
        options = InitOptions(
            partnership=check_name("--partnership", partnership),
            strategy=check_name("--strategy", strategy) if strategy is not None else None,
            year_start_month=_year_start(year_starts), trace_repository=trace_repository.strip(),
        )
    except TraceError as error:
        raise click.UsageError(str(error)) from error
    plan = plan_init(folder, options)
    written = write_init(plan, force)
    where = folder if folder != Path(".") else Path.cwd()
    if not written:
        click.echo(f"Nothing to do: {where} already has every file trace init writes, as it writes them.")
    for rel in written:
        click.echo(f"{'Replaced' if rel in plan.different else 'Created'} {rel}")
    if written:
        click.echo(f"{len(written)} file(s) written in {where} for {options.partnership} (trace {__version__}).")
    _say_where_git_is(folder.resolve())
    if written:
        click.echo("Next: fill in the teams in .github/CODEOWNERS, then commit and push; README.md says the rest.")
    return 0


def _say_where_git_is(root: Path) -> None:
    from learntrace.scaffold import git_toplevel

    top = git_toplevel(root)
    if top is None:
        click.echo(f"Note: {root} is not a git repository yet. The checks on pull requests and the reports run on "
                   "GitHub, which needs one: run  git init -b main && git add -A && git commit -m \"Start the "
                   "records\"  in it, then create an empty repository on GitHub and push to it.")
    elif top.resolve() != root:
        click.echo(f"Note: {root} is inside the git repository {top}, not at its top; GitHub reads .github/ only at "
                   "the top of a repository, so run trace init there, or make this folder a repository of its own.")


@click.command()
@click.option("--write", is_flag=True, help="Replace schemas/ with the schemas of the installed trace.")
@click.pass_obj
def schemas(session: Session, write: bool) -> int:
    """Compare the repository's schemas/ with the schemas of the installed
    trace, which are what trace checks the records with; --write makes
    them the same (after upgrading trace).

    Exit code 0 when they are the same (or were just made so), 1 when they
    differ.

    \b
    Examples:
      trace schemas
      trace schemas --write
    """
    from learntrace.atomic import apply_atomically
    from learntrace.schemafiles import drift_problems, planned_schema_writes

    root = session.config.root
    if not write:
        problems = drift_problems(root)
        for problem in problems:
            click.echo(f"{problem.path}: {problem.message}")
        if not problems:
            click.echo(f"schemas/ matches trace {__version__}." if (root / "schemas").is_dir()
                       else "There is no schemas/ folder; trace schemas --write creates it.")
        return 1 if problems else 0
    writes, removes = planned_schema_writes(root)
    if not writes and not removes:
        click.echo(f"schemas/ already matches trace {__version__}; nothing to do.")
        return 0
    try:
        apply_atomically(root, writes, removes)
    except OSError as error:
        raise TraceError(f"cannot write schemas/ in {root}: {error.strerror or error}; nothing was changed") from error
    for rel, _ in writes:
        click.echo(f"Wrote {rel}")
    for rel in removes:
        click.echo(f"Removed {rel} (trace {__version__} has no such schema)")
    click.echo(f"schemas/ now matches trace {__version__}: commit it, so that editors and reviewers read the "
               "same rules.")
    return 0


COMMANDS = (init, schemas)
