"""Progress on a terminal: shown on stderr once a command has run for two seconds, and only when stderr
is a terminal outside CI (a CI log or a pipe gets nothing)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO

SHOW_AFTER = 2.0  # seconds: quicker commands show nothing
_EVERY = 0.1  # seconds between redraws


def wants_progress(stderr: TextIO) -> bool:
    isatty = getattr(stderr, "isatty", None)
    return bool(isatty is not None and isatty()) and not os.environ.get("CI")


class TerminalProgress:
    """A one-line display, redrawn in place ("Reading records: 4,000 of 10,000 (40%)"), and cleared
    when the work ends."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream, self._clock = stream, clock
        self._started = clock()
        self._drawn_at: float | None = None
        self._width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self._clock()
        if now - self._started < SHOW_AFTER:
            return
        if self._drawn_at is not None and now - self._drawn_at < _EVERY and done < total:
            return
        share = f" ({done * 100 // total}%)" if total else ""
        self._draw(f"{stage}: {done:,} of {total:,}{share}")
        self._drawn_at = now

    def _draw(self, text: str) -> None:
        self._stream.write("\r" + text.ljust(self._width))
        self._stream.flush()
        self._width = max(self._width, len(text))

    def finish(self) -> None:
        """Clear the line, so that what the command prints next starts clean."""
        if self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0
