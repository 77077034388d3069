"""Why a record file is not valid YAML, said for the person who typed it: which line holds the mistake,
what the mistake is, and how to fix it.

The parser reports where it gave up, which is often a line or two after the mistake (a missing space
after a colon is noticed on the next line, an unclosed quote at the end of the file). Each explanation
below starts from the parser's two marks and looks at the lines themselves to find the one to change.
The C parser and ruamel.yaml's pure-Python parser word their errors differently; both are recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml.error import MarkedYAMLError

from learntrace import pasted

Explanation = tuple[str, int, int]  # the sentence, and the 1-based line and column of the mistake

# indentation, list dashes, an optional plain field name followed by a colon and a space (or the line's
# end), then the value. Field names in records are plain words.
_LINE = re.compile(r"^(?P<indent> *)(?P<dash>(?:- +)*)(?:(?P<key>[A-Za-z_][\w.-]*) *:(?: +|$))?(?P<value>.*)$")
_NO_SPACE = re.compile(r"^(?P<indent> *)(?P<dash>(?:- +)*)(?P<key>[A-Za-z_][\w.-]*):(?P<value>[^\s:].*)$")
_RESERVED = {
    "@": "@", "`": "a backtick (`)", "*": "*", "&": "&", "!": "!", "|": "|", ">": ">", "%": "%",
    "?": "?", "-": "a dash followed by a space", "[": "[", "{": "{",
}
_QUOTE_NAMES = {'"': "double quote", "'": "single quote"}
_LIST_FIELDS = frozenset({"addresses", "aims", "outcomes", "supports", "tags"})
MAX_SHOWN = 80  # a suggested line longer than this is described instead of shown


@dataclass(frozen=True)
class _Field:
    """One line of the file, split as YAML would read a simple `name: value` line."""

    number: int  # 0-based
    indent: int
    key: str | None
    value: str
    value_column: int  # 0-based column where the value starts
    dashed: bool
    key_column: int  # 0-based column where the field's name (or, without one, its value) starts

    @property
    def prefix(self) -> str:
        return ("- " if self.dashed else "") + (f"{self.key}: " if self.key else "")


def _split(lines: list[str], number: int) -> _Field:
    text = lines[number] if 0 <= number < len(lines) else ""
    match = _LINE.match(text)
    assert match is not None  # every part of the pattern is optional
    value = match["value"]
    key_column = len(match["indent"]) + len(match["dash"])
    return _Field(number, len(match["indent"]), match["key"], value, len(text) - len(value), bool(match["dash"]),
                  key_column)


def _value_of(field: _Field) -> str:
    return f"the value of '{field.key}'" if field.key else "the value"


def quoted(value: str) -> str:
    """The value in quotes that YAML reads back as exactly this text."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _without_comment(value: str) -> str:
    """A plain value without a trailing ` # comment` (YAML's own rule for plain text)."""
    return value.split(" #", 1)[0].rstrip()


def _suggest(field: _Field, value: str) -> str:
    """': <the fixed line>' when it is short enough to show, else where to put the quotes."""
    line = f"{field.prefix}{quoted(value)}"
    if len(line) <= MAX_SHOWN:
        return f": {line}"
    return " (a \" before its first word and another at the end of the line)"


def _line_label(number: int) -> str:
    return f"is not valid YAML on line {number + 1}"


def _field_above(lines: list[str], number: int, indent: int) -> _Field | None:
    """The nearest field above the line that is indented less than it: the field it belongs to."""
    for above in range(number - 1, -1, -1):
        if not lines[above].strip() or lines[above].lstrip().startswith("#"):
            continue
        field = _split(lines, above)
        if field.indent < indent and field.key:
            return field
    return None


def _previous_line(lines: list[str], number: int) -> _Field | None:
    for above in range(number - 1, -1, -1):
        if lines[above].strip() and not lines[above].lstrip().startswith("#"):
            return _split(lines, above)
    return None


# -- the causes ------------------------------------------------------------------------------------------


def _tab(lines: list[str], number: int) -> Explanation | None:
    text = lines[number] if number < len(lines) else ""
    if "\t" not in text:
        return None
    column = text.index("\t")
    if not text[:column].strip():
        return (f"{_line_label(number)}: the line is indented with a tab; YAML allows only spaces for "
                "indentation, so replace the tab with spaces", number + 1, column + 1)
    return (f"{_line_label(number)}: there is a tab character in column {column + 1}; "
            "replace it with a space", number + 1, column + 1)


