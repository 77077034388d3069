"""Text that looks like personal data. Every value here is synthetic: 943 476 5919 is the NHS's own
example number, the postcode and phone numbers are of the kinds reserved for examples."""

from __future__ import annotations

import json

import pytest
from conftest import run

from learntrace.privacy import find_in_text


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)


def aim_with_notes(notes: str) -> dict[str, str]:
    return {"records/aims/AIM-1.yaml": f"id: AIM-1\ntitle: Safer sleeping\nstatus: active\nnotes: {notes}\n"}


@pytest.mark.parametrize("text, kind", [
    ("NHS number 943 476 5919 on file", "nhs-number"),
    ("number 9434765919", "nhs-number"),
    ("lives at SW1A 1AA", "postcode"),
    ("DOB 12/03/2019", "date-of-birth"),
    ("born on 3 March 2020", "date-of-birth"),
    ("date of birth: 2019-03-12", "date-of-birth"),
    ("write to parent.one@example.org", "email"),
    ("call 01632 960123", "phone"),
    ("mobile 07700 900123", "phone"),
    ("mobile +44 7700 900123", "phone"),
])
def test_finds_each_kind(text, kind):
    assert [found for found, _ in find_in_text(text)] == [kind]


@pytest.mark.parametrize("text", [
    "NHS number 943 476 5918",  # fails the modulus-11 check
    "target 2021-12..2022-06, ref 22",
    "the 0-19 Healthy Child Programme",
    "Section 11 2021 report; Working Together 2018",
    "REC-AB-1 and AIM-2.1 (row 12 of 34)",
    "born into a large (4+) sibling group",
])
def test_ordinary_record_text_is_not_flagged(text):
    assert list(find_in_text(text)) == []


def test_warning_by_default_names_the_line_and_masks_the_value(record_set):
    result = run(record_set(aim_with_notes("Parent's mobile 07700 900123")), "validate")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "records/aims/AIM-1.yaml:4:1: warning: this looks like a phone number (077** ******); records must not "
        "identify children or families, so remove it, or, if it is the partnership's own published contact "
        "detail, add it to [privacy] allow in trace.toml",
        "No errors: 6 record(s), 1 warning(s) to check.",
    ]


def test_error_in_ci(record_set, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = run(record_set(aim_with_notes("NHS 943 476 5919")), "validate", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert [(e["path"], e["line"]) for e in data["errors"]] == [("records/aims/AIM-1.yaml", 4)]
    assert data["errors"][0]["message"].startswith("this looks like an NHS number (943 *** ****)")


def test_severity_from_trace_toml(record_set):
    root = record_set(aim_with_notes("DOB 12/03/2019"))
    (root / "trace.toml").write_text('[privacy]\nseverity = "error"\n')
    assert run(root, "validate").exit_code == 1


def test_allow_list_covers_the_partnerships_published_numbers(record_set):
    root = record_set(aim_with_notes("Helpline 0300 300 0123; text 07700 900 123"))
    (root / "trace.toml").write_text('[privacy]\nallow = ["0300 300 0123"]\n')
    lines = run(root, "validate").stdout.splitlines()
    assert len(lines) == 2 and "(077** *** ***)" in lines[0]


def test_warnings_do_not_stop_the_analyses(record_set):
    result = run(record_set(aim_with_notes("contact parent.one@example.org")), "gaps", "--as-of", "2022-01-01")
    assert "overdue-action" not in result.stdout and result.exit_code == 1  # the unmeasured outcome
    assert "unmeasured-outcome" in result.stdout


def test_github_format_makes_warnings_warning_annotations(record_set):
    result = run(record_set(aim_with_notes("SW1A 1AA")), "validate", "--format", "github")
    assert result.stdout.splitlines()[0].startswith(
        "::warning file=records/aims/AIM-1.yaml,line=4,col=1,title=trace validate::this looks like a full postcode"
    )


def test_bad_privacy_settings_are_refused(record_set):
    root = record_set()
    (root / "trace.toml").write_text('[privacy]\nseverity = "loud"\n')
    result = run(root, "validate")
    assert result.exit_code == 2
    assert "[privacy] severity is 'loud'; use \"warning\" or \"error\"" in result.output


def test_the_repository_records_hold_nothing_that_looks_personal():
    from pathlib import Path

    result = run(Path(__file__).resolve().parent.parent, "validate")
    assert "warning" not in result.stdout and result.exit_code == 0
