"""Decisions about recommendations: declined without a real reason, status unknown, and fail_on."""

from __future__ import annotations

import json

import pytest
from conftest import run


def declined(reason: str) -> str:
    return (f"id: REC-2\nsource: SRC-1\ntext: Open a helpline.\naims: [AIM-1]\nstatus: declined\n"
            f"reason: {json.dumps(reason)}\ndecided: \"2022-05-10\"\n")


def gaps(root, *args):
    result = run(root, "gaps", "--format", "json", "--as-of", "2022-09-30", *args)
    return result.exit_code, json.loads(result.stdout)["gaps"]


@pytest.mark.parametrize("reason", ["n/a", "N/A", "-", "--", "TBC", "tba.", "See notes", "see above", "none",
                                    "?", "...", "x", "as discussed"])
def test_declined_with_empty_words_is_a_gap(record_set, reason):
    code, found = gaps(record_set({"records/recommendations/REC-2.yaml": declined(reason)}),
                       "--kind", "declined-without-reason")
    assert code == 1
    assert [(g["id"], g["line"]) for g in found] == [("REC-2", 6)]
    assert found[0]["message"].startswith(f"the partnership declined this recommendation, but its reason ({reason!r}) "
                                          "says nothing; guidance says a decision not to act is recorded with its "
                                          "reasons: write in 'reason' why")


@pytest.mark.parametrize("reason", ["The helpline duplicates the national one", "Not affordable in 2022-23",
                                    "NA: the national helpline covers Norfolk"])
def test_declined_with_a_reason_is_not_a_gap(record_set, reason):
    root = record_set({"records/recommendations/REC-2.yaml": declined(reason)})
    assert gaps(root, "--kind", "declined-without-reason") == (0, [])


def test_declined_without_a_reason_at_all_is_a_located_validation_error(record_set):
    root = record_set({"records/recommendations/REC-2.yaml": declined("x").replace('reason: "x"\n', "")})
    result = run(root, "validate")
    assert result.exit_code == 1
    assert "records/recommendations/REC-2.yaml:5:" in result.output and "'reason'" in result.output


UNKNOWN = "id: REC-1\nsource: SRC-1\ntext: Relaunch the safer sleeping guidance.\naims: [AIM-1]\nstatus: unknown\n"


def test_status_unknown_is_listed_but_fails_nothing_by_default(record_set):
    root = record_set({"records/recommendations/REC-1.yaml": UNKNOWN, "trace.toml": 'fail_on = "all"\n'})
    code, found = gaps(root, "--kind", "status-unknown")
    assert code == 0
    assert [(g["id"], g["line"]) for g in found] == [("REC-1", 5)]
    assert found[0]["message"].startswith("no document says whether this recommendation is open, complete, declined "
                                          "or superseded (status: unknown)")
    text = run(root, "gaps", "--as-of", "2022-09-30", "--kind", "status-unknown")
    assert text.exit_code == 0
    assert text.stdout.strip().endswith("1 gap(s) as of 2022-09-30, 0 failing.")


@pytest.mark.parametrize("fail_on", ['["all", "status-unknown"]', '["status-unknown"]'])
def test_fail_on_can_name_status_unknown(record_set, fail_on):
    root = record_set({"records/recommendations/REC-1.yaml": UNKNOWN, "trace.toml": f"fail_on = {fail_on}\n"})
    assert gaps(root, "--kind", "status-unknown")[0] == 1


def test_all_in_a_fail_on_list_means_the_default_kinds(record_set):
    root = record_set({"records/recommendations/REC-1.yaml": UNKNOWN, "trace.toml": 'fail_on = ["all"]\n'})
    code, found = gaps(root)
    assert code == 1  # ACT-1 is overdue
    assert ("status-unknown", "REC-1") in [(g["kind"], g["id"]) for g in found]


def test_new_kinds_can_be_accepted(record_set):
    accepted = UNKNOWN + ("accepted_gaps:\n  - kind: status-unknown\n    reason: Asking the health board\n"
                          "    review_by: 2022-12-31\n")
    _, found = gaps(record_set({"records/recommendations/REC-1.yaml": accepted}), "--kind", "status-unknown")
    assert found[0]["accepted"] is True and found[0]["reason"] == "Asking the health board"
