from __future__ import annotations

import json
import subprocess

import pytest
from conftest import VALID_RECORDS, run
from gitrepo import GitRepoBuilder

ACTION = """
id: ACT-1
title: Relaunch the guidance
owner: Steering Group
status: {status}
target: 2022-01..2022-06
addresses: [REC-1]
aims: [AIM-1]
outcomes: [OUT-1]
"""


@pytest.fixture
def repo(tmp_path):
    """Three commits: the valid set (Jan), a second aim (Mar), ACT-1 complete with a new recommendation (Jun)."""
    builder = GitRepoBuilder(tmp_path / "partnership")
    builder.first = builder.commit("Add the first records", "2022-01-10T09:00:00", dict(VALID_RECORDS))
    builder.second = builder.commit("Add aim 2", "2022-03-15T09:00:00", {
        "records/aims/AIM-2.yaml": "id: AIM-2\ntitle: Unborn babies\nstatus: active\n",
    })
    builder.third = builder.commit("ACT-1 done; REC-2 from the audit", "2022-06-20T09:00:00", {
        "records/actions/ACT-1.yaml": ACTION.format(status="complete"),
        "records/recommendations/REC-2.yaml": "id: REC-2\nsource: SRC-1\ntext: t\naims: [AIM-2]\nstatus: open\n",
    })
    return builder


def test_at_a_commit_reads_the_records_as_they_were(repo):
    result = run(repo.root, "--at", repo.first, "validate")
    assert result.stdout.strip() == "All good: 6 record(s), no problems."
    assert run(repo.root, "--at", "HEAD", "validate").stdout.strip() == "All good: 8 record(s), no problems."


def test_at_a_date_takes_the_last_commit_on_or_before_that_day(repo):
    data = json.loads(run(repo.root, "--at", "2022-03-15", "coverage", "--format", "json").stdout)
    assert [r["id"] for r in data["recommendations"]] == ["REC-1"]
    assert list(data["by_aim"]) == ["AIM-1", "AIM-2"]
    data = json.loads(run(repo.root, "--at", "2022-03-14", "coverage", "--format", "json").stdout)
    assert list(data["by_aim"]) == ["AIM-1"]


def test_at_does_not_touch_the_working_tree(repo):
    before = (repo.root / "records/actions/ACT-1.yaml").read_text()
    run(repo.root, "--at", repo.first, "gaps")
    assert (repo.root / "records/actions/ACT-1.yaml").read_text() == before
    assert repo.git("status", "--porcelain") == ""


def test_at_defaults_as_of_to_the_commit_date(repo):
    data = json.loads(run(repo.root, "--at", repo.first, "gaps", "--format", "json").stdout)
    assert data["as_of"] == "2022-01-10"
    assert [g["kind"] for g in data["gaps"]] == ["unmeasured-outcome"]


def test_at_before_the_first_commit_names_the_first_date(repo):
    result = run(repo.root, "--at", "2021-12-31", "validate")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: there is no commit on or before 2021-12-31: the history starts on 2022-01-10"
    )


def test_unknown_revision(repo):
    result = run(repo.root, "--at", "v9", "validate")
    assert result.exit_code == 2
    assert "Error: the revision 'v9' is not in this repository's history" in result.output


def test_outside_git_says_so_and_exits_2(record_set):
    result = run(record_set(), "--at", "HEAD", "validate")
    assert result.exit_code == 2
    assert "is not in a git repository, so there is no history to read" in result.output


def test_shallow_clone_says_how_to_fetch_history(repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    result = run(clone, "--at", repo.first, "validate")
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: the revision '{repo.first}' is not in this clone because it is shallow (it holds only recent "
        "history); fetch the full history with: git fetch --unshallow"
    )
    result = run(clone, "--at", "2022-01-31", "validate")
    assert "because it is shallow" in result.output and result.exit_code == 2


def test_diff_shows_added_removed_moved_and_edited(repo):
    repo.move("records/aims/AIM-2.yaml", "records/aims/unborn/AIM-2.yaml")
    repo.write({
        "records/evidence/EV-1.yaml": None,
        "records/evidence/EV-2.yaml": "id: EV-2\ntitle: Relaunch minutes\nsupports: [ACT-1]\ndate: '2022-07'\n",
        "records/actions/ACT-1.yaml": ACTION.format(status="complete") + "rag: green\n",
    })
    head = repo.commit("Evidence replaced; aim 2 filed under unborn/", "2022-07-01T09:00:00")
    result = run(repo.root, "diff", repo.third, head, "--as-of", "2022-07-01")
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"Changes from {repo.third} ({repo.third[:10]}) to {head} ({head[:10]}): 1 added, 1 removed, 1 changed, "
        "1 moved; 0 gap(s) opened, 0 closed."
    )
    assert lines[2:] == [
        "moved aim AIM-2 (records/aims/AIM-2.yaml → records/aims/unborn/AIM-2.yaml)",
        "changed action ACT-1 (records/actions/ACT-1.yaml)",
        "    rag: added (green)",
        "removed evidence EV-1 (was records/evidence/EV-1.yaml)",
        "added evidence EV-2 (records/evidence/EV-2.yaml)",
    ]


