"""Read-only commands that print what they printed last time when nothing they depend on has changed
(learntrace/results.py): the second `trace validate` or `trace gaps` on an unchanged checkout reads no
record."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import click

from learntrace.cli.app import Session
from learntrace.results import Result

Command = Callable[..., int]


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
            store = None if unless(params) else session.result_store()
            key = session.result_key(command.__name__, params) if store is not None else None
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
