"""Text that looks like personal data. Every value here is synthetic: 943 476 5919 is the NHS's own
example number, the postcode and phone numbers are of the kinds reserved for examples."""

from __future__ import annotations

import json
import re

import pytest
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st

from learntrace.privacy import Candidate, find_candidates, find_in_text


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


# --- the families that passed `CI=1 trace validate` before (issue 12, section 6) ----------------------

@pytest.mark.parametrize("text, kind", [
    ("lives at sw1a 1aa", "postcode"),
    ("lives at Sw1A 1aA", "postcode"),
    ("lives at SW1A  1AA", "postcode"),
    ("lives at NR123AB", "postcode"),
    ("NHS 943.476.5919", "nhs-number"),
    ("NHS 9434 765 919", "nhs-number"),
    ("NHS 94 34 76 59 19", "nhs-number"),
    ("NHS-9434765919", "nhs-number"),
    ("NHS No.943-476-5919", "nhs-number"),
    ("call (01632) 960123", "phone"),
    ("call 0044 7700 900123", "phone"),
    ("call +44 (0)7700 900123", "phone"),
    ("call 07700.900.123", "phone"),
    ("born on the 3rd of April 2021", "date-of-birth"),
    ("b. 03/04/2021", "date-of-birth"),
    ("born April 3rd, 2021", "date-of-birth"),
    ("born in March 2020", "date-of-birth"),
    ("d.o.b. 1/2/2019", "date-of-birth"),
    ("write to jane [at] x.org", "email"),
    ("write to jane(at)x(dot)org", "email"),
    ("write to jane at x dot org", "email"),
    ("write to jane @ x.org", "email"),
    ("write to JANE [AT] EXAMPLE [DOT] CO [DOT] UK", "email"),
])
def test_finds_each_family_however_it_is_written(text, kind):
    assert [found for found, _ in find_in_text(text)] == [kind]


@pytest.mark.parametrize("text", [
    "We met at home.Then we left",
    "Year 1 2nd term",
    "meet at 10.30 at school",
    "In March 2020 the board met",
    "published 2021-03-04",
    "Feb. 2021 review",
    "target 2022-02-03..2022-06-08",  # a range of dates is not a phone number
])
def test_ordinary_words_near_those_families_are_not_flagged(text):
    assert list(find_in_text(text)) == []


