from __future__ import annotations

import json

from conftest import run

AS_OF = ("--as-of", "2022-09-30")


def gap_list(root, *args):
    result = run(root, "gaps", "--format", "json", *AS_OF, *args)
    data = json.loads(result.stdout)
    return result.exit_code, [(g["kind"], g["id"]) for g in data["gaps"]], data


def test_valid_linked_set_has_only_the_expected_gaps(record_set):
    code, gaps, data = gap_list(record_set())
    # ACT-1 is in progress and due by June 2022; OUT-1 has an action but no evidence of impact.
    assert gaps == [("overdue-action", "ACT-1"), ("unmeasured-outcome", "OUT-1")]
    assert code == 1
    assert data["as_of"] == "2022-09-30"
    assert data["counts"]["overdue-action"] == 1 and data["counts"]["orphaned-action"] == 0


def test_unaddressed_recommendation(record_set):
    root = record_set({"records/recommendations/REC-2.yaml": "id: REC-2\nsource: SRC-1\ntext: t\naims: [AIM-1]\nstatus: open\n"})
    _, gaps, data = gap_list(root, "--kind", "unaddressed-recommendation")
    assert gaps == [("unaddressed-recommendation", "REC-2")]
    assert data["gaps"][0]["message"].startswith("no action addresses this open recommendation from SRC-1")


def test_dropped_actions_do_not_address(record_set):
    root = record_set({"records/actions/ACT-1.yaml": "id: ACT-1\ntitle: t\nowner: o\nstatus: dropped\ntarget: tba\naddresses: [REC-1]\n"})
    _, gaps, _ = gap_list(root, "--kind", "unaddressed-recommendation")
    assert gaps == [("unaddressed-recommendation", "REC-1")]


def test_complete_or_superseded_recommendations_are_not_unaddressed(record_set):
    root = record_set({
        "records/recommendations/REC-2.yaml": "id: REC-2\nsource: SRC-1\ntext: t\naims: all\nstatus: superseded\n",
    })
    _, gaps, _ = gap_list(root, "--kind", "unaddressed-recommendation")
    assert gaps == []


def test_unmapped_recommendation(record_set):
    root = record_set({"records/recommendations/REC-1.yaml": "id: REC-1\nsource: SRC-1\ntext: t\naims: []\nstatus: open\n"})
    _, gaps, data = gap_list(root, "--kind", "unmapped-recommendation")
    assert gaps == [("unmapped-recommendation", "REC-1")]
    assert data["gaps"][0]["line"] == 4


def test_orphaned_action(record_set):
    root = record_set({"records/actions/ACT-2.yaml": "id: ACT-2\ntitle: t\nowner: o\nstatus: unknown\ntarget: tba\noutcomes: [OUT-1]\n"})
    _, gaps, _ = gap_list(root, "--kind", "orphaned-action")
    assert gaps == [("orphaned-action", "ACT-2")]


def test_unevidenced_action(record_set):
    root = record_set({
        "records/actions/ACT-2.yaml": "id: ACT-2\ntitle: t\nowner: o\nstatus: complete\ntarget: tba\naims: [AIM-1]\n",
    })
    _, gaps, _ = gap_list(root, "--kind", "unevidenced-action")
    assert gaps == [("unevidenced-action", "ACT-2")]


def test_overdue_uses_end_of_target_month_quarter_and_range(record_set):
    def overdue(target, status="in-progress", as_of="2022-06-30"):
        root = record_set({"records/actions/ACT-1.yaml": f"id: ACT-1\ntitle: t\nowner: o\nstatus: {status}\ntarget: '{target}'\naims: [AIM-1]\n"})
        result = run(root, "gaps", "--format", "json", "--as-of", as_of, "--kind", "overdue-action")
        return [g["id"] for g in json.loads(result.stdout)["gaps"]]

    assert overdue("2022-06") == []  # due by the last day of June
    assert overdue("2022-06", as_of="2022-07-01") == ["ACT-1"]
    assert overdue("2022-Q2") == []
    assert overdue("2022-Q2", as_of="2022-07-01") == ["ACT-1"]
    assert overdue("2021-12..2022-06-15") == ["ACT-1"]
    assert overdue("2021-12..2022-Q3") == []
    assert overdue("2022-06-29") == ["ACT-1"]
    assert overdue("ongoing", as_of="2030-01-01") == []
    assert overdue("tba", as_of="2030-01-01") == []
    assert overdue("2020-01", status="complete") == []
    assert overdue("2020-01", status="dropped") == []
    assert overdue("2020-01", status="unknown") == ["ACT-1"]


def test_overdue_message_says_when(record_set):
    _, _, data = gap_list(record_set(), "--kind", "overdue-action")
    assert data["gaps"][0]["message"] == (
        "this action was due by 30 June 2022 (target 2022-01..2022-06) and is not complete "
        "(status: in-progress); update its status, or agree a new target"
    )


