"""A fast reader for the plain shape nearly every record file has, giving exactly what yamlparse's full
parse gives (values and the line and column of every field and item), or None for anything else.

The shape: fields `name: value` in block mappings and sequences (`- item`, `- name: value`), each value
plain text on one line, 'single-quoted' text, a one-line [flow, list] of plain items, or a folded or
literal block (`>-`, `>`, `|-`, `|`) whose lines are all indented alike. Anything else (comments,
double quotes, anchors, tags, braces, tabs, a plain text running onto a second line, a field name that
YAML would read as true, false or null, a repeated field, deeper nesting) is left to the full parser,
which reads all of YAML and explains what is wrong with a line number. tests/test_yamlsimple.py checks
the two agree on every record of this repository, the hostile corpus, the benchmark's records and
generated text.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.nodes import ScalarNode

from learntrace.model import Position
from learntrace.yamlparse import _FALSES, _NULLS, _TRUES, ParsedFile, resolve_tag, scalar_value

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$")
_NOT_NAMES = _NULLS | _TRUES | _FALSES
_LEFT_TO_THE_FULL_PARSER = re.compile(r"[\t{}\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FLOW_ITEM = re.compile(r"[A-Za-z0-9_.+][A-Za-z0-9 _./+-]*")  # ids, words, numbers: nothing flow syntax reads
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_BLOCK_STYLES = frozenset({">", ">-", "|", "|-"})
_MAX_DEPTH = 6
_STR = "tag:yaml.org,2002:str"
_MAYBE_NOT_TEXT = frozenset("0123456789+.~tfTFnN")  # the first characters resolve_tag can read as other than text


class _NotSimple(Exception):
    """The text is not in the simple shape: the full parser reads it."""


def parse_simple_text(text: str) -> ParsedFile | None:
    """The record as yamlparse.parse_record_text reads it, or None when the text is not in the simple shape."""
    if _LEFT_TO_THE_FULL_PARSER.search(text) or not (text.isascii() or text.replace("\n", "").isprintable()):
        return None
    try:
        return _Reader(text).document()
    except _NotSimple:
        return None


def _plain(text: str) -> Any:
    """A plain scalar's value, as the full parser resolves it."""
    if not text or text[0] in _PLAIN_START or ": " in text or text.endswith(":") or " #" in text:
        raise _NotSimple
    if text[0] not in _MAYBE_NOT_TEXT:  # not a number, true, false or null: text
        return scalar_value(_STR, text)
    return scalar_value(resolve_tag(ScalarNode, text, (True, False)), text)


def _double_quoted(text: str) -> str:
    inner = text[1:-1]
    if len(text) < 2 or not text.endswith('"') or '"' in inner or "\\" in inner:
        raise _NotSimple
    return str(scalar_value(_STR, inner))


