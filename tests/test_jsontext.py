"""The JSON trace prints is what json.dumps(..., indent=2) prints, character for character, whatever the values."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from learntrace.jsontext import indented_json

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_VALUES = st.recursive(
    _SCALARS | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text() | st.integers() | st.booleans(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_VALUES, st.booleans())
def test_what_trace_writes_is_what_json_writes(value, ensure_ascii):
    assert indented_json(value, ensure_ascii, default=str) == json.dumps(value, indent=2, ensure_ascii=ensure_ascii,
                                                                          default=str)


def test_a_value_json_cannot_write_is_refused_as_json_refuses_it():
    try:
        json.dumps({"day": dt.date(2024, 1, 1)}, indent=2)
    except TypeError as refused:
        expected = str(refused)
    try:
        indented_json({"day": dt.date(2024, 1, 1)})
    except TypeError as refused:
        assert str(refused) == expected
    else:
        raise AssertionError("a date without default was written")
