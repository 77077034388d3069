"""One rule for field values everywhere: what a spreadsheet import accepts, `trace set` and `trace new` accept
too (targets and dates as people write them, allowed values in any case), and say what they stored."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from learntrace.dates import normalise_target, parse_partial_date
from learntrace.errors import TraceError
from learntrace.schema import field_schemas

# Words people use for an allowed value (lower case, single spaces) -> the value.
STATUS_WORDS = {"completed": "complete", "done": "complete", "not started yet": "not-started",
                "started": "in-progress", "cancelled": "dropped", "canceled": "dropped"}
RAG_WORDS = {"r": "red", "a": "amber", "g": "green"}
_WORDS = {"status": STATUS_WORDS, "rag": RAG_WORDS}
_DATE_CORE = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
_PARTIAL_DATE = re.compile(f"^{_DATE_CORE}$")
DATE_EXAMPLES = "write it as 31/03/2023, March 2023, 2023-03-31, 2023-03 or 2023"


@dataclass(frozen=True)
class StoredValue:
    """A value as it will be stored, with what was typed and any note on how it was read."""

    value: str
    given: str
    note: str | None = None

    def said(self, field: str) -> str | None:
        """"target: 31/03/2023 → 2023-03-31" when the stored value differs from what was typed."""
        if self.value == self.given.strip():
            return None
        return f"{field}: {' '.join(self.given.split())} \u2192 {self.value}" + (f" ({self.note})" if self.note else "")


def enum_value(value: str, allowed: list[str], words: Mapping[str, str] | None = None) -> str | None:
    """An allowed value however it is written ("In Progress", "Amber", "completed"), or None."""
    key = " ".join(value.strip().lower().replace("_", " ").split())
    key = (words or {}).get(key, key).replace(" ", "-")
    return key if key in allowed else None


def _form(schema: Mapping[str, Any]) -> str:
    if "enum" in schema:
        return "enum"
    pattern = str(schema.get("pattern", ""))
    if "ongoing|tba" in pattern:
        return "target"
    if _DATE_CORE in pattern and "Q[1-4]" not in pattern:  # YYYY, YYYY-MM or YYYY-MM-DD (or a word: unknown)
        return "partial-date"
    return "text"


def normalise_date(text: str, words: tuple[str, ...] = ()) -> str:
    """A date as people write it (31/03/2023, March 2023, 2023-03) as YYYY, YYYY-MM or YYYY-MM-DD; `words`
    are the words the field takes instead of a date (unknown), in any case."""
    cleaned = " ".join(text.split())
    if cleaned.lower() in words:
        return cleaned.lower()
    if _PARTIAL_DATE.match(cleaned):
        parse_partial_date(cleaned)  # a month 13 or 31 February says so
        return cleaned
    try:
        value = normalise_target(cleaned).value
    except ValueError as error:
        reason = str(error).partition("cannot be read: ")[2]
        if reason and "year" not in reason:  # "is not a real date: February 2023 has 28 days"
            raise ValueError(f"'{cleaned}' cannot be read: {reason}") from None
        value = ""
    if not _PARTIAL_DATE.match(value):
        raise ValueError(f"'{cleaned}' cannot be read; {DATE_EXAMPLES}")
    return value


def stored_value(kind: str, field: str, text: str) -> StoredValue:
    """The value `text` is stored as in this field; raises TraceError saying why it cannot be."""
    schema = field_schemas(kind).get(field, {})
    form = _form(schema)
    cleaned = " ".join(text.split()) if form != "text" else text.strip()
    if form == "enum":
        allowed = [str(v) for v in schema["enum"]]
        found = enum_value(cleaned, allowed, _WORDS.get(field))
        if found is None:
            raise TraceError(f"{field} '{cleaned}' is not one of: {', '.join(allowed)}")
        return StoredValue(found, text)
    if form == "target":
        try:
            target = normalise_target(cleaned)
        except ValueError as error:
            raise TraceError(str(error)) from None
        return StoredValue(target.value, text, _season_note(target.note))
    if form == "partial-date":
        words = tuple(re.findall(r"[a-z]+", str(schema.get("pattern", "")).split("[0-9]")[0]))
        try:
            return StoredValue(normalise_date(cleaned, words), text)
        except ValueError as error:
            raise TraceError(f"the {field} {error}") from None
    return StoredValue(cleaned, text)


def _season_note(note: str | None) -> str | None:
    # The import's note names "the spreadsheet"; here only how the season was read matters.
    if note is None or ": " not in note.rpartition("(read as ")[2]:
        return note
    return note.rpartition("(read as ")[2].partition(": ")[2].rstrip(").")
