"""A YAML mistake is reported on the line that holds it, in plain words, with the fix; with either parser."""

from __future__ import annotations

import pytest

from learntrace import yamlparse
from tests.conftest import run

PARSERS = ["c", "pure"]


@pytest.fixture(params=PARSERS)
def parser(request, monkeypatch):
    """Run the test with libyaml's C parser and again with ruamel.yaml's pure-Python one (the fallback
    where the C extension is not installed): both word their errors differently."""
    if request.param == "c":
        if not hasattr(yamlparse, "compose_c"):
            pytest.skip("ruamel.yaml.clib is not installed")
        monkeypatch.setattr(yamlparse, "_compose", yamlparse.compose_c)
    else:
        monkeypatch.setattr(yamlparse, "_compose", yamlparse.compose_pure)
    return request.param


def _action(*lines: str) -> str:
    return "\n".join(lines) + "\n"


VALID_ACTION = [
    "id: ACT-1",
    "title: Relaunch the guidance",
    "owner: Steering Group",
    "status: in-progress",
    "target: 2022-01..2022-06",
    "addresses: [REC-1]",
]

CASES = {
    # the four examples
    "colon and space inside a value": (
        ["id: ACT-1", "title: Review: supervision policies", *VALID_ACTION[2:]],
        "2:14: is not valid YAML on line 2: the value of 'title' has a colon followed by a space, which YAML "
        "reads as the start of another field; put the whole value in double quotes: "
        'title: "Review: supervision policies"',
    ),
    "no space after a colon": (
        [*VALID_ACTION[:3], "owner:DDSCP", *VALID_ACTION[4:]],
        "4:6: is not valid YAML on line 4: put a space after the colon: owner: DDSCP",
    ),
    "unclosed double quote": (
        [*VALID_ACTION[:5], 'notes: "The plan says', "more about it", "aims: [AIM-1]", "outcomes: [OUT-1]"],
        '6:8: is not valid YAML on line 6: the double quote (") that starts the value of \'notes\' is never '
        'closed; add a " at the end of the value',
    ),
    "apostrophe inside single quotes": (
        ["id: ACT-1", "title: 'Review of the child's plan'", *VALID_ACTION[2:]],
        "2:28: is not valid YAML on line 2: the value of 'title' is in single quotes and has another single "
        "quote inside it (column 28), which ends it early; put the whole value in the other kind of quotes: "
        "title: \"Review of the child's plan\"",
    ),
    # the other usual causes
    "double quotes inside double quotes": (
        ["id: ACT-1", 'title: "The "Safe Sleep" campaign"', *VALID_ACTION[2:]],
        "2:13: is not valid YAML on line 2: the value of 'title' is in double quotes and has another double "
        "quote inside it (column 13), which ends it early; put the whole value in the other kind of quotes: "
        "title: 'The \"Safe Sleep\" campaign'",
    ),
    "a quoted part followed by more text": (
        ["id: ACT-1", 'title: "Safe Sleep" campaign', *VALID_ACTION[2:]],
        "2:21: is not valid YAML on line 2: the value of 'title' starts with a part in double quotes and goes "
        "on after it; put the whole value in quotes: title: '\"Safe Sleep\" campaign'",
    ),
    "unclosed quote that a later quote closes": (
        [*VALID_ACTION[:5], 'notes: "The plan says', 'objective: "Safer sleep"'],
        '6:8: is not valid YAML on line 6: the double quote (") that starts the value of \'notes\' is never '
        'closed (so YAML reads on to line 7); add a " at the end of the value',
    ),
    "a tab for indentation": (
        [*VALID_ACTION, "provenance:", "  - document: Delivery plan", "\tsection: row 3"],
        "9:1: is not valid YAML on line 9: the line is indented with a tab; YAML allows only spaces for "
        "indentation, so replace the tab with spaces",
    ),
    "a list item without its dash": (
        [*VALID_ACTION[:5], "aims:", "  - AIM-1", "  AIM-2", "addresses: [REC-1]"],
        "8:3: is not valid YAML on line 8: the line is in the list under 'aims' but does not start with a "
        "dash; write it as - AIM-2",
    ),
    "an item of a list of fields without its dash": (
        [*VALID_ACTION, "provenance:", "  - document: Delivery plan", "    section: row 3",
         "  document: Annual report", "  section: page 4"],
        "10:3: is not valid YAML on line 10: the line starts a new item of the list under 'provenance' without "
        "its dash; write it as - document: Annual report, with the item's other lines lined up under its "
        "first field",
    ),
    "a field not lined up with the one above": (
        [*VALID_ACTION, "provenance:", "  - document: Delivery plan", "   section: row 3"],
        "9:4: is not valid YAML on line 9: 'section' is not lined up with 'document' on line 8; start it in "
        "column 5, under 'document'",
    ),
    "a field indented under another": (
        [*VALID_ACTION[:2], "  owner: Steering Group", *VALID_ACTION[3:]],
        "3:3: is not valid YAML on line 3: the line is indented more than 'title' on line 2, so YAML reads it "
        "as more of that value, and a value cannot hold a colon followed by a space; if it is a field of its "
        "own, start it in the same column as 'title'; if it continues the text, put the whole text of 'title' "
        "in double quotes",
    ),
    "a line of text that is not a field": (
        [*VALID_ACTION, "notes: The plan was agreed", "at the May board"],
        "8:1: is not valid YAML on line 8: the line is not a field ('name: value'); if it continues the text "
        "of 'notes' on line 7, indent it by two more spaces than that line; otherwise start it with the "
        "field's name and a colon",
    ),
    "a value that starts with a character YAML keeps": (
        ["id: ACT-1", "title: @home visits", *VALID_ACTION[2:]],
        "2:8: is not valid YAML on line 2: the value of 'title' starts with @, which YAML keeps for its own "
        'use; put the whole value in double quotes: title: "@home visits"',
    ),
    "a value that starts with a bracket": (
        ["id: ACT-1", "title: [Draft] relaunch", *VALID_ACTION[2:]],
        "2:8: is not valid YAML on line 2: the value of 'title' starts with [, which YAML reads as the start "
        'of a list; put the whole value in double quotes: title: "[Draft] relaunch"',
    ),
    "a list not closed": (
        [*VALID_ACTION[:5], "addresses: [REC-1", "aims: [AIM-1]"],
        "6:12: is not valid YAML on line 6: the list that starts with [ in column 12 is never closed; end it "
        "with ] (and separate its items with commas)",
    ),
    "a colon and space in a provenance section": (
        [*VALID_ACTION, "provenance:", "  - document: 001_Delivery_Plan.txt", "    section: Delivery Plan: row 3"],
        "9:27: is not valid YAML on line 9: the value of 'section' has a colon followed by a space, which YAML "
        "reads as the start of another field; put the whole value in double quotes: "
        'section: "Delivery Plan: row 3"',
    ),
    "a backslash in double quotes": (
        [*VALID_ACTION, "provenance:", '  - document: "S:\\Reviews\\Unit\\plan.docx"', "    section: row 3"],
        "8:18: is not valid YAML on line 8: the value of 'document' is in double quotes and has a backslash (\\), "
        "which YAML reads as the start of a special character; put the value in single quotes instead: "
        "- document: 'S:\\Reviews\\Unit\\plan.docx'",
    ),
    "a list item under a field that has a value": (
        [*VALID_ACTION[:5], "aims: AIM-1", "- AIM-2"],
        "7:1: is not valid YAML on line 7: the line is a list item, but 'aims' on line 6 already has a value after "
        "its colon; for a list, leave nothing after 'aims:' and put each item on its own line starting with a dash",
    ),
    "a dash out of line": (
        [*VALID_ACTION[:5], "aims:", "  - AIM-1", " - AIM-2"],
        "8:2: is not valid YAML on line 8: the dash is not lined up with the dash on line 7; start it in column 3",
    ),
    "text after a list": (
        [*VALID_ACTION[:5], "addresses: [REC-1] REC-2"],
        "6:20: is not valid YAML on line 6: the list in 'addresses' is closed with ] before the end of the line; "
        "put every item inside the brackets, separated by commas, and nothing after the ]",
    ),
    "a no-break space after a colon": (
        [*VALID_ACTION[:3], "status:\u00a0in-progress", *VALID_ACTION[4:]],
        "4:8: is not valid YAML on line 4: the line has a no-break space at character 8, which YAML does not "
        "read as a space; type ordinary spaces there instead",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_yaml_mistake_is_explained_on_its_line(record_set, parser, case):
    lines, expected = CASES[case]
    root = record_set({"records/actions/ACT-1.yaml": _action(*lines)})
    result = run(root, "--no-cache", "validate")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"records/actions/ACT-1.yaml:{expected}"


def test_the_suggested_fix_is_valid(record_set, parser):
    """Doing what the message says makes the record valid."""
    for broken, fixed in [
        ("title: Review: supervision policies", 'title: "Review: supervision policies"'),
        ("title: 'Review of the child's plan'", "title: \"Review of the child's plan\""),
        ('title: "The "Safe Sleep" campaign"', "title: 'The \"Safe Sleep\" campaign'"),
        ("title: @home visits", 'title: "@home visits"'),
    ]:
        root = record_set({"records/actions/ACT-1.yaml": _action("id: ACT-1", broken, *VALID_ACTION[2:])})
        assert fixed in run(root, "--no-cache", "validate").output
        root = record_set({"records/actions/ACT-1.yaml": _action("id: ACT-1", fixed, *VALID_ACTION[2:])})
        assert run(root, "--no-cache", "validate").exit_code == 0


def test_a_long_value_is_described_not_repeated(record_set, parser):
    title = "Review: " + "supervision policies and practice " * 4
    root = record_set({"records/actions/ACT-1.yaml": _action("id: ACT-1", f"title: {title}", *VALID_ACTION[2:])})
    first = run(root, "--no-cache", "validate").output.splitlines()[0]
    assert first.endswith('put the whole value in double quotes (a " before its first word and another at the '
                          "end of the line)")


def test_missing_space_on_the_first_line_is_found_there(record_set, parser):
    root = record_set({"records/actions/ACT-1.yaml": _action("id:ACT-1", *VALID_ACTION[1:])})
    first = run(root, "--no-cache", "validate").output.splitlines()[0]
    assert first == "records/actions/ACT-1.yaml:1:3: is not valid YAML on line 1: put a space after the colon: id: ACT-1"


def test_a_cause_not_recognised_keeps_the_parser_words_and_its_place(record_set):
    root = record_set({"records/actions/ACT-1.yaml": _action(*VALID_ACTION, "...", "more text")})
    first = run(root, "--no-cache", "validate").output.splitlines()[0]
    assert first == "records/actions/ACT-1.yaml:8:1: is not valid YAML: did not find expected <document start>"
