"""trace set, link, unlink and rename through the command line, on records in a temporary git repository."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, run
from gitrepo import GitRepoBuilder

from learntrace import atomic, journal, roundtrip

# An action written the way people write them: comments, quotes, folded text, flow and block lists.
COMMENTED_ACTION = """\
# yaml-language-server: $schema=../../schemas/action.schema.json
# Agreed at the steering group, March 2022.
id: ACT-1
title: "Relaunch the guidance"   # the plan's wording
objective: >-
  Safer sleeping: every professional who visits a family with a baby gives the same safer sleeping
  advice, and checks where the baby sleeps
owner: 'Steering Group'
status: in-progress  # RAG amber at the June meeting
target: "2022-01..2022-06"
# Links checked by the business unit
addresses: [REC-1]
aims: [AIM-1]
outcomes:
  - OUT-1  # the only outcome so far
"""


@pytest.fixture
def repo(tmp_path: Path) -> GitRepoBuilder:
    """The valid record set (with the commented action) committed in a git repository."""
    builder = GitRepoBuilder(tmp_path / "repo")
    files: dict[str, str | None] = dict(VALID_RECORDS)
    files["records/actions/ACT-1.yaml"] = COMMENTED_ACTION
    files["records/aims/AIM-2.yaml"] = "id: AIM-2\ntitle: Bruising\nstatus: active\n"
    builder.commit("Records", "2022-01-10T09:00:00", files)
    return builder


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under records/ (hidden ones too, so a leftover temporary file shows)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "records").rglob("*")) if p.is_file()}


def action(root: Path) -> str:
    return (root / "records/actions/ACT-1.yaml").read_text(encoding="utf-8")


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=False) if a != b]


# --- trace set --------------------------------------------------------------------------------

def test_set_changes_one_line_and_keeps_comments_order_and_quotes(repo):
    result = run(repo.root, "set", "ACT-1", "status", "complete")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Set status of ACT-1 to complete (was in-progress) in records/actions/ACT-1.yaml.\n"
    )
    assert changed_lines(COMMENTED_ACTION, action(repo.root)) == [
        ("status: in-progress  # RAG amber at the June meeting",
         "status: complete     # RAG amber at the June meeting"),
    ]


def test_set_keeps_the_quotes_of_the_value_it_replaces(repo):
    assert run(repo.root, "set", "ACT-1", "owner", "Health Visiting").exit_code == 0
    assert run(repo.root, "set", "ACT-1", "title", "Relaunch the safer sleeping guidance").exit_code == 0
    assert changed_lines(COMMENTED_ACTION, action(repo.root)) == [
        ('title: "Relaunch the guidance"   # the plan\'s wording',
         'title: "Relaunch the safer sleeping guidance" # the plan\'s wording'),  # the comment moves only as needed
        ("owner: 'Steering Group'", "owner: 'Health Visiting'"),
    ]


def test_set_writes_a_date_in_quotes(repo):
    repo.write({"records/actions/ACT-1.yaml": COMMENTED_ACTION.replace('target: "2022-01..2022-06"', "target: tba")})
    assert run(repo.root, "set", "ACT-1", "target", "2023-03").exit_code == 0
    assert 'target: "2023-03"\n' in action(repo.root)


def test_set_long_folded_text_stays_folded(repo):
    text = ("Safer sleeping: every professional who visits a family with a baby gives the same advice, "
            "checks where the baby sleeps, and records it")
    assert run(repo.root, "set", "ACT-1", "objective", text).exit_code == 0
    assert (
        "objective: >-\n"
        "  Safer sleeping: every professional who visits a family with a baby gives the same advice, checks\n"
        "  where the baby sleeps, and records it\n"
        "owner: 'Steering Group'\n"
    ) in action(repo.root)


@pytest.mark.parametrize("value", ["AIM-1,AIM-2", "[AIM-1, AIM-2]", " AIM-1 , AIM-2 "])
def test_set_list_accepts_commas_or_brackets_and_stays_a_flow_list(repo, value):
    assert run(repo.root, "set", "ACT-1", "aims", value).exit_code == 0
    assert changed_lines(COMMENTED_ACTION, action(repo.root)) == [("aims: [AIM-1]", "aims: [AIM-1, AIM-2]")]


def test_set_block_list_stays_a_block_list(repo):
    assert run(repo.root, "set", "ACT-1", "outcomes", "[]").exit_code == 0
    assert action(repo.root).endswith("aims: [AIM-1]\noutcomes: []\n")


def test_set_new_field_goes_where_the_schema_puts_it(repo):
    result = run(repo.root, "set", "ACT-1", "rag", "amber")
    assert result.output == "Set rag of ACT-1 to amber (was (not set)) in records/actions/ACT-1.yaml.\n"
    assert action(repo.root).endswith(
        "outcomes:\n  - OUT-1  # the only outcome so far\nrag: amber\n"
    )


def test_invalid_value_is_refused_and_the_file_is_byte_identical(repo):
    before = snapshot(repo.root)
    result = run(repo.root, "set", "ACT-1", "status", "finished")
    assert result.exit_code == 2
    assert result.output == ("Error: status 'finished' is not one of: not-started, in-progress, complete, dropped, "
                             "unknown; nothing was changed\n")
    assert snapshot(repo.root) == before
    assert repo.git("status", "--porcelain") == ""


def test_impossible_target_date_is_refused(repo):
    before = snapshot(repo.root)
    result = run(repo.root, "set", "ACT-1", "target", "2022-02-30")
    assert result.exit_code == 2
    assert result.output == ("Error: the target '2022-02-30' cannot be read: '2022-02-30' is not a real date: February "
                             "2022 has 28 days; nothing was changed\n")
    assert snapshot(repo.root) == before


def test_unknown_id_exits_2_and_suggests(repo):
    before = snapshot(repo.root)
    result = run(repo.root, "set", "ACT-2", "status", "complete")
    assert result.exit_code == 2
    assert result.output == "Error: there is no record with the id 'ACT-2'; did you mean ACT-1?\n"
    assert snapshot(repo.root) == before


def test_unknown_field_exits_2_and_suggests(repo):
    result = run(repo.root, "set", "ACT-1", "stauts", "complete")
    assert result.exit_code == 2
    assert result.output == "Error: an action has no field 'stauts'; did you mean 'status'?\n"


def test_set_id_points_to_rename(repo):
    result = run(repo.root, "set", "ACT-1", "id", "ACT-2")
    assert result.exit_code == 2
    assert result.output == (
        "Error: to change an id, use: trace rename ACT-1 NEW-ID (it also rewrites every link to it)\n"
    )


def test_set_without_value_is_a_usage_error(repo):
    result = run(repo.root, "set", "ACT-1", "notes")
    assert result.exit_code == 2
    assert "give the new VALUE, or --remove to delete the field" in result.output


def test_set_empty_text_is_refused(repo):
    result = run(repo.root, "set", "ACT-1", "title", "")
    assert result.exit_code == 2
    assert result.output == "Error: give 'title' a value, or use --remove to delete the field\n"


def test_list_of_fields_cannot_be_set(repo):
    result = run(repo.root, "set", "ACT-1", "provenance", "x")
    assert result.exit_code == 2
    assert result.output == (
        "Error: 'provenance' holds a list of fields, which trace set cannot write; edit the file itself\n"
    )


def test_remove_optional_field(repo):
    result = run(repo.root, "set", "ACT-1", "objective", "--remove")
    assert result.exit_code == 0
    assert result.output == "Removed objective from ACT-1 (records/actions/ACT-1.yaml).\n"
    text = action(repo.root)
    assert "objective" not in text and "Safer sleeping" not in text
    assert "title: \"Relaunch the guidance\"   # the plan's wording\nowner: 'Steering Group'\n" in text


def test_removing_a_required_field_is_refused(repo):
    before = snapshot(repo.root)
    result = run(repo.root, "set", "ACT-1", "owner", "--remove")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "records/actions/ACT-1.yaml:3:1: is missing the required field 'owner' (an action must have it)",
        "Nothing written: the change would add 1 problem(s), shown above; no file was changed.",
    ]
    assert snapshot(repo.root) == before


def test_same_value_writes_nothing(repo):
    result = run(repo.root, "set", "ACT-1", "status", "in-progress")
    assert result.exit_code == 0
    assert result.output == "ACT-1's status is already in-progress; nothing to change.\n"
    assert repo.git("status", "--porcelain") == ""


def test_existing_problem_elsewhere_does_not_block_an_unrelated_edit(repo):
    repo.write({"records/aims/AIM-2.yaml": "id: AIM-2\ntitle: Bruising\nstatus: paused\n"})
    result = run(repo.root, "set", "ACT-1", "status", "complete")
    assert result.exit_code == 0, result.output
    assert "status: complete" in action(repo.root)


def test_existing_problem_in_the_same_file_does_not_block_a_fix_of_another_field(repo):
    repo.write({"records/aims/AIM-2.yaml": "id: AIM-2\ntitle: Bruising\nstatus: paused\nref: ''\n"})
    result = run(repo.root, "set", "AIM-2", "status", "active")
    assert result.exit_code == 0, result.output
    fixed = (repo.root / "records/aims/AIM-2.yaml").read_text()
    assert fixed == "id: AIM-2\ntitle: Bruising\nstatus: active\nref: ''\n"


def test_windows_line_endings_and_bom_are_kept(repo):
    crlf = b"\xef\xbb\xbf" + COMMENTED_ACTION.replace("\n", "\r\n").encode()
    (repo.root / "records/actions/ACT-1.yaml").write_bytes(crlf)
    assert run(repo.root, "set", "ACT-1", "status", "complete").exit_code == 0
    after = (repo.root / "records/actions/ACT-1.yaml").read_bytes()
    assert after == crlf.replace(b"status: in-progress  #", b"status: complete     #")


def test_edits_refuse_at(repo):
    result = run(repo.root, "--at", "HEAD", "set", "ACT-1", "status", "complete")
    assert result.exit_code == 2
    assert "leave --at out" in result.output


# --- trace link / unlink ------------------------------------------------------------------------

def test_link_adds_to_the_flow_list(repo):
    repo.write({"records/recommendations/REC-2.yaml":
                "id: REC-2\nsource: SRC-1\ntext: x\naims: [AIM-1]\nstatus: open\n"})
    result = run(repo.root, "link", "ACT-1", "--addresses", "REC-2", "--aims", "AIM-2")
    assert result.exit_code == 0, result.output
    assert result.output == "Linked ACT-1: addresses +REC-2; aims +AIM-2 (records/actions/ACT-1.yaml).\n"
    assert changed_lines(COMMENTED_ACTION, action(repo.root)) == [
        ("addresses: [REC-1]", "addresses: [REC-1, REC-2]"),
        ("aims: [AIM-1]", "aims: [AIM-1, AIM-2]"),
    ]


def test_link_adds_to_a_block_list_as_a_new_item(repo):
    repo.write({"records/outcomes/OUT-2.yaml": "id: OUT-2\ntitle: Fewer injuries\n"})
    assert run(repo.root, "link", "ACT-1", "--outcomes", "OUT-2").exit_code == 0
    assert action(repo.root).endswith("outcomes:\n  - OUT-1  # the only outcome so far\n  - OUT-2\n")


def test_link_creates_a_missing_link_field_in_schema_order(repo):
    repo.write({"records/evidence/EV-1.yaml": "id: EV-1\ntitle: Slides\ndate: \"2022-02\"\nsupports: []\n"})
    assert run(repo.root, "link", "EV-1", "--supports", "ACT-1").exit_code == 0
    assert (repo.root / "records/evidence/EV-1.yaml").read_text() == (
        "id: EV-1\ntitle: Slides\ndate: \"2022-02\"\nsupports: [ACT-1]\n"
    )


def test_link_already_there_changes_nothing(repo):
    result = run(repo.root, "link", "ACT-1", "--addresses", "REC-1")
    assert result.exit_code == 0
    assert result.output == "ACT-1 already links to all of these; nothing to change.\n"
    assert repo.git("status", "--porcelain") == ""


def test_link_to_the_wrong_kind_is_refused_and_the_file_is_byte_identical(repo):
    before = snapshot(repo.root)
    result = run(repo.root, "link", "ACT-1", "--addresses", "AIM-2")
    assert result.exit_code == 1
    assert result.output == (
        "records/actions/ACT-1.yaml:12:20: 'addresses' should list recommendations, but 'AIM-2' is an aim "
        "(records/aims/AIM-2.yaml)\n"
        "Nothing written: the change would add 1 problem(s), shown above; no file was changed.\n"
    )
    assert snapshot(repo.root) == before


def test_link_to_an_unknown_id_is_refused_with_a_suggestion(repo):
    before = snapshot(repo.root)
    result = run(repo.root, "link", "ACT-1", "--aims", "AIM-3")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "records/actions/ACT-1.yaml:13:15: 'aims' links to 'AIM-3', but there is no record with that id; "
        "did you mean 'AIM-2'?"
    )
    assert snapshot(repo.root) == before


def test_link_option_the_kind_does_not_have_exits_2(repo):
    result = run(repo.root, "link", "ACT-1", "--supports", "EV-1")
    assert result.exit_code == 2
    assert result.output == (
        "Error: an action has no 'supports' links; its link options are: --addresses, --aims, --outcomes\n"
    )


def test_link_needs_something_to_link(repo):
    result = run(repo.root, "link", "ACT-1")
    assert result.exit_code == 2
    assert "say what to link, for example --addresses REC-AB-1" in result.output


def test_link_to_a_recommendation_with_all_aims_says_how_to_list_them(repo):
    repo.write({"records/recommendations/REC-1.yaml": VALID_RECORDS["records/recommendations/REC-1.yaml"]
                .replace("aims: [AIM-1]", "aims: all")})
    result = run(repo.root, "link", "REC-1", "--aims", "AIM-2")
    assert result.exit_code == 2
    assert result.output == (
        "Error: REC-1's aims is 'all', not a list; to list ids instead use: trace set REC-1 aims \"AIM-2\"\n"
    )


def test_unlink_removes_one_id_and_keeps_the_rest(repo):
    assert run(repo.root, "set", "ACT-1", "aims", "AIM-1,AIM-2").exit_code == 0
    result = run(repo.root, "unlink", "ACT-1", "--aims", "AIM-1")
    assert result.exit_code == 0
    assert result.output == "Unlinked ACT-1: aims -AIM-1 (records/actions/ACT-1.yaml).\n"
    assert changed_lines(COMMENTED_ACTION, action(repo.root)) == [("aims: [AIM-1]", "aims: [AIM-2]")]


def test_unlink_the_last_item_leaves_an_empty_list(repo):
    result = run(repo.root, "unlink", "ACT-1", "--outcomes", "OUT-1")
    assert result.exit_code == 0
    assert action(repo.root).endswith("aims: [AIM-1]\noutcomes: []\n")


def test_unlink_what_is_not_linked_exits_2(repo):
    result = run(repo.root, "unlink", "ACT-1", "--addresses", "REC-9")
    assert result.exit_code == 2
    assert result.output == "Error: ACT-1's addresses do not include REC-9; they are: REC-1\n"


# --- trace rename -------------------------------------------------------------------------------

def test_rename_moves_the_file_and_rewrites_every_link(repo):
    result = run(repo.root, "rename", "REC-1", "REC-AB-1")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Renamed REC-1 to REC-AB-1: records/recommendations/REC-1.yaml is now "
        "records/recommendations/REC-AB-1.yaml; links rewritten in 1 file(s): records/actions/ACT-1.yaml.\n"
    )
    assert not (repo.root / "records/recommendations/REC-1.yaml").exists()
    assert (repo.root / "records/recommendations/REC-AB-1.yaml").read_text() == (
        textwrap.dedent(VALID_RECORDS["records/recommendations/REC-1.yaml"]).lstrip("\n")
        .replace("id: REC-1", "id: REC-AB-1")
    )
    assert changed_lines(COMMENTED_ACTION, action(repo.root)) == [("addresses: [REC-1]", "addresses: [REC-AB-1]")]
    assert run(repo.root, "validate").exit_code == 0


def test_rename_rewrites_single_id_and_block_list_links(repo):
    repo.write({"records/evidence/EV-2.yaml":
                "id: EV-2\ntitle: Audit\nsupports:\n  - OUT-1\n  - ACT-1  # main\ndate: \"2022\"\n"})
    assert run(repo.root, "rename", "SRC-1", "SRC-X").exit_code == 0
    assert "source: SRC-X\n" in (repo.root / "records/recommendations/REC-1.yaml").read_text()
    assert run(repo.root, "rename", "ACT-1", "ACT-BP-01").exit_code == 0
    assert (repo.root / "records/evidence/EV-2.yaml").read_text() == (
        # the comment keeps its column while the value leaves room for it
        "id: EV-2\ntitle: Audit\nsupports:\n  - OUT-1\n  - ACT-BP-01 # main\ndate: \"2022\"\n"
    )
    assert "supports: [ACT-BP-01]" in (repo.root / "records/evidence/EV-1.yaml").read_text()
    renamed = (repo.root / "records/actions/ACT-BP-01.yaml").read_text()
    assert renamed == COMMENTED_ACTION.replace("id: ACT-1", "id: ACT-BP-01")
    assert run(repo.root, "validate").exit_code == 0


def test_rename_to_an_id_in_use_is_refused(repo):
    before = snapshot(repo.root)
    result = run(repo.root, "rename", "AIM-2", "AIM-1")
    assert result.exit_code == 2
    assert result.output == "Error: the id 'AIM-1' is already used by records/aims/AIM-1.yaml; choose another\n"
    assert snapshot(repo.root) == before


def test_rename_to_something_that_is_not_an_id_is_refused(repo):
    result = run(repo.root, "rename", "AIM-2", "2 bad")
    assert result.exit_code == 2
    assert result.output == (
        "Error: '2 bad' is not an id: start with a letter, then letters, digits, dots, dashes or underscores\n"
    )


def test_rename_unknown_id_exits_2(repo):
    result = run(repo.root, "rename", "REC-2", "REC-3")
    assert result.exit_code == 2
    assert result.output == "Error: there is no record with the id 'REC-2'; did you mean REC-1?\n"


def test_rename_is_all_or_nothing_when_a_write_fails(repo, monkeypatch):
    before = snapshot(repo.root)
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the first file is already replaced: it must get its old contents back
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(journal.os, "replace", failing_replace)
    result = run(repo.root, "rename", "REC-1", "REC-AB-1")
    monkeypatch.setattr(journal.os, "replace", real_replace)
    assert result.exit_code == 2
    assert "Error: could not write" in result.output and "No space left on device; no file was changed" in result.output
    assert snapshot(repo.root) == before
    assert repo.git("status", "--porcelain", "--ignored") == ""


# --- the atomic write -------------------------------------------------------------------------

def test_write_atomically_keeps_the_mode_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "ACT-1.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    atomic.write_atomically(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in tmp_path.iterdir()] == ["ACT-1.yaml"]


def test_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "ACT-1.yaml"
    target.write_text("old\n")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomically(target, b"half")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ACT-1.yaml"]


def test_every_record_of_this_repository_round_trips_byte_identical():
    root = Path(__file__).resolve().parent.parent
    paths = sorted((root / "records").rglob("*.yaml"))
    assert paths
    for path in paths:
        content = path.read_bytes()
        document = roundtrip.Document(path.name, content)
        assert not document.relaid, path
        assert document.content() == content, path


def test_a_file_with_its_own_indentation_keeps_it(repo):
    own_layout = "id: AIM-2\ntitle: Bruising\nstatus: active\nprovenance:\n    -   document: Strategy\n        section: 2.1\n"
    repo.write({"records/aims/AIM-2.yaml": own_layout})
    result = run(repo.root, "set", "AIM-2", "status", "retired")
    assert result.output == "Set status of AIM-2 to retired (was active) in records/aims/AIM-2.yaml.\n"
    assert (repo.root / "records/aims/AIM-2.yaml").read_text() == own_layout.replace("active", "retired")


def test_link_fills_a_field_written_empty(repo):
    repo.write({"records/actions/ACT-1.yaml": COMMENTED_ACTION.replace("addresses: [REC-1]", "addresses:")})
    assert run(repo.root, "link", "ACT-1", "--addresses", "REC-1").exit_code == 0
    assert action(repo.root) == COMMENTED_ACTION


# --- long text, notes and provenance (issue 14, points 6 and 7) -----------------------------

PARAGRAPHS = ("NSCP should review and re-launch the guidance.\n\n"
              "Partner agencies should make sure staff know it, and check that their own policies agree with it.")


def test_text_of_several_paragraphs_is_written_as_a_block(repo):
    result = run(repo.root, "set", "REC-1", "text", PARAGRAPHS)
    assert result.exit_code == 0, result.output
    text = (repo.root / "records/recommendations/REC-1.yaml").read_text(encoding="utf-8")
    assert ("text: |-\n  NSCP should review and re-launch the guidance.\n\n  Partner agencies should make sure staff "
            "know it, and check that their own policies agree with it.\n") in text
    assert "\\n" not in text


def test_a_new_record_with_paragraphs_is_written_as_a_block(repo):
    result = run(repo.root, "new", "recommendation", "--source", "SRC-1", "--text", PARAGRAPHS, "--aims", "AIM-1",
                 "--status", "open")
    assert result.exit_code == 0, result.output
    text = (repo.root / "records/recommendations/REC-2.yaml").read_text(encoding="utf-8")
    assert "text: |-\n  NSCP should review and re-launch the guidance.\n\n  Partner agencies" in text


def test_notes_append_adds_a_dated_paragraph_and_keeps_the_old_notes(repo):
    today = dt.date.today().isoformat()
    first = run(repo.root, "set", "ACT-1", "notes", "--append", "Owner confirmed at the June meeting")
    assert first.exit_code == 0, first.output
    assert first.output == (f"Added to the notes of ACT-1 (records/actions/ACT-1.yaml): {today}: Owner confirmed at "
                            "the June meeting\n")
    assert action(repo.root).endswith(f'notes: "{today}: Owner confirmed at the June meeting"\n')
    second = run(repo.root, "set", "ACT-1", "notes", "--append", "Target moved to March")
    assert second.exit_code == 0, second.output
    assert action(repo.root).endswith(
        f"notes: |-\n  {today}: Owner confirmed at the June meeting\n\n  {today}: Target moved to March\n")
    assert "# Links checked by the business unit" in action(repo.root)  # the rest of the file as it was


def test_append_is_for_notes_only(repo):
    result = run(repo.root, "set", "ACT-1", "owner", "--append", "x")
    assert result.exit_code == 2
    assert "--append adds a dated paragraph to notes; to change owner, leave --append out" in result.output


def test_provenance_is_added_without_editing_yaml(repo):
    before = action(repo.root)
    result = run(repo.root, "provenance", "ACT-1", "--document", "Business plan 2022", "--section", "Table 2, row 4")
    assert result.exit_code == 0, result.output
    assert result.output == ("Added provenance to ACT-1 (records/actions/ACT-1.yaml): Business plan 2022, "
                             "Table 2, row 4.\n")
    assert action(repo.root) == before + ("provenance:\n  - document: Business plan 2022\n"
                                          "    section: Table 2, row 4\n")
    again = run(repo.root, "provenance", "ACT-1", "--document", "Minutes 2023", "--section", "Item 5")
    assert again.exit_code == 0, again.output
    assert action(repo.root).endswith("    section: Table 2, row 4\n  - document: Minutes 2023\n"
                                      "    section: Item 5\n")
    same = run(repo.root, "provenance", "ACT-1", "--document", "Minutes 2023", "--section", "Item 5")
    assert same.output == "ACT-1 already names Minutes 2023, Item 5 as its provenance; nothing to change.\n"


def test_provenance_needs_both_parts(repo):
    result = run(repo.root, "provenance", "ACT-1", "--document", "Business plan 2022")
    assert result.exit_code == 2
    assert "Missing option '--section'" in result.output
