"""A new gap in a pull request is annotated on a file the pull request changed, naming the records
involved, so that the author sees it where they made the change."""

from __future__ import annotations

import pytest
from conftest import VALID_RECORDS, run
from gitrepo import GitRepoBuilder

ACTION = VALID_RECORDS["records/actions/ACT-1.yaml"]


@pytest.fixture
def repo(tmp_path):
    builder = GitRepoBuilder(tmp_path / "partnership")
    builder.commit("Add the records", "2022-01-01T10:00:00", {
        **VALID_RECORDS,
        "records/outcomes/OUT-2.yaml": "id: OUT-2\ntitle: Fewer unsafe sleeping arrangements\n",
        "records/actions/ACT-2.yaml": ACTION.replace("ACT-1", "ACT-2").replace("outcomes: [OUT-1]", "outcomes: []"),
    })
    builder.git("checkout", "-q", "-b", "link-outcome")
    return builder


def _annotations(repo: GitRepoBuilder) -> list[str]:
    result = run(repo.root, "gaps", "--baseline", "main", "--format", "github", "--as-of", "2022-03-01")
    return [line for line in result.output.splitlines() if line.startswith("::error")]


def test_a_gap_opened_by_linking_an_action_is_shown_on_the_action(repo):
    repo.commit("ACT-1 contributes to OUT-2", "2022-02-01T10:00:00", {
        "records/actions/ACT-1.yaml": ACTION.replace("outcomes: [OUT-1]", "outcomes: [OUT-1, OUT-2]"),
    })
    assert _annotations(repo) == [
        "::error file=records/actions/ACT-1.yaml,line=8,title=trace gaps%3A OUT-2::unmeasured-outcome: ACT-1 now "
        "contributes to OUT-2, which has no evidence of impact: delivery is not impact; add evidence with "
        "'supports: [OUT-2]' showing what changed (records/outcomes/OUT-2.yaml)",
    ]


def test_a_gap_opened_by_removing_a_link_names_the_link_that_went(repo):
    repo.commit("ACT-1 no longer addresses REC-1", "2022-02-01T10:00:00", {
        "records/actions/ACT-1.yaml": ACTION.replace("addresses: [REC-1]", "addresses: []"),
        "records/actions/ACT-2.yaml": None,
    })
    assert _annotations(repo) == [
        "::error file=records/actions/ACT-1.yaml,line=1,title=trace gaps%3A REC-1::unaddressed-recommendation: "
        "ACT-1 no longer addresses REC-1, and REC-1 now has a gap (unaddressed-recommendation): no action "
        "addresses this open recommendation from SRC-1; add an action with 'addresses: [REC-1]', or record why "
        "the partnership will not act on it (records/recommendations/REC-1.yaml)",
    ]


def test_a_status_that_contradicts_an_untouched_record_is_shown_on_the_changed_one(repo):
    repo.commit("REC-1 is complete", "2022-02-01T10:00:00", {
        "records/recommendations/REC-1.yaml": VALID_RECORDS["records/recommendations/REC-1.yaml"].replace(
            "status: open", "status: complete"),
    })
    annotations = _annotations(repo)
    # The gap is REC-1's own, and REC-1 is the file the change touched: it stays there.
    assert annotations[0].startswith("::error file=records/recommendations/REC-1.yaml,line=5,")
    assert "but ACT-1, which addresses it, is in-progress" in annotations[0]


def test_an_action_set_in_progress_against_a_complete_recommendation_is_shown_on_the_action(repo):
    repo.commit("REC-1 is complete", "2022-01-15T10:00:00", {
        "records/recommendations/REC-1.yaml": VALID_RECORDS["records/recommendations/REC-1.yaml"].replace(
            "status: open", "status: complete"),
        "records/actions/ACT-1.yaml": ACTION.replace("status: in-progress", "status: complete"),
        "records/actions/ACT-2.yaml": None,
    })
    repo.git("branch", "-f", "main")
    repo.commit("ACT-1 is not finished after all", "2022-02-01T10:00:00", {"records/actions/ACT-1.yaml": ACTION})
    assert _annotations(repo) == [
        "::error file=records/actions/ACT-1.yaml,line=6,title=trace gaps%3A REC-1::inconsistent-status: ACT-1 "
        "addresses REC-1, which is marked complete, but ACT-1 is in-progress; correct whichever is wrong "
        "(records/recommendations/REC-1.yaml)",
    ]


def test_the_plain_gap_message_names_the_contributing_actions(repo):
    result = run(repo.root, "gaps", "--kind", "unmeasured-outcome", "--as-of", "2022-03-01")
    assert "ACT-1 contributes to this outcome, but no evidence of impact supports it" in result.output


def test_a_suspect_link_from_rewording_is_shown_on_the_reworded_recommendation(repo):
    repo.commit("Reword REC-1", "2022-02-01T10:00:00", {
        "records/recommendations/REC-1.yaml": VALID_RECORDS["records/recommendations/REC-1.yaml"].replace(
            "Relaunch the safer sleeping guidance.", "Relaunch the safer sleeping guidance for fathers."),
    })
    assert _annotations(repo) == [
        f"::error file=records/recommendations/REC-1.yaml,line=1,title=trace gaps%3A {action}::suspect-link: REC-1 "
        f"changed its text or aims, so {action}, which addresses it, may no longer answer it; check {action} "
        f"(records/actions/{action}.yaml) and record that it was reviewed"
        for action in ("ACT-1", "ACT-2")
    ]