@pytest.mark.parametrize("changes, line", [
    ({"records/sources/SRC-1.yaml": "id: SRC-1\ntitle: Case X\ntype: born on 3 March 2020\npublished: '2021-03'\n"},
     "records/sources/SRC-1.yaml:3:1: 'type'"),
    ({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Safer sleeping\nstatus: active\n'call 07700 900123': x\n"},
     "records/aims/AIM-1.yaml:4:1: has the field"),
])
def test_every_field_and_field_name_is_searched(record_set, monkeypatch, changes, line):
    monkeypatch.setenv("CI", "true")
    result = run(record_set(changes), "validate")
    assert result.exit_code == 1
    found = [out for out in result.stdout.splitlines() if "this looks like" in out]
    assert len(found) == 1 and found[0].startswith(line.split(": ")[0])


def test_an_id_that_holds_a_postcode_is_an_error_in_ci(record_set, monkeypatch):
    monkeypatch.setenv("CI", "true")
    root = record_set({
        "records/outcomes/OUT-1.yaml": None,
        "records/outcomes/OUT-SW1A1AA.yaml": "id: OUT-SW1A1AA\ntitle: Families understand safer sleeping\n",
        "records/actions/ACT-1.yaml": (
            "id: ACT-1\ntitle: Relaunch\nowner: Board\nstatus: in-progress\ntarget: 2022-01..2022-06\n"
            "addresses: [REC-1]\naims: [AIM-1]\noutcomes: [OUT-SW1A1AA]\n"
        ),
    })
    lines = run(root, "validate").stdout.splitlines()
    assert "records/outcomes/OUT-SW1A1AA.yaml:1:1: this looks like a full postcode (SW1****); records must not " \
        "identify children or families, so remove it, or, if it is the partnership's own published contact " \
        "detail, add it to [privacy] allow in trace.toml" in lines
    assert "records/actions/ACT-1.yaml:8:12: this looks like a full postcode (SW1****); records must not " \
        "identify children or families, so remove it, or, if it is the partnership's own published contact " \
        "detail, add it to [privacy] allow in trace.toml" in lines


def test_a_folder_name_is_searched_too(record_set, monkeypatch):
    monkeypatch.setenv("CI", "true")
    root = record_set({"records/aims/AIM-1.yaml": None,
                       "records/aims/nr12 3ab/AIM-1.yaml": "id: AIM-1\ntitle: Safer sleeping\nstatus: active\n"})
    result = run(root, "validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "records/aims/nr12 3ab/AIM-1.yaml: the folder or file name looks like a full postcode (nr1* ***); records "
        "must not identify children or families, so rename it"
    )


def test_a_file_that_cannot_be_read_still_has_its_name_searched(record_set):
    root = record_set({"records/aims/AIM-07700900123.yaml": b"id: [\n"})
    lines = run(root, "validate").stdout.splitlines()
    assert lines[0] == ("records/aims/AIM-07700900123.yaml: warning: the folder or file name looks like a phone "
                        "number (077********); records must not identify children or families, so rename it")


# --- bounded cost (issue 12, section 4): every pattern is linear by construction ---------------------

def _repeats(pattern: str, flags: int) -> list[tuple[int, int]]:
    """Every quantifier of a pattern as (min, max)."""
    import re._parser as parser  # the parser of the standard library's own re module

    found: list[tuple[int, int]] = []

    def walk(items) -> None:
        for op, arg in items:
            if op in (parser.MAX_REPEAT, parser.MIN_REPEAT):
                found.append((arg[0], arg[1]))
                walk(arg[2])
            elif op == parser.SUBPATTERN:
                walk(arg[3])
            elif op == parser.BRANCH:
                for branch in arg[1]:
                    walk(branch)
            elif op in (parser.ASSERT, parser.ASSERT_NOT):
                walk(arg[1])

    walk(parser.parse(pattern, flags))
    return found


def _patterns():
    import re

    from learntrace import privacy
    from learntrace.patterns import LazyPattern

    return {name: value.compiled if isinstance(value, LazyPattern) else value
            for name, value in vars(privacy).items() if isinstance(value, re.Pattern | LazyPattern)}


def test_every_privacy_pattern_has_bounded_quantifiers_and_a_bounded_match():
    import re._parser as parser

    patterns = _patterns()
    assert {"_NHS", "_POSTCODE", "_PHONE", "_BIRTH", "_EMAIL_TAIL", "_MAYBE"} <= set(patterns)
    for name, pattern in patterns.items():
        assert all(high != parser.MAXREPEAT for _, high in _repeats(pattern.pattern, pattern.flags)), name
        # The longest text one attempt can match: with it bounded, a search is linear in the text.
        assert parser.parse(pattern.pattern, pattern.flags).getwidth()[1] < 1000, name


ADVERSARIAL = {
    "dots": "a." * 125_000,
    "dots-then-at": "a." * 125_000 + "@x.org",
    "ats": "a@" * 125_000,
    "bracket-ats": "a [at] " * 35_000,
    "spaced-digits": "1 " * 125_000,
    "dotted-digits": "1." * 125_000,
    "borns": "born " * 50_000,
    "long-local": "a" * 250_000 + "@",
    "zeros": "0" * 250_000,
    "brackets": "(0" * 125_000,
    "postcode-starts": "sw1 " * 60_000,
    "dot-words": " at a dot" * 27_000,
    "months": "born the 1st of " * 15_000,
}


def test_hostile_text_is_searched_in_bounded_time_through_the_command_line(tmp_path):
    """Each adversarial text (about 250 KB, the most one record may hold) in its own record; today's main
    took 50 s for the first alone. A generous timeout, not a timing assertion: it fails only if the
    search is far from linear."""
    import os
    import subprocess
    import sys

    from conftest import VALID_RECORDS, write_records

    files = dict(VALID_RECORDS)
    for index, text in enumerate(ADVERSARIAL.values()):
        files[f"records/outcomes/OUT-X{index}.yaml"] = f"id: OUT-X{index}\ntitle: t\nnotes: {json.dumps(text)}\n"
    root = write_records(tmp_path, files)
    result = subprocess.run([sys.executable, "-m", "learntrace", "--root", str(root), "--no-cache", "validate"],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "CI": ""}, check=False)
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1].startswith("No errors: 19 record(s)")


# --- new, set and import check what they write (warning locally, error in CI) --------------------------

PHONE_WARNING = ("warning: this looks like a phone number (077** ******); records must not identify children or "
                 "families, so remove it, or, if it is the partnership's own published contact detail, add it to "
                 "[privacy] allow in trace.toml")


def test_set_warns_locally_and_writes(record_set):
    root = record_set()
    result = run(root, "set", "ACT-1", "owner", "Mum on 07700 900123")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"records/actions/ACT-1.yaml:3:1: {PHONE_WARNING}"
    assert "07700 900123" in (root / "records/actions/ACT-1.yaml").read_text()


