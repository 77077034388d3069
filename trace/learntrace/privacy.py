"""Text in records that looks like personal data: safeguarding records must not identify children
or families. Every finding is a candidate for a person to check, not a verdict."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][A-HJKPS-UW0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_PHONE = re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|\(?0)(?:\d[\s-]?){8,9}\d(?!\d)")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})[a-z]*\.?,?\s+\d{{4}})"
)
_BIRTH = re.compile(rf"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\s*[:\-]?\s*{_DATE}", re.IGNORECASE)

KINDS = {
    "nhs-number": "an NHS number",
    "postcode": "a full postcode",
    "date-of-birth": "a date of birth",
    "email": "an e-mail address",
    "phone": "a phone number",
}


@dataclass(frozen=True)
class PrivacyPolicy:
    """What to say about text that looks like personal data: `allow` lists the partnership's own
    published numbers and addresses; severity is "warning" or "error"."""

    allow: tuple[str, ...] = ()
    severity: str = "warning"


@dataclass(frozen=True)
class Candidate:
    """Text that looks like personal data, where it is in the record."""

    data_path: tuple[Any, ...]
    kind: str
    text: str


def _nhs_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=False))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def find_in_text(text: str) -> Iterator[tuple[str, str]]:
    """(kind, matched text) for each thing in the text that looks like personal data."""
    for match in _NHS.finditer(text):
        digits = "".join(match.groups())
        if _nhs_valid(digits):
            yield "nhs-number", match.group(0)
    for match in _BIRTH.finditer(text):
        yield "date-of-birth", match.group(0)
    for match in _POSTCODE.finditer(text):
        yield "postcode", match.group(0)
    for match in _EMAIL.finditer(text):
        yield "email", match.group(0)
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if not (len(digits) == 10 and _nhs_valid(digits)):  # already reported as an NHS number
            yield "phone", match.group(0)


# Ids, links, choices and dates cannot hold a name or a number; the free text fields can.
_NOT_TEXT = frozenset({"id", "source", "aims", "addresses", "outcomes", "supports", "status", "type", "rag",
                       "target", "published", "date", "review_by", "kind", "themes", "superseded_by",
                       "judgement_links", "level", "decided", "published_not_earlier_than",
                       "published_not_later_than", "date_not_earlier_than", "date_not_later_than",
                       "baseline_date", "remeasure_by"})
# Everything the patterns find has three digits in a row, an @, or a postcode's letter-digit start.
_MAYBE = re.compile(r"[0-9]{3}|@|[A-Z][0-9]|[0-9]{1,2}[/.-][0-9]")


def find_candidates(data: Any, path: tuple[Any, ...] = ()) -> list[Candidate]:
    """Every free-text value of a record, searched."""
    found: list[Candidate] = []
    if isinstance(data, str):
        if _MAYBE.search(data):
            found.extend(Candidate(path, kind, text) for kind, text in find_in_text(data))
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in _NOT_TEXT:
                found.extend(find_candidates(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(find_candidates(value, (*path, index)))
    return found


def normalise(text: str) -> str:
    """How an allow-list entry and a finding are compared: case, spaces and punctuation aside."""
    return re.sub(r"[^0-9a-z@.]", "", text.lower())


def masked(text: str) -> str:
    """The finding as shown in messages and CI logs: enough to find it, not enough to copy it."""
    visible = 3
    out, shown = [], 0
    for char in text:
        if char.isalnum():
            out.append(char if shown < visible else "*")
            shown += 1
        else:
            out.append(char)
    return "".join(out)


def message(kind: str, text: str) -> str:
    return (
        f"this looks like {KINDS[kind]} ({masked(text)}); records must not identify children or families, "
        "so remove it, or, if it is the partnership's own published contact detail, add it to "
        "[privacy] allow in trace.toml"
    )
