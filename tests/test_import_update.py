"""trace import (xlsx and csv): updates by id, conflicts, duplicates, links by ref, every problem of every
row, CSV files as Excel saves them in any locale, and all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run
from sheets import PLAN_RECORDS, change_cells, new_workbook, plan_repo, record_files

from learntrace.schema import field_schemas

DECLINED_ROWS = "Nothing written: {} problem(s) above; fix them in the spreadsheet and run again."


@pytest.fixture
def repo(tmp_path: Path):
    return plan_repo(tmp_path / "repo")


@pytest.fixture
def exported(repo, tmp_path: Path) -> Path:
    out = tmp_path / "actions.xlsx"
    assert run(repo.root, "export", "xlsx", "--kind", "action", "--out", str(out)).exit_code == 0
    return out


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "plan.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _problems(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Problems: "))
    return [line.strip() for line in lines[start + 1:-1]]


# --- updates ---------------------------------------------------------------------------------------

def test_a_workbook_as_exported_changes_nothing(repo, exported):
    result = run(repo.root, "import", "xlsx", str(exported), "--write")
    assert result.exit_code == 0
    assert result.output.endswith("Unchanged: 3 row(s) already match their records.\n"
                                  "Nothing to change: every row matches its record.\n")
    assert repo.git("status", "--porcelain") == ""


def test_an_emptied_optional_cell_removes_the_field_and_a_new_value_adds_one(repo, exported):
    change_cells(exported, {("ACT-3", "rag"): None, ("ACT-2", "rag"): "A", ("ACT-2", "aims"): "AIM-1"})
    result = run(repo.root, "import", "xlsx", str(exported), "--write")
    assert result.exit_code == 0, result.output
    assert "  row 3  ACT-2: rag (not set) \u2192 amber ('A' read as amber)\n" in result.output
    assert "  row 4  ACT-3: rag green \u2192 (not set)\n" in result.output
    assert (repo.root / "records/actions/ACT-2.yaml").read_text() == (
        'id: ACT-2\ntitle: Audit of bruising protocol use\nowner: "Designated Nurse, CCG"\nstatus: not-started\n'
        "target: tba\naddresses: [REC-2]\naims: [AIM-1]\nrag: amber\n"
    )
    assert "rag" not in (repo.root / "records/actions/ACT-3.yaml").read_text()


def test_an_emptied_required_cell_is_a_problem(repo, exported):
    change_cells(exported, {("ACT-1", "owner"): None})
    result = run(repo.root, "import", "xlsx", str(exported), "--write")
    assert result.exit_code == 1
    assert _problems(result.output) == [
        "actions.xlsx row 2 (ACT-1), column 'owner': is empty, but every action needs its owner"]


def test_a_season_stays_a_season_and_keeps_the_wording_in_the_notes(repo, exported):
    change_cells(exported, {("ACT-1", "target"): "Spring \u2013 Summer 2023"})
    result = run(repo.root, "import", "xlsx", str(exported), "--write")
    assert result.exit_code == 0, result.output
    assert ("  row 2  ACT-1: target 2022-01..2022-06 \u2192 2023-spring..2023-summer ('Spring \u2013 Summer 2023' "
            "read as 2023-spring..2023-summer)\n"
            "  row 2  ACT-1: notes: added 'Target in the spreadsheet: 'Spring \u2013 Summer 2023' (read as "
            "2023-spring..2023-...'\n") in result.output
    text = (repo.root / "records/actions/ACT-1.yaml").read_text()
    assert text.endswith(
        "notes: >-\n"
        "  The steering group reported the relaunch as under way; the new leaflet was still being\n"
        "  printed. Target in the spreadsheet: 'Spring \u2013 Summer 2023' (read as 2023-spring..2023-summer:\n"
        "  spring = March to May, summer = June to August).\n"
    )


# --- conflicts -----------------------------------------------------------------------------------

def test_a_row_whose_record_changed_after_the_export_is_refused(repo, exported):
    repo.commit("ACT-2 started", "2022-07-01T09:00:00", {
        "records/actions/ACT-2.yaml": PLAN_RECORDS["records/actions/ACT-2.yaml"].replace("not-started", "in-progress")})
    change_cells(exported, {("ACT-2", "target"): "Mar 2023", ("ACT-1", "status"): "complete"})
    before = record_files(repo.root)
    result = run(repo.root, "import", "xlsx", str(exported), "--write")
    assert result.exit_code == 1
    assert _problems(result.output) == [
        "actions.xlsx row 3 (ACT-2): the record was changed after this workbook was exported (status is now "
        "'in-progress'); export again or change it by hand"]
    assert result.output.endswith(DECLINED_ROWS.format(1) + "\n")
    assert record_files(repo.root) == before  # ACT-1's change is not written either: all or nothing


def test_a_row_left_as_exported_never_undoes_a_later_change(repo, exported):
    repo.commit("ACT-2 started", "2022-07-01T09:00:00", {
        "records/actions/ACT-2.yaml": PLAN_RECORDS["records/actions/ACT-2.yaml"].replace("not-started", "in-progress")})
    change_cells(exported, {("ACT-1", "status"): "complete"})
    result = run(repo.root, "import", "xlsx", str(exported), "--write")
    assert result.exit_code == 0, result.output
    assert "ACT-2" not in result.output
    assert "status: in-progress" in (repo.root / "records/actions/ACT-2.yaml").read_text()


def test_a_file_without_fingerprints_imports_with_a_warning(repo, tmp_path):
    sheet = _csv(tmp_path, "id,status\nACT-2,In progress\n")
    result = run(repo.root, "import", "csv", str(sheet), "--write")
    assert result.exit_code == 0, result.output
    assert ("Warning: plan.csv has no fingerprints (trace did not export it), so a change made to the records since "
            "it was filled in cannot be detected: check each change below\n") in result.output
    assert "  row 2  ACT-2: status not-started \u2192 in-progress ('In progress' read as in-progress)\n" \
        in result.output


def test_a_changed_id_or_fingerprint_is_refused(repo, exported):
    change_cells(exported, {("ACT-1", "id"): "ACT-2", ("ACT-3", "fingerprint"): "made up"})
    result = run(repo.root, "import", "xlsx", str(exported))
    assert result.exit_code == 1
    assert _problems(result.output) == [
        "actions.xlsx row 2 (ACT-2), column 'id': this row was exported for another record, so its id must have "
        "been changed; ids cannot change in a spreadsheet (use trace rename), so put the id back",
        "actions.xlsx row 3 (ACT-2), column 'id': rows 2 and 3 both give ACT-2; keep one row per record",
        "actions.xlsx row 4 (ACT-3), column 'fingerprint': is not a fingerprint trace wrote; leave the fingerprint "
        "column as exported, or empty it",
    ]


# --- ids, duplicates, links ------------------------------------------------------------------------

def test_unknown_ids_repeated_ids_and_ids_of_another_kind(repo, tmp_path):
    sheet = _csv(tmp_path, "id,status\nACT-9,complete\nACT-1,complete\nACT-1,in-progress\nREC-1,complete\n")
    result = run(repo.root, "import", "csv", str(sheet), "--kind", "action")
    assert result.exit_code == 1
    assert _problems(result.output) == [
        "plan.csv row 2 (ACT-9), column 'id': there is no action ACT-9 in the records; leave the id empty to create "
        "a new action, or correct the id",
        "plan.csv row 4 (ACT-1), column 'id': rows 3 and 4 both give ACT-1; keep one row per record",
        "plan.csv row 5 (REC-1), column 'id': REC-1 is a recommendation, not an action; this file holds "
        "actions",
    ]


def test_a_new_row_matching_an_existing_title_is_a_duplicate(repo, tmp_path):
    sheet = _csv(tmp_path, "Action,Lead\nrelaunch the  Guidance!,Health Visiting\nNew leaflet,Health Visiting\n"
                           "New leaflet.,Public Health\n")
    result = run(repo.root, "import", "csv", str(sheet), "--write")
    assert result.exit_code == 1
    assert _problems(result.output) == [
        "plan.csv row 2: its title matches ACT-1; to update ACT-1, put its id in the id column; if this is a "
        "different action, run again with --allow-duplicates",
        "plan.csv row 4: its title matches row 3; keep one row per action, or run again with --allow-duplicates",
    ]
    result = run(repo.root, "import", "csv", str(sheet), "--allow-duplicates", "--write")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Wrote 3 file(s) (0 changed, 3 new):\n  records/actions/ACT-4.yaml\n"
                                  "  records/actions/ACT-5.yaml\n  records/actions/ACT-6.yaml\n")


def test_importing_the_same_plan_twice_creates_nothing_the_second_time(repo, tmp_path):
    sheet = _csv(tmp_path, "Action,Lead,Target Date\nNew leaflet,Health Visiting,Dec 2022\n")
    assert run(repo.root, "import", "csv", str(sheet), "--write").exit_code == 0
    result = run(repo.root, "import", "csv", str(sheet), "--write")
    assert result.exit_code == 1
    assert _problems(result.output) == [
        "plan.csv row 2: its title matches ACT-4; to update ACT-4, put its id in the id column; if this is a "
        "different action, run again with --allow-duplicates"]


def test_recommendation_duplicates_need_the_same_source_and_text(repo, tmp_path):
    sheet = _csv(tmp_path, "Review,Recommendation,Aims,Status\nSRC-1,Relaunch the Safer Sleeping guidance,AIM-1,"
                           "open\nSRC-2,Relaunch the safer sleeping guidance.,AIM-1,open\n")
    result = run(repo.root, "import", "csv", str(sheet), "--kind", "recommendation")
    assert result.exit_code == 1
    assert _problems(result.output) == [
        "plan.csv row 2: its source and text match REC-1; to update REC-1, put its id in the id column; if this is a "
        "different recommendation, run again with --allow-duplicates"]


def test_link_cells_name_recommendations_by_their_ref(repo, tmp_path):
    sheet = _csv(tmp_path, "Action,Lead,Recommendation\nNew leaflet,Health Visiting,Rec 9.2\n"
                           "Audit again,Health Visiting,9.2; Recommendation 3\nICON,Health Visiting,Rec 3\n"
                           "Other,Health Visiting,Rec 7\n")
    result = run(repo.root, "import", "csv", str(sheet))
    assert result.exit_code == 1
    assert "    column 'Recommendation': 'Rec 9.2' read as REC-1 (row 2)\n" in result.output
    assert "    column 'Recommendation': '9.2' read as REC-1, 'Recommendation 3' read as REC-2 (row 3)\n" \
           in result.output  # REC-1 in the same cell says which source's ref 3 is meant
    assert _problems(result.output) == [
        "plan.csv row 4, column 'Recommendation': 'Rec 3' could be any of REC-2 (SRC-1), REC-3 (SRC-2); write the id "
        "of the one meant",
        "plan.csv row 5, column 'Recommendation': 'Rec 7' names no recommendation: none has the ref 7; write the "
        "recommendation's id instead, such as REC-AB-1",
    ]


def test_an_update_reads_a_ref_among_the_sources_the_action_already_answers(repo, tmp_path):
    sheet = _csv(tmp_path, "id,addresses\nACT-3,REC-3; Rec 3\n")
    result = run(repo.root, "import", "csv", str(sheet), "--write")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Unchanged: 1 row(s) already match their records.\n"
                                  "Nothing to change: every row matches its record.\n")
    sheet = _csv(tmp_path, "id,addresses\nACT-3,REC-3; Rec 9.2\n")  # only one source has a ref 9.2
    result = run(repo.root, "import", "csv", str(sheet), "--write")
    assert result.exit_code == 0, result.output
    assert "  row 2  ACT-3: addresses [REC-3] \u2192 [REC-3, REC-1] ('Rec 9.2' read as REC-1)\n" in result.output
    assert "addresses: [REC-3, REC-1]\n" in (repo.root / "records/actions/ACT-3.yaml").read_text()


def test_a_row_that_would_make_the_records_invalid_is_located_in_the_spreadsheet(repo, exported):
    change_cells(exported, {("ACT-1", "addresses"): "REC-1; REC-99", ("ACT-2", "aims"): "AIM-1, OUT-1"})
    before = record_files(repo.root)
    result = run(repo.root, "import", "xlsx", str(exported), "--write")
    assert result.exit_code == 1
    assert _problems(result.output) == [
        "actions.xlsx row 2 (ACT-1), column 'addresses': 'addresses' links to 'REC-99', but there is no record with "
        "that id; did you mean 'REC-3'?",
        "actions.xlsx row 3 (ACT-2), column 'aims': 'aims' links to 'OUT-1', but there is no record with that id; it "
        "should name existing aims",
    ]
    assert record_files(repo.root) == before


def test_every_problem_of_every_row_is_listed(repo, tmp_path):
    sheet = _csv(tmp_path, "id,status,rag,target\nACT-1,finishd,Blue,Next year\nACT-2,done,purple,\n")
    result = run(repo.root, "import", "csv", str(sheet))
    assert result.exit_code == 1
    assert _problems(result.output) == [
        "plan.csv row 2 (ACT-1), column 'status': 'finishd' is not a status; use one of not-started, in-progress, "
        "complete, dropped, unknown",
        "plan.csv row 2 (ACT-1), column 'rag': 'Blue' is not a RAG rating; use one of red, amber, green",
        "plan.csv row 2 (ACT-1), column 'target': the target 'Next year' cannot be read; write it as a month "
        "(Dec 2021), a range (Dec 21 \u2013 Jun 22), a quarter (Q3 2022), a day (31/03/2022), Ongoing or TBA",
        "plan.csv row 3 (ACT-2), column 'rag': 'purple' is not a RAG rating; use one of red, amber, green",
    ]


# --- CSV files as Excel saves them ----------------------------------------------------------------

@pytest.mark.parametrize("separator, encoding, described", [
    (";", "cp1252", "Windows-1252, columns separated by semicolons"),
    ("\t", "utf-8-sig", "UTF-8 with BOM, columns separated by tabs"),
    (",", "utf-16", "UTF-16, columns separated by commas"),
])
def test_csv_delimiter_and_encoding_are_found(repo, tmp_path, separator, encoding, described):
    text = separator.join(["ID", "Action", "Target Date", "Status"]) + "\r\n" + \
        separator.join(["ACT-2", "Audit of bruising protocol use", "Dec 22 \u2013 Mar 23", "Complete"]) + "\r\n"
    result = run(repo.root, "import", "csv", str(_csv(tmp_path, text, encoding)), "--write")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Read plan.csv: {described}"
    assert "  row 2  ACT-2: target tba \u2192 2022-12..2023-03 ('Dec 22 \u2013 Mar 23' read as 2022-12..2023-03)\n" \
           in result.output
    assert 'target: "2022-12..2023-03"' in (repo.root / "records/actions/ACT-2.yaml").read_text()


def test_an_exported_csv_round_trips_like_a_workbook(repo, tmp_path):
    out = tmp_path / "actions.csv"
    assert run(repo.root, "export", "csv", "--kind", "action", "--out", str(out)).exit_code == 0
    assert run(repo.root, "import", "csv", str(out)).output.endswith("Nothing to change: every row matches its "
                                                                      "record.\n")
    out.write_bytes(out.read_bytes().replace(b",not-started,", b",in-progress,"))
    result = run(repo.root, "import", "csv", str(out), "--write")
    assert result.exit_code == 0, result.output
    assert repo.git("diff", "--stat").strip().splitlines()[-1] == " 1 file changed, 1 insertion(+), 1 deletion(-)"


def test_a_header_with_no_known_column_says_what_it_found_and_what_it_expects(repo, tmp_path):
    result = run(repo.root, "import", "csv", str(_csv(tmp_path, "Ref No,Progress update\n1,Done\n")))
    assert result.exit_code == 2
    assert result.output == (
        "Error: plan.csv: the header (row 1) names no column trace knows. It has 'Ref No', 'Progress update'. trace "
        "expects the field names (for actions id, title, owner, status, target, rag, objective, addresses, aims, "
        "outcomes, notes; for recommendations id, source, ref, text, aims, status, notes) or the usual headings "
        "(Action, Lead, Target Date, RAG, Status, Objective, Strategic Aim, Recommendation, Comments)\n"
    )


def test_the_kind_is_read_from_the_header_unless_it_could_be_either(repo, tmp_path):
    result = run(repo.root, "import", "csv", str(_csv(tmp_path, "Review,Recommendation,Aims,Status\n")))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == ("Columns used: Review -> source, Recommendation -> text, Aims -> aims, "
                                             "Status -> status")
    result = run(repo.root, "import", "csv", str(_csv(tmp_path, "Status,Aims\nopen,AIM-1\n")))
    assert result.exit_code == 2
    assert result.output == ("Error: plan.csv: its headings could be actions or recommendations; say which with "
                             "--kind action or --kind recommendation\n")


# --- creating recommendations -----------------------------------------------------------------------

@pytest.mark.skipif("unknown" not in field_schemas("recommendation")["status"]["enum"],
                    reason="the recommendation schema has no status 'unknown' yet (the records branch adds it)")
def test_a_recommendation_row_with_no_status_is_unknown(repo, tmp_path):
    sheet = _csv(tmp_path, "Review,No.,Recommendation,Aims,Status\nSRC-2,4,Share the learning.,AIM-1,\n")
    result = run(repo.root, "import", "csv", str(sheet), "--write")
    assert result.exit_code == 0, result.output
    assert "status: unknown\n" in (repo.root / "records/recommendations/REC-4.yaml").read_text()


def test_a_workbook_made_by_hand_creates_records_with_their_row_as_provenance(repo, tmp_path):
    path = new_workbook(tmp_path / "plan.xlsx", [["Action", "Lead", "Target Date", "RAG"],
                                                 ["New leaflet", "Health Visiting", "Q1 2023", "Amber"]])
    result = run(repo.root, "import", "xlsx", str(path), "--write")
    assert result.exit_code == 0, result.output
    assert (repo.root / "records/actions/ACT-4.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/action.schema.json\n"
        'id: ACT-4\ntitle: New leaflet\nowner: Health Visiting\nstatus: unknown\ntarget: "2023-Q1"\nrag: amber\n'
        "provenance:\n  - document: plan.xlsx\n    section: row 2\n"
    )


def test_a_file_with_only_a_header_says_it_has_no_rows(repo, tmp_path):
    result = run(repo.root, "import", "csv", str(_csv(tmp_path, "id,status\n")), "--kind", "action")
    assert result.exit_code == 0
    assert result.output.endswith("Nothing to import: the file has no rows below its header.\n")


def test_a_file_that_is_not_text_names_itself(repo, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(b"\xff\xfe\x00\xd8")
    result = run(repo.root, "import", "csv", str(path))
    assert result.exit_code == 2
    assert result.output == "Error: plan.csv says it is UTF-16 text but is not; save it from the spreadsheet as CSV " \
                            "UTF-8\n"
