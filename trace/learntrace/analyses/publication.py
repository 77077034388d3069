"""When a source was published, as far as its record says, and which of two sources is shown to be earlier.

A source's date is the span of days its `published` can mean ("2021" is the whole year). A date no
document gives is written `published: unknown`, perhaps with the bounds the documents do show
(`published_not_earlier_than`, `published_not_later_than`); its span then runs between those bounds, and
with neither bound it has no span at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from learntrace.dates import Span, parse_partial_date
from learntrace.model import Record, natural_key


def _span_of(value: Any) -> Span | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    try:
        return parse_partial_date(value)
    except ValueError:
        return None


def published_span(source: Record | None) -> Span | None:
    """The days a source can have been published on, or None when nothing is known."""
    if source is None:
        return None
    span = _span_of(source.get("published"))
    if span is not None:
        return span
    after, before = _span_of(source.get("published_not_earlier_than")), _span_of(source.get("published_not_later_than"))
    if after is None and before is None:
        return None
    return Span(after.start if after else dt.date.min, before.end if before else dt.date.max)


def is_dated(source: Record | None) -> bool:
    """Whether the record gives the publication date itself (not only bounds)."""
    return source is not None and _span_of(source.get("published")) is not None


def published_text(source: Record | None) -> str:
    """The source's date as its record writes it: 2020-07, "date unknown, 2018-2022", or "date unknown"."""
    if source is None:
        return "date unknown"
    if is_dated(source):
        return str(source.get("published")).strip()
    after, before = source.get("published_not_earlier_than"), source.get("published_not_later_than")
    if published_span(source) is None:
        return "date unknown"
    if _span_of(after) and _span_of(before):
        return f"date unknown, {after}" if str(after) == str(before) else f"date unknown, {after}-{before}"
    return f"date unknown, not before {after}" if _span_of(after) else f"date unknown, not after {before}"


def shown_earlier(first: Record | None, second: Record | None) -> bool:
    """Whether `first` was certainly published before `second`: every day its date can mean comes before
    every day the other's can. A source published "2022" is not shown to be earlier than one published
    "2022-06" (it may have come out in December); a source of unknown date is shown to be earlier only
    where its bounds put it before the other, and with no bounds never."""
    first_span, second_span = published_span(first), published_span(second)
    return first_span is not None and second_span is not None and first_span.end < second_span.start


def shown_different_years(first: Record | None, second: Record | None) -> bool:
    """Whether two sources were certainly published in different years."""
    first_span, second_span = published_span(first), published_span(second)
    if first_span is None or second_span is None:
        return False
    return first_span.end.year < second_span.start.year or second_span.end.year < first_span.start.year


def publication_key(source: Record | None, fallback_id: str = "") -> tuple[Any, ...]:
    """Sort sources by the latest day each can have been published, then the earliest, sources with no
    date and no bounds last, then by id. (By the latest day, a source known only to be "not after 2022"
    comes after one of January 2020, not before every dated source.)"""
    span = published_span(source)
    start, end = (span.start, span.end) if span is not None else (dt.date.max, dt.date.max)
    return (span is None, end, start, natural_key(source.id if source is not None else fallback_id))
