"""The `trace` command line: parses arguments, calls one core function, prints, returns an exit code."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import click

from learntrace import __version__
from learntrace.errors import TraceError


@dataclass
class Session:
    """What every command shares: where the records are, and the configuration found there."""

    root_option: Path | None
    debug: bool = False
    _config: Any = field(default=None, repr=False)

    def config(self) -> Any:
        if self._config is None:
            from learntrace.config import find_root, load_config

            root = self.root_option.resolve() if self.root_option else find_root(Path.cwd())
            if not root.is_dir():
                raise TraceError(f"--root {self.root_option} is not a folder")
            self._config = load_config(root)
        return self._config

    def record_files(self) -> Any:
        from learntrace.load import read_worktree

        return read_worktree(self.config().root)


class _TraceGroup(click.Group):
    """Turns the one fatal exception into `Error: ...` and exit code 2; a traceback only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TraceError as error:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            click.echo(f"Error: {error}", err=True)
            ctx.exit(2)


def _fail(message: str) -> NoReturn:
    raise TraceError(message)


@click.group(cls=_TraceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="trace", message="%(prog)s %(version)s")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder that holds records/ (default: the nearest folder above here with trace.toml or records/).",
)
@click.option("--debug", is_flag=True, hidden=True, help="Show the full traceback of an unexpected failure.")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """Keep a safeguarding partnership honest about its learning.

    trace reads the partnership's records (sources, recommendations, aims,
    actions, evidence, outcomes: one YAML file each under records/) and
    says what is wrong with them and which recommendations nobody acts on.

    \b
    Example:
      trace validate            check every record
      trace --root ../norfolk validate
    """
    ctx.obj = Session(root_option=root, debug=debug)


def _print_problems_github(problems: Any, title: str) -> None:
    from learntrace.output import GITHUB_ANNOTATION_LIMIT, github_annotation, markdown_cell

    for problem in problems[:GITHUB_ANNOTATION_LIMIT]:
        click.echo(github_annotation("error", problem.path, problem.message, problem.line, problem.column, title))
    for problem in problems:
        click.echo(f"{problem.location()}: {problem.message}")
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path and problems:
        lines = [f"### {title}: {len(problems)} problem(s)", "", "| file | line | problem |", "|---|---|---|"]
        lines += [
            f"| {markdown_cell(p.path)} | {p.line or ''} | {markdown_cell(p.message)} |" for p in problems
        ]
        with open(summary_path, "a", encoding="utf-8") as summary:
            summary.write("\n".join(lines) + "\n\n")


@cli.command()
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
    show_default=True, help="text for people, json for programs, github for pull-request annotations.",
)
@click.pass_obj
def validate(session: Session, output_format: str) -> None:
    """Check every record: YAML, required fields, allowed values, ids and links.

    Each problem is shown as file:line:column and a sentence saying what to
    fix. Exit code 0 means all records are fine, 1 that problems were found,
    2 that the records could not be read at all.

    \b
    Examples:
      trace validate
      trace validate --format json
      trace validate --format github     (in a GitHub Actions step)
    """
    from learntrace.output import terminal_safe
    from learntrace.validate import validate_files

    result = validate_files(session.record_files())
    problems = list(result.problems)
    if output_format == "json":
        click.echo(json.dumps({
            "valid": result.valid,
            "records": len(result.records),
            "errors": [
                {key: value for key, value in problem.as_dict().items() if key != "code"} for problem in problems
            ],
        }, indent=2, ensure_ascii=False))
    elif output_format == "github":
        _print_problems_github(problems, "trace validate")
    else:
        for problem in problems:
            click.echo(terminal_safe(f"{problem.location()}: {problem.message}"))
    if output_format != "json":
        files = len({problem.path for problem in problems})
        if problems:
            click.echo(f"{len(problems)} problem(s) in {files} file(s); {len(result.records)} record(s) read.")
        else:
            click.echo(f"All good: {len(result.records)} record(s), no problems.")
    sys.exit(0 if result.valid else 1)


def main(prog_name: str = "trace") -> None:
    cli(prog_name=prog_name)
