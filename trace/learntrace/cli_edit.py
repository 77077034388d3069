"""Commands registered on the `trace` group (see cli.py)."""

from __future__ import annotations

from learntrace.cli import cli  # noqa: F401  (commands below register on it)
