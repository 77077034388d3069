"""Characters that a word processor puts in place of plain ones (curly quotes, long dashes, no-break and
invisible spaces): named, with where they are, for the fields whose values must be typed exactly
(statuses, ids, dates). In free text they are allowed."""

from __future__ import annotations

# Written as escapes: the look-alikes would be hard to tell from the plain characters in this file.
_QUOTES = frozenset("\u2018\u2019\u201c\u201d\u201a\u201e\u2032\u2033")
_DASHES = {
    "\u2010": "a Unicode hyphen", "\u2011": "a no-break hyphen", "\u2012": "a figure dash",
    "\u2013": "an en dash", "\u2014": "an em dash", "\u2212": "a minus sign",
}
_SPACES = {"\u00a0": "a no-break space", "\u202f": "a narrow no-break space", "\u2007": "a figure space",
           "\u2009": "a thin space"}
_INVISIBLE = {"\u200b": "an invisible zero-width space", "\u200c": "an invisible zero-width non-joiner",
              "\u200d": "an invisible zero-width joiner", "\u2060": "an invisible word joiner",
              "\ufeff": "an invisible zero-width no-break space", "\u00ad": "an invisible soft hyphen"}
ODD_SPACES = frozenset(_SPACES) | frozenset(_INVISIBLE)  # where YAML needs a space, these are not one
PASTED = _QUOTES | frozenset(_DASHES) | frozenset(_SPACES) | frozenset(_INVISIBLE)


def has_pasted(value: str) -> bool:
    return any(char in PASTED for char in value)


def cleaned(value: str) -> str:
    """The value as it would have been typed: quotes around it dropped, dashes plain, invisible characters
    and surrounding spaces gone."""
    text = "".join(char for char in value if char not in _INVISIBLE)
    for char in _SPACES:
        text = text.replace(char, " ")
    for char in _DASHES:
        text = text.replace(char, "-")
    text = text.strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return "".join(char for char in text if char not in _QUOTES)


def _positions(value: str, chars: frozenset[str]) -> list[int]:
    return [index for index, char in enumerate(value) if char in chars]


def _at(indexes: list[int], value: str) -> str:
    """'at the end', 'at character 3', 'at characters 3 and 7'."""
    if indexes == [len(value) - 1]:
        return "at the end"
    if indexes == [0]:
        return "at the start"
    numbers = [str(index + 1) for index in indexes]
    if len(numbers) == 1:
        return f"at character {numbers[0]}"
    return f"at characters {', '.join(numbers[:-1])} and {numbers[-1]}"


def _quote_words(value: str) -> str | None:
    stripped = value.strip("".join(_SPACES) + "".join(_INVISIBLE))
    indexes = _positions(value, _QUOTES)
    if not indexes:
        return None
    if len(stripped) >= 2 and stripped[0] in _QUOTES and stripped[-1] in _QUOTES and len(indexes) == 2:
        return f"curly quotes {stripped[0]} {stripped[-1]} around it"
    marks = " ".join(dict.fromkeys(value[index] for index in indexes))
    return f"curly quote{'s' if len(indexes) > 1 else ''} {marks} {_at(indexes, value)}"


def _kind_words(value: str, table: dict[str, str], shown: bool) -> list[str]:
    words = []
    for char, name in table.items():
        indexes = [index for index, found in enumerate(value) if found == char]
        if indexes:
            words.append(f"{name}{f' ({char})' if shown else ''} {_at(indexes, value)}")
    return words


def describe(value: str) -> tuple[str, str] | None:
    """What was pasted into the value, and how to fix it, or None when the value is plain:
    ("has curly quotes <left> <right> around it", "type the value without them")."""
    quotes = _quote_words(value)
    dashes = _kind_words(value, _DASHES, shown=True)
    spaces = _kind_words(value, _SPACES, shown=False) + _kind_words(value, _INVISIBLE, shown=False)
    parts = ([quotes] if quotes else []) + dashes + spaces
    if not parts:
        return None
    if quotes and not (dashes or spaces):
        fix = "type the value without them"
    elif dashes and not (quotes or spaces):
        fix = "type a plain hyphen (-) instead" if len(dashes) == 1 else "type plain hyphens (-) instead"
    elif spaces and not (quotes or dashes):
        fix = "delete it" if len(spaces) == 1 and " and " not in spaces[0] else "delete them"
    else:
        fix = "type the value again"
    return "has " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]), fix
