"""How far long work has got, for a person watching a terminal: the core says what it is doing
(`step`), and the command line decides whether anyone is shown (cli/app.py shows it on a terminal's
stderr once a command has run for two seconds; never in CI logs or piped output)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Sink = Callable[[str, int, int], None]

_sinks: list[Sink] = []


def step(stage: str, done: int, total: int) -> None:
    """`done` of `total` of the work named by `stage` ("Reading records") are finished."""
    if _sinks:
        _sinks[-1](stage, done, total)


@contextmanager
def shown_to(sink: Sink) -> Iterator[None]:
    """Send the steps of the work inside the block to `sink`."""
    _sinks.append(sink)
    try:
        yield
    finally:
        _sinks.remove(sink)


def show_nothing() -> None:
    """For a forked child doing part of the work: its steps are not shown (the parent's are)."""
    _sinks.clear()
