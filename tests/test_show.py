from __future__ import annotations

import json

from conftest import run


def test_recommendation_shows_fields_source_aims_coverage_and_actions_with_evidence(record_set):
    result = run(record_set(), "show", "REC-1")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Recommendation REC-1",
        "File: records/recommendations/REC-1.yaml",
        "",
        "  source:  SRC-1",
        "  text:    Relaunch the safer sleeping guidance.",
        "  aims:    AIM-1",
        "  status:  open",
        "",
        "Source: SRC-1  Case X thematic review",
        "",
        "Aims: AIM-1  Safer sleeping",
        "",
        "Coverage: planned (actions exist, not all complete)",
        "",
        "Actions addressing it (1):",
        "└─ ACT-1  Relaunch the guidance",
        "   status: in-progress; target: 2022-01..2022-06; owner: Steering Group",
        "   └─ EV-1  Relaunch briefing slides",
        "      date: 2022-02",
    ]


def test_recommendation_tree_with_several_actions_and_a_dropped_one(record_set):
    root = record_set({
        "records/aims/AIM-2.yaml": "id: AIM-2\ntitle: Unborn babies\nstatus: active\n",
        "records/recommendations/REC-1.yaml": (
            "id: REC-1\nsource: SRC-1\ntext: Relaunch the safer sleeping guidance.\naims: all\nstatus: open\n"
        ),
        "records/actions/ACT-2.yaml": (
            "id: ACT-2\ntitle: Abandoned idea\nowner: Health\nstatus: dropped\ntarget: tba\naddresses: [REC-1]\n"
        ),
    })
    lines = run(root, "show", "REC-1").output.splitlines()
    assert lines[10:] == [
        "Aims (2):",
        "├─ AIM-1  Safer sleeping",
        "└─ AIM-2  Unborn babies",
        "",
        "Coverage: planned (actions exist, not all complete)",
        "",
        "Actions addressing it (2):",
        "├─ ACT-1  Relaunch the guidance",
        "│  status: in-progress; target: 2022-01..2022-06; owner: Steering Group",
        "│  └─ EV-1  Relaunch briefing slides",
        "│     date: 2022-02",
        "└─ ACT-2  Abandoned idea",
        "   status: dropped; target: tba; owner: Health",
        "   (no evidence)",
    ]


def test_unknown_id_suggests_the_nearest_ids_and_exits_2(record_set):
    result = run(record_set(), "show", "REC-2")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for ID: there is no record 'REC-2'; did you mean REC-1, SRC-1?"
    )


def test_unknown_id_in_the_wrong_case_suggests_the_right_one_first(record_set):
    result = run(record_set(), "show", "act-1")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith(
        "Error: Invalid value for ID: there is no record 'act-1'; did you mean ACT-1"
    )


def test_unknown_id_like_no_other_gives_example_ids(record_set):
    result = run(record_set(), "show", "XYZZY")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for ID: there is no record 'XYZZY'; ids look like SRC-1, REC-1, AIM-1, ACT-1, EV-1, OUT-1"
    )


def test_json_format(record_set):
    result = run(record_set(), "show", "REC-1", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "id": "REC-1",
        "kind": "recommendation",
        "path": "records/recommendations/REC-1.yaml",
        "title": "Relaunch the safer sleeping guidance.",
        "fields": {"id": "REC-1", "source": "SRC-1", "text": "Relaunch the safer sleeping guidance.",
                   "aims": ["AIM-1"], "status": "open"},
        "source": {"id": "SRC-1", "kind": "source", "title": "Case X thematic review"},
        "aims": [{"id": "AIM-1", "kind": "aim", "title": "Safer sleeping"}],
        "coverage": "planned",
        "actions": [{
            "id": "ACT-1", "kind": "action", "title": "Relaunch the guidance", "status": "in-progress",
            "target": "2022-01..2022-06", "owner": "Steering Group",
            "evidence": [{"id": "EV-1", "kind": "evidence", "title": "Relaunch briefing slides", "date": "2022-02"}],
        }],
    }


