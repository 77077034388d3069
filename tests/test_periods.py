"""Reporting periods: quarters of the reporting year, calendar quarters, custom ranges."""

from __future__ import annotations

import datetime as dt

import pytest

from learntrace.periods import custom_period, parse_quarter, previous_quarter, quarter_containing

APRIL = 4


def test_the_reporting_year_starts_in_april():
    quarter = quarter_containing(dt.date(2023, 2, 10), APRIL)
    assert (quarter.start, quarter.end, quarter.name, quarter.slug) == (
        dt.date(2023, 1, 1), dt.date(2023, 3, 31), "Q4 2022-23", "2022-23-Q4")


def test_the_quarter_before_the_first_is_the_last_of_the_year_before():
    first = parse_quarter("2023-24 Q1", APRIL)
    assert first.start == dt.date(2023, 4, 1)
    assert previous_quarter(first, APRIL).name == "Q4 2022-23"


@pytest.mark.parametrize("written", ["2022-23 Q2", "2022/23 q2", "2022-2023 Q2", "2022-23Q2"])
def test_reporting_quarters_are_read_as_people_write_them(written):
    quarter = parse_quarter(written, APRIL)
    assert (quarter.start, quarter.end) == (dt.date(2022, 7, 1), dt.date(2022, 9, 30))


def test_a_calendar_quarter_is_named_by_the_reporting_year_it_falls_in():
    quarter = parse_quarter("2022Q3", APRIL)
    assert (quarter.start, quarter.end, quarter.title) == (
        dt.date(2022, 7, 1), dt.date(2022, 9, 30), "Q2 2022-23: 1 July – 30 September 2022")


def test_a_january_year_has_calendar_quarters():
    quarter = quarter_containing(dt.date(2022, 5, 1), 1)
    assert (quarter.start, quarter.end) == (dt.date(2022, 4, 1), dt.date(2022, 6, 30))


def test_a_custom_period_is_its_dates():
    period = custom_period(dt.date(2022, 4, 1), dt.date(2023, 3, 31))
    assert not period.is_quarter and period.title == "1 April 2022 – 31 March 2023"
    with pytest.raises(ValueError):
        custom_period(dt.date(2023, 1, 2), dt.date(2023, 1, 1))


def test_a_quarter_that_cannot_be_read_says_how_to_write_it():
    with pytest.raises(ValueError) as caught:
        parse_quarter("summer 2022", APRIL)
    assert "2022Q3" in str(caught.value) or "Q2" in str(caught.value)
