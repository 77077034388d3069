"""Text that looks like personal data: safeguarding records must not identify children or families.
Every finding is a candidate for a person to check, not a verdict.

Names of people cannot be found by pattern (a name is any word); these patterns find numbers,
addresses and dates. Every pattern is linear in the length of the text: each quantifier is bounded,
no repeated group can match the same text two ways, and the e-mail search starts only where an "@"
(or a written-out "at") is, reading at most 64 characters back for the address's first part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Ten digits, each pair separated by nothing, one dot or dash, or one or two spaces, in any grouping;
# not part of a longer number. A prefix such as "NHS-" or "No." is not a digit, so it does not hide it.
_SEP = r"(?:[.\-]| {1,2})"
_NHS = re.compile(rf"(?<!\d)(?<!\d[.\- ])\d(?:{_SEP}?\d){{9}}(?!{_SEP}?\d)")

# UK postcode areas (outward codes start with one of these); matched in any case, with up to three
# spaces (or none) between the two halves.
_AREAS = (
    "AB", "AL", "B", "BA", "BB", "BD", "BF", "BH", "BL", "BN", "BR", "BS", "BT", "BX", "CA", "CB", "CF", "CH", "CM",
    "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT", "DY", "E", "EC", "EH", "EN", "EX",
    "FK", "FY", "G", "GL", "GU", "GY", "HA", "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE",
    "KA", "KT", "KW", "KY", "L", "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M", "ME", "MK", "ML", "N", "NE", "NG",
    "NN", "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM", "S", "SA", "SE", "SG",
    "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW",
    "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE",
)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR\s{0,3}0AA|(?:" + "|".join(sorted(_AREAS, key=len, reverse=True)) + r")"
    r"[0-9][A-Z0-9]?\s{0,3}[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# A UK phone number: 0, +44, 0044 or +44 (0), then nine or ten more digits, each pair separated by at
# most one space, dot or dash, or a closing bracket (as in "(01632) 960123"); not inside a date or a
# range of dates (2022-02-03..2022-06-08).
_PHONE = re.compile(
    r"(?<![\d+])(?<!\d[.\-/])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)(?:\d(?:[\s.\-]|\)\s?)?){8,9}\d(?!\d)"
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    r"(?:\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?\d{2,4}"  # 03/04/2021, 3.4.21
    r"|\d{4}-\d{1,2}-\d{1,2}"  # 2021-04-03
    rf"|(?:the\s{{1,3}})?{_ORDINAL}(?:\s{{1,3}}of)?\s{{1,3}}{_MONTH},?\s{{1,3}}\d{{4}}"  # (the) 3rd (of) April 2021
    rf"|{_MONTH}\s{{1,3}}(?:the\s{{1,3}})?{_ORDINAL},?\s{{1,3}}\d{{4}}"  # April 3rd, 2021
    rf"|{_MONTH}\s{{1,3}}\d{{4}})"  # April 2021
)
_BIRTH = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s{1,3}of\s{1,3}birth|birth\s?date|born|b\.)"
    r"(?:\s{0,3}(?:on|in|:|-|\u2013)(?![a-z]))?\s{0,3}" + _DATE,
    re.IGNORECASE,
)

# E-mail addresses, also written out to dodge a filter: "jane [at] x.org", "jane(at)x[dot]org",
# "jane @ x.org", "jane at x dot org" (a bare "at" only with a written-out "dot", or it would be every "at").
_OPEN, _CLOSE = r"[\[(<{]", r"[\])>}]"
_BRACKET_AT = rf"{_OPEN}\s{{0,2}}at\s{{0,2}}{_CLOSE}"
_DOT_WORD = rf"(?:\s{{0,2}}{_OPEN}\s{{0,2}}dot\s{{0,2}}{_CLOSE}\s{{0,2}}|\s{{1,2}}dot\s{{1,2}})"
_LABEL = r"[A-Za-z0-9\-]{1,63}"
_EMAIL_TAIL = re.compile(
    rf"(?:\s{{0,2}}(?:@|{_BRACKET_AT})\s{{0,2}}{_LABEL}(?:(?:\.|{_DOT_WORD}){_LABEL}){{0,4}}(?:\.|{_DOT_WORD})"
    rf"|\s{{1,2}}at\s{{1,2}}{_LABEL}(?:{_DOT_WORD}{_LABEL}){{0,4}}{_DOT_WORD})"
    r"[A-Za-z]{2,24}(?![A-Za-z0-9\-])",
    re.IGNORECASE,
)
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_LOCAL_MAX = 64

# Everything the patterns find has three digits in a row, a letter next to a digit, a digit before a
# separator, an @, a written-out "at" or "dot", or a word about birth. Text without any is skipped.
_MAYBE = re.compile(
    rf"[0-9]{{3}}|[a-z][0-9]|[0-9][\s/.\-]{{1,2}}[0-9]|@|{_OPEN}\s{{0,2}}at|\bdot\b|born|birth|\bb\.|d\.?\s?o\.?\s?b",
    re.IGNORECASE,
)

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
    """Text that looks like personal data, where it is in the record (a field name's path ends in the name)."""

    data_path: tuple[Any, ...]
    kind: str
    text: str


def _nhs_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check digit."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=False))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _emails(text: str) -> Iterator[str]:
    """Each e-mail address: found from its "@" (or "at"), then read back over its first part."""
    for match in _EMAIL_TAIL.finditer(text):
        start = match.start()
        floor = max(0, start - _LOCAL_MAX)
        while start > floor and text[start - 1] in _LOCAL_CHARS:
            start -= 1
        local = text[start:match.start()]
        if local.strip("._%+-"):
            yield text[start:match.end()]


def find_in_text(text: str) -> Iterator[tuple[str, str]]:
    """(kind, matched text) for each thing in the text that looks like personal data."""
    if not _MAYBE.search(text):
        return
    nhs_digits = set()
    for match in _NHS.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if _nhs_valid(digits):
            nhs_digits.add(digits)
            yield "nhs-number", match.group(0)
    for match in _BIRTH.finditer(text):
        yield "date-of-birth", match.group(0)
    for match in _POSTCODE.finditer(text):
        yield "postcode", match.group(0)
    for found in _emails(text):
        yield "email", found
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if digits[-10:] not in nhs_digits:  # already reported as an NHS number
            yield "phone", match.group(0)


def find_candidates(data: Any, path: tuple[Any, ...] = ()) -> list[Candidate]:
    """Every text of a record, searched: values, field names, ids and chosen values alike (a value the
    schema refuses is still text that was written down)."""
    found: list[Candidate] = []
    if isinstance(data, str):
        found.extend(Candidate(path, kind, text) for kind, text in find_in_text(data))
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                found.extend(Candidate((*path, key), kind, text) for kind, text in find_in_text(key))
            found.extend(find_candidates(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(find_candidates(value, (*path, index)))
    return found


def find_in_name(path: str, record_id: str | None) -> list[tuple[str, str]]:
    """What looks like personal data in a record file's folder names and file name (the name is not
    searched again when it is the record's id, which is searched as text)."""
    parts = path.split("/")
    stem = parts[-1].rpartition(".")[0] or parts[-1]
    names = parts[1:-1] + ([stem] if stem != record_id else [])
    return [found for name in names for found in _in_name(name)]


@lru_cache(maxsize=4096)
def _in_name(name: str) -> tuple[tuple[str, str], ...]:
    # Every record in a folder shares its name: each is searched once per run, not once per file.
    return tuple(find_in_text(name))


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


def name_message(kind: str, text: str) -> str:
    return (
        f"the folder or file name looks like {KINDS[kind]} ({masked(text)}); records must not identify children "
        "or families, so rename it"
    )
