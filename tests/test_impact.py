"""Impact: the ladder's top step, output-only evidence and overdue re-measurement, through the command line."""

from __future__ import annotations

import json

import pytest
from conftest import run

COMPLETE = """
id: ACT-1
title: Relaunch the guidance
owner: Steering Group
status: complete
target: 2022-01..2022-06
addresses: [REC-1]
aims: [AIM-1]
outcomes: [OUT-1]
"""
EV_1 = "id: EV-1\ntitle: Relaunch briefing slides\nsupports: [ACT-1]\ndate: \"2022-02\"\n"  # ACT-1 started by 28 Feb


def evidence(ev_id: str, supports: str, date: str, level: str | None = None, extra: str = "") -> str:
    return (f"id: {ev_id}\ntitle: t\nsupports: [{supports}]\ndate: {date}\n" + (f"level: {level}\n" if level else "")
            + extra)


def level_of_rec_1(root) -> str:
    result = run(root, "coverage", "--format", "json")
    assert result.exit_code == 0, result.output
    return next(r["level"] for r in json.loads(result.stdout)["recommendations"] if r["id"] == "REC-1")


@pytest.mark.parametrize(("files", "level"), [
    # outcome evidence of impact dated after the action's earliest evidence (its start is no later)
    ({"records/evidence/EV-9.yaml": evidence("EV-9", "OUT-1", '"2022-06"', "impact")}, "impact"),
    # within the same month as the start bound: not shown to be after it
    ({"records/evidence/EV-9.yaml": evidence("EV-9", "OUT-1", '"2022-02"', "impact")}, "evidenced"),
    # a re-measurement that does not say it is impact-level
    ({"records/evidence/EV-9.yaml": evidence("EV-9", "OUT-1", '"2022-06"', "quality")}, "evidenced"),
    ({"records/evidence/EV-9.yaml": evidence("EV-9", "OUT-1", '"2022-06"')}, "evidenced"),
    # undated impact evidence cannot show it came after the work started...
    ({"records/evidence/EV-9.yaml": evidence("EV-9", "OUT-1", "unknown", "impact")}, "evidenced"),
    # ...unless a bound the documents give shows it
    ({"records/evidence/EV-9.yaml": evidence("EV-9", "OUT-1", "unknown", "impact",
                                             'date_not_earlier_than: "2022-04"\nnotes: the survey ran after April\n')},
     "impact"),
    # the action's own evidence is impact-level
    ({"records/evidence/EV-1.yaml": EV_1 + "level: impact\n"}, "impact"),
    # no bound on when the action started (its only evidence is undated): outcome evidence could be a baseline
    ({"records/evidence/EV-1.yaml": evidence("EV-1", "ACT-1", "unknown"),
      "records/evidence/EV-9.yaml": evidence("EV-9", "OUT-1", '"2022-06"', "impact")}, "evidenced"),
])
def test_impact_needs_impact_evidence_dated_after_the_work_started(record_set, files, level):
    assert level_of_rec_1(record_set({"records/actions/ACT-1.yaml": COMPLETE, **files})) == level


def test_impact_needs_every_action_evidenced_first(record_set):
    root = record_set({
        "records/actions/ACT-1.yaml": COMPLETE,
        "records/actions/ACT-2.yaml": "id: ACT-2\ntitle: t\nowner: o\nstatus: complete\ntarget: 2022-03\naddresses: [REC-1]\n",
        "records/evidence/EV-9.yaml": evidence("EV-9", "OUT-1", '"2022-06"', "impact"),
    })
    assert level_of_rec_1(root) == "delivered"


