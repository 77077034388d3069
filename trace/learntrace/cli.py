"""The `trace` command line: parses arguments, calls one core function, prints, returns an exit code."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from learntrace import __version__
from learntrace.errors import TraceError


@dataclass
class Session:
    """What every command shares: where the records are, and the configuration found there."""

    root_option: Path | None
    debug: bool = False
    at: str | None = None
    no_cache: bool = False
    _config: Any = field(default=None, repr=False)
    _cache: Any = field(default=None, repr=False)
    _repo: Any = field(default=None, repr=False)
    _at_commit: Any = field(default=None, repr=False)

    def config(self) -> Any:
        if self._config is None:
            from learntrace.config import find_root, load_config

            root = self.root_option.resolve() if self.root_option else find_root(Path.cwd())
            if not root.is_dir():
                raise TraceError(f"--root {self.root_option} is not a folder")
            self._config = load_config(root)
        return self._config

    def repo(self) -> Any:
        """The git repository of the records (fatal, with a sentence, when there is none)."""
        if self._repo is None:
            from learntrace.gitio import GitRepo

            self._repo = GitRepo(self.config().root)
        return self._repo

    def at_commit(self) -> Any:
        """The commit --at names, or None for the working tree."""
        if self.at is not None and self._at_commit is None:
            self._at_commit = self.repo().resolve(self.at)
        return self._at_commit

    def record_files(self) -> Any:
        """The record files of the working tree, or as they were at --at (the working tree is not touched)."""
        commit = self.at_commit()
        if commit is not None:
            return self.repo().record_files_at(commit.sha)
        from learntrace.load import scan_worktree

        return scan_worktree(self.config().root)

    def cache(self) -> Any:
        """The record cache: on disk under .trace-cache/, or in memory only with --no-cache."""
        if self._cache is None:
            from learntrace.cache import RecordCache
            from learntrace.schema import data_dir

            root = None if self.no_cache else self.config().root
            self._cache = RecordCache(root, data_dir("schemas"))
        return self._cache

    def privacy(self) -> Any:
        """trace.toml's [privacy] settings; text that looks like personal data is a warning, an error in CI."""
        from learntrace.validate import PrivacyPolicy

        config = self.config()
        severity = config.privacy_severity or ("error" if os.environ.get("CI") else "warning")
        return PrivacyPolicy(config.privacy_allow, severity)

    def validation(self) -> Any:
        """Every record file loaded and checked (through the cache)."""
        from learntrace.validate import validate_files

        result = validate_files(self.record_files(), self.cache(), self.privacy())
        self.cache().save()
        return result


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
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as error:  # a bug in trace, not in the records: say so without a traceback
            if ctx.obj is not None and ctx.obj.debug:
                raise
            click.echo(f"Error: trace failed unexpectedly ({type(error).__name__}: {error}); "
                       "run again with --debug for details and report it to the maintainers", err=True)
            ctx.exit(2)


def write_output(path: Path, data: bytes) -> None:
    """Write a file the user asked for, atomically; a failure is one sentence, not a traceback."""
    from learntrace.atomic import write_atomically

    try:
        write_atomically(path, data)
    except OSError as error:
        raise TraceError(f"cannot write {path}: {error.strerror or error}") from error


@click.group(cls=_TraceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="trace", message="%(prog)s %(version)s")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder that holds records/ (default: the nearest folder above here with trace.toml or records/).",
)
@click.option(
    "--at", "at", metavar="REV",
    help="Read the records as they were at a commit, tag or branch, or a date YYYY-MM-DD "
    "(the last commit on this branch at or before that day).",
)
@click.option("--no-cache", is_flag=True, envvar="TRACE_NO_CACHE",
              help="Read every record afresh instead of reusing .trace-cache/ (also TRACE_NO_CACHE=1).")
@click.option("--debug", is_flag=True, hidden=True, help="Show the full traceback of an unexpected failure.")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, at: str | None, no_cache: bool, debug: bool) -> None:
    """Keep a safeguarding partnership honest about its learning.

    trace reads the partnership's records (sources, recommendations, aims,
    actions, evidence, outcomes: one YAML file each under records/) and
    says what is wrong with them and which recommendations nobody acts on.

    \b
    Examples:
      trace validate            check every record
      trace gaps                what nobody has done
      trace --at 2022-09-30 coverage
      trace --root ../norfolk validate
    """
    ctx.obj = Session(root_option=root, debug=debug, at=at, no_cache=no_cache)


