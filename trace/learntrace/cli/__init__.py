"""The `trace` command line: each module holds one group of commands; they are registered here."""

from __future__ import annotations

from learntrace.cli import adopt, annotate, check, due, edit, explore, history, learning, report, spreadsheet
from learntrace.cli.app import cli

for _module in (check, explore, history, report, edit, annotate, spreadsheet, adopt, due, learning):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main(prog_name: str = "trace") -> None:
    cli(prog_name=prog_name)


__all__ = ["cli", "main"]