def _colon_in_value(lines: list[str], number: int, column: int) -> Explanation:
    """`title: Review: supervision policies`, or a line indented under a field that has a value."""
    field = _split(lines, number)
    if field.key is not None and field.value_column <= column:
        value = _without_comment(field.value)
        where = "at the end" if column + 1 >= len(lines[number].rstrip()) else "followed by a space"
        return (f"{_line_label(number)}: {_value_of(field)} has a colon {where}, which YAML reads as the start "
                f"of another field; put the whole value in double quotes{_suggest(field, value)}",
                number + 1, column + 1)
    previous = _previous_line(lines, number)
    if previous is not None and previous.indent <= field.indent and _NO_SPACE.match(lines[previous.number]):
        return _not_a_field(lines, previous.number)  # `id:ACT-2` runs on into the next line's field
    above = _field_above(lines, number, field.indent)
    if above is None:
        return (f"{_line_label(number)}: a colon followed by a space is not allowed here; put the text in "
                "double quotes", number + 1, column + 1)
    own = f"start it in the same column as '{above.key}'"
    # Text runs on over lines; a one-word value such as an id or a status does not.
    fix = (f"if it is a field of its own, {own}; if it continues the text, put the whole text of '{above.key}' "
           "in double quotes" if " " in above.value.strip() else f"{own}, as a field of its own")
    return (f"{_line_label(number)}: the line is indented more than '{above.key}' on line {above.number + 1}, "
            f"so YAML reads it as more of that value, and a value cannot hold a colon followed by a space; {fix}",
            number + 1, field.indent + 1)


def _not_a_field(lines: list[str], number: int) -> Explanation:
    """A line YAML cannot read as `name: value`: `owner:DDSCP`, a list item without its dash, loose text."""
    text = lines[number] if number < len(lines) else ""
    if any(char in pasted.ODD_SPACES for char in text):
        found = pasted.describe(text)
        assert found is not None
        column = next(index for index, char in enumerate(text) if char in pasted.ODD_SPACES)
        return (f"{_line_label(number)}: the line {found[0]}, which YAML does not read as a space; type "
                "ordinary spaces there instead", number + 1, column + 1)
    no_space = _NO_SPACE.match(text)
    if no_space is not None:
        colon = len(no_space["indent"]) + len(no_space["dash"]) + len(no_space["key"])
        fixed = f"{no_space['dash']}{no_space['key']}: {no_space['value']}".strip()
        return (f"{_line_label(number)}: put a space after the colon: {fixed}", number + 1, colon + 1)
    field = _split(lines, number)
    previous = _previous_line(lines, number)
    if previous is not None and previous.dashed and previous.indent == field.indent:
        owner = _field_above(lines, number, field.indent + 1)
        under = f" under '{owner.key}'" if owner is not None else ""
        return (f"{_line_label(number)}: the line is in the list{under} but does not start with a dash; "
                f"write it as - {text.strip()}", number + 1, field.indent + 1)
    above = previous if previous is not None and previous.key and previous.value.strip() else None
    continues = (f"if it continues the text of '{above.key}' on line {above.number + 1}, indent it by two "
                 "more spaces than that line; otherwise " if above is not None else "")
    return (f"{_line_label(number)}: the line is not a field ('name: value'); {continues}start it with the "
            "field's name and a colon", number + 1, field.indent + 1)


def _list_item(lines: list[str], number: int, list_line: int, list_column: int) -> Explanation:
    """A line inside a list of fields (provenance, accepted_gaps) that is neither a new item nor lined up."""
    field = _split(lines, number)
    if field.indent == list_column:
        owner = _field_above(lines, list_line, list_column + 1)
        under = f" under '{owner.key}'" if owner is not None else ""
        return (f"{_line_label(number)}: the line starts a new item of the list{under} without its dash; "
                f"write it as - {lines[number].strip()}, with the item's other lines lined up under its first field",
                number + 1, field.indent + 1)
    previous = _previous_line(lines, number)
    if previous is not None and previous.key is not None and field.key is not None:
        first = previous.key_column + 1
        return (f"{_line_label(number)}: '{field.key}' is not lined up with '{previous.key}' on line "
                f"{previous.number + 1}; start it in column {first}, under '{previous.key}'",
                number + 1, field.indent + 1)
    return (f"{_line_label(number)}: the line is not lined up with the list above it; line it up with the "
            "item it belongs to, or start a new item with a dash", number + 1, field.indent + 1)


