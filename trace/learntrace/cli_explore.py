"""Commands that explore the record graph: matrix, show, graph. Registered on the `trace` group."""

from __future__ import annotations

from learntrace.cli import cli  # noqa: F401  (commands below register on it)
