"""Parse one record file safely: no aliases, no language tags, dates kept as written, positions kept."""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from learntrace.model import Position
from learntrace.yamlerrors import explain

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUES = {"true", "True", "TRUE"}
_FALSES = {"false", "False", "FALSE"}
_SHARED_LENGTH = 40


class RecordSyntaxError(Exception):
    """The file is not one readable YAML mapping; carries where and why."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class ParsedFile:
    data: dict[str, Any]
    positions: dict[tuple[Any, ...], Position]


def _position(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _tag(node: Node) -> str:
    """The node's tag. ruamel.yaml's `node.tag` URI-decodes on every read, which cost more than parsing;
    a resolved (implicit) tag has no handle and its suffix is already the plain tag."""
    tag = node.ctag
    if tag is not None and tag.handle is None and isinstance(tag.suffix, str):
        return tag.suffix
    return str(node.tag)


def _scalar(node: ScalarNode, tag: str | None = None) -> Any:
    return scalar_value(tag or _tag(node), node.value)


def scalar_value(tag: str, value: str) -> Any:
    """The value of a scalar written `value` whose tag is `tag` (resolved as resolve_tag does)."""
    if tag == _CORE + "str" or tag == _CORE + "timestamp":
        # Dates stay as written: the schema and dates.py check them, with a line number. A short text
        # (a field name, an id, a status, an owner) is one object however many records say it.
        return sys.intern(value) if len(value) <= _SHARED_LENGTH else value
    if tag == _CORE + "null":
        return None if value in _NULLS else value
    if tag == _CORE + "bool":
        if value in _TRUES:
            return True
        if value in _FALSES:
            return False
        return value
    if tag == _CORE + "int":
        cleaned = value.replace("_", "")
        try:
            if cleaned.lower().startswith(("0x", "+0x", "-0x")):
                return int(cleaned, 16)
            if cleaned.lower().startswith(("0o", "+0o", "-0o")):
                return int(cleaned, 8)
            return int(cleaned)
        except ValueError:
            return value
    if tag == _CORE + "float":
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value


class _Builder:
    """Turns a composed node tree into plain Python values, refusing what records never need."""

    def __init__(self) -> None:
        self.positions: dict[tuple[Any, ...], Position] = {}
        self._seen: set[int] = set()

    def build(self, node: Node, path: tuple[Any, ...]) -> Any:
        if id(node) in self._seen:
            # The composer shares the node of an anchor with every alias to it.
            line, column = _position(node)
            raise RecordSyntaxError(
                "uses a YAML anchor/alias (& or *); records must write every value out in full",
                line,
                column,
            )
        self._seen.add(id(node))
        tag = _tag(node)
        if tag not in _ALLOWED_TAGS:
            line, column = _position(node)
            raise RecordSyntaxError(
                f"uses the YAML tag '{tag.replace(_CORE, '!!')}'; records may only hold plain "
                "text, numbers, lists and fields, so remove the tag",
                line,
                column,
            )
        if isinstance(node, ScalarNode):
            return _scalar(node, tag)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions[(*path, index)] = _position(item)
                items.append(self.build(item, (*path, index)))
            return items
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        raise RecordSyntaxError("holds a YAML construct that records do not use", *_position(node))

    def _mapping(self, node: MappingNode, path: tuple[Any, ...]) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise RecordSyntaxError(
                    "has a field name that is a list or mapping; field names are plain words",
                    *_position(key_node),
                )
            key = _scalar(key_node)
            key = key if isinstance(key, str) else str(key)
            if key in mapping:
                first_line = self.positions[(*path, key)][0]
                line, column = _position(key_node)
                raise RecordSyntaxError(
                    f"has the field '{key}' twice (first on line {first_line}); keep one of them",
                    line,
                    column,
                )
            self.positions[(*path, key)] = _position(key_node)
            mapping[key] = self.build(value_node, (*path, key))
        return mapping


def _yaml_message(error: YAMLError, text: str) -> tuple[str, int | None, int | None]:
    line: int | None
    column: int | None
    if isinstance(error, ReaderError) and isinstance(error.position, int):
        before = text[: error.position]
        line = before.count("\n") + 1
        column = error.position - (before.rfind("\n") + 1) + 1
        character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        return f"is not valid YAML: unacceptable character #x{character:04x}: {error.reason}", line, column
    if isinstance(error, MarkedYAMLError):
        if "expected a single document" in str(error):
            mark = error.problem_mark or error.context_mark
            return ("is not valid YAML: holds more than one YAML document (a line with ---); "
                    "a record file holds exactly one record",
                    mark.line + 1 if mark is not None else None, mark.column + 1 if mark is not None else None)
        explained = explain(error, text)
        if explained is not None:
            return explained
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "the YAML is malformed"
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        hint = ""
        if "\t" in text and (mark is None or _is_tab_at(text, mark.line, mark.column) or "tab" in problem):
            hint = "; YAML does not allow tab characters for indentation, use spaces"
        return f"is not valid YAML: {problem}{hint}", line, column
    return f"is not valid YAML: {error}", None, None


def _is_tab_at(text: str, line: int, column: int) -> bool:
    lines = text.split("\n")
    if line >= len(lines):
        return False
    return "\t" in lines[line][: column + 1]


_INT = re.compile(r"^[-+]?([0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(
    r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$"
)
_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


def resolve_tag(kind: type, value: str, implicit: tuple[bool, bool]) -> str:
    """YAML 1.2 core-schema tags for untagged nodes (plus timestamps, kept as text later): the same
    answers as ruamel.yaml's resolver for what records hold, several times faster."""
    if kind is ScalarNode:
        if not implicit[0]:
            return _CORE + "str"
        if value in _NULLS:
            return _CORE + "null"
        first = value[0]
        if first in "tfTF" and (value in _TRUES or value in _FALSES):
            return _CORE + "bool"
        if first in "0123456789-+.":
            if _INT.match(value):
                return _CORE + "int"
            if _FLOAT.match(value):
                return _CORE + "float"
            if _TIMESTAMP.match(value):
                return _CORE + "timestamp"
        return _CORE + "str"
    return _CORE + ("seq" if kind is SequenceNode else "map")


