"""Acceptances added by the change itself (issue 12, section 1): a pull request that accepts the gap it
opens is told, in every format `gaps --baseline` has, that a reviewer must agree; and no acceptance may
run further ahead than trace.toml's max_acceptance_months (12 by default)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, run
from gitrepo import GitRepoBuilder

TODAY = dt.date.today()
SOON = (TODAY + dt.timedelta(days=200)).isoformat()
SOONER = (TODAY + dt.timedelta(days=100)).isoformat()
FAR = (TODAY + dt.timedelta(days=400)).isoformat()
ACTION = VALID_RECORDS["records/actions/ACT-1.yaml"]
LATER = ACTION.replace("target: 2022-01..2022-06", "target: 2030-01..2030-06")


def _accepting(text: str, review_by: str, reason: str = "The board agreed a new plan") -> str:
    return text + f"""
        accepted_gaps:
          - kind: overdue-action
            reason: {reason}
            review_by: '{review_by}'
    """


def _pull_request(root: Path, before: str, after: str) -> Path:
    repo = GitRepoBuilder(root)
    repo.commit("Records", "2022-01-10T09:00:00", dict(VALID_RECORDS, **{"records/actions/ACT-1.yaml": before}))
    repo.git("checkout", "-q", "-b", "change")
    repo.commit("The change", "2022-02-10T09:00:00", {"records/actions/ACT-1.yaml": after})
    return repo.root


def _gaps(root: Path, *args: str):
    return run(root, "gaps", "--baseline", "main", *args)


def test_an_acceptance_the_change_adds_is_a_warning_in_every_format(tmp_path):
    root = _pull_request(tmp_path / "pr", LATER, _accepting(ACTION, SOON))
    sentence = (f"this change accepts the overdue-action gap of ACT-1 until {SOON}: a reviewer must agree; "
                "the reason given is: The board agreed a new plan")
    github = _gaps(root, "--format", "github")
    assert github.exit_code == 0  # accepted, so not failing: the warning is for the reviewer
    assert f"::warning file=records/actions/ACT-1.yaml,line=11,title=trace gaps%3A ACT-1::{sentence}" in \
        github.stdout.splitlines()
    assert f"records/actions/ACT-1.yaml:11: warning: {sentence}" in _gaps(root).stdout.splitlines()
    markdown = _gaps(root, "--format", "markdown").stdout
    assert "**This change accepts 1 gap(s): a reviewer must agree.**" in markdown
    assert f"| ACT-1 | records/actions/ACT-1.yaml:11 | overdue-action | {SOON} | not accepted | " \
        "The board agreed a new plan |" in markdown.splitlines()
    (added,) = json.loads(_gaps(root, "--format", "json").stdout)["baseline"]["acceptances_added"]
    assert (added["id"], added["kind"], added["review_by"], added["was_until"]) == (
        "ACT-1", "overdue-action", SOON, None)


def test_an_acceptance_the_change_extends_says_until_when_it_ran(tmp_path):
    root = _pull_request(tmp_path / "pr", _accepting(ACTION, SOONER), _accepting(ACTION, SOON))
    lines = _gaps(root).stdout.splitlines()
    assert (f"records/actions/ACT-1.yaml:11: warning: this change accepts the overdue-action gap of ACT-1 until "
            f"{SOON} (it was accepted until {SOONER}): a reviewer must agree; the reason given is: The board "
            "agreed a new plan") in lines


@pytest.mark.parametrize("after", [SOONER, (TODAY + dt.timedelta(days=50)).isoformat()], ids=["same", "shorter"])
def test_an_acceptance_kept_or_shortened_is_not_listed(tmp_path, after):
    root = _pull_request(tmp_path / "pr", _accepting(ACTION, SOONER), _accepting(ACTION, after, "Reviewed"))
    result = _gaps(root, "--format", "github")
    assert "warning" not in result.stdout
    assert json.loads(_gaps(root, "--format", "json").stdout)["baseline"]["acceptances_added"] == []


def test_an_acceptance_until_the_end_of_time_is_a_located_problem(tmp_path):
    root = _pull_request(tmp_path / "pr", LATER, _accepting(ACTION, "9999-12-31"))
    limit = TODAY.replace(year=TODAY.year + 1) if not (TODAY.month == 2 and TODAY.day == 29) else \
        dt.date(TODAY.year + 1, 2, 28)
    expected = (f"records/actions/ACT-1.yaml:13:5: 'accepted_gaps' item 1 → 'review_by' is 9999-12-31, more than "
                f"12 months after {TODAY.isoformat()}; an accepted gap must be reviewed by {limit.isoformat()} at "
                "the latest (max_acceptance_months in trace.toml), so choose an earlier date")
    validate = run(root, "validate")
    assert (validate.exit_code, validate.stdout.splitlines()[0]) == (1, expected)
    gaps = _gaps(root, "--format", "github")
    assert gaps.exit_code == 1
    assert expected in gaps.stderr.splitlines()  # the records' problems, on stderr: the output may be data


def test_max_acceptance_months_in_trace_toml_sets_the_limit(tmp_path):
    root = _pull_request(tmp_path / "pr", LATER, _accepting(ACTION, FAR))
    assert run(root, "validate").exit_code == 1
    (root / "trace.toml").write_text("max_acceptance_months = 24\n")
    assert run(root, "validate").exit_code == 0
    (root / "trace.toml").write_text("max_acceptance_months = \"forever\"\n")
    result = run(root, "validate")
    assert result.exit_code == 2
    assert result.stderr == ("Error: trace.toml: 'max_acceptance_months' is 'forever'; give a whole number of months "
                             "from 1 to 120, such as max_acceptance_months = 12\n")


def test_with_at_the_limit_counts_from_today_as_in_the_working_tree(tmp_path):
    root = _pull_request(tmp_path / "pr", LATER, _accepting(ACTION, "9999-12-31"))
    working, at_head = run(root, "validate"), run(root, "--at", "HEAD", "validate")
    assert working.exit_code == at_head.exit_code == 1
    assert at_head.stdout == working.stdout