def _single_quoted(text: str) -> str:
    inner = text[1:-1]
    if len(text) < 2 or not text.endswith("'") or "'" in inner.replace("''", ""):
        raise _NotSimple
    return str(scalar_value(_STR, inner.replace("''", "'")))


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines: list[tuple[int, str]] = []  # (indent, the line without it); a blank line is (-1, "")
        for line in text.split("\n"):
            if line.endswith(" "):
                raise _NotSimple  # trailing spaces: dropped from plain text, kept in a block
            content = line.lstrip(" ")
            self.lines.append((len(line) - len(content), content) if content else (-1, ""))
        self.ends_with_a_line_break = text.endswith("\n")
        self.positions: dict[tuple[Any, ...], Position] = {}

    def _next(self, index: int) -> int:
        """The index of the first line at or after `index` that is neither blank nor a comment."""
        while index < len(self.lines) and (self.lines[index][0] < 0 or self.lines[index][1].startswith("#")):
            index += 1
        return index

    def document(self) -> ParsedFile:
        first = self._next(0)
        if first == len(self.lines) or self.lines[first][0] != 0:
            raise _NotSimple
        self.positions[()] = (first + 1, 1)
        data, end = self._mapping(first, 0, ())
        if self._next(end) != len(self.lines):
            raise _NotSimple
        return ParsedFile(data, self.positions)

    def _mapping(self, index: int, indent: int, path: tuple[Any, ...]) -> tuple[dict[str, Any], int]:
        if len(path) > _MAX_DEPTH:
            raise _NotSimple
        mapping: dict[str, Any] = {}
        lines, count = self.lines, len(self.lines)
        while True:
            while index < count and (lines[index][0] < 0 or lines[index][1][0] == "#"):
                index += 1  # blank lines and comments
            if index == count or lines[index][0] < indent:
                return mapping, index
            line_indent, content = lines[index]
            found = _KEY.match(content)
            if line_indent != indent or found is None:
                raise _NotSimple
            key, rest = found.group(1), found.group(2)
            if key in _NOT_NAMES or key in mapping:
                raise _NotSimple
            key_path = (*path, key)
            self.positions[key_path] = (index + 1, indent + 1)
            mapping[key], index = self._value(index, indent, rest, key_path)

    def _value(self, index: int, indent: int, rest: str | None, path: tuple[Any, ...]) -> tuple[Any, int]:
        """The value of the field on line `index` (at `indent`), written `rest` after its name."""
        if rest is None:
            after = self._next(index + 1)
            if after < len(self.lines):
                next_indent, next_content = self.lines[after]
                if next_content.startswith("- ") and next_indent >= indent:
                    return self._sequence(after, next_indent, path)
                if next_indent > indent:
                    return self._mapping(after, next_indent, path)
            return None, index + 1
        if rest in _BLOCK_STYLES:
            return self._block(index, indent, rest)
        if rest[0] not in "['\"":
            return _plain(rest), index + 1
        column = len(self.lines[index][1]) - len(rest) + indent + 1  # 1-based column of the value
        return self._inline(rest, path, index + 1, column), index + 1

    def _inline(self, text: str, path: tuple[Any, ...], line: int, column: int) -> Any:
        if text.startswith("'"):
            return _single_quoted(text)
        if text.startswith('"'):
            return _double_quoted(text)
        if text.startswith("["):
            return self._flow(text, path, line, column)
        return _plain(text)

    def _flow(self, text: str, path: tuple[Any, ...], line: int, column: int) -> list[Any]:
        if not text.endswith("]"):
            raise _NotSimple
        inner = text[1:-1]
        if not inner.strip():
            return []
        items, offset = [], 1
        for index, part in enumerate(inner.split(",")):
            item = part.strip(" ")
            if not _FLOW_ITEM.fullmatch(item):
                raise _NotSimple
            self.positions[(*path, index)] = (line, column + offset + len(part) - len(part.lstrip(" ")))
            items.append(_plain(item))
            offset += len(part) + 1
        return items

    def _sequence(self, index: int, indent: int, path: tuple[Any, ...]) -> tuple[list[Any], int]:
        if len(path) > _MAX_DEPTH:
            raise _NotSimple
        items: list[Any] = []
        while True:
            index = self._next(index)
            if index == len(self.lines) or self.lines[index][0] < indent:
                return items, index
            line_indent, content = self.lines[index]
            if line_indent != indent or not content.startswith("- "):
                if line_indent > indent or content.startswith("-"):
                    raise _NotSimple
                return items, index
            rest = content[2:].lstrip(" ")
            column = indent + len(content) - len(rest)  # 0-based column of the item
            item_path = (*path, len(items))
            self.positions[item_path] = (index + 1, column + 1)
            if _KEY.match(rest):
                self.lines[index] = (column, rest)  # the item's first field, as if on a line of its own
                item, index = self._mapping(index, column, item_path)
            elif rest.startswith("-") or rest in _BLOCK_STYLES:
                raise _NotSimple
            else:
                item, index = self._inline(rest, item_path, index + 1, column + 1), index + 1
            items.append(item)

    def _block(self, index: int, indent: int, style: str) -> tuple[str, int]:
        """A folded (>) or literal (|) block whose lines are all indented alike, clipped or stripped (-)."""
        first = index + 1
        if first == len(self.lines) or self.lines[first][0] <= indent:
            raise _NotSimple  # empty, or starting with a blank line
        block_indent, end, texts = self.lines[first][0], first, []
        while end < len(self.lines) and (self.lines[end][0] < 0 or self.lines[end][0] >= block_indent):
            if self.lines[end][0] > block_indent:
                raise _NotSimple
            texts.append(self.lines[end][1])
            end += 1
        if end < len(self.lines) and self.lines[end][0] > indent:
            raise _NotSimple  # less indented than the block, more than its field
        if end == len(self.lines) and not self.ends_with_a_line_break:
            raise _NotSimple  # the last line has no line break to clip
        while texts and not texts[-1]:
            texts.pop()
        if style[0] == "|":
            value = "\n".join(texts)
        else:
            value, blank = texts[0], 0
            for text in texts[1:]:
                if not text:
                    blank += 1
                    continue
                value += "\n" * blank if blank else " "
                value += text
                blank = 0
        return value + ("" if style.endswith("-") else "\n"), end
