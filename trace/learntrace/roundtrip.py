"""Record files as round-trip YAML documents: comments, key order, quoting and layout survive an edit."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.util import load_yaml_guess_indent

from learntrace.errors import TraceError
from learntrace.load import decode_record_bytes
from learntrace.schema import schema_properties

_BOM = b"\xef\xbb\xbf"
# Records are read by people in an editor: long text is folded to lines of at most this many characters.
LINE_WIDTH = 100
_YAML_WORDS = frozenset({"true", "false", "null", "~", "yes", "no", "on", "off", "y", "n"})
# Indentation the records use (mapping 2; block lists "  - item"), then the other common layout.
_INDENTS = ((2, 4, 2), (2, 2, 0))


def _yaml(indent: tuple[int, int, int]) -> YAML:
    yaml = YAML()  # round-trip mode: comments, key order, flow/block style and quotes survive
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap lines the author wrapped (or did not)
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _indents(text: str) -> list[tuple[int, int, int]]:
    """Layouts to try, most likely first: the records', the other common one, and the file's own guess."""
    found = list(_INDENTS)
    try:
        _, sequence, offset = load_yaml_guess_indent(text)
    except YAMLError:
        return found
    if sequence is not None and offset is not None:
        found.append((2, sequence, offset))
    return found


class Document:
    """One record file loaded for editing; `text()` writes it back with the same layout."""

    def __init__(self, path: str, content: bytes) -> None:
        self.path = path
        self._bom = content.startswith(_BOM)
        self._crlf = b"\r\n" in content
        text = decode_record_bytes(content)
        self.relaid = False
        self._yaml = _yaml(_INDENTS[0])
        for indent in _indents(text):
            yaml = _yaml(indent)
            try:
                data = yaml.load(text)
            except YAMLError as error:
                raise TraceError(f"{path} is not valid YAML, so it cannot be edited; fix it first ({error})") from error
            if not isinstance(data, CommentedMap):
                raise TraceError(f"{path} is not a set of fields, so it cannot be edited; fix it first")
            if _dump(yaml, data) == text:
                self._yaml, self.data = yaml, data
                break
        else:
            # No layout reproduces the file exactly: edit with the records' layout, and say so.
            self.data = self._yaml.load(text)
            self.relaid = True

    def text(self) -> str:
        return _dump(self._yaml, self.data)

    def content(self) -> bytes:
        text = self.text()
        if self._crlf:
            text = text.replace("\n", "\r\n")
        return (_BOM if self._bom else b"") + text.encode("utf-8")


def foldable(value: str) -> bool:
    return "\n" not in value and "\t" not in value and "  " not in value and value == value.strip() and bool(value)


def folded(value: str, indent: int = 2) -> FoldedScalarString:
    """Long text as `>-` folded lines, the way the records write it."""
    result: FoldedScalarString = FoldedScalarString(value)
    positions, start = [], 0
    lines = textwrap.wrap(value, width=LINE_WIDTH - indent, break_long_words=False, break_on_hyphens=False)
    for line in lines[:-1]:
        start = value.index(line, start) + len(line)
        positions.append(start)  # the space where a line ends
    result.fold_pos = positions  # type: ignore[attr-defined]  # ruamel reads it when it emits
    return result


def _needs_quotes(value: str) -> bool:
    # Dates, numbers and YAML's words would not read back as text; the records quote them.
    return not value or value[:1].isdigit() or value.lower() in _YAML_WORDS or value != value.strip()


def literal_block(value: str) -> bool:
    """Text of several lines or paragraphs that a `|-` block writes exactly as it reads."""
    lines = value.split("\n")
    return (len(lines) > 1 and value == value.strip() and "\r" not in value
            and all(line == line.rstrip() and (line.isprintable() or not line) for line in lines))


def styled(value: str, old: Any, field: str) -> Any:
    """The new text in the style of the value it replaces (quoted, folded, plain); text of several paragraphs
    as a `|-` block, which reads and edits well in GitHub's web editor (not one long line full of \\n)."""
    if literal_block(value):
        return LiteralScalarString(value)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(value)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    if isinstance(old, LiteralScalarString):
        return LiteralScalarString(value)
    if isinstance(old, FoldedScalarString):
        return folded(value) if foldable(value) else DoubleQuotedScalarString(value)
    if _needs_quotes(value):
        return DoubleQuotedScalarString(value)
    if len(field) + 2 + len(value) > LINE_WIDTH and foldable(value):
        return folded(value)
    return value


def dump_new(data: CommentedMap) -> str:
    """The text of a new record, in the records' layout."""
    return _dump(_yaml(_INDENTS[0]), data)


def id_list(items: Iterable[str], block: bool = False) -> CommentedSeq:
    seq = CommentedSeq(items)
    if not block:
        seq.fa.set_flow_style()
    return seq


def insert_field(data: CommentedMap, kind: str, field: str, value: Any) -> None:
    """Add a field after the last field that comes before it in the schema's order."""
    order = list(schema_properties(kind))
    rank = order.index(field) if field in order else len(order)
    position = 0
    for index, key in enumerate(data):
        if key in order and order.index(key) < rank:
            position = index + 1
    data.insert(position, field, value)
