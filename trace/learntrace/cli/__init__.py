"""The `trace` command line: each module holds one group of commands; they are registered here."""

from __future__ import annotations

import os
import sys

from learntrace.cli.app import cli

# The module holding each command (its COMMANDS); a command's module is imported only when it runs.
COMMAND_MODULES = {
    **dict.fromkeys(["validate", "gaps", "coverage"], "check"),
    **dict.fromkeys(["matrix", "show", "graph"], "explore"),
    **dict.fromkeys(["diff", "history", "log"], "history"),
    "report": "report",
    **dict.fromkeys(["new", "set", "link", "unlink", "rename"], "edit"),
    **dict.fromkeys(["provenance", "reviewed"], "annotate"),
    **dict.fromkeys(["import", "export"], "spreadsheet"),
    **dict.fromkeys(["init", "schemas"], "adopt"),
    "due": "due",
    **dict.fromkeys(["similar", "themes"], "learning"),
}
cli.lazy = COMMAND_MODULES


def main(prog_name: str = "trace") -> None:
    """The `trace` command. A reader that closes the pipe early (trace validate | head -1) ends it
    quietly: the output is simply cut short, as with any command-line tool."""
    # trace shares its work out among the cores itself (parallel.py); BLAS threads of its own in each
    # process would fight them for the same cores (comparing 50,000 texts took 4.2 s, not 2.7 s). Read
    # when numpy is first imported; a setting of the user's own wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
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
