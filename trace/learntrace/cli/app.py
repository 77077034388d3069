"""The `trace` click group, the Session every command shares, and the output helpers commands use.

This is the one place that turns the fatal `TraceError` into `Error: ...` and a command's returned
number into its exit code.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from learntrace import __version__
from learntrace.errors import Problem, TraceError
from learntrace.output import terminal_safe

if TYPE_CHECKING:
    from learntrace.analyses import AnalysisContext
    from learntrace.cache import RecordCache
    from learntrace.config import Config
    from learntrace.gitio import Commit, GitRepo
    from learntrace.graph import RecordGraph
    from learntrace.load import RecordFile
    from learntrace.privacy import PrivacyPolicy
    from learntrace.results import FilesDescription
    from learntrace.snapshot import Snapshot
    from learntrace.touches import HistoryIndex


@dataclass
class Session:
    """What every command shares: where the records are, the configuration found there, the git
    repository and the cache. Each is found once, when first asked for."""

    root_option: Path | None
    debug: bool = False
    config_option: Path | None = None  # --config: a settings file other than trace.toml at the root
    at: str | None = None
    no_cache: bool = False
    _snapshot: Snapshot | None = field(default=None, repr=False)
    _files: list[RecordFile] | None = field(default=None, repr=False)
    _described: FilesDescription | None = field(default=None, repr=False)

    @cached_property
    def settings(self) -> Config:
        """trace.toml as read, before its gap kinds are checked against the registry (which imports every
        analysis): enough to find the records and a kept result."""
        from learntrace.config import find_root, load_config

        root = self.root_option.resolve() if self.root_option else find_root(Path.cwd())
        if not root.is_dir():
            raise TraceError(f"--root {self.root_option} is not a folder")
        return load_config(root, self.config_option)

    @cached_property
    def config(self) -> Config:
        """The settings, with fail_on's gap kinds checked."""
        from learntrace.analyses import check_fail_on

        check_fail_on(self.settings.fail_on)
        return self.settings

    @cached_property
    def repo(self) -> GitRepo:
        """The git repository of the records (fatal, with a sentence, when there is none)."""
        from learntrace.gitio import GitRepo

        return GitRepo(self.settings.root)

    @cached_property
    def at_commit(self) -> Commit | None:
        """The commit --at names, or None for the working tree."""
        return self.repo.resolve(self.at) if self.at is not None else None

    @cached_property
    def cache(self) -> RecordCache:
        """The record cache: in the user's cache folder (never in the records' folder, which a pull
        request controls), or in memory only with --no-cache."""
        from learntrace.cache import RecordCache, cache_file
        from learntrace.schema import data_dir

        path = None if self.no_cache else cache_file(self.settings.root, os.environ)
        return RecordCache(path, data_dir("schemas"))

    @property
    def privacy(self) -> PrivacyPolicy:
        """trace.toml's [privacy] settings; text that looks like personal data is a warning, an error in CI."""
        from learntrace.privacy import PrivacyPolicy

        config = self.config
        severity = config.privacy_severity or ("error" if os.environ.get("CI") else "warning")
        return PrivacyPolicy(config.privacy_allow, severity)

    def record_files(self) -> Iterable[RecordFile]:
        """The record files of the working tree, or as they were at --at (the working tree is not touched)."""
        if self.at_commit is not None:
            return self.repo.record_files_at(self.at_commit.sha, self.cache)
        from learntrace.journal import finish_interrupted
        from learntrace.load import scan_worktree

        root = self.settings.root
        finish_interrupted(root, on_note=lambda message: click.echo(message, err=True))  # one stat when none
        return scan_worktree(root)

    def files(self) -> list[RecordFile]:
        """The record files, found once per command (their content is read only when needed)."""
        if self._files is None:
            self._files = list(self.record_files())
        return self._files

    def snapshot(self) -> Snapshot:
        """The records of the working tree (or --at), checked, as a graph; read once per command."""
        if self._snapshot is None:
            from learntrace.snapshot import load_snapshot

            snapshot = load_snapshot(self.files(), self.cache, self.privacy, self._kept_checked())
            self.cache.save()
            self._snapshot = self._with_policy(snapshot)
        return self._snapshot

    def described_files(self) -> FilesDescription:
        """The record files as kept results and checked records are keyed by (results.py), once per command."""
        if self._described is None:
            from learntrace.results import describe_files

            self._described = describe_files(self.files())
        return self._described

    def _kept_checked(self) -> tuple[Path, FilesDescription] | None:
        """Where the working tree's last checked records are kept, and the files they are keyed by (not for
        --at, nor with --no-cache)."""
        from learntrace.cache import cache_file
        from learntrace.checked_cache import CHECKED_FILE

        path = None if self.no_cache or self.at_commit is not None else cache_file(self.settings.root, os.environ)
        return (path.with_name(CHECKED_FILE), self.described_files()) if path is not None else None

    def _with_policy(self, snapshot: Snapshot) -> Snapshot:
        """The snapshot with the problems of trace.toml's policy on records (not cached with each file:
        they depend on the settings and the day): acceptances too far ahead."""
        from dataclasses import replace

        from learntrace.validate import acceptance_problems

        # From today, with --at too: the past read the same as the working tree, and an acceptance of
        # old history is due by now anyway.
        extra = acceptance_problems(snapshot.records, dt.date.today(), self.config.max_acceptance_months)
        if not extra:
            return snapshot
        problems = sorted((*snapshot.problems, *extra), key=lambda p: (p.path, p.line or 0, p.column or 0, p.message))
        return replace(snapshot, problems=tuple(problems))

    def valid_graph(self) -> RecordGraph:
        """The snapshot's graph, for commands that act on the records as they are: invalid records stop
        the command (the group prints their problems and exits 1)."""
        snapshot = self.snapshot()
        if not snapshot.valid:
            raise RecordsInvalidError(snapshot)
        return snapshot.graph

    def read_history_soon(self, *commits: Commit | None) -> None:
        """For a command that will judge suspect links at these commits (by default --at's, or the working
        tree's, as None): start reading HEAD's history now (every commit's is read from it, touches.py),
        so that git runs while the records are parsed; nothing when each commit's is kept already, or
        outside git (history_index says why later)."""
        try:
            repo = self.repo
            head = repo.resolve("HEAD").sha
        except TraceError:
            return
        asked = commits or (self.at_commit,)
        if any(self.cache.history.get(("h", head if commit is None else commit.sha)) is None for commit in asked):
            repo.read_history_soon()

    def history_index(self, graph: RecordGraph) -> HistoryIndex | None:
        """What git says about when each record last changed, for the suspect-link check. Outside git
        the check is skipped with a note on stderr."""
        from learntrace.touches import history_index

        try:
            repo = self.repo
        except TraceError:
            click.echo("Note: the records are not in a git repository, so the suspect-link check was skipped.",
                       err=True)
            return None
        index = history_index(repo, self.at_commit, list(graph.records.values()), self.cache)
        self.cache.save()
        return index

    def analysis_context(self, graph: RecordGraph, as_of: dt.date) -> AnalysisContext:
        from learntrace.analyses import AnalysisContext

        return AnalysisContext(as_of=as_of, config=self.config, history=self.history_index(graph))


