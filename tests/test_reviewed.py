"""trace reviewed: an action's owner records that it still answers a reworded recommendation, which clears
the suspect link (issue 14, point 8); and a recommendation whose work is all done is ready to close (point 9)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import VALID_RECORDS, run
from gitrepo import GitRepoBuilder

REWORDED = """\
id: REC-1
source: SRC-1
text: Relaunch the safer sleeping guidance, and train every health visitor in it.
aims: [AIM-1]
status: open
"""


@pytest.fixture
def repo(tmp_path) -> GitRepoBuilder:
    """REC-1 reworded after ACT-1, which addresses it, was last changed: ACT-1's link is suspect."""
    builder = GitRepoBuilder(tmp_path / "repo")
    builder.commit("Records", "2022-01-10T09:00:00", dict(VALID_RECORDS))
    builder.commit("Reword REC-1", "2022-03-01T09:00:00", {"records/recommendations/REC-1.yaml": REWORDED})
    return builder


def _suspect(root) -> list[dict[str, object]]:
    result = run(root, "gaps", "--kind", "suspect-link", "--format", "json", "--as-of", "2022-03-02")
    return list(json.loads(result.stdout)["gaps"])


def _action(root) -> str:
    return (root / "records/actions/ACT-1.yaml").read_text(encoding="utf-8")


def test_the_suspect_link_says_how_to_clear_it(repo):
    (gap,) = _suspect(repo.root)
    assert str(gap["message"]).endswith("after this action was last changed; check the action still answers it, then "
                                        "record that with: trace reviewed ACT-1 --note \"...\" (this clears the "
                                        "suspect link once committed)")


def test_reviewed_records_who_when_and_why_and_clears_the_suspect_link(repo):
    today = dt.date.today().isoformat()
    result = run(repo.root, "reviewed", "ACT-1", "--note", "Still answers it: training is in the plan",
                 "--by", "Steering Group")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Recorded that ACT-1 was reviewed on {today} by Steering Group against the current wording of REC-1 "
        "(records/actions/ACT-1.yaml); its suspect links are cleared: commit the change so that everyone sees it.\n")
    assert _action(repo.root).endswith(
        f'reviewed:\n  date: "{today}"\n  by: Steering Group\n  note: \'Still answers it: training is in the plan\'\n')
    assert _suspect(repo.root) == []  # the uncommitted change counts
    repo.commit("ACT-1 reviewed", "2022-03-02T09:00:00")
    assert _suspect(repo.root) == []
    assert run(repo.root, "validate").exit_code == 0


def test_who_defaults_to_gits_user_name(repo):
    repo.git("config", "user.name", "Jo Bloggs")
    result = run(repo.root, "reviewed", "ACT-1")
    assert result.exit_code == 0, result.output
    assert "  by: Jo Bloggs\n" in _action(repo.root)
    assert "note:" not in _action(repo.root)


def test_reviewing_again_replaces_the_last_review(repo):
    run(repo.root, "reviewed", "ACT-1", "--by", "Steering Group", "--note", "First look")
    result = run(repo.root, "reviewed", "ACT-1", "--by", "Steering Group", "--note", "First look")
    assert result.output == "ACT-1 is already recorded as reviewed today; nothing to change.\n"
    run(repo.root, "reviewed", "ACT-1", "--by", "Health Visiting")
    assert _action(repo.root).count("reviewed:") == 1 and "  by: Health Visiting\n" in _action(repo.root)


def test_only_actions_are_reviewed(repo):
    result = run(repo.root, "reviewed", "REC-1")
    assert result.exit_code == 2
    assert result.output == ("Error: REC-1 is a recommendation; trace reviewed records that an action was checked "
                             "against the recommendations it addresses\n")


def test_a_reviewed_field_written_by_hand_is_checked(repo):
    repo.write({"records/actions/ACT-1.yaml": _action(repo.root) + "reviewed:\n  date: last week\n"})
    result = run(repo.root, "validate")
    assert result.exit_code == 1
    assert "'reviewed' → 'date'" in result.output and "YYYY-MM-DD" in result.output


# --- ready to close --------------------------------------------------------------------------

def test_an_open_recommendation_whose_actions_are_all_done_and_evidenced_is_ready_to_close(repo):
    run(repo.root, "set", "ACT-1", "status", "complete")
    result = run(repo.root, "gaps", "--kind", "ready-to-close", "--as-of", "2022-03-02", "--format", "json")
    (gap,) = json.loads(result.stdout)["gaps"]
    assert (gap["id"], gap["path"], gap["line"]) == ("REC-1", "records/recommendations/REC-1.yaml", 5)
    assert gap["message"] == (
        "every action addressing this recommendation (ACT-1) is complete and has evidence, but its status is still "
        "open; if the partnership agrees it has been met, close it with: trace set REC-1 status complete")
    run(repo.root, "set", "REC-1", "status", "complete")
    closed = run(repo.root, "gaps", "--kind", "ready-to-close", "--as-of", "2022-03-02", "--format", "json")
    assert json.loads(closed.stdout)["gaps"] == []


def test_a_recommendation_with_unevidenced_or_unfinished_work_is_not_ready_to_close(repo):
    run(repo.root, "set", "ACT-1", "status", "complete")
    (repo.root / "records/evidence/EV-1.yaml").unlink()
    result = run(repo.root, "gaps", "--kind", "ready-to-close", "--as-of", "2022-03-02", "--format", "json")
    assert json.loads(result.stdout)["gaps"] == []
    run(repo.root, "set", "ACT-1", "status", "in-progress")
    result = run(repo.root, "gaps", "--kind", "ready-to-close", "--as-of", "2022-03-02", "--format", "json")
    assert json.loads(result.stdout)["gaps"] == []


def test_ready_to_close_is_a_gap_kind_with_a_meaning(repo):
    result = run(repo.root, "gaps", "--kind", "nonsense")
    assert "ready-to-close" in result.output
    run(repo.root, "set", "ACT-1", "status", "complete")
    text = run(repo.root, "gaps", "--kind", "ready-to-close", "--as-of", "2022-03-02").output
    assert "open recommendations whose actions are all complete and evidenced" in text


def test_ready_to_close_is_a_prompt_that_fails_only_when_fail_on_names_it(repo):
    run(repo.root, "set", "ACT-1", "status", "complete")
    listed = run(repo.root, "gaps", "--kind", "ready-to-close", "--as-of", "2022-03-02")
    assert listed.exit_code == 0 and "REC-1" in listed.output
    (repo.root / "trace.toml").write_text('fail_on = ["all", "ready-to-close"]\n', encoding="utf-8")
    assert run(repo.root, "gaps", "--kind", "ready-to-close", "--as-of", "2022-03-02").exit_code == 1


def test_a_recommendation_whose_status_is_unknown_is_ready_to_close_too(repo):
    run(repo.root, "set", "ACT-1", "status", "complete")
    run(repo.root, "set", "REC-1", "status", "unknown")
    result = run(repo.root, "gaps", "--kind", "ready-to-close", "--as-of", "2022-03-02", "--format", "json")
    (gap,) = json.loads(result.stdout)["gaps"]
    assert "but its status is still unknown;" in gap["message"]
    assert run(repo.root, "set", "REC-1", "status", "complete").exit_code == 0
    result = run(repo.root, "gaps", "--kind", "ready-to-close", "--as-of", "2022-03-02", "--format", "json")
    assert json.loads(result.stdout)["gaps"] == []
