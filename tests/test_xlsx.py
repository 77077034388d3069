"""trace export xlsx and trace import xlsx, on real workbooks written and changed by openpyxl."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run
from openpyxl import load_workbook
from sheets import ACTION_HEADER, change_cells, new_workbook, plan_repo, record_files, sheet_rows

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def repo(tmp_path: Path):
    return plan_repo(tmp_path / "repo")


@pytest.fixture
def exported(repo, tmp_path: Path) -> Path:
    out = tmp_path / "actions.xlsx"
    result = run(repo.root, "export", "xlsx", "--kind", "action", "--out", str(out))
    assert result.output == f"Wrote 3 action(s) to {out}.\n"
    return out


# --- export ------------------------------------------------------------------------------------

def test_export_is_one_sheet_with_a_row_per_action_and_links_joined(exported):
    workbook = load_workbook(exported)
    assert workbook.sheetnames == ["actions"]
    rows = sheet_rows(exported)
    assert rows[0] == ACTION_HEADER
    assert rows[1][:13] == [
        "ACT-1", "Relaunch the guidance", "Health Visiting", "in-progress", "2022-01..2022-06", None, None, "REC-1",
        "AIM-1", None, "The steering group reported the relaunch as under way; the new leaflet was still being "
        "printed.", None, "records/actions/ACT-1.yaml",
    ]
    assert [row[0] for row in rows[1:4]] == ["ACT-1", "ACT-2", "ACT-3"]
    assert all(row[0] is None for row in rows[4:])  # spare rows keep the dropdowns, and hold nothing


def test_export_freezes_the_header_filters_and_offers_dropdowns(exported):
    sheet = load_workbook(exported)["actions"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N4"
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {"D2:D204": '"not-started,in-progress,complete,dropped,unknown"', "F2:F204": '"red,amber,green"'}
    rules = [(str(r.sqref), rule.formula, rule.dxf.fill.bgColor.rgb) for r in sheet.conditional_formatting
             for rule in r.rules]
    assert rules == [("F2:F204", ['"red"'], "00FFC7CE"), ("F2:F204", ['"amber"'], "00FFEB9C"),
                     ("F2:F204", ['"green"'], "00C6EFCE")]


def test_export_greys_the_id_hides_the_fingerprint_and_keeps_targets_as_text(exported):
    sheet = load_workbook(exported)["actions"]
    assert sheet["A2"].fill.fgColor.rgb == "00F2F2F2" and sheet["A2"].font.color.rgb == "00808080"
    assert sheet["B2"].fill.fgColor.rgb == "00000000"  # the columns people fill in stay white
    assert sheet.column_dimensions["N"].hidden
    assert not sheet.column_dimensions["B"].hidden
    assert sheet["E2"].number_format == "@" and sheet["E50"].number_format == "@"
    assert sheet["K2"].alignment.wrap_text
    assert 8 <= sheet.column_dimensions["C"].width <= 60
    assert sheet.column_dimensions["K"].width == 60  # the notes are long: the widest a column gets


def test_formula_like_text_is_written_as_text_and_reads_back_unchanged(repo, tmp_path):
    repo.commit("A title that looks like a formula", "2022-06-02T09:00:00", {
        "records/actions/ACT-4.yaml": "id: ACT-4\ntitle: \"=HYPERLINK(\\\"x\\\")\"\nowner: Health Visiting\n"
                                      "status: unknown\ntarget: tba\n"})
    out = tmp_path / "actions.xlsx"
    run(repo.root, "export", "xlsx", "--kind", "action", "--out", str(out))
    cell = load_workbook(out)["actions"]["B5"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")
    result = run(repo.root, "import", "xlsx", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Nothing to change: every row matches its record.\n")


def test_export_of_one_owner(repo, tmp_path):
    out = tmp_path / "hv.xlsx"
    result = run(repo.root, "export", "xlsx", "--kind", "action", "--owner", "health visiting", "--out", str(out))
    assert result.output == f"Wrote 2 action(s) to {out}.\n"
    assert [row[0] for row in sheet_rows(out)[1:3]] == ["ACT-1", "ACT-3"]
    result = run(repo.root, "export", "xlsx", "--kind", "action", "--owner", "Midwives", "--out", str(out))
    assert result.exit_code == 2
    assert "Invalid value for --owner: no action has the owner 'Midwives'; the owners are: Designated Nurse, CCG; " \
           "Health Visiting" in result.output


def test_split_by_owner_writes_one_workbook_per_owner_with_safe_names(repo, tmp_path):
    folder = tmp_path / "to-owners"
    result = run(repo.root, "export", "xlsx", "--kind", "action", "--split-by", "owner", "--out", str(folder))
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote 2 workbook(s), one per owner, to {folder}:\n"
        f"  {folder}/actions-designated-nurse-ccg.xlsx  Designated Nurse, CCG (1 action(s))\n"
        f"  {folder}/actions-health-visiting.xlsx  Health Visiting (2 action(s))\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["actions-designated-nurse-ccg.xlsx",
                                                        "actions-health-visiting.xlsx"]
    assert [row[0] for row in sheet_rows(folder / "actions-designated-nurse-ccg.xlsx")[1:3]] == ["ACT-2", None]
    # Each owner's workbook comes back on its own.
    change_cells(folder / "actions-health-visiting.xlsx", {("ACT-1", "status"): "complete"})
    result = run(repo.root, "import", "xlsx", str(folder / "actions-health-visiting.xlsx"), "--write")
    assert result.exit_code == 0, result.output
    assert "  row 2  ACT-1: status in-progress \u2192 complete\n" in result.output


def test_owner_options_are_for_actions_only(repo, tmp_path):
    result = run(repo.root, "export", "xlsx", "--kind", "recommendation", "--split-by", "owner", "--out",
                 str(tmp_path))
    assert result.exit_code == 2
    assert "--owner and --split-by are for actions: recommendations have no owner" in result.output


# --- the round trip --------------------------------------------------------------------------------

def test_round_trip_changes_only_the_lines_of_the_cells_changed(repo, exported):
    before = record_files(repo.root)
    change_cells(exported, {("ACT-1", "status"): "Complete", ("ACT-2", "target"): "Mar 2023"})
    preview = run(repo.root, "import", "xlsx", str(exported))
    assert preview.exit_code == 0
    assert preview.output == (
        "Read actions.xlsx: sheet 'actions'\n"
        "Columns used: id, title, owner, status, target, rag, objective, addresses, aims, outcomes, notes\n"
        "Columns trace fills in itself (not read): evidence, path\n"
        "Would change: 2 action(s)\n"
        "  row 2  ACT-1: status in-progress \u2192 complete ('Complete' read as complete)\n"
        "  row 3  ACT-2: target tba \u2192 2023-03 ('Mar 2023' read as 2023-03)\n"
        "Unchanged: 1 row(s) already match their records.\n"
        "Nothing written yet: run again with --write to make these changes.\n"
    )
    assert record_files(repo.root) == before
    written = run(repo.root, "import", "xlsx", str(exported), "--write")
    assert written.exit_code == 0, written.output
    assert written.output.endswith("Wrote 2 file(s) (2 changed, 0 new):\n  records/actions/ACT-1.yaml\n"
                                   "  records/actions/ACT-2.yaml\n")
    diff = repo.git("diff", "-U0", "--no-color")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        "-status: in-progress  # as reported in May",
        "+status: complete     # as reported in May",
        "-target: tba",
        '+target: "2023-03"',
    ]
    assert "# Agreed at the March board." in (repo.root / "records/actions/ACT-1.yaml").read_text()
    assert run(repo.root, "validate").output == "All good: 9 record(s), no problems.\n"
    again = run(repo.root, "import", "xlsx", str(exported))  # the same workbook again: its changes are in
    assert again.exit_code == 0
    assert again.output.endswith("Unchanged: 3 row(s) already match their records.\n"
                                 "Nothing to change: every row matches its record.\n")


# --- workbooks that cannot be read ---------------------------------------------------------------

def _refused(repo, path: Path, code: int) -> str:
    before = record_files(repo.root)
    result = run(repo.root, "import", "xlsx", str(path), "--write")
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert record_files(repo.root) == before
    return result.output


def test_a_csv_renamed_to_xlsx_is_not_a_workbook(repo, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("id,status\nACT-1,complete\n", encoding="utf-8")
    assert _refused(repo, path, 2) == (
        "Error: plan.xlsx is not an Excel workbook (.xlsx); it looks like text, so if it is a CSV file use trace "
        "import csv\n"
    )


def test_a_damaged_workbook_says_so(repo, exported, tmp_path):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(exported.read_bytes()[:3000])
    assert _refused(repo, path, 2) == (
        "Error: cut.xlsx is damaged or not an Excel workbook (.xlsx); open it in Excel and save it again\n"
    )


def test_a_password_protected_workbook_says_how_to_remove_the_password(repo):
    # Made with msoffcrypto-tool from a workbook openpyxl wrote (password "secret"): Excel's own encryption.
    assert _refused(repo, FIXTURES / "password_protected.xlsx", 2) == (
        "Error: password_protected.xlsx is password-protected, so trace cannot read it; open it in Excel, remove "
        "the password (File, Info, Protect Workbook, Encrypt with Password) and save it again\n"
    )


def test_merged_header_cells_are_located(repo, tmp_path):
    path = new_workbook(tmp_path / "plan.xlsx", [["id", "status", None], ["ACT-1", "complete", "x"]])
    workbook = load_workbook(path)
    workbook.active.merge_cells("B1:C1")
    workbook.save(path)
    assert _refused(repo, path, 1).splitlines()[-3:] == [
        "Problems: 1",
        "  plan.xlsx row 1: the header cells B1:C1 are merged; unmerge them (Home, Merge & Center) so that each "
        "column has its own heading",
        "Nothing written: 1 problem(s) above; fix them in the spreadsheet and run again.",
    ]


def test_two_sheets_of_records_are_refused(repo, exported):
    workbook = load_workbook(exported)
    copy = workbook.copy_worksheet(workbook["actions"])
    copy.title = "actions (2)"
    workbook.create_sheet("Notes").append(["Sent to owners on 1 March"])
    workbook.save(exported)
    assert _refused(repo, exported, 1).splitlines()[-3:] == [
        "Problems: 1",
        "  actions.xlsx: the workbook has 2 sheets of records ('actions', 'actions (2)'); trace reads one sheet per "
        "workbook: move the others into workbooks of their own, then import each",
        "Nothing written: 1 problem(s) above; fix them in the spreadsheet and run again.",
    ]


def test_formulas_dates_and_date_numbers_are_located_problems(repo, exported):
    change_cells(exported, {("ACT-1", "target"): dt.datetime(2023, 3, 1), ("ACT-1", "title"): "=B3&\" too\"",
                            ("ACT-2", "target"): 44651, ("ACT-3", "status"): "finishd"})
    assert _refused(repo, exported, 1).splitlines()[-6:] == [
        "Problems: 4",
        "  actions.xlsx row 2 (ACT-1), column 'title': the cell holds a formula (=B3&\" too\"); trace reads only "
        "values: type the value itself, or copy the column and use Paste Special, Values",
        "  actions.xlsx row 2 (ACT-1), column 'target': the cell is an Excel date (1 March 2023), which cannot say "
        "whether the day, the month or the quarter is meant; type the target as text, such as Mar 2023 or "
        "01/03/2023 (format the column as Text first, so that Excel keeps what you type)",
        "  actions.xlsx row 3 (ACT-2), column 'target': the target is the number 44651, which is how Excel stores "
        "the date 31 March 2022; type the target as text, such as Mar 2022 or 31/03/2022",
        "  actions.xlsx row 4 (ACT-3), column 'status': 'finishd' is not a status; use one of not-started, "
        "in-progress, complete, dropped, unknown",
        "Nothing written: 4 problem(s) above; fix them in the spreadsheet and run again.",
    ]


def test_other_sheets_without_record_columns_are_left_alone(repo, exported):
    workbook = load_workbook(exported)
    workbook.create_sheet("Notes", 0).append(["Sent to owners on 1 March"])
    workbook.save(exported)
    result = run(repo.root, "import", "xlsx", str(exported))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Read actions.xlsx: sheet 'actions'; sheets not read (no record " \
                                            "columns): Notes"


def test_recommendations_round_trip_keeping_a_text_written_as_a_block(repo, tmp_path):
    repo.commit("A recommendation with a list", "2022-06-02T09:00:00", {"records/recommendations/REC-4.yaml": """
        id: REC-4
        ref: "18"
        source: SRC-2
        text: |-
          NSCP should relaunch the guidance.
          - Agencies should make sure staff know it.
        aims: all
        status: open
    """})
    out = tmp_path / "recommendations.xlsx"
    assert run(repo.root, "export", "xlsx", "--kind", "recommendation", "--out", str(out)).exit_code == 0
    assert sheet_rows(out)[0] == ["id", "source", "ref", "text", "aims", "status", "notes", "coverage", "actions",
                                  "path", "fingerprint"]
    assert sheet_rows(out)[4][:8] == ["REC-4", "SRC-2", "18", "NSCP should relaunch the guidance.\n- Agencies "
                                      "should make sure staff know it.", "all", "open", None, "none"]
    assert run(repo.root, "import", "xlsx", str(out)).output.endswith("Nothing to change: every row matches its "
                                                                       "record.\n")
    change_cells(out, {("REC-4", "status"): "Complete"})
    result = run(repo.root, "import", "xlsx", str(out), "--write")
    assert result.exit_code == 0, result.output
    assert "  row 5  REC-4: status open \u2192 complete ('Complete' read as complete)\n" in result.output
    assert repo.git("diff", "--stat").strip().splitlines()[-1] == " 1 file changed, 1 insertion(+), 1 deletion(-)"


def test_only_the_spreadsheet_commands_load_openpyxl():
    code = ("import sys; from learntrace.cli import cli; from click.testing import CliRunner; "
            "CliRunner().invoke(cli, ['--help']); print('openpyxl' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