def test_set_refuses_in_ci_and_writes_nothing(record_set, monkeypatch):
    monkeypatch.setenv("CI", "true")
    root = record_set()
    before = (root / "records/actions/ACT-1.yaml").read_bytes()
    result = run(root, "set", "ACT-1", "owner", "Mum on 07700 900123")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("records/actions/ACT-1.yaml:3:1: this looks like a phone number")
    assert "Nothing written" in result.stdout
    assert (root / "records/actions/ACT-1.yaml").read_bytes() == before


def test_new_refuses_in_ci(record_set, monkeypatch):
    monkeypatch.setenv("CI", "true")
    root = record_set()
    result = run(root, "new", "aim", "--id", "AIM-2", "--title", "Born on the 3rd of April 2021", "--status", "active")
    assert result.exit_code == 1
    assert "this looks like a date of birth" in result.stdout
    assert not (root / "records/aims/AIM-2.yaml").exists()


def test_new_warns_locally(record_set):
    root = record_set()
    result = run(root, "new", "aim", "--id", "AIM-2", "--title", "Write to jane [at] x.org", "--status", "active")
    assert result.exit_code == 0
    assert "warning: this looks like an e-mail address" in result.stdout
    assert (root / "records/aims/AIM-2.yaml").exists()


@pytest.mark.parametrize("ci, code", [("", 0), ("true", 1)], ids=["locally", "in-ci"])
def test_import_checks_every_row(record_set, monkeypatch, tmp_path, ci, code):
    monkeypatch.setenv("CI", ci)
    root = record_set()
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Action,Lead,Target Date,Status\nCall the family at SW1A 1AA,Early Help,2023-03,not started\n")
    result = run(root, "import", "csv", str(sheet), "--kind", "action", "--write")
    assert result.exit_code == code, result.output
    assert "this looks like a full postcode" in result.stdout
    assert (root / "records/actions/ACT-2.yaml").exists() == (code == 0)


# A record's texts are searched joined in one pass; each must be found as if searched alone.
_PIECES = st.sampled_from(["NHS 943 476 5919", "9434765919", "01632 960123", "NR1 3DH", "born 3 April 2021",
                           "jane@example.org", "jane [at] example [dot] org", "2022-02-03..2022-06-08", "REC-1",
                           "at", "dot", "5", "-", " ", "\n", "b.", "of", "Norwich", "@"])
_TEXTS = st.lists(_PIECES, max_size=6).map("".join)
_RECORDS = st.recursive(_TEXTS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXTS, inner, max_size=3),
                        max_leaves=8)


def _searched_alone(data, path=()):
    if isinstance(data, str):
        return [Candidate(path, kind, text) for kind, text in find_in_text(data)]
    if isinstance(data, dict):
        found = []
        for key, value in data.items():
            found += [Candidate((*path, key), kind, text) for kind, text in find_in_text(key)]
            found += _searched_alone(value, (*path, key))
        return found
    if isinstance(data, list):
        return [c for index, value in enumerate(data) for c in _searched_alone(value, (*path, index))]
    return []


@settings(max_examples=300, deadline=None)
@given(_RECORDS)
def test_a_records_texts_searched_together_find_what_each_finds_alone(data):
    assert find_candidates(data) == _searched_alone(data)


def test_a_number_in_one_text_does_not_hide_the_same_number_in_another():
    found = find_candidates({"title": "NHS 943 476 5919", "notes": "call 0943 476 5919"})
    assert [(c.data_path, c.kind) for c in found] == [(("title",), "nhs-number"), (("notes",), "phone")]


# The quick test as it reads plainly; privacy._MAYBE is the same test written to run faster.
_PLAIN_MAYBE = re.compile(
    r"\d(?:[^\d\x00]{0,3}\d){9}|[0-9][a-z0-9]?\s{0,3}[0-9][a-z]{2}|gir\s{0,3}0aa|@|[\[(<{]\s{0,2}at|\bdot\b"
    r"|born|birth|\bb\.|d\.?\s?o\.?\s?b",
    re.IGNORECASE,
)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(_TEXTS, st.text(alphabet="0123456789 .-/()+@[]<>{}:\n\x00abdotrnhgiNRGIAOBDHSW_\u0660\u0131\u212a",
                                  max_size=48)))
def test_the_quick_test_finds_what_it_finds_written_plainly(text):
    from learntrace.privacy import _MAYBE

    assert [m.span() for m in _MAYBE.finditer(text)] == [m.span() for m in _PLAIN_MAYBE.finditer(text)], text


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_TEXTS, st.text(alphabet="0123456789 .-/()+@[]<>{}:\nabdotrnhgiNRGIAOBDHSW", max_size=48)))
def test_the_quick_test_lets_every_finding_through(text):
    """find_in_text skips a text that fails the quick test: nothing the full search finds may fail it."""
    from learntrace.privacy import _MAYBE, _matches

    if list(_matches(text)):
        assert _MAYBE.search(text), text