def test_action_shows_its_recommendations_with_their_source_aims_outcomes_and_evidence(record_set):
    lines = run(record_set(), "show", "ACT-1").output.splitlines()
    assert lines[11:] == [
        "Recommendations it addresses (1):",
        "└─ REC-1  Relaunch the safer sleeping guidance.",
        "   source: SRC-1; coverage: planned",
        "",
        "Aims it serves: AIM-1  Safer sleeping",
        "",
        "Outcomes it contributes to: OUT-1  Families understand safer sleeping",
        "",
        "Evidence (1):",
        "└─ EV-1  Relaunch briefing slides",
        "   date: 2022-02",
    ]


def test_source_shows_its_recommendations_levels_and_actions(record_set):
    root = record_set({
        "records/recommendations/REC-2.yaml": "id: REC-2\nsource: SRC-1\ntext: Nobody acts.\naims: [AIM-1]\nstatus: open\n",
    })
    lines = run(root, "show", "SRC-1").output.splitlines()
    assert lines[7:] == [
        "Coverage: 2 recommendation(s): 1 none, 1 planned, 0 delivered, 0 evidenced, 0",
        "  impact",
        "",
        "Recommendations (2):",
        "├─ REC-1  Relaunch the safer sleeping guidance.",
        "│  coverage: planned",
        "│  └─ ACT-1  Relaunch the guidance",
        "│     status: in-progress; target: 2022-01..2022-06; owner: Steering Group",
        "└─ REC-2  Nobody acts.",
        "   coverage: none",
        "   (no actions)",
    ]


def test_aim_shows_recommendations_and_actions_serving_it(record_set):
    lines = run(record_set(), "show", "AIM-1").output.splitlines()
    assert lines[6:] == [
        "Recommendations cross-referenced to it (1):",
        "└─ REC-1  Relaunch the safer sleeping guidance.",
        "   source: SRC-1; coverage: planned",
        "",
        "Actions serving it (directly or through its recommendations) (1):",
        "└─ ACT-1  Relaunch the guidance",
        "   status: in-progress; target: 2022-01..2022-06; owner: Steering Group",
    ]


def test_outcome_shows_actions_recommendations_and_evidence_of_impact(record_set):
    root = record_set({"records/evidence/EV-2.yaml": "id: EV-2\ntitle: Survey of parents\nsupports: [OUT-1]\ndate: '2023'\n"})
    lines = run(root, "show", "OUT-1").output.splitlines()
    assert lines[5:] == [
        "Actions contributing to it (1):",
        "└─ ACT-1  Relaunch the guidance",
        "   status: in-progress; target: 2022-01..2022-06; owner: Steering Group",
        "",
        "Recommendations those actions address (1):",
        "└─ REC-1  Relaunch the safer sleeping guidance.",
        "   source: SRC-1; coverage: planned",
        "",
        "Evidence of impact (1):",
        "└─ EV-2  Survey of parents",
        "   date: 2023",
    ]


def test_evidence_shows_what_it_supports_and_the_recommendations_behind_it(record_set):
    lines = run(record_set(), "show", "EV-1").output.splitlines()
    assert lines[7:] == [
        "Supports (1):",
        "└─ ACT-1  Relaunch the guidance",
        "   status: in-progress; target: 2022-01..2022-06; owner: Steering Group",
        "   └─ REC-1  Relaunch the safer sleeping guidance.",
        "      source: SRC-1; coverage: planned",
    ]


def test_long_text_is_wrapped_to_80_columns_and_control_characters_removed(record_set):
    text = ("Partner agencies should ensure that appropriate staff are familiar with the Safer Sleeping "
            "Guidelines \x1b[31mfor Professionals\x1b[0m and adhere to them.\n"
            "- Agency policies should be consistent with the revised guidelines for professionals everywhere.")
    root = record_set({"records/recommendations/REC-1.yaml": (
        "id: REC-1\nsource: SRC-1\naims: [AIM-1]\nstatus: open\ntext: " + json.dumps(text) + "\n"
    )})
    lines = run(root, "show", "REC-1").output.splitlines()
    assert lines[3:11] == [
        "  source:  SRC-1",
        "  aims:    AIM-1",
        "  status:  open",
        "  text:    Partner agencies should ensure that appropriate staff are familiar",
        "           with the Safer Sleeping Guidelines [31mfor Professionals[0m and",
        "           adhere to them.",
        "           - Agency policies should be consistent with the revised guidelines",
        "             for professionals everywhere.",
    ]
    assert max(len(line) for line in lines) <= 80
    assert "\x1b" not in run(root, "show", "REC-1").output