def _closing_quote(text: str, start: int, quote: str) -> int | None:
    """Where the quote that opens at `start` closes on this line (YAML's escaping rules), or None."""
    index = start + 1
    while index < len(text):
        char = text[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and text[index + 1 : index + 2] == "'":
                index += 2
                continue
            return index
        index += 1
    return None


def _open_quote_before(lines: list[str], number: int) -> tuple[_Field, str] | None:
    """The quoted value still open when line `number` starts (it began on an earlier line), if any."""
    opened: tuple[_Field, str] | None = None
    for current in range(number):
        text = lines[current]
        if opened is not None:
            quote = opened[1]
            if _closing_quote(quote + text, 0, quote) is not None:
                opened = None
            continue
        field = _split(lines, current)
        if field.value[:1] in _QUOTE_NAMES and _closing_quote(text, field.value_column, field.value[0]) is None:
            opened = (field, field.value[0])
    return opened


def _unclosed(field: _Field, quote: str, read_to: int | None = None) -> Explanation:
    name = _QUOTE_NAMES[quote]
    reads_on = f" (so YAML reads on to line {read_to + 1})" if read_to is not None else ""
    return (f"{_line_label(field.number)}: the {name} ({quote}) that starts {_value_of(field)} is never "
            f"closed{reads_on}; add a {quote} at the end of the value", field.number + 1, field.value_column + 1)


def _after_value(lines: list[str], number: int, column: int) -> Explanation | None:
    """YAML finished reading a value, and more text follows on its line."""
    opened = _open_quote_before(lines, number)
    if opened is not None:
        return _unclosed(*opened, read_to=number)
    field = _split(lines, number)
    if field.dashed and column == field.indent:
        return _stray_item(lines, number)
    first = field.value[:1]
    if first in _QUOTE_NAMES:
        close = _closing_quote(lines[number], field.value_column, first)
        value = _without_comment(field.value)
        if close is not None and close < column:
            name = _QUOTE_NAMES[first]
            if len(value) > 1 and value.endswith(first):
                # An apostrophe is the text's own; of an odd number of double quotes, the last one is.
                inner = value[1:] if first == '"' and value.count(first) % 2 else value[1:-1]
                return (f"{_line_label(number)}: {_value_of(field)} is in {name}s and has another {name} inside "
                        f"it (column {close + 1}), which ends it early; put the whole value in the other kind "
                        f"of quotes{_suggest(field, inner)}", number + 1, close + 1)
            return (f"{_line_label(number)}: {_value_of(field)} starts with a part in {name}s and goes on after "
                    f"it; put the whole value in quotes{_suggest(field, value)}", number + 1, column + 1)
    if first in "[{" and field.value_column < column:
        if first == "[" and field.key in _LIST_FIELDS:
            return (f"{_line_label(number)}: the list in '{field.key}' is closed with ] before the end of the "
                    "line; put every item inside the brackets, separated by commas, and nothing after the ]",
                    number + 1, column + 1)
        return _reserved(field)
    return None


def _indented_start(lines: list[str]) -> Explanation | None:
    for number, text in enumerate(lines):
        if text.strip() and not text.lstrip().startswith("#"):
            indent = len(text) - len(text.lstrip(" "))
            if indent == 0:
                return None
            return (f"{_line_label(number)}: the line starts with spaces; the fields of a record start at the "
                    "beginning of the line, so remove the spaces before it", number + 1, 1)
    return None


def _reserved(field: _Field) -> Explanation:
    first = field.value[:1]
    what = {"[": ", which YAML reads as the start of a list", "{": ", which YAML reads as the start of a set "
            "of fields"}.get(first, ", which YAML keeps for its own use")
    return (f"{_line_label(field.number)}: {_value_of(field)} starts with {_RESERVED[first]}{what}; put the "
            f"whole value in double quotes{_suggest(field, _without_comment(field.value))}",
            field.number + 1, field.value_column + 1)


def _reserved_start(lines: list[str], marks: list[tuple[int, int]]) -> Explanation | None:
    """A value that starts with a character YAML gives a meaning to (@, `, *, &, |, >, %, ?, - )."""
    for number, column in marks:
        field = _split(lines, number)
        first = field.value[:1]
        if field.value_column == column and first in _RESERVED and (first != "-" or field.value[1:2] in (" ", "")):
            return _reserved(field)
    return None


def _backslash(lines: list[str], problem: tuple[int, int], opening: tuple[int, int]) -> Explanation:
    """`document: "C:\\Reviews\\SRC-1.pdf"`: in double quotes a backslash starts an escape such as \\n."""
    number, column = problem
    field = _split(lines, opening[0])
    text = lines[number] if number < len(lines) else ""
    column = max(text.rfind("\\", 0, column + 1), 0)
    value = field.value[1:]
    close = _closing_quote(lines[opening[0]], opening[1], '"')
    if close is not None:
        value = lines[opening[0]][opening[1] + 1 : close]
    return (f"{_line_label(number)}: {_value_of(field)} is in double quotes and has a backslash (\\), which YAML "
            f"reads as the start of a special character; put the value in single quotes instead"
            f"{_suggest_single(field, value)}", number + 1, column + 1)


def _suggest_single(field: _Field, value: str) -> str:
    line = f"{field.prefix}'" + value.replace("'", "''") + "'"
    return f": {line}" if len(line) <= MAX_SHOWN else ""


def _stray_item(lines: list[str], number: int) -> Explanation | None:
    """A list item where YAML expects a field: its dash is out of line, or the field above has a value."""
    field = _split(lines, number)
    if not field.dashed:
        return None
    previous = _previous_line(lines, number)
    if previous is not None and previous.dashed and previous.indent != field.indent:
        return (f"{_line_label(number)}: the dash is not lined up with the dash on line {previous.number + 1}; "
                f"start it in column {previous.indent + 1}", number + 1, field.indent + 1)
    owner = _field_above(lines, number, field.indent + 1)
    if owner is not None and owner.value.strip():
        return (f"{_line_label(number)}: the line is a list item, but '{owner.key}' on line {owner.number + 1} "
                f"already has a value after its colon; for a list, leave nothing after '{owner.key}:' and put "
                "each item on its own line starting with a dash", number + 1, field.indent + 1)
    return None


def _unclosed_flow(lines: list[str], number: int, column: int) -> Explanation:
    text = lines[number] if number < len(lines) else ""
    bracket = text[column : column + 1] if text[column : column + 1] in "[{" else "["
    closer, what = ("]", "list") if bracket == "[" else ("}", "set of fields")
    field = _split(lines, number)
    if field.value_column == column and field.key not in _LIST_FIELDS:
        return (f"{_line_label(number)}: {_value_of(field)} starts with {bracket}, which YAML reads as the start of "
                f"a {what} that is never closed; if it is text, put the whole value in double quotes"
                f"{_suggest(field, _without_comment(field.value))}", number + 1, column + 1)
    return (f"{_line_label(number)}: the {what} that starts with {bracket} in column {column + 1} is never "
            f"closed; end it with {closer} (and separate its items with commas)", number + 1, column + 1)


# -- dispatch -------------------------------------------------------------------------------------------


def _mark(mark: object) -> tuple[int, int] | None:
    line, column = getattr(mark, "line", None), getattr(mark, "column", None)
    return (line, column) if isinstance(line, int) and isinstance(column, int) else None


def _by_problem(lines: list[str], problem: tuple[int, int], context: tuple[int, int] | None,
                words: str) -> Explanation | None:
    number, column = problem
    if "mapping values are not allowed" in words:
        return _colon_in_value(lines, number, column)
    if "could not find expected ':'" in words and context is not None:
        return _not_a_field(lines, context[0])
    if ("escape" in words or "hexdecimal" in words) and context is not None:
        return _backslash(lines, problem, context)
    if "quoted scalar" in words and "end of stream" in words and context is not None:
        field = _split(lines, context[0])
        quote = lines[context[0]][context[1] : context[1] + 1]
        if quote in _QUOTE_NAMES:
            if field.value_column != context[1]:
                field = _Field(field.number, field.indent, None, field.value, context[1], field.dashed, context[1])
            return _unclosed(field, quote)
    if ("flow sequence" in words or "flow mapping" in words) and context is not None and "expected ','" in words:
        return _unclosed_flow(lines, *context)
    if "block collection" in words and context is not None:
        if column > _split(lines, number).value_column:  # the line is a list item; its value is the trouble
            return _after_value(lines, number, column)
        return _list_item(lines, number, *context)
    if "document start" in words:
        return _indented_start(lines)
    if "expected key" in words or "expected <block end>, but found" in words:
        return _after_value(lines, number, column)
    return None


def explain(error: MarkedYAMLError, text: str) -> Explanation | None:
    """The plain-English explanation of a YAML syntax error, or None for a cause not recognised here."""
    lines = text.split("\n")
    problem = _mark(error.problem_mark)
    context = _mark(error.context_mark)
    if problem is None:
        return None
    words = f"{error.context or ''} | {error.problem or ''}"
    number, column = problem
    if (number < len(lines) and "\t" in lines[number][: column + 1]) or "tab" in words or "'\\t'" in words:
        found = _tab(lines, number)
        if found is not None:
            return found
    reserved = _reserved_start(lines, [mark for mark in (context, problem) if mark is not None])
    if reserved is not None and not any(cause in words for cause in ("mapping values", "expected ':'", "flow")):
        return reserved
    return _by_problem(lines, problem, context, words)
