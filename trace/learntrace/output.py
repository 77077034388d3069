"""Shared output helpers: GitHub workflow commands, terminal-safe text, Markdown cells.

Every string that comes from a record (or a file name, a commit, a field name) reaches an output
through one of these: `one_line` for a line of text, `github_annotation` for an annotation,
`markdown_cell` for Markdown. JSON needs none (its strings are escaped by construction).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# C0/C1 controls (but tab and newline), and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


_ZWSP = "\u200b"  # a zero-width space: invisible, but it breaks a command or a link apart


def without_controls(text: str) -> str:
    """Text with control characters removed and GitHub's old-style `##[command]` broken: enough inside
    an annotation's escaped message, where a `::` is only data."""
    return _CONTROL.sub("", text).replace("##[", f"#{_ZWSP}#[")


def terminal_safe(text: str) -> str:
    """Record text with control characters (such as ANSI escapes) removed, so it cannot drive the
    terminal, and with GitHub's workflow commands (`::error::`, `::stop-commands::`, the old-style
    `##[command]`) broken wherever they are, so no line break or wrapping can make one start a line."""
    return without_controls(text).replace("::", f":{_ZWSP}:")


def one_line(text: str) -> str:
    """Terminal-safe text on a single line: in a CI log, a line break could start a workflow command."""
    return terminal_safe(" ".join(text.splitlines()))


def safe_lines(lines: Iterable[str]) -> str:
    """Lines of text output, each made one safe line (a record's text can hold line breaks)."""
    return "\n".join(one_line(line) for line in lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(
    level: str, path: str, message: str, line: int | None = None, column: int | None = None, title: str = ""
) -> str:
    """One `::error file=...::message` line; newlines, `%`, `:` and `,` cannot split or end it."""
    path, message, title = without_controls(path), without_controls(message), without_controls(title)
    properties = [f"file={_escape_property(path)}"]
    if line is not None:
        properties.append(f"line={line}")
    if column is not None:
        properties.append(f"col={column}")
    if title:
        properties.append(f"title={_escape_property(title)}")
    return f"::{level} {','.join(properties)}::{_escape_data(message)}"


@lru_cache(maxsize=65536)
def markdown_cell(text: str) -> str:
    """Text that stays inside one Markdown table cell and renders literally (kept: a report writes the
    same titles and ids in many cells)."""
    text = " ".join(terminal_safe(text).split())
    # Backslash-escape what could start emphasis, code, a link, raw HTML, an entity or a cell break.
    for char in "\\`*_[]<>|~&":
        text = text.replace(char, "\\" + char)
    # In a pull-request comment, @team would notify people and a bare address would become a live link.
    text = text.replace("@", f"@{_ZWSP}").replace("://", f":{_ZWSP}//")
    return _WWW.sub(rf"\1{_ZWSP}.", text)


# Where GitHub starts a link without brackets: at a scheme's "://" (replaced above), and at "www.".
_WWW = re.compile(r"(?<![A-Za-z0-9])(www)\.", re.IGNORECASE)


# GitHub shows only the first ten error annotations of a step; the rest are dropped silently.
GITHUB_ANNOTATION_LIMIT = 10


SHORT_TITLE = 40


def short_title(title: str) -> str:
    """The title on one line, at most 40 characters, control characters removed."""
    text = " ".join(terminal_safe(title).split())
    return text if len(text) <= SHORT_TITLE else text[:SHORT_TITLE - 3].rstrip() + "..."
