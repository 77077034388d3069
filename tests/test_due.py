"""trace due: who owes what, per owner, on a fixed --as-of, with staleness from real git history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, run, write_records
from gitrepo import GitRepoBuilder

ACTIONS = {
    "records/actions/ACT-1.yaml": """
        id: ACT-1
        title: Relaunch the guidance
        owner: Health Visiting
        status: in-progress
        target: 2022-01..2022-06
        addresses: [REC-1]
    """,
    "records/actions/ACT-2.yaml": """
        id: ACT-2
        title: Agree a data set
        owner: Designated Nurse, CCG
        status: not-started
        target: tba
    """,
    "records/actions/ACT-3.yaml": """
        id: ACT-3
        title: Publish the briefing
        owner: Health Visiting
        status: complete
        target: 2022-03
    """,
    "records/actions/ACT-4.yaml": """
        id: ACT-4
        title: Audit the bruising protocol
        owner: health visiting
        status: unknown
        target: 2022-10-15
        addresses: [REC-1]
    """,
    "records/actions/ACT-5.yaml": """
        id: ACT-5
        title: Old campaign
        owner: Public Health
        status: dropped
        target: 2022-01
    """,
    "records/actions/ACT-6.yaml": """
        id: ACT-6
        title: Safer sleeping campaign
        owner: Public Health
        status: in-progress
        target: 2022-Q4
    """,
}


@pytest.fixture
def repo(tmp_path: Path) -> GitRepoBuilder:
    builder = GitRepoBuilder(tmp_path / "repo")
    builder.commit("The plan", "2022-01-10T09:00:00", {**VALID_RECORDS, **ACTIONS})
    builder.commit("ACT-1 reviewed", "2022-08-15T09:00:00", {
        "records/actions/ACT-1.yaml": ACTIONS["records/actions/ACT-1.yaml"].rstrip() + "\n        notes: Reviewed in August.\n"})
    builder.commit("ACT-2 started (after the as-of day)", "2022-10-20T09:00:00", {
        "records/actions/ACT-2.yaml": ACTIONS["records/actions/ACT-2.yaml"].replace("not-started", "in-progress")})
    return builder


def test_due_lists_overdue_due_soon_and_stale_actions_per_owner_as_json(repo):
    result = run(repo.root, "due", "--as-of", "2022-09-30", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "as_of": "2022-09-30",
        "within_days": 30,
        "owners": [
            {"owner": "Designated Nurse, CCG", "overdue": [], "due_soon": [], "stale": [
                {"id": "ACT-2", "title": "Agree a data set", "status": "in-progress", "target": "tba", "due": None,
                 "recommendations": [], "last_changed": "2022-01-10"}]},
            {"owner": "Health Visiting", "overdue": [
                {"id": "ACT-1", "title": "Relaunch the guidance", "status": "in-progress",
                 "target": "2022-01..2022-06", "due": "2022-06-30", "recommendations": ["REC-1"]}],
             "due_soon": [
                 {"id": "ACT-4", "title": "Audit the bruising protocol", "status": "unknown", "target": "2022-10-15",
                  "due": "2022-10-15", "recommendations": ["REC-1"]}],
             "stale": [
                 {"id": "ACT-4", "title": "Audit the bruising protocol", "status": "unknown", "target": "2022-10-15",
                  "due": "2022-10-15", "recommendations": ["REC-1"], "last_changed": "2022-01-10"}]},
            {"owner": "Public Health", "overdue": [], "due_soon": [], "stale": [
                {"id": "ACT-6", "title": "Safer sleeping campaign", "status": "in-progress", "target": "2022-Q4",
                 "due": "2022-12-31", "recommendations": [], "last_changed": "2022-01-10"}]},
        ],
    }


def test_due_text_for_people(repo):
    result = run(repo.root, "due", "--as-of", "2022-09-30", "--owner", "Health Visiting", "--stale", "300")
    assert result.exit_code == 0
    assert result.output == (
        "Actions to chase as of 2022-09-30: 1 owner(s) have actions to update.\n"
        "\n"
        "Health Visiting\n"
        "  Overdue (target passed before 30 September 2022):\n"
        "    ACT-1  Relaunch the guidance\n"
        "      due 30 June 2022 (target 2022-01..2022-06); status in-progress; answers REC-1\n"
        "  Due within 30 days:\n"
        "    ACT-4  Audit the bruising protocol\n"
        "      due 15 October 2022 (target 2022-10-15); status unknown; answers REC-1\n"
    )


def test_due_markdown_is_ready_to_paste(repo):
    result = run(repo.root, "due", "--as-of", "2022-09-30", "--within", "100", "--owner", "public health",
                 "--format", "markdown")
    assert result.exit_code == 0
    assert result.output == (
        "## Actions to update: as of 30 September 2022\n"
        "\n"
        "1 owner(s) have actions to update.\n"
        "\n"
        "### Public Health\n"
        "\n"
        "**Due within 100 days**\n"
        "\n"
        "- **ACT-6** Safer sleeping campaign: due 31 December 2022 (target 2022-Q4); status in-progress; answers no "
        "recommendation\n"
        "\n"
        "**No change committed for 90 days or more**\n"
        "\n"
        "- **ACT-6** Safer sleeping campaign: due 31 December 2022 (target 2022-Q4); status in-progress; last "
        "changed 10 January 2022; answers no recommendation\n"
        "\n"
        "Please reply with the new status, target or RAG rating of each action, and where its evidence is kept, or "
        "fill in the workbook sent with this message.\n"
    )


def test_due_for_an_owner_nobody_is_exits_2_with_the_owners(repo):
    result = run(repo.root, "due", "--owner", "Midwives")
    assert result.exit_code == 2
    assert "no action has the owner 'Midwives'; the owners are: Designated Nurse, CCG; Health Visiting; " \
           "health visiting; Public Health" in result.output


def test_due_without_git_history_says_stale_actions_are_not_listed(tmp_path):
    root = write_records(tmp_path, {**VALID_RECORDS, **ACTIONS})
    result = run(root, "due", "--as-of", "2022-09-30")
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == [
        "Actions to chase as of 2022-09-30: 1 owner(s) have actions to update.",
        "(No git history here, so actions without a recent change are not listed.)",
    ]
    assert "ACT-2" not in result.output  # not overdue (tba), and staleness cannot be known


def test_due_at_a_commit_reads_the_records_and_history_then(repo):
    result = run(repo.root, "--at", "2022-09-01", "due", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["as_of"] == "2022-08-15"  # the commit's day
    assert [item["id"] for owner in found["owners"] for item in owner["stale"]] == ["ACT-2", "ACT-4", "ACT-6"]