class RecordsInvalidError(Exception):
    """A command that needs valid records was run on invalid ones (exit code 1, not a failure of trace)."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__("the records have problems")
        self.snapshot = snapshot


class TraceGroup(click.Group):
    """Turns the one fatal exception into `Error: ...` and exit code 2 (a traceback only with --debug),
    and the number a command returns into its exit code. Commands are imported when used: `lazy` names
    the module of each (cli/__init__.py fills it), so `trace validate` does not import the editing,
    reporting and spreadsheet code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            import importlib

            module = importlib.import_module(f"learntrace.cli.{self.lazy[cmd_name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = self._invoke_showing_progress(ctx)
        except RecordsInvalidError as invalid:
            ctx.exit(refuse_invalid(invalid.snapshot))
        except TraceError as error:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            # The sentence may quote a file name or a record: no escape sequence reaches the terminal, and
            # no line of it can start a workflow command in a CI log.
            click.echo(terminal_safe(f"Error: {error}"), err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, BrokenPipeError):
            raise  # a reader that stops reading (trace validate | head -1) is handled in cli.main
        except Exception as error:  # a bug in trace, not in the records: say so without a traceback
            if ctx.obj is not None and ctx.obj.debug:
                raise
            click.echo(terminal_safe(f"Error: trace failed unexpectedly ({type(error).__name__}: {error}); "
                                     "run again with --debug for details and report it to the maintainers"), err=True)
            ctx.exit(2)
        if isinstance(result, int) and not isinstance(result, bool):
            ctx.exit(result)
        return result

    def _invoke_showing_progress(self, ctx: click.Context) -> Any:
        """The command, with its progress on the terminal (the stream as it is now: a kept result's
        capture of stderr never holds the progress line)."""
        import sys

        from learntrace.cli.terminal import TerminalProgress, wants_progress
        from learntrace.progress import shown_to

        if not wants_progress(sys.stderr):
            return super().invoke(ctx)
        display = TerminalProgress(sys.stderr)
        try:
            with shown_to(display):
                return super().invoke(ctx)
        finally:
            display.finish()


def write_output(path: Path, data: bytes, root: Path | None = None) -> bool:
    """Write a file the user asked for: atomically, or in place for a pipe or a device (see atomic.write_out;
    then True: say what was written on stderr); a failure is one sentence, not a traceback.
    `root`: the repository a link may point into."""
    from learntrace.atomic import write_out

    try:
        return write_out(path, data, root or Path.cwd())
    except ValueError as error:
        raise TraceError(str(error)) from error
    except OSError as error:
        raise TraceError(f"cannot write {path}: {error.strerror or error}") from error


def append_step_summary(markdown: str) -> None:
    """Add to the GitHub Actions job summary, when there is one."""
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        with open(summary_path, "a", encoding="utf-8") as summary:
            summary.write(markdown)


def problem_line(problem: Problem) -> str:
    from learntrace.output import one_line

    warning = "warning: " if problem.severity == "warning" else ""
    return one_line(f"{problem.location()}: {warning}{problem.message}")


def refuse_invalid(snapshot: Snapshot) -> int:
    """Print the records' errors as trace validate does, and return the exit code 1. They go to stderr:
    the command's output may be data (`trace export csv > recs.csv`), and they must not end up in it."""
    problems = snapshot.errors
    for problem in problems:
        click.echo(problem_line(problem), err=True)
    files = len({problem.path for problem in problems})
    click.echo(f"{len(problems)} problem(s) in {files} file(s): fix them (see trace validate) before this command "
               "can run.", err=True)
    return 1


def parse_as_of(value: str | None, option: str = "--as-of") -> dt.date:
    """A date option, or today when it is not given."""
    from learntrace.dates import parse_day

    if value is None:
        return dt.date.today()
    try:
        return parse_day(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=option) from error


def check_kind_id(graph: RecordGraph, record_id: str | None, kind: str, option: str) -> None:
    """An id option that must name a record of one kind: a usage error naming the nearest ids."""
    import difflib

    if record_id is None:
        return
    record = graph.records.get(record_id)
    if record is None or record.kind != kind:
        choices = [r.id for r in graph.of_kind(kind)]
        close = difflib.get_close_matches(record_id, choices, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else f"the {kind} ids are: {', '.join(choices)}"
        raise click.BadParameter(f"there is no {kind} '{record_id}'; {hint}", param_hint=option)


def check_any_id(graph: RecordGraph, record_id: str, param_hint: str) -> None:
    """An unknown id is a usage error naming the nearest ids by spelling (any case)."""
    import difflib

    from learntrace.model import KINDS

    if record_id in graph.records:
        return
    by_lower = {known.lower(): known for known in graph.records}
    close = difflib.get_close_matches(record_id.lower(), list(by_lower), n=3, cutoff=0.6)
    if close:
        hint = f"; did you mean {', '.join(by_lower[c] for c in close)}?"
    else:
        examples = [records[0].id for records in map(graph.of_kind, KINDS) if records]
        hint = f"; ids look like {', '.join(examples)}" if examples else "; there are no records yet"
    raise click.BadParameter(f"there is no record '{record_id}'{hint}", param_hint=param_hint)


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns, two spaces apart, for the terminal."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=False)).rstrip()
            for cells in [header, *rows]]


@click.group(cls=TraceGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
              help="Read every record afresh instead of reusing the cache (also TRACE_NO_CACHE=1).")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), envvar="TRACE_CONFIG",
              help="Read the settings from this file instead of trace.toml at the root (also TRACE_CONFIG=FILE; "
              "CI uses it to judge a pull request by the base branch's settings).")
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected failure (to report it).")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, at: str | None, no_cache: bool, config_file: Path | None,
        debug: bool) -> None:
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
    ctx.obj = Session(root_option=root, debug=debug, at=at, no_cache=no_cache, config_option=config_file)