def test_aim_without_actions_counts_actions_through_recommendations(record_set):
    root = record_set({
        "records/aims/AIM-2.yaml": "id: AIM-2\ntitle: t\nstatus: active\n",
        "records/aims/AIM-3.yaml": "id: AIM-3\ntitle: t\nstatus: retired\n",
        "records/aims/AIM-4.yaml": "id: AIM-4\ntitle: t\nstatus: active\n",
        "records/recommendations/REC-1.yaml": "id: REC-1\nsource: SRC-1\ntext: t\naims: [AIM-1, AIM-4]\nstatus: open\n",
    })
    _, gaps, _ = gap_list(root, "--kind", "aim-without-actions")
    assert gaps == [("aim-without-actions", "AIM-2")]


def test_outcome_without_actions_and_unmeasured_outcome(record_set):
    root = record_set({
        "records/outcomes/OUT-2.yaml": "id: OUT-2\ntitle: t\n",
        "records/outcomes/OUT-3.yaml": "id: OUT-3\ntitle: t\n",
        "records/evidence/EV-2.yaml": "id: EV-2\ntitle: survey\nsupports: [OUT-3]\ndate: '2022'\n",
        "records/actions/ACT-2.yaml": "id: ACT-2\ntitle: t\nowner: o\nstatus: unknown\ntarget: tba\naims: [AIM-1]\noutcomes: [OUT-3]\n",
    })
    _, gaps, _ = gap_list(root, "--kind", "outcome-without-actions", "--kind", "unmeasured-outcome")
    assert gaps == [("outcome-without-actions", "OUT-2"), ("unmeasured-outcome", "OUT-1")]


def test_orphaned_evidence(record_set):
    root = record_set({"records/evidence/EV-2.yaml": "id: EV-2\ntitle: t\nsupports: []\ndate: '2022'\n"})
    _, gaps, _ = gap_list(root, "--kind", "orphaned-evidence")
    assert gaps == [("orphaned-evidence", "EV-2")]


def test_source_without_recommendations(record_set):
    root = record_set({"records/sources/SRC-2.yaml": "id: SRC-2\ntitle: t\ntype: audit\npublished: '2022'\n"})
    _, gaps, _ = gap_list(root, "--kind", "source-without-recommendations")
    assert gaps == [("source-without-recommendations", "SRC-2")]


def test_inconsistent_status(record_set):
    root = record_set({
        "records/recommendations/REC-1.yaml": "id: REC-1\nsource: SRC-1\ntext: t\naims: [AIM-1]\nstatus: complete\n",
        "records/aims/AIM-2.yaml": "id: AIM-2\ntitle: t\nstatus: retired\n",
        "records/actions/ACT-2.yaml": "id: ACT-2\ntitle: t\nowner: o\nstatus: not-started\ntarget: tba\naims: [AIM-2]\n",
    })
    _, gaps, data = gap_list(root, "--kind", "inconsistent-status")
    assert gaps == [("inconsistent-status", "AIM-2"), ("inconsistent-status", "REC-1")]
    assert [g["message"] for g in data["gaps"]] == [
        "this aim is retired, but ACT-2, which serves it, is not-started",
        "this recommendation is marked complete, but ACT-1, which addresses it, is in-progress",
    ]


ACCEPTING_ACTION = """
id: ACT-1
title: Relaunch the guidance
owner: Steering Group
status: in-progress
target: 2022-01..2022-06
addresses: [REC-1]
aims: [AIM-1]
outcomes: [OUT-1]
accepted_gaps:
  - kind: overdue-action
    reason: Relaunch waits for the national guidance
    review_by: {review_by}
"""


def test_accepted_gap_is_listed_but_does_not_fail(record_set):
    root = record_set({
        "records/actions/ACT-1.yaml": ACCEPTING_ACTION.format(review_by="2022-12-31"),
        "records/evidence/EV-2.yaml": "id: EV-2\ntitle: survey\nsupports: [OUT-1]\ndate: '2022'\n",
    })
    code, gaps, data = gap_list(root)
    assert gaps == [("overdue-action", "ACT-1")]
    assert data["gaps"][0]["accepted"] is True
    assert data["gaps"][0]["reason"] == "Relaunch waits for the national guidance"
    assert code == 0
    text = run(root, "gaps", *AS_OF)
    assert "  ACT-1 [accepted]  Relaunch the guidance" in text.output
    assert text.stdout.strip().endswith("1 gap(s) as of 2022-09-30, 1 accepted, 0 failing.")


def test_expired_acceptance_fails_again_and_says_so(record_set):
    root = record_set({
        "records/actions/ACT-1.yaml": ACCEPTING_ACTION.format(review_by="2022-09-29"),
        "records/evidence/EV-2.yaml": "id: EV-2\ntitle: survey\nsupports: [OUT-1]\ndate: '2022'\n",
    })
    code, _, data = gap_list(root)
    assert code == 1
    assert data["gaps"][0]["accepted"] is False
    assert data["gaps"][0]["message"].endswith(
        "(this gap was accepted until 2022-09-29 because: Relaunch waits for the national guidance; "
        "that acceptance has expired, so review the decision and renew or remove it)"
    )


