"""When a source was published, as far as its record says, and which of two sources is shown to be earlier."""

from __future__ import annotations

import datetime as dt
from typing import Any

from learntrace.dates import Span, parse_partial_date
from learntrace.model import Record, natural_key


def published_span(source: Record | None) -> Span | None:
    """The days a source's `published` can mean (2021 is the whole year), or None when it is unknown."""
    if source is None:
        return None
    value = source.get("published")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    try:
        return parse_partial_date(value)
    except ValueError:
        return None


def published_text(source: Record | None) -> str:
    """The source's date as its record writes it, or 'date unknown'."""
    if source is None or published_span(source) is None:
        return "date unknown"
    return str(source.get("published")).strip()


def shown_earlier(first: Record | None, second: Record | None) -> bool:
    """Whether `first` was certainly published before `second`: every day its date can mean comes before
    every day the other's can. A source published "2022" is not shown to be earlier than one published
    "2022-06" (it may have come out in December), and a source with no readable date is never shown to be
    earlier or later than any other."""
    first_span, second_span = published_span(first), published_span(second)
    return first_span is not None and second_span is not None and first_span.end < second_span.start


def publication_key(source: Record | None, fallback_id: str = "") -> tuple[Any, ...]:
    """Sort sources by publication (earliest start first, then earliest end), sources of unknown date
    last, then by id."""
    span = published_span(source)
    start, end = (span.start, span.end) if span is not None else (dt.date.max, dt.date.max)
    return (start, end, natural_key(source.id if source is not None else fallback_id))