def test_diff_calls_out_status_transitions_and_gaps_opened_and_closed(repo):
    result = run(repo.root, "diff", repo.second, repo.third, "--as-of", "2022-07-01", "--format", "json")
    data = json.loads(result.stdout)
    act = next(c for c in data["changes"] if c["id"] == "ACT-1")
    assert act["fields"] == [{"field": "status", "old": "in-progress", "new": "complete"}]
    # ACT-1, complete with evidence, was REC-1's only action: REC-1 is now ready to close
    assert [(g["kind"], g["id"]) for g in data["gaps_opened"]] == [("unaddressed-recommendation", "REC-2"),
                                                                   ("ready-to-close", "REC-1")]
    assert [(g["kind"], g["id"]) for g in data["gaps_closed"]] == [("overdue-action", "ACT-1")]
    text = run(repo.root, "diff", repo.second, repo.third, "--as-of", "2022-07-01").stdout
    assert "    status: in-progress → complete" in text


def test_diff_markdown_is_summary_first_details_folded(repo):
    md = run(repo.root, "diff", repo.second, repo.third, "--as-of", "2022-07-01", "--format", "markdown").stdout
    lines = md.splitlines()
    assert lines[0] == "### trace diff: 1 added, 1 changed"
    assert "| ACT-1 | status: in-progress → complete |" in lines
    assert "<details><summary>Every record change</summary>" in lines


def test_diff_defaults_to_merge_base_and_working_tree(repo):
    repo.git("checkout", "-q", "-b", "change")
    repo.write({"records/actions/ACT-1.yaml": ACTION.format(status="dropped")})
    data = json.loads(run(repo.root, "diff", "--as-of", "2022-07-01", "--format", "json").stdout)
    assert data["base"] == f"main ({repo.third[:10]})"
    assert data["head"] == "the working tree"
    assert data["changes"][0]["fields"] == [{"field": "status", "old": "complete", "new": "dropped"}]


BASELINE_CHANGE_OLD_GAP_ONLY = {"records/recommendations/REC-2.yaml": "id: REC-2\nsource: SRC-1\ntext: t2\naims: [AIM-2]\nstatus: open\n"}


def test_baseline_passes_a_change_that_touches_only_old_gaps(repo):
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit("Reword REC-2", "2022-07-02T09:00:00", BASELINE_CHANGE_OLD_GAP_ONLY)
    result = run(repo.root, "gaps", "--baseline", "main", "--as-of", "2022-07-02")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == (
        "0 new gap(s) as of 2022-07-02, 0 failing. 4 older gap(s) that already existed at main remain."
    )


def test_baseline_fails_a_change_that_adds_a_gap(repo):
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit("Mark ACT-1 complete without evidence", "2022-07-02T09:00:00", {
        "records/evidence/EV-1.yaml": None,
    })
    result = run(repo.root, "gaps", "--baseline", "main", "--as-of", "2022-07-02", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(g["kind"], g["id"]) for g in data["gaps"]] == [("unevidenced-action", "ACT-1")]
    assert data["baseline"] == {"rev": "main", "older_gaps_remaining": 3, "acceptances_added": []}


def test_history_follows_a_record_across_a_move(repo):
    repo.move("records/actions/ACT-1.yaml", "records/actions/2022/ACT-1.yaml")
    repo.commit("File actions by year", "2022-08-01T09:00:00")
    repo.write({"records/actions/2022/ACT-1.yaml": ACTION.format(status="complete") + "rag: green\n"})
    repo.commit("Rate ACT-1", "2022-08-02T09:00:00")
    lines = run(repo.root, "history", "ACT-1").stdout.splitlines()
    assert lines == [
        f"2022-08-02  {repo.git('rev-parse', 'HEAD').strip()[:10]}  Business Unit: Rate ACT-1",
        "    changed action ACT-1 (records/actions/2022/ACT-1.yaml)",
        "      rag: added (green)",
        f"2022-08-01  {repo.git('rev-parse', 'HEAD~1').strip()[:10]}  Business Unit: File actions by year",
        "    moved action ACT-1 (records/actions/ACT-1.yaml → records/actions/2022/ACT-1.yaml)",
        f"2022-06-20  {repo.third[:10]}  Business Unit: ACT-1 done; REC-2 from the audit",
        "    changed action ACT-1 (records/actions/ACT-1.yaml)",
        "      status: in-progress → complete",
        f"2022-01-10  {repo.first[:10]}  Business Unit: Add the first records",
        "    added action ACT-1 (records/actions/ACT-1.yaml)",
    ]
    data = json.loads(run(repo.root, "history", "ACT-1", "--format", "json").stdout)
    assert [c["change"] for c in data["commits"]] == ["changed", "moved", "changed", "added"]