def _problem_line(problem: Any) -> str:
    from learntrace.output import one_line

    warning = "warning: " if problem.severity == "warning" else ""
    return one_line(f"{problem.location()}: {warning}{problem.message}")


def _print_problems_github(problems: Any, title: str) -> None:
    from learntrace.output import GITHUB_ANNOTATION_LIMIT, github_annotation, markdown_cell

    # GitHub shows ten annotations of each level per step: annotate the first ten of each.
    for level in ("error", "warning"):
        of_level = [p for p in problems if p.severity == level][:GITHUB_ANNOTATION_LIMIT]
        for problem in of_level:
            click.echo(github_annotation(level, problem.path, problem.message, problem.line, problem.column, title))
    for problem in problems:
        click.echo(_problem_line(problem))
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path and problems:
        lines = [f"### {title}: {len(problems)} problem(s)", "", "| file | line | problem |", "|---|---|---|"]
        lines += [
            f"| {markdown_cell(p.path)} | {p.line or ''} | {'warning: ' if p.severity == 'warning' else ''}"
            f"{markdown_cell(p.message)} |" for p in problems
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
    result = session.validation()
    problems = list(result.problems)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]

    def as_json(problem: Any) -> dict[str, Any]:
        return {key: value for key, value in problem.as_dict().items() if key not in ("code", "severity")}

    if output_format == "json":
        click.echo(json.dumps({
            "valid": result.valid,
            "records": len(result.records),
            "errors": [as_json(problem) for problem in errors],
            "warnings": [as_json(problem) for problem in warnings],
        }, indent=2, ensure_ascii=False))
    elif output_format == "github":
        _print_problems_github(problems, "trace validate")
    else:
        for problem in problems:
            click.echo(_problem_line(problem))
    if output_format != "json":
        files = len({problem.path for problem in errors})
        also = f"; {len(warnings)} warning(s)" if warnings else ""
        if errors:
            click.echo(f"{len(errors)} problem(s) in {files} file(s){also}; {len(result.records)} record(s) read.")
        elif warnings:
            click.echo(f"No errors: {len(result.records)} record(s), {len(warnings)} warning(s) to check.")
        else:
            click.echo(f"All good: {len(result.records)} record(s), no problems.")
    sys.exit(0 if result.valid else 1)


def _print_problems(problems: Any) -> None:
    for problem in problems:
        click.echo(_problem_line(problem))
    files = len({problem.path for problem in problems})
    click.echo(f"{len(problems)} problem(s) in {files} file(s): fix them (see trace validate) before this command can run.")


def load_graph(session: Session) -> Any:
    """The records as a graph; invalid records are printed as by `trace validate` and exit 1."""
    from learntrace.graph import build_graph

    result = session.validation()
    if not result.valid:
        _print_problems(result.errors)
        sys.exit(1)
    return build_graph(result.records)


