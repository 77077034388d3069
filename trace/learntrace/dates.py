"""Dates as action plans write them: partial dates, quarters, seasons, ranges, "ongoing", "tba", "not-set" and
recurring targets; and dates no document gives ("unknown", perhaps with bounds)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from learntrace.patterns import LazyPattern

_DAY = LazyPattern(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = LazyPattern(r"^(\d{4})-(\d{2})$")
_YEAR = LazyPattern(r"^(\d{4})$")
_QUARTER = LazyPattern(r"^(\d{4})-Q([1-4])$")
_SEASON = LazyPattern(r"^(\d{4})-([a-z]+)$")
# Meteorological seasons, as UK plans use them. Winter spans two years, so a target gives it as months.
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}
UNKNOWN = "unknown"
# Targets with no end: the work goes on, the date is to be agreed, the document gives none, or it recurs.
OPEN_ENDED_TARGETS = ("ongoing", "tba", "not-set", "monthly", "quarterly", "yearly")

# Month names and their usual abbreviations, for trace.toml and for spreadsheets.
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

PARTIAL_DATE_HINT = "a date written as YYYY, YYYY-MM or YYYY-MM-DD (for example 2020, 2020-07 or 2020-07-15)"
TARGET_HINT = (
    "a target written as YYYY-MM-DD, YYYY-MM, a quarter YYYY-Qn, a season YYYY-spring, YYYY-summer or "
    "YYYY-autumn, a range START..END of those (for example 2021-12..2022-06), ongoing, tba (the document says "
    "it is to be agreed), not-set (the document gives no target), or monthly, quarterly or yearly "
    "(a recurring activity)"
)


@dataclass(frozen=True)
class Span:
    """The first and last day a written date can mean."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Target:
    """An action's target: a span of days, or one of OPEN_ENDED_TARGETS (no end)."""

    text: str
    span: Span | None


