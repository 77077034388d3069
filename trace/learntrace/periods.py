"""Reporting periods: calendar quarters (2022Q3), reporting-year quarters (2022-23 Q2), or any range."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from learntrace.dates import month_end

_CALENDAR = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
_REPORTING = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    name: str  # "Q2 2022-23", or "1 July 2022 – 30 September 2022" for a custom range
    slug: str  # folder name under reports/: "2022-23-Q2"
    is_quarter: bool = True

    @property
    def dates_text(self) -> str:
        if self.start.year == self.end.year:
            return f"{self.start.day} {self.start:%B} – {self.end.day} {self.end:%B %Y}"
        return f"{self.start.day} {self.start:%B %Y} – {self.end.day} {self.end:%B %Y}"

    @property
    def title(self) -> str:
        """Q2 2022-23: 1 July – 30 September 2022."""
        return f"{self.name}: {self.dates_text}" if self.is_quarter else self.dates_text


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def reporting_quarter(year_start: int, quarter: int, start_month: int) -> Period:
    """Quarter n of the reporting year that starts in `start_month` of `year_start`."""
    first_year, first_month = _add_months(year_start, start_month, 3 * (quarter - 1))
    last_year, last_month = _add_months(first_year, first_month, 2)
    start = dt.date(first_year, first_month, 1)
    end = month_end(last_year, last_month)
    if start_month == 1:
        name, slug = f"Q{quarter} {year_start}", f"{year_start}-Q{quarter}"
    else:
        label = f"{year_start}-{(year_start + 1) % 100:02d}"
        name, slug = f"Q{quarter} {label}", f"{label}-Q{quarter}"
    return Period(start, end, name, slug)


def quarter_containing(day: dt.date, start_month: int) -> Period:
    months_in = (day.month - start_month) % 12
    year_start = day.year if day.month >= start_month else day.year - 1
    return reporting_quarter(year_start, months_in // 3 + 1, start_month)


def previous_quarter(period: Period, start_month: int) -> Period:
    return quarter_containing(period.start - dt.timedelta(days=1), start_month)


def default_quarter(today: dt.date, records_begin: dt.date | None, start_month: int) -> tuple[Period, bool]:
    """The quarter `trace report` writes when none is named: the last complete one; or, when the records
    begin after it ended (a repository's first days), the current quarter to date. True in the second case."""
    current = quarter_containing(today, start_month)
    last = previous_quarter(current, start_month)
    if records_begin is not None and last.end < records_begin:
        return current, True
    return last, False


def parse_quarter(text: str, start_month: int) -> Period:
    """`2022Q3` is a calendar quarter; `2022-23 Q2` a quarter of the reporting year."""
    if match := _REPORTING.match(text):
        first, second, quarter = int(match.group(1)), match.group(2), int(match.group(3))
        expected = (first + 1) % (100 if len(second) == 2 else 10_000)
        if int(second) != expected:
            raise ValueError(f"'{text}' is not a reporting year: after {first} comes {first + 1}")
        return reporting_quarter(first, quarter, start_month)
    if match := _CALENDAR.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        start = dt.date(year, 3 * (quarter - 1) + 1, 1)
        return quarter_containing(start, start_month)
    raise ValueError(
        f"'{text}' is not a quarter; write a calendar quarter such as 2022Q3 or a reporting-year quarter "
        "such as '2022-23 Q2'"
    )


def custom_period(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    name = f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"
    return Period(start, end, name, f"{start.isoformat()}_{end.isoformat()}", is_quarter=False)


_YEAR_TEXT = re.compile(r"^\s*(\d{4})\s*(?:[-/]\s*(\d{2}|\d{4}))?\s*$")
LAST_YEAR = "last"


def reporting_year(first_year: int, start_month: int) -> Period:
    """The reporting year that starts in `start_month` of `first_year`: "2025-26", or "2025" for a calendar year."""
    start = dt.date(first_year, start_month, 1)
    last_year, last_month = _add_months(first_year, start_month, 11)
    name = str(first_year) if start_month == 1 else f"{first_year}-{(first_year + 1) % 100:02d}"
    return Period(start, month_end(last_year, last_month), name, name, is_quarter=False)


def year_containing(day: dt.date, start_month: int) -> Period:
    return reporting_year(day.year if day.month >= start_month else day.year - 1, start_month)


def parse_year(text: str, start_month: int, today: dt.date) -> Period:
    """`2025-26` (or 2025/26, 2025-2026) is the reporting year starting in 2025; with a January start, `2025`.
    `last` is the last complete reporting year before `today`."""
    if text.strip().lower() == LAST_YEAR:
        return year_containing(year_containing(today, start_month).start - dt.timedelta(days=1), start_month)
    match = _YEAR_TEXT.match(text)
    example = "2025" if start_month == 1 else "2025-26"
    if not match:
        raise ValueError(f"'{text}' is not a reporting year; write it as {example}, or 'last' for the last complete "
                         "year")
    first, second = int(match.group(1)), match.group(2)
    if second is None:
        if start_month != 1:
            raise ValueError(f"'{text}' is only one year, and the reporting year here runs across two (it starts in "
                             f"{dt.date(2000, start_month, 1):%B}); write it as {first}-{(first + 1) % 100:02d}")
        return reporting_year(first, start_month)
    if start_month == 1:
        raise ValueError(f"'{text}' names two years, but the reporting year here is the calendar year; write it as "
                         f"{first}")
    if int(second) != (first + 1) % (100 if len(second) == 2 else 10_000):
        raise ValueError(f"'{text}' is not a reporting year: after {first} comes {first + 1}")
    return reporting_year(first, start_month)
