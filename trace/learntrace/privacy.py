"""Text that looks like personal data: safeguarding records must not identify children or families.
Every finding is a candidate for a person to check, not a verdict.

Names of people cannot be found by pattern (a name is any word); these patterns find numbers,
addresses and dates. Every pattern is linear in the length of the text: each quantifier is bounded,
no repeated group can match the same text two ways, and the e-mail search starts only where an "@"
(or a written-out "at") is, reading at most 64 characters back for the address's first part.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from learntrace.patterns import LazyPattern

# Ten digits, each pair separated by nothing, one dot or dash, or one or two spaces, in any grouping;
# not part of a longer number. A prefix such as "NHS-" or "No." is not a digit, so it does not hide it.
_SEP = r"(?:[.\-]| {1,2})"
_NHS = LazyPattern(rf"(?<!\d)(?<!\d[.\- ])\d(?:{_SEP}?\d){{9}}(?!{_SEP}?\d)")

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
_POSTCODE = LazyPattern(
    r"(?<![A-Za-z0-9])(?:GIR\s{0,3}0AA|(?:" + "|".join(sorted(_AREAS, key=len, reverse=True)) + r")"
    r"[0-9][A-Z0-9]?\s{0,3}[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# A UK phone number: 0, +44, 0044 or +44 (0), then nine or ten more digits, each pair separated by at
# most one space, dot or dash, or a closing bracket (as in "(01632) 960123"); not inside a date or a
# range of dates (2022-02-03..2022-06-08).
_PHONE = LazyPattern(
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
_BIRTH = LazyPattern(
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
_EMAIL_TAIL = LazyPattern(
    rf"(?:\s{{0,2}}(?:@|{_BRACKET_AT})\s{{0,2}}{_LABEL}(?:(?:\.|{_DOT_WORD}){_LABEL}){{0,4}}(?:\.|{_DOT_WORD})"
    rf"|\s{{1,2}}at\s{{1,2}}{_LABEL}(?:{_DOT_WORD}{_LABEL}){{0,4}}{_DOT_WORD})"
    r"[A-Za-z]{2,24}(?![A-Za-z0-9\-])",
    re.IGNORECASE,
)
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_LOCAL_MAX = 64

# A quick test that everything the patterns find passes: ten digits with at most three other characters
# between each two (NHS and phone numbers), a postcode's inward half after a digit, an @, a written-out
# "at" or "dot", or a word about birth. Text without any is not searched. (Ids such as REC-AB-12 and
# dates such as 2022-06 do not pass; tests/test_privacy.py checks the test lets every finding through.
# The separator _APART is excluded everywhere, so that a match lies within one text.)
# Written plainly, the test is
#     \d(?:[^\d\x00]{0,3}\d){9} | [0-9][a-z0-9]?\s{0,3}[0-9][a-z]{2} | gir\s{0,3}0aa | @ | [\[(<{]\s{0,2}at
#     | \bdot\b | born | birth | \bb\. | d\.?\s?o\.?\s?b
# (tests/test_privacy.py holds it so, and checks this form finds the same). Here each alternative's first
# character is taken out into one class, which the regular-expression engine skips ahead to: the plain form
# tries every alternative at every character, and cost a tenth of a first run of `trace validate`.
_MAYBE = LazyPattern(
    r"[\d@\[(<{gdb]"
    r"(?:(?<=\d)(?:[^\d\x00]{0,3}\d){9}|(?<=[0-9])[a-z0-9]?\s{0,3}[0-9][a-z]{2}|(?<=g)ir\s{0,3}0aa|(?<=@)"
    r"|(?<=[\[(<{])\s{0,2}at|(?<=\bd)ot\b|(?<=b)orn|(?<=b)irth|(?<=\bb)\.|(?<=d)\.?\s?o\.?\s?b)",
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


def _emails(text: str) -> Iterator[tuple[int, str]]:
    """Where each e-mail address starts, and the address: found from its "@" (or "at"), then read back
    over its first part."""
    for match in _EMAIL_TAIL.finditer(text):
        start = match.start()
        floor = max(0, start - _LOCAL_MAX)
        while start > floor and text[start - 1] in _LOCAL_CHARS:
            start -= 1
        local = text[start:match.start()]
        if local.strip("._%+-"):
            yield start, text[start:match.end()]


def _matches(text: str) -> Iterator[tuple[int, int, str, str, str]]:
    """(start, order, kind, matched text, digits) for each thing in the text that looks like personal data;
    `order` is the pattern's place in the order find_in_text gives them; `digits` only for NHS and phone
    numbers (an NHS number is not also reported as a phone number: see _without_nhs_as_phone)."""
    for match in _NHS.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if _nhs_valid(digits):
            yield match.start(), 0, "nhs-number", match.group(0), digits
    for match in _BIRTH.finditer(text):
        yield match.start(), 1, "date-of-birth", match.group(0), ""
    for match in _POSTCODE.finditer(text):
        yield match.start(), 2, "postcode", match.group(0), ""
    for start, found in _emails(text):
        yield start, 3, "email", found, ""
    for match in _PHONE.finditer(text):
        yield match.start(), 4, "phone", match.group(0), re.sub(r"\D", "", match.group(0))[-10:]


def _without_nhs_as_phone(found: list[tuple[int, int, str, str, str]]) -> list[tuple[int, int, str, str, str]]:
    """The findings of one text, in order, with no phone number that is an NHS number found there too."""
    nhs = {digits for _, _, kind, _, digits in found if kind == "nhs-number"}
    return sorted((f for f in found if f[2] != "phone" or f[4] not in nhs), key=lambda f: (f[1], f[0]))


def find_in_text(text: str) -> Iterator[tuple[str, str]]:
    """(kind, matched text) for each thing in the text that looks like personal data."""
    if not _MAYBE.search(text):
        return
    for _, _, kind, found, _ in _without_nhs_as_phone(list(_matches(text))):
        yield kind, found


# Joins a record's texts for the quick test (_MAYBE): none of its patterns matches across it (none allows
# a control character), so each match lies in one text.
_APART = "\x00"


def _texts(data: Any, path: tuple[Any, ...], found: list[tuple[tuple[Any, ...], str]]) -> None:
    if isinstance(data, str):
        found.append((path, data))
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                found.append(((*path, key), key))
            _texts(value, (*path, key), found)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _texts(value, (*path, index), found)


def find_candidates(data: Any) -> list[Candidate]:
    """Every text of a record, searched: values, field names, ids and chosen values alike (a value the
    schema refuses is still text that was written down). One pass of the quick test over the texts joined
    says which texts can hold anything at all; only those are searched."""
    texts: list[tuple[tuple[Any, ...], str]] = []
    _texts(data, (), texts)
    if any(_APART in text for _, text in texts):  # a text holding the separator is tested alone
        maybe = [index for index, (_, text) in enumerate(texts) if _MAYBE.search(text)]
    else:
        starts, offset = [], 0
        for _, text in texts:
            starts.append(offset)
            offset += len(text) + len(_APART)
        joined = _APART.join(text for _, text in texts)
        maybe = sorted({bisect.bisect_right(starts, m.start()) - 1 for m in _MAYBE.finditer(joined)})
    return [Candidate(texts[index][0], kind, found) for index in maybe
            for _, _, kind, found, _ in _without_nhs_as_phone(list(_matches(texts[index][1])))]


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