def month_number(name: str) -> int | None:
    """1-12 for a month's name or abbreviation (any case), else None."""
    return MONTHS.get(name.strip().lower())


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _checked_month(text: str, month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' has month {month:02d}, but months run from 01 to 12")


def _day_span(text: str, year: int, month: int, day: int) -> Span:
    _checked_month(text, month)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(
            f"'{text}' is not a real date: {calendar.month_name[month]} {year} has {last} days"
        )
    day_date = dt.date(year, month, day)
    return Span(day_date, day_date)


def parse_partial_date(text: str) -> Span:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD into the span of days it covers."""
    text = text.strip()
    if match := _DAY.match(text):
        return _day_span(text, *(int(part) for part in match.groups()))
    if match := _MONTH.match(text):
        year, month = (int(part) for part in match.groups())
        _checked_month(text, month)
        return Span(dt.date(year, month, 1), month_end(year, month))
    if match := _YEAR.match(text):
        year = int(match.group(1))
        return Span(dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise ValueError(f"'{text}' is not {PARTIAL_DATE_HINT}")


# The days git can give a commit and compare with one (it reads dates after 2099 as something else).
GIT_FIRST_DAY = dt.date(1970, 1, 2)
GIT_LAST_DAY = dt.date(2099, 12, 31)


def parse_day(text: str) -> dt.date:
    """Parse a full YYYY-MM-DD date."""
    text = text.strip()
    match = _DAY.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a full date written as YYYY-MM-DD (for example 2023-03-31)")
    return _day_span(text, *(int(part) for part in match.groups())).start


def _parse_target_point(text: str) -> Span:
    if match := _SEASON.match(text):
        year, season = int(match.group(1)), match.group(2)
        if season == "winter":
            raise ValueError(f"'{text}': winter spans two years; write it as months, such as {year}-12..{year + 1}-02")
        if season in SEASON_MONTHS:
            first, last = SEASON_MONTHS[season]
            return Span(dt.date(year, first, 1), month_end(year, last))
    if match := _QUARTER.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        first_month = 3 * (quarter - 1) + 1
        return Span(dt.date(year, first_month, 1), month_end(year, first_month + 2))
    if _YEAR.match(text):
        raise ValueError(
            f"'{text}' is only a year; a target needs at least a month or a quarter, such as {text}-12 or {text}-Q4"
        )
    try:
        return parse_partial_date(text)
    except ValueError as error:
        if _DAY.match(text) or _MONTH.match(text):
            raise
        raise ValueError(f"'{text}' is not {TARGET_HINT}") from error


def parse_target(text: str) -> Target:
    """Parse an action's target into the span of days it covers."""
    cleaned = text.strip()
    if cleaned.lower() in OPEN_ENDED_TARGETS:
        return Target(cleaned.lower(), None)
    if ".." in cleaned:
        first, _, last = cleaned.partition("..")
        start, end = _parse_target_point(first.strip()), _parse_target_point(last.strip())
        if end.end < start.start:
            raise ValueError(f"the range '{cleaned}' ends before it starts")
        return Target(cleaned, Span(start.start, end.end))
    return Target(cleaned, _parse_target_point(cleaned))


# ---------------------------------------------------------------------------------------------
# Targets as spreadsheets write them, read into trace's form

# Meteorological seasons, as UK plans use them. Winter spans two years, so it is never read.
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_SEASON_WORDS = {"spring": "March to May", "summer": "June to August", "autumn": "September to November",
                 "fall": "September to November"}
_TBA = {"tba", "tbc", "tbd", "to be agreed", "to be confirmed"}
_ONGOING = {"ongoing", "on-going", "on going"}
_RECURRING = {"monthly": "monthly", "quarterly": "quarterly", "quarterly reports": "quarterly", "yearly": "yearly",
              "annually": "yearly", "annual": "yearly"}
_TRACE_POINT = r"[0-9]{4}-(Q[1-4]|spring|summer|autumn|[0-9]{2}(-[0-9]{2})?)"
_TRACE_TARGET = LazyPattern(rf"^(ongoing|tba|not-set|monthly|quarterly|yearly|{_TRACE_POINT}(\.\.{_TRACE_POINT})?)$")
_RANGE_SPLIT = LazyPattern(
    r"\s*[\u2013\u2014]\s*|\s+-\s+|\s+to\s+|\s*\.\.\s*|(?<=[0-9])-(?=[A-Za-z])|(?<=[A-Za-z])-(?=[A-Za-z])",
    re.IGNORECASE,
)
_SHEET_YEAR = r"(?:'|\u2019)?(\d{4}|\d{2})"
_MONTH_YEAR = LazyPattern(rf"^([a-z]+)\.?(?:[\s,-]+{_SHEET_YEAR})?$")
_SHEET_QUARTER = LazyPattern(rf"^q([1-4])[\s-]*{_SHEET_YEAR}$|^{_SHEET_YEAR}[\s-]*q([1-4])$")
_DAY_FIRST = LazyPattern(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$")
_MONTH_NUMBER = LazyPattern(r"^(\d{1,2})/(\d{4})$")
_ISO = LazyPattern(r"^\d{4}-(?:q[1-4]|\d{2}(?:-\d{2})?)$")
_LEADING = LazyPattern(r"^(?:by|end of|by end of|by the end of|end)\s+", re.IGNORECASE)
_EXAMPLE_YEAR = 2022
TARGET_EXAMPLES = (
    "write it as a month (Dec 2021), a range (Dec 21 \u2013 Jun 22), a quarter (Q3 2022), a day (31/03/2022), "
    "Ongoing or TBA"
)


@dataclass(frozen=True)
class NormalisedTarget:
    """A target in trace's form, and a note keeping the original wording when reading it took a choice."""

    value: str
    note: str | None = None


@dataclass(frozen=True)
class _Point:
    start: str
    end: str
    year: int | None  # None: the text gave no year (the first half of "Jan – Mar 2022")
    month: int = 0  # for a point without a year: its first month
    last_month: int = 0
    season: str = ""  # a season's name: the target keeps it (2022-summer) rather than guess its months


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _point(text: str) -> _Point:
    """One date of a target: a month, season, quarter or day, with or without its year."""
    low = text.lower().strip().rstrip(".")
    if _ISO.match(low):
        upper = low.upper()
        return _Point(upper, upper, int(low[:4]))
    if match := _SHEET_QUARTER.match(low):
        quarter = match.group(1) or match.group(4)
        year = _year(match.group(2) or match.group(3))
        return _Point(f"{year}-Q{quarter}", f"{year}-Q{quarter}", year)
    if match := _DAY_FIRST.match(low):
        day, month, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' has month {month}; trace reads dates day first, as 31/03/2022")
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"'{text}' is not a real date: {calendar.month_name[month]} {year} has {last} days")
        value = f"{year}-{month:02d}-{day:02d}"
        return _Point(value, value, year)
    if match := _MONTH_NUMBER.match(low):
        value = f"{match.group(2)}-{int(match.group(1)):02d}"
        return _Point(value, value, int(match.group(2)))
    if match := _MONTH_YEAR.match(low):
        word, year_text = match.group(1), match.group(2)
        given = _year(year_text) if year_text else None
        if word in MONTHS:
            month = MONTHS[word]
            value = f"{given}-{month:02d}" if given else ""
            return _Point(value, value, given, month, month)
        if word in _SEASONS:
            first, last = _SEASONS[word]
            name = "autumn" if word == "fall" else word
            value = f"{given}-{name}" if given else ""
            return _Point(value, value, given, first, last, season=name)
        if word == "winter":
            raise ValueError(
                f"'{text}' could mean the start or the end of the year; write the months, such as Dec 22 – Feb 23"
            )
    if re.match(r"^\d{4}$", low):
        raise ValueError(f"'{text}' is only a year; a target needs a month or a quarter, such as Dec {low} or Q4 {low}")
    if re.match(r"^\d{4}\s*/\s*\d{2,4}$", low):
        raise ValueError(f"'{text}' is a financial year; write the months or quarter it means, such as Apr 22 – Mar 23")
    raise ValueError("")  # nothing more specific to say than "cannot be read"


def _with_year(point: _Point, year: int) -> _Point:
    first, last = point.month, point.last_month
    if point.season:
        return _Point(f"{year}-{point.season}", f"{year}-{point.season}", year, first, last, point.season)
    return _Point(f"{year}-{first:02d}", f"{year}-{last:02d}", year, first, last, point.season)


def normalise_target(text: str) -> NormalisedTarget:
    """A target as a spreadsheet writes it ("Dec 21 – Jun 22", "Q3 2022", "31/03/2022", "TBC") in trace's
    form (2021-12..2022-06, 2022-Q3, 2022-03-31, tba). Raises ValueError, saying why, rather than guess."""
    original = text
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    low = cleaned.lower().rstrip(".")
    if not low:
        return NormalisedTarget("not-set")  # a blank cell is not "TBA": the plan gives no target
    if low in _TBA:
        return NormalisedTarget("tba")
    if low in _RECURRING:
        return NormalisedTarget(_RECURRING[low])
    if low in _ONGOING:
        return NormalisedTarget("ongoing")
    if _TRACE_TARGET.match(cleaned):
        return NormalisedTarget(_checked(cleaned, original))
    cleaned = _LEADING.sub("", cleaned)
    parts = [part for part in _RANGE_SPLIT.split(cleaned) if part is not None]
    try:
        if len(parts) == 1:
            point = _point(parts[0])
            if point.year is None:
                raise ValueError(f"'{parts[0]}' has no year; give one, such as {parts[0]} {_EXAMPLE_YEAR}")
            first, last = point, point
        elif len(parts) == 2:
            first, last = _point(parts[0]), _point(parts[1])
            if last.year is None:
                raise ValueError(f"'{parts[1]}' has no year; give one, such as {parts[1]} {_EXAMPLE_YEAR}")
            if first.year is None:
                # "Jan – Mar 2022": the first half takes the second's year; "Nov – Feb 2022" starts the year before.
                year = last.year if first.month <= last.month else last.year - 1
                first = _with_year(first, year)
        else:
            raise ValueError("it names more than two dates; a target is one date, or a range from one to another")
    except ValueError as error:
        reason = f": {error}" if str(error) else f"; {TARGET_EXAMPLES}"
        raise ValueError(f"the target '{original.strip()}' cannot be read{reason}") from None
    value = first.start if first.start == last.end else f"{first.start}..{last.end}"
    note = None
    seasons = [word for word in _SEASONS if re.search(rf"\b{word}\b", low)]
    if seasons:
        read_as = ", ".join(f"{word} = {_SEASON_WORDS[word]}" for word in seasons)
        note = f"Target in the spreadsheet: '{original.strip()}' (read as {value}: {read_as})."
    return NormalisedTarget(_checked(value, original), note)


def _checked(value: str, original: str) -> str:
    try:
        parse_target(value)
    except ValueError as error:
        raise ValueError(f"the target '{original.strip()}' cannot be read: {error}") from None
    return value


# ---------------------------------------------------------------------------------------------
# Dates no document gives: `unknown`, with the bounds the documents do show


def date_span(data: Mapping[str, Any], name: str) -> Span | None:
    """The days a record's date field (published, date) can be shown to fall in: the date's own span; for
    `unknown`, the days between its bounds (`NAME_not_earlier_than`, `NAME_not_later_than`), open-ended on a
    side with no bound; None when nothing is known. The record must have passed validation."""
    value = data.get(name)
    if value is None or isinstance(value, bool):
        return None
    if str(value).strip() != UNKNOWN:
        return parse_partial_date(str(value))
    earliest, latest = data.get(f"{name}_not_earlier_than"), data.get(f"{name}_not_later_than")
    if earliest is None and latest is None:
        return None
    start = parse_partial_date(str(earliest)).start if earliest is not None else dt.date.min
    end = parse_partial_date(str(latest)).end if latest is not None else dt.date.max
    return Span(start, end)


def falls_within(span: Span | None, start: dt.date, end: dt.date) -> bool:
    """Whether every day a date can mean lies in [start, end]: an unknown date belongs to no period."""
    return span is not None and start <= span.start and span.end <= end


def describe_date(data: Mapping[str, Any], name: str) -> str:
    """A record's date as a reader should see it: `2020-07`, or `date unknown, not later than 2022`."""
    value = data.get(name)
    if value is None:
        return "no date"
    if str(value).strip() != UNKNOWN:
        return str(value)
    bounds = [f"{words} {data[f'{name}_{field}']}"
              for field, words in (("not_earlier_than", "not earlier than"), ("not_later_than", "not later than"))
              if data.get(f"{name}_{field}") is not None]
    return ", ".join(["date unknown", *bounds])
