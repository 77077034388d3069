"""Dates as action plans write them: partial dates, quarters, ranges, "ongoing" and "tba"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")

PARTIAL_DATE_HINT = "a date written as YYYY, YYYY-MM or YYYY-MM-DD (for example 2020, 2020-07 or 2020-07-15)"
TARGET_HINT = (
    "a target written as YYYY-MM-DD, YYYY-MM, a quarter YYYY-Qn, a range START..END of those "
    "(for example 2021-12..2022-06), ongoing, or tba"
)


@dataclass(frozen=True)
class Span:
    """The first and last day a written date can mean."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Target:
    """An action's target: a span of days, or `ongoing`, or `tba` (both have no end)."""

    text: str
    span: Span | None

    @property
    def is_open_ended(self) -> bool:
        return self.span is None


def _month_end(year: int, month: int) -> dt.date:
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
        return Span(dt.date(year, month, 1), _month_end(year, month))
    if match := _YEAR.match(text):
        year = int(match.group(1))
        return Span(dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise ValueError(f"'{text}' is not {PARTIAL_DATE_HINT}")


def parse_day(text: str) -> dt.date:
    """Parse a full YYYY-MM-DD date."""
    text = text.strip()
    match = _DAY.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a full date written as YYYY-MM-DD (for example 2023-03-31)")
    return _day_span(text, *(int(part) for part in match.groups())).start


def _parse_target_point(text: str) -> Span:
    if match := _QUARTER.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        first_month = 3 * (quarter - 1) + 1
        return Span(dt.date(year, first_month, 1), _month_end(year, first_month + 2))
    if _YEAR.match(text):
        raise ValueError(f"'{text}' is only a year; a target needs at least a month or a quarter, such as {text}-12 or {text}-Q4")
    try:
        return parse_partial_date(text)
    except ValueError as error:
        if _DAY.match(text) or _MONTH.match(text):
            raise
        raise ValueError(f"'{text}' is not {TARGET_HINT}") from error


def parse_target(text: str) -> Target:
    """Parse an action's target into the span of days it covers."""
    cleaned = text.strip()
    if cleaned.lower() in ("ongoing", "tba"):
        return Target(cleaned.lower(), None)
    if ".." in cleaned:
        first, _, last = cleaned.partition("..")
        start, end = _parse_target_point(first.strip()), _parse_target_point(last.strip())
        if end.end < start.start:
            raise ValueError(f"the range '{cleaned}' ends before it starts")
        return Target(cleaned, Span(start.start, end.end))
    return Target(cleaned, _parse_target_point(cleaned))
