"""JSON output: exactly what `json.dumps(value, indent=2)` writes, written faster. With an indent, json
encodes in Python, one generator per value; with thousands of gaps, pairs or changes that was a tenth of a
command's time. Here strings are escaped by json's own C encoder, and anything unusual (a key that is not
text, a value json would need `default` for) is handed to json.dumps itself."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_ESCAPED = {False: json.encoder.encode_basestring, True: json.encoder.encode_basestring_ascii}
_INDENT = "  "


class _Unusual(Exception):
    """A value this writer leaves to json.dumps."""


def indented_json(value: Any, ensure_ascii: bool = True, default: Callable[[Any], Any] | None = None) -> str:
    """json.dumps(value, indent=2, ensure_ascii=ensure_ascii, default=default), character for character."""
    try:
        return _written(value, _ESCAPED[ensure_ascii], "\n")
    except _Unusual:
        return json.dumps(value, indent=2, ensure_ascii=ensure_ascii, default=default)


def _written(value: Any, escaped: Callable[[str], str], newline: str) -> str:
    """One value, its nested lines starting with `newline` (a line break and the value's own indent)."""
    if isinstance(value, str):
        return escaped(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Unusual
        return float.__repr__(value)
    inner = newline + _INDENT
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            parts.append(f"{escaped(key)}: {_scalar(item, escaped) or _written(item, escaped, inner)}")
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [_scalar(item, escaped) or _written(item, escaped, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    raise _Unusual


def _scalar(value: Any, escaped: Callable[[str], str]) -> str:
    """The commonest values, written without a call to _written: text, and whole numbers; else ''."""
    kind = type(value)
    if kind is str:
        return escaped(value)
    if kind is int:
        return int.__repr__(value)
    return ""