def test_coverage_matrix_and_show_give_the_impact_step(record_set):
    root = record_set({"records/actions/ACT-1.yaml": COMPLETE,
                       "records/evidence/EV-9.yaml": evidence("EV-9", "OUT-1", '"2022-06"', "impact")})
    text = run(root, "coverage").output.splitlines()
    assert "REC-1           SRC-1   AIM-1  impact" in text
    assert "SRC-1   1     0 (0%)  0 (0%)   0 (0%)     0 (0%)     1 (100%)" in text
    assert "REC-1           impact  x" in run(root, "matrix", "--rows", "recommendation").output.splitlines()
    assert "Coverage: impact (evidenced, and impact-level evidence dated after its work" in \
        run(root, "show", "REC-1").output.splitlines()


def gaps(root, kind, as_of="2022-09-30"):
    result = run(root, "gaps", "--format", "json", "--as-of", as_of, "--kind", kind)
    return result.exit_code, json.loads(result.stdout)["gaps"]


def test_output_only_evidence(record_set):
    root = record_set({"records/actions/ACT-1.yaml": COMPLETE, "records/evidence/EV-1.yaml": EV_1 + "level: output\n"})
    code, found = gaps(root, "output-only-evidence")
    assert code == 1
    assert [(g["id"], g["line"]) for g in found] == [("ACT-1", 4)]
    assert found[0]["message"].startswith(
        "this action is complete, but its evidence (EV-1) only shows how much was done, and delivery is not impact; "
        "add evidence of how well it was done (level: quality) or of what changed")


@pytest.mark.parametrize("second", [
    evidence("EV-2", "ACT-1", '"2022-05"'),  # level unknown: it might show more than output
    evidence("EV-2", "ACT-1", '"2022-05"', "quality"),
])
def test_output_only_evidence_needs_every_item_to_be_output(record_set, second):
    root = record_set({"records/actions/ACT-1.yaml": COMPLETE, "records/evidence/EV-1.yaml": EV_1 + "level: output\n",
                       "records/evidence/EV-2.yaml": second})
    assert gaps(root, "output-only-evidence") == (0, [])


MEASURED = """
id: OUT-1
title: Families understand safer sleeping
measures:
  - indicator: Parents who can describe safer sleeping
    baseline: 40%
    baseline_date: "2021-06"
    target: 80%
    remeasure_by: "2022-03"
"""


def test_remeasure_overdue_without_impact_evidence_after_the_baseline(record_set):
    root = record_set({"records/outcomes/OUT-1.yaml": MEASURED})
    code, found = gaps(root, "remeasure-overdue")
    assert code == 1
    assert [(g["id"], g["line"]) for g in found] == [("OUT-1", 8)]
    assert found[0]["message"] == (
        "the measure 'Parents who can describe safer sleeping' was due to be re-measured by 2022-03 (baseline 40% in "
        "2021-06), and no impact-level evidence of this outcome is dated after the baseline; add the re-measurement "
        "as evidence with 'level: impact' and 'supports: [OUT-1]', or agree a new 'remeasure_by'")
    assert gaps(root, "remeasure-overdue", as_of="2022-03-31") == (0, [])  # due by the end of March


@pytest.mark.parametrize(("date", "level", "overdue"), [
    ('"2022-05"', "impact", False),
    ('"2021-05"', "impact", True),  # before the baseline: not a re-measurement
    ('"2022-05"', "output", True),
    ("unknown", "impact", True),
])
def test_remeasurement_is_later_impact_evidence(record_set, date, level, overdue):
    root = record_set({"records/outcomes/OUT-1.yaml": MEASURED,
                       "records/evidence/EV-9.yaml": evidence("EV-9", "OUT-1", date, level)})
    code, found = gaps(root, "remeasure-overdue")
    assert (code, len(found)) == ((1, 1) if overdue else (0, 0))
    if date == "unknown":
        assert "(EV-9 is impact-level but undated, so it cannot show it came after the baseline; record its date)" \
            in found[0]["message"]


def test_each_measure_is_its_own_gap(record_set):
    second = MEASURED + "  - indicator: Leaflets read\n    remeasure_by: \"2022-06\"\n"
    _, found = gaps(record_set({"records/outcomes/OUT-1.yaml": second}), "remeasure-overdue")
    assert sorted(g["line"] for g in found) == [8, 10]
