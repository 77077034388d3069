"""Read-only commands that print what they printed last time when nothing they depend on has changed
(learntrace/results.py): the second `trace validate` or `trace gaps` on an unchanged checkout reads no
record."""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import click

from learntrace.cli.app import Session
from learntrace.results import RESULTS_FOLDER, Result, ResultStore, folder_contents, result_key

Command = Callable[..., int]


def _store(session: Session) -> ResultStore | None:
    """Where whole results are kept; None with --no-cache, in a GitHub Actions job (whose summary file a
    kept result would not write), or with no user cache folder."""
    from learntrace.cache import cache_file

    if session.no_cache or os.environ.get("GITHUB_STEP_SUMMARY"):
        return None
    path = cache_file(session.settings.root, os.environ)
    return ResultStore(path.parent / RESULTS_FOLDER) if path is not None else None


def _key(session: Session, command: str, params: dict[str, Any]) -> str | None:
    """The digest of everything the command's output depends on, or None when a record file changed too
    recently to be trusted."""
    from learntrace.gitio import head_state
    from learntrace.schema import data_dir

    settings = session.settings  # a kept result was made with these settings, so their check passed then
    at = session.at_commit.sha if session.at_commit else None
    parts = (command, sorted(params.items()), at, repr(settings), dt.date.today().isoformat(),
             bool(os.environ.get("CI")), head_state(settings.root), folder_contents(settings.root / "schemas"))
    return result_key(parts, session.described_files(), data_dir("schemas"))


def _replay(stdout: str, stderr: str) -> None:
    if stderr:
        click.echo(stderr, err=True, nl=False)
    if stdout:
        click.echo(stdout, nl=False)


def remembered(unless: Callable[[dict[str, Any]], bool] = lambda params: False) -> Callable[[Command], Command]:
    """Keep the command's output and exit code by a digest of its inputs, and give them back next time
    (not when `unless(options)` is true: an option whose effect the digest does not capture)."""

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def run(session: Session, **params: Any) -> int:
            store = None if unless(params) else _store(session)
            key = _key(session, command.__name__, params) if store is not None else None
            if store is None or key is None:
                return command(session, **params)
            found = store.get(key)
            if found is not None:
                _replay(found.stdout, found.stderr)
                return found.exit_code
            stdout, stderr = io.StringIO(), io.StringIO()
            try:
                with redirect_stdout(stdout), redirect_stderr(stderr):
                    exit_code = command(session, **params)
            finally:  # what was printed reaches the terminal, even when the command fails
                _replay(stdout.getvalue(), stderr.getvalue())
            store.put(key, Result(stdout.getvalue(), stderr.getvalue(), exit_code))
            return exit_code

        return run

    return decorate
