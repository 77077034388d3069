"""trace diff shows a list of fields (provenance, accepted_gaps) item by item, in every format."""

from __future__ import annotations

import json

import pytest
from conftest import VALID_RECORDS, run
from gitrepo import GitRepoBuilder

PLAN = "001_Delivery_Plan_2021-22.txt"
AIM = """\
id: AIM-1
title: Safer sleeping
status: active
provenance:
  - document: {plan}
    section: Delivery Plan row 2
"""


@pytest.fixture
def repo(tmp_path):
    builder = GitRepoBuilder(tmp_path / "partnership")
    builder.commit("Add the records", "2022-01-10T09:00:00",
                   {**VALID_RECORDS, "records/aims/AIM-1.yaml": AIM.format(plan=PLAN)})
    return builder


def _edit(repo: GitRepoBuilder, extra: str, first_section: str = "Delivery Plan row 2") -> str:
    text = AIM.format(plan=PLAN).replace("Delivery Plan row 2", first_section) + extra
    return repo.commit("Edit AIM-1's provenance", "2022-02-01T09:00:00", {"records/aims/AIM-1.yaml": text})


ADDED = f"  - document: {PLAN}\n    section: Delivery Plan row 3\n"


def test_an_added_provenance_entry_is_named_in_text(repo):
    _edit(repo, ADDED)
    lines = run(repo.root, "diff", "HEAD~1", "HEAD", "--as-of", "2022-03-01").stdout.splitlines()
    assert lines[2:4] == [
        "changed aim AIM-1 (records/aims/AIM-1.yaml)",
        f"    provenance: added {PLAN}, Delivery Plan row 3",
    ]


def test_an_added_provenance_entry_is_named_in_markdown(repo):
    _edit(repo, ADDED)
    markdown = run(repo.root, "diff", "HEAD~1", "HEAD", "--as-of", "2022-03-01", "--format", "markdown").stdout
    assert f"  - provenance: added {PLAN.replace('_', chr(92) + '_')}, Delivery Plan row 3" in markdown.splitlines()


def test_an_added_provenance_entry_is_listed_in_json(repo):
    _edit(repo, ADDED)
    data = json.loads(run(repo.root, "diff", "HEAD~1", "HEAD", "--as-of", "2022-03-01", "--format", "json").stdout)
    field = next(c for c in data["changes"] if c["id"] == "AIM-1")["fields"][0]
    assert field["items"] == {
        "added": [{"document": PLAN, "section": "Delivery Plan row 3"}], "removed": [], "changed": [],
    }


def test_an_edited_entry_shows_the_field_that_changed(repo):
    _edit(repo, "", first_section="Delivery Plan row 2 (safer sleeping)")
    lines = run(repo.root, "diff", "HEAD~1", "HEAD", "--as-of", "2022-03-01").stdout.splitlines()
    assert f"    provenance: changed {PLAN} (section Delivery Plan row 2 → Delivery Plan row 2 (safer sleeping))" \
        in lines


def test_an_accepted_gap_added_and_one_removed(repo):
    accepted = ("accepted_gaps:\n  - kind: aim-without-actions\n    reason: National campaign\n"
                "    review_by: '2023-05-31'\n")
    _edit(repo, accepted)
    lines = run(repo.root, "diff", "HEAD~1", "HEAD", "--as-of", "2022-03-01").stdout.splitlines()
    assert "    accepted_gaps: added aim-without-actions, National campaign, 2023-05-31" in lines
    repo.commit("Drop it", "2022-03-01T09:00:00", {"records/aims/AIM-1.yaml": AIM.format(plan=PLAN)})
    lines = run(repo.root, "diff", "HEAD~1", "HEAD", "--as-of", "2022-03-01").stdout.splitlines()
    assert "    accepted_gaps: removed aim-without-actions, National campaign, 2023-05-31" in lines