def test_log_groups_a_period_by_kind(repo):
    lines = run(repo.root, "log", "--since", "2022-03-01", "--until", "2022-06-30").stdout.splitlines()
    assert lines == [
        "Record changes since 2022-03-01 until 2022-06-30: 2 added, 1 changed",
        "",
        "recommendation:",
        f"  2022-06-20 {repo.third[:10]}  added recommendation REC-2 (records/recommendations/REC-2.yaml)",
        "",
        "aim:",
        f"  2022-03-15 {repo.second[:10]}  added aim AIM-2 (records/aims/AIM-2.yaml)",
        "",
        "action:",
        f"  2022-06-20 {repo.third[:10]}  changed action ACT-1 (records/actions/ACT-1.yaml)",
        "      status: in-progress → complete",
    ]


def test_suspect_link_when_a_recommendation_changes_after_its_action(repo):
    reworded = repo.commit("Reword REC-1", "2022-07-05T09:00:00", {
        "records/recommendations/REC-1.yaml": "id: REC-1\nsource: SRC-1\ntext: Relaunch and audit the guidance.\naims: [AIM-1]\nstatus: open\n",
    })
    data = json.loads(run(repo.root, "gaps", "--format", "json", "--kind", "suspect-link", "--as-of", "2022-07-05").stdout)
    assert [(g["kind"], g["id"], g["subject"]) for g in data["gaps"]] == [("suspect-link", "ACT-1", "REC-1")]
    assert data["gaps"][0]["message"].startswith(
        f"REC-1, which this action addresses, changed its text or aims in commit {reworded[:10]} (2022-07-05: Reword REC-1)"
    )
    repo.commit("Review ACT-1 against the reworded REC-1", "2022-07-06T09:00:00", {
        "records/actions/ACT-1.yaml": ACTION.format(status="complete") + "notes: Reviewed against the new wording.\n",
    })
    data = json.loads(run(repo.root, "gaps", "--format", "json", "--kind", "suspect-link", "--as-of", "2022-07-06").stdout)
    assert data["gaps"] == []


def test_other_field_changes_do_not_make_a_link_suspect(repo):
    repo.commit("Mark REC-1 ref", "2022-07-05T09:00:00", {
        "records/recommendations/REC-1.yaml": "id: REC-1\nsource: SRC-1\ntext: Relaunch the safer sleeping guidance.\naims: [AIM-1]\nstatus: open\nref: '18'\n",
    })
    data = json.loads(run(repo.root, "gaps", "--format", "json", "--kind", "suspect-link").stdout)
    assert data["gaps"] == []


def test_uncommitted_recommendation_edit_makes_a_link_suspect(repo):
    repo.write({"records/recommendations/REC-1.yaml": "id: REC-1\nsource: SRC-1\ntext: New words.\naims: [AIM-1]\nstatus: open\n"})
    data = json.loads(run(repo.root, "gaps", "--format", "json", "--kind", "suspect-link").stdout)
    assert "changed its text or aims in changes not yet committed" in data["gaps"][0]["message"]


def test_records_read_for_a_diff_are_still_checked_when_validated_at_that_commit(repo):
    # diff reads history without checking it (history cannot be fixed); what it kept must not pass for checked.
    repo.commit("A bad status and a phone number", "2022-07-01T09:00:00", {
        "records/actions/ACT-1.yaml": ACTION.format(status="finished") + "notes: call 07700 900123\n",
    })
    assert run(repo.root, "diff", "HEAD~1", "HEAD", "--format", "json").exit_code == 0
    result = run(repo.root, "--at", "HEAD", "validate")
    assert result.exit_code == 1
    assert "records/actions/ACT-1.yaml:4:1: 'status' is 'finished'" in result.output
    assert "phone number" in result.output


def test_a_diff_over_an_invalid_commit_uses_its_records_as_they_read(repo):
    repo.commit("A bad status", "2022-07-01T09:00:00", {
        "records/actions/ACT-1.yaml": ACTION.format(status="finished"),
    })
    assert run(repo.root, "--at", "HEAD", "validate").exit_code == 1  # checked first: kept as checked
    data = json.loads(run(repo.root, "diff", "HEAD~1", "HEAD", "--format", "json").stdout)
    edited = [c for c in data["changes"] if c["id"] == "ACT-1"]
    assert edited and edited[0]["fields"][0]["new"] == "finished"
