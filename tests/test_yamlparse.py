from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from learntrace.yamlparse import RecordSyntaxError, parse_record_text

SCALARS = [
    "text", "2022", "-3", "+7", "0x1F", "0o17", "1_000", "1.5", "-.5", "1e3", ".inf", "-.Inf", ".nan",
    "true", "False", "TRUE", "yes", "no", "on", "null", "~", "Null", "2022-03-01", "2022-13-45",
    "2022-03", "2022-Q1", "2021-12..2022-06", "ongoing", "REC-AB-1", "AIM-2.1", "1.2.3", "-", ".",
    "+", "0", "00", "007", "1:30", "2022-03-01T10:00:00",
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_values_read_as_ruamel_yaml_reads_them_except_dates_stay_text(scalar):
    text = f"value: {scalar}\n"
    if scalar == "2022-13-45":  # ruamel.yaml fails on it without a line; we keep it for the schema
        assert parse_record_text(text).data["value"] == scalar
        return
    try:
        theirs = YAML(typ="safe", pure=True).load(text)["value"]
    except Exception:
        with pytest.raises(RecordSyntaxError):
            parse_record_text(text)
        return
    ours = parse_record_text(text).data["value"]
    if type(theirs).__name__ in ("date", "datetime"):
        assert ours == scalar  # dates stay as written, for the schema to check with a line number
    elif isinstance(theirs, float) and theirs != theirs:
        assert ours != ours  # nan
    else:
        assert ours == theirs and type(ours) is type(theirs)


def test_quoted_values_are_text():
    assert parse_record_text("a: '2022'\nb: \"true\"\n").data == {"a": "2022", "b": "true"}


def test_more_than_one_document_is_refused():
    with pytest.raises(RecordSyntaxError) as error:
        parse_record_text("a: 1\n---\nb: 2\n")
    assert error.value.message.startswith("is not valid YAML: holds more than one YAML document")
    assert error.value.line == 2