def _as_of(value: str | None) -> Any:
    import datetime as dt

    from learntrace.dates import parse_day

    if value is None:
        return dt.date.today()
    try:
        return parse_day(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--as-of") from error


def _check_id(graph: Any, record_id: str | None, kind: str, option: str) -> None:
    import difflib

    if record_id is None:
        return
    record = graph.records.get(record_id)
    if record is None or record.kind != kind:
        choices = [r.id for r in graph.of_kind(kind)]
        close = difflib.get_close_matches(record_id, choices, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else f"the {kind} ids are: {', '.join(choices)}"
        raise click.BadParameter(f"there is no {kind} '{record_id}'; {hint}", param_hint=option)


@cli.command()
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The date that decides what is overdue (default: today).")
@click.option("--kind", "kinds", multiple=True, metavar="KIND", help="Only gaps of this kind (repeatable).")
@click.option("--source", help="Only gaps about this source's recommendations, their actions and evidence.")
@click.option("--aim", help="Only gaps about this aim, its recommendations and the actions serving it.")
@click.option("--owner", help="Only gaps about actions with this owner (exact name, any case).")
@click.option("--baseline", metavar="REV", help="Only gaps that did not exist at this commit (for pull requests).")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "markdown", "github"]), default="text",
    show_default=True, help="text for people, json for programs, markdown for a pull-request comment, github for annotations.",
)
@click.pass_obj
def gaps(session: Session, as_of: str | None, kinds: tuple[str, ...], source: str | None, aim: str | None,
         owner: str | None, baseline: str | None, output_format: str) -> None:
    """List what nobody has done: recommendations no action addresses,
    overdue actions, complete actions without evidence, and more.

    Exit code 1 when a gap of a kind that trace.toml's fail_on lists is
    found and not accepted (a record's accepted_gaps), else 0. With
    --baseline, only gaps the change introduced count. --as-of defaults to
    today, or to the commit's date with --at.

    \b
    Examples:
      trace gaps
      trace gaps --as-of 2022-09-30 --kind overdue-action
      trace gaps --source SRC-AB --format markdown
      trace gaps --baseline origin/main --format github
    """
    from learntrace.analyses.gaps import GAP_MEANINGS, failing, find_gaps, related_ids
    from learntrace.render.gaps import gaps_github, gaps_json, gaps_markdown, gaps_text

    unknown = sorted(set(kinds) - set(GAP_MEANINGS))
    if unknown:
        raise click.BadParameter(
            f"unknown gap kind {', '.join(unknown)}; the kinds are: {', '.join(GAP_MEANINGS)}", param_hint="--kind"
        )
    config = session.config()
    commit = session.at_commit()
    day = _as_of(as_of) if as_of or commit is None else commit.date.date()
    graph = load_graph(session)
    _check_id(graph, source, "source", "--source")
    _check_id(graph, aim, "aim", "--aim")
    found = find_gaps(graph, day, _suspect_links(session, list(graph.records.values())))
    remaining = None
    if baseline is not None:
        from learntrace.history import gaps_at

        base_commit = session.repo().resolve(baseline)
        base_keys = {gap.key for gap in gaps_at(session.repo(), base_commit, day, session.cache())}
        remaining = sum(1 for gap in found if gap.key in base_keys)
        found = [gap for gap in found if gap.key not in base_keys]
    keep = related_ids(graph, source=source, aim=aim, owner=owner)
    found = [g for g in found if (not kinds or g.kind in kinds) and (keep is None or g.id in keep)]
    failed = failing(found, config.fail_on)
    if output_format == "json":
        click.echo(gaps_json(found, day, baseline=baseline, remaining=remaining))
    elif output_format == "markdown":
        click.echo(gaps_markdown(found, day, failed, baseline=baseline, remaining=remaining), nl=False)
    elif output_format == "github":
        click.echo(gaps_github(found, failed))
        summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_path:
            with open(summary_path, "a", encoding="utf-8") as summary:
                summary.write(gaps_markdown(found, day, failed, baseline=baseline, remaining=remaining) + "\n")
        if baseline is not None:
            click.echo(f"{remaining} older gap(s) that already existed at {baseline} remain.")
    else:
        click.echo(gaps_text(found, day, failed, baseline=baseline, remaining=remaining))
    sys.exit(1 if failed else 0)


def _suspect_links(session: Session, records: list[Any]) -> list[Any]:
    """Suspect links need git history; outside git the check is skipped with a note on stderr."""
    from learntrace.gitio import GitRepo
    from learntrace.history import suspect_links_for

    try:
        repo = session.repo() if session.at else GitRepo(session.config().root)
    except TraceError:
        click.echo("Note: the records are not in a git repository, so the suspect-link check was skipped.",
                   err=True)
        return []
    found = suspect_links_for(repo, records, session.at_commit(), session.cache())
    session.cache().save()
    return found


@cli.command()
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "csv", "markdown"]), default="text",
    show_default=True, help="Output format.",
)
@click.pass_obj
def coverage(session: Session, output_format: str) -> None:
    """How far each recommendation has got, and the share at each level per
    source and per aim.

    \b
    Levels:
      none       no action addresses it
      planned    actions exist, not all complete
      delivered  all its actions complete, some without evidence
      evidenced  all its actions complete, each with evidence

    \b
    Examples:
      trace coverage
      trace coverage --format csv > coverage.csv
    """
    from learntrace.analyses.coverage import find_coverage
    from learntrace.render import coverage as render

    result = find_coverage(load_graph(session))
    formats = {"text": render.coverage_text, "json": render.coverage_json,
               "csv": render.coverage_csv, "markdown": render.coverage_markdown}
    click.echo(formats[output_format](result), nl=output_format in ("text", "json"))


def main(prog_name: str = "trace") -> None:
    cli(prog_name=prog_name)


# Commands that explore the graph (matrix, show, graph) live in their own module; importing it registers them.
from learntrace import cli_explore  # noqa: E402,F401  (registers commands on `cli`)
from learntrace import cli_history  # noqa: E402,F401  (registers diff, history, log on `cli`)
from learntrace import cli_edit  # noqa: E402,F401  (registers new, set, link, unlink, rename, import, export)
from learntrace import cli_report  # noqa: E402,F401  (registers report)
