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


FALLBACK_CHECK = r'''
import json, sys
sys.modules["_ruamel_yaml"] = None  # as on a machine without ruamel.yaml.clib's C parser
from learntrace import yamlparse
from learntrace.yamlparse import RecordSyntaxError, parse_record_text
assert not hasattr(yamlparse, "_FastComposer"), "the C parser was used"
results = []
for text in json.loads(sys.stdin.read()):
    try:
        parsed = parse_record_text(text)
        results.append(["ok", parsed.data, sorted([list(k), list(v)] for k, v in parsed.positions.items())])
    except RecordSyntaxError as error:
        results.append(["error", str(error), error.line, error.column])
print(json.dumps(results))
'''

FALLBACK_TEXTS = [
    "id: ACT-1\ntitle: Relaunch\naddresses: [REC-1, REC-2]\ntarget: 2022-03\n",
    "id: EV-1\nprovenance:\n  - document: plan.txt\n    section: row 3\ndate: 2022-03-01\n",
    "id: X\nid: Y\n",
    "title: [unclosed\n",
    "a: &anchor 1\nb: *anchor\n",
]


def _parse_here(text):
    try:
        parsed = parse_record_text(text)
        return ["ok", parsed.data, sorted([list(k), list(v)] for k, v in parsed.positions.items())]
    except RecordSyntaxError as error:
        return ["error", str(error), error.line, error.column]


def test_the_pure_python_fallback_reads_records_as_the_c_parser_does():
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", FALLBACK_CHECK], input=json.dumps(FALLBACK_TEXTS),
                         capture_output=True, text=True, check=True)
    fallback = json.loads(out.stdout)
    fast = json.loads(json.dumps([_parse_here(text) for text in FALLBACK_TEXTS]))
    # Records read the same, values and positions; a syntax error is found at the same line and column
    # (the two parsers word their own part of the message differently).

    def shape(result):
        return result if result[0] == "ok" else ["error", result[2], result[3]]

    assert [shape(r) for r in fallback] == [shape(r) for r in fast]
    assert [r[0] for r in fast] == ["ok", "ok", "error", "error", "error"]
