"""Dates as the records write them: partial dates, full days, targets; month names."""

from __future__ import annotations

import datetime as dt

import pytest

from learntrace.dates import Span, month_end, month_number, parse_day, parse_partial_date, parse_target


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
    (" 2022-07-15 ", dt.date(2022, 7, 15), dt.date(2022, 7, 15)),
])
def test_a_partial_date_covers_every_day_it_can_mean(text, start, end):
    assert parse_partial_date(text) == Span(start, end)


@pytest.mark.parametrize(("text", "message"), [
    ("2022-13", "'2022-13' has month 13, but months run from 01 to 12"),
    ("2023-02-29", "'2023-02-29' is not a real date: February 2023 has 28 days"),
    ("March 2022", "'March 2022' is not a date written as YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_a_date_that_cannot_be_read_says_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_partial_date(text)


def test_a_day_must_be_whole():
    assert parse_day("2023-03-31") == dt.date(2023, 3, 31)
    with pytest.raises(ValueError, match="is not a full date written as YYYY-MM-DD"):
        parse_day("2023-03")


@pytest.mark.parametrize(("text", "end"), [
    ("2022-Q1", dt.date(2022, 3, 31)),
    ("2022-Q4", dt.date(2022, 12, 31)),
    ("2022-03", dt.date(2022, 3, 31)),
    ("2021-12..2022-06", dt.date(2022, 6, 30)),
    ("2022-Q2..2022-09-15", dt.date(2022, 9, 15)),
])
def test_a_target_ends_on_its_last_day(text, end):
    assert parse_target(text).span.end == end


@pytest.mark.parametrize("text", ["ongoing", "tba", "TBA", " Ongoing "])
def test_open_ended_targets_have_no_end(text):
    target = parse_target(text)
    assert target.span is None and target.text == text.strip().lower()


@pytest.mark.parametrize(("text", "message"), [
    ("2022", "'2022' is only a year; a target needs at least a month or a quarter"),
    ("2022-06..2022-01", "the range '2022-06..2022-01' ends before it starts"),
    ("2022-Q5", "is not a target written as"),
])
def test_a_target_that_cannot_be_read_says_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_target(text)


def test_month_names_and_abbreviations_are_one_table():
    assert [month_number(name) for name in ("January", "sept", " DEC ", "Spring")] == [1, 9, 12, None]


def test_month_end_knows_leap_years():
    assert month_end(2024, 2) == dt.date(2024, 2, 29) and month_end(2100, 2) == dt.date(2100, 2, 28)