def test_acceptance_matching_no_gap_is_stale(record_set):
    root = record_set({
        "records/actions/ACT-1.yaml": ACCEPTING_ACTION.format(review_by="2022-12-31").replace("2022-01..2022-06", "ongoing"),
        "records/evidence/EV-2.yaml": "id: EV-2\ntitle: survey\nsupports: [OUT-1]\ndate: '2022'\n",
    })
    code, gaps, data = gap_list(root)
    assert gaps == [("stale-acceptance", "ACT-1")]
    assert data["gaps"][0]["line"] == 10  # the accepted_gaps item
    assert code == 1


def test_fail_on_in_trace_toml_decides_the_exit_code(record_set):
    root = record_set()
    (root / "trace.toml").write_text('fail_on = ["unevidenced-action"]\n')
    code, gaps, _ = gap_list(root)
    assert len(gaps) == 2 and code == 0


def test_filters_by_source_aim_and_owner(record_set):
    root = record_set({
        "records/sources/SRC-2.yaml": "id: SRC-2\ntitle: t\ntype: audit\npublished: '2022'\n",
        "records/recommendations/REC-2.yaml": "id: REC-2\nsource: SRC-2\ntext: t\naims: [AIM-2]\nstatus: open\n",
        "records/aims/AIM-2.yaml": "id: AIM-2\ntitle: t\nstatus: active\n",
        "records/actions/ACT-2.yaml": "id: ACT-2\ntitle: t\nowner: Health\nstatus: unknown\ntarget: 2021-01\naddresses: [REC-2]\n",
    })
    assert gap_list(root, "--source", "SRC-2")[1] == [("overdue-action", "ACT-2")]
    assert gap_list(root, "--source", "SRC-1")[1] == [("overdue-action", "ACT-1")]
    assert gap_list(root, "--aim", "AIM-2")[1] == [("overdue-action", "ACT-2")]
    assert gap_list(root, "--owner", "health")[1] == [("overdue-action", "ACT-2")]
    assert gap_list(root, "--kind", "unmeasured-outcome")[1] == [("unmeasured-outcome", "OUT-1")]


def test_unknown_filter_values_are_usage_errors(record_set):
    result = run(record_set(), "gaps", "--source", "SRC-9")
    assert result.exit_code == 2
    assert "there is no source 'SRC-9'; did you mean SRC-1?" in result.output
    result = run(record_set(), "gaps", "--kind", "overdue")
    assert result.exit_code == 2
    assert "unknown gap kind overdue" in result.output


def test_invalid_records_are_reported_before_any_analysis(record_set):
    root = record_set({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: x\nstatus: done\n"})
    result = run(root, "gaps")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "records/aims/AIM-1.yaml:3:1: 'status' is 'done', which is not allowed; use one of: active, retired"
    )


def test_outside_git_the_suspect_link_check_is_skipped_with_a_note(record_set):
    result = run(record_set(), "gaps", *AS_OF)
    assert result.stderr == "Note: the records are not in a git repository, so the suspect-link check was skipped.\n"


def test_text_format_groups_by_kind(record_set):
    result = run(record_set(), "gaps", *AS_OF)
    assert result.stdout.splitlines()[:5] == [
        "overdue-action: actions past their target and not complete (1)",
        "  ACT-1  Relaunch the guidance",
        "    records/actions/ACT-1.yaml:5",
        "    this action was due by 30 June 2022 (target 2022-01..2022-06) and is not",
        "    complete (status: in-progress); update its status, or agree a new target",
    ]


def test_markdown_format(record_set):
    result = run(record_set(), "gaps", "--format", "markdown", *AS_OF)
    lines = result.stdout.splitlines()
    assert lines[0] == "### trace gaps: 2 gap(s) as of 2022-09-30, 2 failing."
    assert "| `overdue-action` | actions past their target and not complete | 1 |" in lines
    assert "<details><summary><code>overdue-action</code> (1)</summary>" in lines


def test_github_format_escapes_annotations(record_set, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    root = record_set({"records/outcomes/OUT-1.yaml": "id: OUT-1\ntitle: t\n"})
    result = run(root, "gaps", "--format", "github", *AS_OF)
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error file=records/actions/ACT-1.yaml,line=5,title=trace gaps%3A ACT-1::overdue-action: ")
    assert "### trace gaps:" in summary.read_text()


def test_same_answer_twice_on_the_repository_records():
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    first = run(repo, "gaps", "--format", "json", "--as-of", "2026-11-21")
    second = run(repo, "gaps", "--format", "json", "--as-of", "2026-11-21")
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["gaps"]
