"""trace new: the next free id in the folder's own pattern, required fields, checked before it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import VALID_RECORDS, run
from gitrepo import GitRepoBuilder

from learntrace.cli import cli
from learntrace.cli import edit as cli_edit
from learntrace.model import Record
from learntrace.newrecord import id_pattern, next_ids, schema_line


def _action(record_id: str) -> str:
    return (f"id: {record_id}\ntitle: x\nowner: Group\nstatus: unknown\ntarget: tba\n")


@pytest.fixture
def repo(tmp_path: Path) -> GitRepoBuilder:
    """The valid record set plus numbered actions in two patterns, committed."""
    builder = GitRepoBuilder(tmp_path / "repo")
    files: dict[str, str | None] = dict(VALID_RECORDS)
    for record_id in ("ACT-BP-01", "ACT-BP-02", "ACT-BP-09", "ACT-S21-1", "ACT-S21-2"):
        files[f"records/actions/{record_id}.yaml"] = _action(record_id)
    builder.commit("Records", "2022-01-10T09:00:00", files)
    return builder


def records(*ids: str, kind: str = "action", folder: str = "records/actions") -> list[Record]:
    return [Record(kind, i, f"{folder}/{i}.yaml", {"id": i}) for i in ids]


# --- the next free id -------------------------------------------------------------------------

def test_next_id_keeps_the_zero_padding_of_the_prefix_asked_for():
    pattern = id_pattern("action", records("ACT-BP-01", "ACT-BP-37", "ACT-S21-1"), "ACT-BP")
    assert next_ids(pattern, set()) == ["ACT-BP-38"]


def test_next_id_pads_to_the_width_in_use():
    pattern = id_pattern("evidence", records("EV-01", "EV-02", "EV-09", kind="evidence", folder="records/evidence"))
    assert next_ids(pattern, set(), count=2) == ["EV-10", "EV-11"]


def test_next_id_without_padding_grows_naturally():
    assert next_ids(id_pattern("action", records("ACT-S21-1", "ACT-S21-9")), set()) == ["ACT-S21-10"]


def test_without_a_prefix_the_most_used_one_is_followed():
    found = records("ACT-BP-01", "ACT-BP-02", "ACT-BP-03", "ACT-S21-1", "ACT-S21-7", "ACT-AF-1")
    assert next_ids(id_pattern("action", found), set()) == ["ACT-BP-04"]


def test_a_prefix_may_end_with_its_separator():
    assert next_ids(id_pattern("action", records("ACT-BP-07"), "ACT-BP-"), set()) == ["ACT-BP-08"]


def test_dotted_numbers_are_a_pattern_too():
    aims = records("AIM-2.1", "AIM-2.5", "AIM-ABC", kind="aim", folder="records/aims")
    assert next_ids(id_pattern("aim", aims), set()) == ["AIM-2.6"]


def test_numbers_in_use_by_any_kind_are_skipped():
    assert next_ids(id_pattern("action", records("ACT-BP-01")), {"ACT-BP-02"}) == ["ACT-BP-03"]


def test_an_empty_folder_starts_at_1_with_the_kind_prefix():
    assert next_ids(id_pattern("outcome", []), set()) == ["OUT-1"]
    assert next_ids(id_pattern("action", [], "ACT-NEW"), set()) == ["ACT-NEW-1"]


def test_a_new_record_goes_in_the_sub_folder_of_its_siblings():
    found = records("REC-AB-1", "REC-AB-2", kind="recommendation", folder="records/recommendations/AB")
    pattern = id_pattern("recommendation", found, "REC-AB")
    assert pattern.folder == "records/recommendations/AB"
    assert schema_line("recommendation", "records/recommendations/AB/REC-AB-3.yaml") == (
        "# yaml-language-server: $schema=../../../schemas/recommendation.schema.json"
    )


# --- trace new through the command line -------------------------------------------------------

def test_new_action_with_every_required_field(repo):
    result = run(repo.root, "new", "action", "--prefix", "ACT-BP", "--title", "Relaunch the guidance",
                 "--owner", "Protecting Babies Steering Group", "--status", "not-started", "--target", "2023-03",
                 "--addresses", "REC-1", "--aims", "AIM-1", "--document", "Business plan 2022",
                 "--section", "Table 2, row 4")
    assert result.exit_code == 0, result.output
    assert result.output == "Created records/actions/ACT-BP-10.yaml (ACT-BP-10).\n"
    assert (repo.root / "records/actions/ACT-BP-10.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/action.schema.json\n"
        "id: ACT-BP-10\n"
        "title: Relaunch the guidance\n"
        "owner: Protecting Babies Steering Group\n"
        "status: not-started\n"
        'target: "2023-03"\n'
        "addresses: [REC-1]\n"
        "aims: [AIM-1]\n"
        "provenance:\n"
        "  - document: Business plan 2022\n"
        "    section: Table 2, row 4\n"
    )
    assert run(repo.root, "validate").exit_code == 0


def test_new_without_prefix_follows_the_most_used_pattern(repo):
    result = run(repo.root, "new", "action", "--title", "x", "--owner", "y", "--status", "unknown", "--target", "tba")
    assert result.output == "Created records/actions/ACT-BP-10.yaml (ACT-BP-10).\n"


def test_new_with_a_chosen_id(repo):
    result = run(repo.root, "new", "aim", "--id", "AIM-SLEEP", "--title", "Safer sleeping", "--status", "active")
    assert result.output == "Created records/aims/AIM-SLEEP.yaml (AIM-SLEEP).\n"
    assert (repo.root / "records/aims/AIM-SLEEP.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/aim.schema.json\n"
        "id: AIM-SLEEP\ntitle: Safer sleeping\nstatus: active\n"
    )


def test_new_long_text_is_folded_like_the_records(repo):
    text = ("Partners should make sure that every professional who visits a family with a new baby talks about "
            "safer sleeping and checks where the baby sleeps.")
    result = run(repo.root, "new", "recommendation", "--source", "SRC-1", "--text", text, "--aims", "all",
                 "--status", "open", "--ref", "35")
    assert result.exit_code == 0, result.output
    assert (repo.root / "records/recommendations/REC-2.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/recommendation.schema.json\n"
        "id: REC-2\n"
        "source: SRC-1\n"
        "text: >-\n"
        "  Partners should make sure that every professional who visits a family with a new baby talks about\n"
        "  safer sleeping and checks where the baby sleeps.\n"
        "aims: all\n"
        "status: open\n"
        'ref: "35"\n'
    )
    assert run(repo.root, "validate").exit_code == 0


def test_missing_required_fields_are_a_usage_error_listing_them(repo):
    result = run(repo.root, "new", "action", "--title", "x")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: an action needs --owner, --status, --target; give them as options "
        "(or run trace new in a terminal to be asked for them)"
    )
    assert repo.git("status", "--porcelain") == ""


def test_a_field_the_kind_does_not_have_is_a_usage_error(repo):
    result = run(repo.root, "new", "aim", "--title", "x", "--status", "active", "--owner", "y")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: an aim has no field 'owner', so --owner cannot be used with it"


def test_document_needs_section(repo):
    result = run(repo.root, "new", "aim", "--title", "x", "--status", "active", "--document", "Strategy")
    assert result.exit_code == 2
    assert "give both --document and --section" in result.output


def test_an_invalid_value_is_refused_and_nothing_is_created(repo):
    result = run(repo.root, "new", "action", "--title", "x", "--owner", "y", "--status", "finished", "--target", "soon")
    assert result.exit_code == 2
    assert result.output == (
        "Error: nothing was created, because:\n"
        "  --status: status 'finished' is not one of: not-started, in-progress, complete, dropped, unknown\n"
        "  --target: the target 'soon' cannot be read; write it as a month (Dec 2021), a range (Dec 21 – Jun 22), "
        "a quarter (Q3 2022), a day (31/03/2022), Ongoing or TBA\n"
    )
    assert repo.git("status", "--porcelain", "--ignored") == ""


def test_a_link_to_the_wrong_kind_is_refused(repo):
    result = run(repo.root, "new", "evidence", "--title", "Slides", "--supports", "REC-1", "--date", "2022-02")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "records/evidence/EV-2.yaml:4:12: 'supports' should list actions or outcomes, but 'REC-1' is "
        "a recommendation (records/recommendations/REC-1.yaml)"
    )
    assert repo.git("status", "--porcelain", "--ignored") == ""


def test_an_id_in_use_is_refused(repo):
    result = run(repo.root, "new", "aim", "--id", "AIM-1", "--title", "x", "--status", "active")
    assert result.exit_code == 2
    assert result.output == "Error: records/aims/AIM-1.yaml already exists; nothing was written\n"


def test_in_a_terminal_missing_fields_are_asked_for_with_choices(repo, monkeypatch):
    monkeypatch.setattr(cli_edit, "_interactive", lambda: True)
    result = CliRunner().invoke(cli, ["--root", str(repo.root), "new", "action", "--title", "Relaunch"],
                                input="Health Visiting\ndone\ncomplete\n2023-Q1\n")
    assert result.exit_code == 0, result.output
    assert "status (not-started, in-progress, complete, dropped, unknown):" in result.output
    # "done" is read as the spreadsheet import reads it; "complete" is then no target, so the target is asked again
    assert "Error: the target 'complete' cannot be read; write it as a month (Dec 2021)" in result.output
    assert result.output.splitlines()[-2:] == ["status: done → complete",
                                               "Created records/actions/ACT-BP-10.yaml (ACT-BP-10)."]
    text = (repo.root / "records/actions/ACT-BP-10.yaml").read_text()
    assert "owner: Health Visiting\nstatus: complete\ntarget: \"2023-Q1\"\n" in text


# --- ids that follow their source (issue 14, point 5) -----------------------------------------

def _review_records() -> dict[str, str | None]:
    """Two reviews: SRC-AB with nine recommendations REC-AB-1..9 (refs 10..18), and SRC-LDS19 with none yet."""
    files: dict[str, str | None] = dict(VALID_RECORDS)
    files["records/sources/SRC-AB.yaml"] = "id: SRC-AB\nref: AB\ntitle: Review AB\ntype: local-review\npublished: '2022'\n"
    files["records/sources/SRC-LDS19.yaml"] = ("id: SRC-LDS19\ntitle: Child Safeguarding Practice Review LDS19\n"
                                               "type: local-review\npublished: '2021'\n")
    for number in range(1, 10):
        files[f"records/recommendations/REC-AB-{number}.yaml"] = (
            f"id: REC-AB-{number}\nref: '{number + 9}'\nsource: SRC-AB\ntext: Recommendation {number}.\n"
            "aims: [AIM-1]\nstatus: open\n")
    return files


@pytest.fixture
def reviews(tmp_path: Path) -> GitRepoBuilder:
    builder = GitRepoBuilder(tmp_path / "reviews")
    builder.commit("Records", "2022-01-10T09:00:00", _review_records())
    return builder


NEW_REC = ("new", "recommendation", "--text", "Review the pre-birth protocol.", "--aims", "AIM-1", "--status", "open")


def test_a_new_recommendation_takes_its_own_sources_prefix_not_the_folders_most_used(reviews):
    result = run(reviews.root, *NEW_REC, "--source", "SRC-LDS19")
    assert result.exit_code == 0, result.output
    assert result.output == "Created records/recommendations/REC-LDS19-1.yaml (REC-LDS19-1).\n"


def test_a_new_recommendation_continues_its_sources_numbering(reviews):
    result = run(reviews.root, *NEW_REC, "--source", "SRC-AB", "--ref", "19")
    assert result.output == "Created records/recommendations/REC-AB-10.yaml (REC-AB-10).\n"


def test_a_first_recommendation_uses_the_sources_ref(reviews):
    reviews.write({"records/sources/SRC-X.yaml": "id: SRC-X\nref: DDSCP\ntitle: X\ntype: audit\npublished: '2023'\n"})
    result = run(reviews.root, *NEW_REC, "--source", "SRC-X")
    assert result.output == "Created records/recommendations/REC-DDSCP-1.yaml (REC-DDSCP-1).\n"


def test_a_ref_the_source_already_uses_is_refused(reviews):
    result = run(reviews.root, *NEW_REC, "--source", "SRC-AB", "--ref", "18")
    assert result.exit_code == 2
    assert result.output == (
        "Error: SRC-AB already has a recommendation with ref 18 (REC-AB-9, records/recommendations/REC-AB-9.yaml); "
        "check the number in the source, or change REC-AB-9 with: trace set REC-AB-9 text \"...\"\n")
    assert not (reviews.root / "records/recommendations/REC-AB-10.yaml").exists()


def test_the_same_ref_in_another_source_is_fine(reviews):
    result = run(reviews.root, *NEW_REC, "--source", "SRC-LDS19", "--ref", "18")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("title", "expected"), [
    ("Derby and Derbyshire Safeguarding Children Partnership: Child Safeguarding Practice Review LDS19", "SRC-LDS19-2"),
    ("Norfolk Serious Case Review: XY", "SRC-XY"),
    ("Safer sleeping thematic review 2023", "SRC-SSTR23"),
])
def test_a_new_source_gets_an_id_from_its_title(reviews, title, expected):
    result = run(reviews.root, "new", "source", "--title", title, "--type", "local-review", "--published", "2023")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"id: {expected} (from the title; give --id to choose another)",
        f"Created records/sources/{expected}.yaml ({expected}).",
    ]
