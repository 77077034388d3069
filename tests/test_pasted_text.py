"""Text pasted from a word processor: in a value that must be typed exactly (a status, an id, a date, a
link) each look-alike or invisible character is named with its position; in free text it is allowed."""

from __future__ import annotations

import pytest
from conftest import run

ACTION = """\
id: {id}
title: Relaunch the guidance
owner: Steering Group
status: {status}
target: {target}
addresses: [{link}]
"""


def _action(id: str = "ACT-1", status: str = "in-progress", target: str = "2022-01..2022-06",
            link: str = "REC-1") -> str:
    return ACTION.format(id=id, status=status, target=target, link=link)


@pytest.mark.parametrize(("fields", "expected"), [
    ({"status": "\u2018complete\u2019"},
     "4:1: 'status' is '\u2018complete\u2019', which has curly quotes \u2018 \u2019 around it; type the value "
     "without them: complete"),
    ({"status": "\u201ccomplete\u201d"},
     "4:1: 'status' is '\u201ccomplete\u201d', which has curly quotes \u201c \u201d around it; type the value "
     "without them: complete"),
    ({"status": "in\u2013progress"},
     "4:1: 'status' is 'in\u2013progress', which has an en dash (\u2013) at character 3; type a plain hyphen (-) "
     "instead: in-progress"),
    ({"status": "in\u2014progress"},
     "4:1: 'status' is 'in\u2014progress', which has an em dash (\u2014) at character 3; type a plain hyphen (-) "
     "instead: in-progress"),
    ({"status": "complete\u00a0"},
     "4:1: 'status' is 'complete\u00a0', which has a no-break space at the end; delete it: complete"),
    ({"target": "2022\u201103"},
     "5:1: 'target' is '2022\u201103', which has a no-break hyphen (\u2011) at character 5; type a plain hyphen "
     "(-) instead: 2022-03"),
    ({"link": "REC\u20111"},
     "6:13: 'addresses' item 1 is 'REC\u20111', which has a no-break hyphen (\u2011) at character 4; type a plain "
     "hyphen (-) instead: REC-1"),
    ({"id": "ACT\u200b-1"},
     "1:1: 'id' is 'ACT\u200b-1', which has an invisible zero-width space at character 4; delete it: ACT-1"),
    ({"status": "\u2018in\u2013progress\u2019\u00a0"},
     "4:1: 'status' is '\u2018in\u2013progress\u2019\u00a0', which has curly quotes \u2018 \u2019 around it, an en "
     "dash (\u2013) at character 4 and a no-break space at the end; type the value again: in-progress"),
    ({"status": "\u2018done\u2019"},
     "4:1: 'status' is '\u2018done\u2019', which has curly quotes \u2018 \u2019 around it; use one of: not-started, "
     "in-progress, complete, dropped, unknown"),
])
def test_a_pasted_character_is_named_with_its_position(record_set, fields, expected):
    root = record_set({"records/actions/ACT-1.yaml": _action(**fields)})
    result = run(root, "validate")
    assert result.exit_code == 1
    assert f"records/actions/ACT-1.yaml:{expected}" in result.output.splitlines()


def test_a_field_name_with_a_no_break_space_is_named(record_set):
    text = _action().replace("status:", "status\u00a0:")
    root = record_set({"records/actions/ACT-1.yaml": text})
    assert ("records/actions/ACT-1.yaml:4:1: has the field 'status\u00a0', whose name has a no-break space at the "
            "end; delete it: status") in run(root, "validate").output.splitlines()


def test_free_text_may_hold_what_word_pastes(record_set):
    text = _action().replace("Relaunch the guidance",
                             "Relaunch the \u2018safer sleeping\u2019 guidance \u2013 with partners\u00a0")
    root = record_set({"records/actions/ACT-1.yaml": text})
    assert run(root, "validate").output == "All good: 6 record(s), no problems.\n"


@pytest.mark.parametrize("fields", [{"status": "\u2018complete\u2019"}, {"target": "2022\u201303"},
                                    {"link": "REC\u20111"}, {"id": "ACT-1\u00a0"}])
def test_typing_the_value_the_message_gives_makes_the_record_valid(record_set, fields):
    root = record_set({"records/actions/ACT-1.yaml": _action(**fields)})
    first = run(root, "validate").output.splitlines()[0]
    typed = first.rpartition(": ")[2]
    field = next(iter(fields))
    root = record_set({"records/actions/ACT-1.yaml": _action(**{field: typed})})
    assert run(root, "validate").output == "All good: 6 record(s), no problems.\n"


def test_a_pasted_link_is_not_reported_twice(record_set):
    root = record_set({"records/actions/ACT-1.yaml": _action(link="REC\u20111")})
    assert run(root, "validate").output.splitlines()[-1] == "1 problem(s) in 1 file(s); 6 record(s) read."
