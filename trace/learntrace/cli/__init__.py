"""The `trace` command line: each module holds one group of commands; they are registered here."""

from __future__ import annotations

import os
import sys

from learntrace.cli import adopt, annotate, check, due, edit, explore, history, learning, report, spreadsheet
from learntrace.cli.app import cli

for _module in (check, explore, history, report, edit, annotate, spreadsheet, adopt, due, learning):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main(prog_name: str = "trace") -> None:
    """The `trace` command. A reader that closes the pipe early (trace validate | head -1) ends it
    quietly: the output is simply cut short, as with any command-line tool."""
    try:
        try:
            cli(prog_name=prog_name)
        finally:
            sys.stdout.flush()  # here, not at the interpreter's exit, where a closed pipe prints a warning
    except BrokenPipeError:
        # Nothing more can be written: point stdout at nothing, so that the exit's own flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


__all__ = ["cli", "main"]