_PURE = YAML(typ="safe", pure=True)


def compose_pure(text: str) -> Node | None:
    """ruamel.yaml's pure-Python composer: used where the C extension is not installed."""
    node: Node | None = _PURE.compose(text)
    return node


try:
    from _ruamel_yaml import CParser  # ruamel.yaml.clib: the C parser and composer

    class _FastComposer(CParser):  # type: ignore[misc]
        def descend_resolver(self, *args: object) -> None:
            pass

        def ascend_resolver(self, *args: object) -> None:
            pass

        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            return resolve_tag(kind, value, implicit)

    def compose_c(text: str) -> Node | None:
        """libyaml's parser with our own tag resolver: several times faster than the pure-Python one."""
        composer = _FastComposer(text)
        try:
            node: Node | None = composer.get_single_node()
            return node
        finally:
            composer.dispose()

    _compose = compose_c

except ImportError:  # pragma: no cover - without the C extension, ruamel.yaml's pure-Python composer
    _compose = compose_pure


MAX_DEPTH = 20  # a record needs three or four levels; composing is recursive, so depth must be bounded
_DEEP_INDENT = re.compile(rf"^ {{{MAX_DEPTH},}}\S", re.MULTILINE)


def _might_be_deep(text: str) -> bool:
    """Cheap: could this text nest more than MAX_DEPTH levels? (Each level needs a bracket, a dash or
    a space of indentation.)"""
    return (text.count("[") + text.count("{") > MAX_DEPTH or text.count("- ") > MAX_DEPTH
            or _DEEP_INDENT.search(text) is not None)


def _check_depth(text: str) -> None:
    """Walk the parser's events (libyaml keeps its own stack: no recursion) and refuse deep nesting
    before anything recursive sees it."""
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    parser = YAML(typ="safe", pure=False)
    depth = -1  # the record's own mapping is level 0
    for event in parser.parse(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise RecordSyntaxError(
                    f"nests lists and fields more than {MAX_DEPTH} levels deep; a record needs only a few levels",
                    event.start_mark.line + 1, event.start_mark.column + 1,
                )
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def parse_record_text(text: str) -> ParsedFile:
    """Parse the text of one record file into a mapping and the position of every field and item
    (yamlsimple reads most records faster, to the same result)."""
    try:
        if _might_be_deep(text):
            _check_depth(text)
        root = _compose(text)
    except YAMLError as error:
        raise RecordSyntaxError(*_yaml_message(error, text)) from error
    if root is None:
        raise RecordSyntaxError(
            "is empty; a record is a set of fields such as 'id: ...' and 'title: ...'", 1, 1
        )
    builder = _Builder()
    builder.positions[()] = _position(root)
    data = builder.build(root, ())
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else "a single value"
        raise RecordSyntaxError(
            f"holds {found}, but a record must be a set of fields, one 'name: value' per line",
            *_position(root),
        )
    return ParsedFile(data, builder.positions)
