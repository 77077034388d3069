"""Spreadsheets: targets as people write them, trace import csv and trace export csv."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, run
from gitrepo import GitRepoBuilder

from learntrace.dates import NormalisedTarget, normalise_target

FIXTURE = Path(__file__).parent / "fixtures" / "messy_actions.csv"


# --- target dates as spreadsheets write them ---------------------------------------------------

@pytest.mark.parametrize("written, expected", [
    ("Dec 2021", "2021-12"),
    ("December 2021", "2021-12"),
    ("Nov 21", "2021-11"),
    ("Sept 2021", "2021-09"),
    ("Sep-21", "2021-09"),  # Excel's mmm-yy
    ("Dec. 2021", "2021-12"),
    ("Dec '21", "2021-12"),
    ("dec 2021\u00a0", "2021-12"),  # a non-breaking space pasted from a Word table
    ("Dec 21 \u2013 Jun 22", "2021-12..2022-06"),  # en dash
    ("Dec 21 \u2014 Jun 22", "2021-12..2022-06"),  # em dash
    ("Dec 21 - Jun 22", "2021-12..2022-06"),
    ("Dec 21-Jun 22", "2021-12..2022-06"),
    ("Dec 21 to Jun 22", "2021-12..2022-06"),
    ("Jan \u2013 Mar 2022", "2022-01..2022-03"),
    ("Jan-Mar 2022", "2022-01..2022-03"),
    ("Nov \u2013 Feb 2022", "2021-11..2022-02"),  # a range runs forwards: November of the year before
    ("Q3 2022", "2022-Q3"),
    ("2022 Q3", "2022-Q3"),
    ("q3 22", "2022-Q3"),
    ("Q1 2022 \u2013 Q2 2022", "2022-Q1..2022-Q2"),
    ("31/03/2022", "2022-03-31"),
    ("31/3/22", "2022-03-31"),
    ("31.03.2022", "2022-03-31"),
    ("03/2022", "2022-03"),
    ("31/03/2022 - 30/06/2022", "2022-03-31..2022-06-30"),
    ("By March 2022", "2022-03"),
    ("End of Dec 2021", "2021-12"),
    ("Ongoing", "ongoing"),
    ("on-going", "ongoing"),
    ("TBA", "tba"),
    ("TBC", "tba"),
    ("tbc.", "tba"),
    ("", "not-set"),  # a blank cell is not "TBA": the spreadsheet gives no target
    ("   ", "not-set"),
    ("Quarterly reports", "quarterly"),
    ("Annually", "yearly"),
    ("2021-12..2022-06", "2021-12..2022-06"),  # already in trace's form
    ("2022-03-31", "2022-03-31"),
    ("2022-Q3", "2022-Q3"),
])
def test_normalise_target(written, expected):
    assert normalise_target(written) == NormalisedTarget(expected)


def test_seasons_are_kept_as_seasons_and_their_months_said_in_a_note():
    assert normalise_target("Spring \u2013 Summer 2022") == NormalisedTarget(
        "2022-spring..2022-summer",
        "Target in the spreadsheet: 'Spring \u2013 Summer 2022' (read as 2022-spring..2022-summer: spring = March "
        "to May, summer = June to August).",
    )
    assert normalise_target("Autumn 2022").value == "2022-autumn"
    assert normalise_target("Jan \u2013 Summer 2022").value == "2022-01..2022-summer"


@pytest.mark.parametrize("written, reason", [
    ("Next year", "the target 'Next year' cannot be read; write it as a month (Dec 2021), a range "
                  "(Dec 21 \u2013 Jun 22), a quarter (Q3 2022), a day (31/03/2022), Ongoing or TBA"),
    ("2022", "the target '2022' cannot be read: '2022' is only a year; a target needs a month or a quarter, "
             "such as Dec 2022 or Q4 2022"),
    ("Winter 2022", "the target 'Winter 2022' cannot be read: 'Winter 2022' could mean the start or the end of "
                    "the year; write the months, such as Dec 22 \u2013 Feb 23"),
    ("2022/23", "the target '2022/23' cannot be read: '2022/23' is a financial year; write the months or quarter "
                "it means, such as Apr 22 \u2013 Mar 23"),
    ("31/02/2022", "the target '31/02/2022' cannot be read: '31/02/2022' is not a real date: "
                   "February 2022 has 28 days"),
    ("03/31/2022", "the target '03/31/2022' cannot be read: '03/31/2022' has month 31; trace reads dates day first, "
                   "as 31/03/2022"),
    ("Spring", "the target 'Spring' cannot be read: 'Spring' has no year; give one, such as Spring 2022"),
    ("Jan \u2013 Mar", "the target 'Jan \u2013 Mar' cannot be read: 'Mar' has no year; give one, such as Mar 2022"),
    ("Jun 22 \u2013 Dec 21", "the target 'Jun 22 \u2013 Dec 21' cannot be read: the range '2022-06..2021-12' ends "
                             "before it starts"),
    ("Dec 21 \u2013 Jun 22 \u2013 Dec 22", "the target 'Dec 21 \u2013 Jun 22 \u2013 Dec 22' cannot be read: it names "
                                           "more than two dates; a target is one date, or a range from one to another"),
    ("2022-13", "the target '2022-13' cannot be read: '2022-13' has month 13, but months run from 01 to 12"),
])
def test_targets_that_cannot_be_read_say_why(written, reason):
    with pytest.raises(ValueError) as caught:
        normalise_target(written)
    assert str(caught.value) == reason


@pytest.mark.parametrize("written", ["Mid-2022", "Q5 2022", "44651", "ASAP", "Summer holidays", "Jan"])
def test_anything_else_is_never_guessed(written):
    with pytest.raises(ValueError):
        normalise_target(written)


# --- trace import csv ---------------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path: Path) -> GitRepoBuilder:
    builder = GitRepoBuilder(tmp_path / "repo")
    builder.commit("Records", "2022-01-10T09:00:00", dict(VALID_RECORDS))
    return builder


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "records").rglob("*")) if p.is_file()}


TITLE_ROWS = """\
  row  id      title                                     owner                     status       target
  2    ACT-2   Identify training that will support t...  Protecting Babies Ste...  in-progress  2021-12
  3    ACT-3   Relaunch the safer sleeping guidance...   Health Visiting           complete     2021-12..2022-06
  4    ACT-4   Audit of bruising protocol use            Designated Nurse, CCG     unknown      2022-01..2022-03
  5    ACT-5   Multi-agency audit of ICON training       NSCP Learning and Dev...  not-started  2022-Q3
  6    ACT-6   Publish the 7-minute briefing             NSCP Business Unit        complete     2022-03-31
  7    ACT-7   Promote the ICON programme with partners  Protecting Babies Ste...  in-progress  ongoing
  8    ACT-8   Review pathways into services             Protecting Babies Ste...  unknown      tba
  9    ACT-9   Agree a data set for unexplained inju...  Strategic Safeguardin...  unknown      not-set
  10   ACT-10  Safer sleeping campaign with maternit...  Public Health             in-progress  2022-spring..2022-summer
  11   ACT-11  Refresh the bruising protocol             Norfolk and Waveney ICB   unknown      2021-09
  12   ACT-12  Bitesize session for early help staff     Early Help Hub            unknown      2021-11
"""


READINGS = """\
  Read as trace writes them:
    column 'Target Date': 'Dec 2021' read as 2021-12 (row 2)
    column 'RAG': 'Amber' read as amber (rows 2, 10)
    column 'Status': 'In progress' read as in-progress (rows 2, 10)
    column 'Target Date': 'Dec 21 \u2013 Jun 22' read as 2021-12..2022-06 (row 3)
    column 'RAG': 'G' read as green (row 3)
    column 'Status': 'Completed' read as complete (row 3)
    column 'Target Date': 'Jan - Mar 2022' read as 2022-01..2022-03 (row 4)
    column 'Status': blank, read as unknown (rows 4, 8, 9, 11, 12)
    column 'Target Date': 'Q3 2022' read as 2022-Q3 (row 5)
    column 'Status': 'not started' read as not-started (row 5)
    column 'Target Date': '31/03/2022' read as 2022-03-31 (row 6)
    column 'Status': 'Complete' read as complete (row 6)
    column 'Target Date': 'Ongoing' read as ongoing (row 7)
    column 'RAG': 'Green' read as green (row 7)
    column 'Status': 'In Progress' read as in-progress (row 7)
    column 'Target Date': 'TBC' read as tba (row 8)
    column 'Target Date': blank, read as not-set (row 9)
    column 'Target Date': 'Spring \u2013 Summer 2022' read as 2022-spring..2022-summer (row 10)
    column 'Target Date': 'Sept 2021' read as 2021-09 (row 11)
    column 'Target Date': 'Nov 21' read as 2021-11 (row 12)
"""


def test_import_shows_what_it_would_create_and_every_row_it_cannot_map(repo):
    before = files_under(repo.root)
    result = run(repo.root, "import", "csv", str(FIXTURE), "--kind", "action")
    assert result.exit_code == 1
    assert result.output == (
        "Read messy_actions.csv: UTF-8 with BOM, columns separated by commas\n"
        "Columns used: Objective -> objective, Action -> title, Lead -> owner, Target Date -> target, RAG -> rag, "
        "Status -> status, Strategic Aim -> aims, Comments -> notes\n"
        "Columns not used: Update\n"
        "Would create: 11 action(s) from messy_actions.csv\n"
        + TITLE_ROWS + READINGS +
        "Problems: 3\n"
        "  messy_actions.csv row 13, column 'Target Date': the target 'Next year' cannot be read; write it as a "
        "month (Dec 2021), a range (Dec 21 \u2013 Jun 22), a quarter (Q3 2022), a day (31/03/2022), Ongoing or TBA\n"
        "  messy_actions.csv row 14, column 'Lead': has no owner (the group or agency responsible); every new action "
        "needs one\n"
        "  messy_actions.csv row 15, column 'RAG': 'Blue' is not a RAG rating; use one of red, amber, green\n"
        "Nothing written: 3 problem(s) above; fix them in the spreadsheet and run again.\n"
    )
    assert files_under(repo.root) == before


def test_import_writes_nothing_while_any_row_cannot_be_mapped(repo):
    before = files_under(repo.root)
    result = run(repo.root, "import", "csv", str(FIXTURE), "--kind", "action", "--write")
    assert result.exit_code == 1
    assert files_under(repo.root) == before
    assert repo.git("status", "--porcelain", "--ignored") == ""


def _fixed_spreadsheet(tmp_path: Path) -> Path:
    """The fixture with its three bad rows fixed, as the business unit would in the spreadsheet."""
    fixed = tmp_path / "sheets" / "messy_actions.csv"
    fixed.parent.mkdir()
    data = FIXTURE.read_bytes()
    data = data.replace(b",Next year,", b",Dec 2022,")
    data = data.replace(b"thematic review,,", b"thematic review,NSCP Business Unit,")
    data = data.replace(b",Blue,", b",Green,")
    fixed.write_bytes(data)
    return fixed


def _expected(record_id: str, body: str, row: int) -> str:
    return (
        "# yaml-language-server: $schema=../../schemas/action.schema.json\n"
        f"id: {record_id}\n" + textwrap.dedent(body).lstrip("\n")
        + f"provenance:\n  - document: messy_actions.csv\n    section: row {row}\n"
    )


EXPECTED_IMPORT = {
    "ACT-2": (2, """
        title: Identify training that will support the objective
        owner: Protecting Babies Steering Group
        status: in-progress
        target: "2021-12"
        aims: [AIM-1]
        rag: amber
        objective: Preventing non accidental injury
    """),
    "ACT-3": (3, """
        title: Relaunch the safer sleeping guidance for professionals
        owner: Health Visiting
        status: complete
        target: "2021-12..2022-06"
        aims: [AIM-1]
        rag: green
        objective: Safer sleeping
    """),
    "ACT-4": (4, """
        title: Audit of bruising protocol use
        owner: Designated Nurse, CCG
        status: unknown
        target: "2022-01..2022-03"
    """),
    "ACT-5": (5, """
        title: Multi-agency audit of ICON training
        owner: NSCP Learning and Development
        status: not-started
        target: "2022-Q3"
        aims: [AIM-1]
        rag: red
    """),
    "ACT-6": (6, """
        title: Publish the 7-minute briefing
        owner: NSCP Business Unit
        status: complete
        target: "2022-03-31"
    """),
    "ACT-7": (7, """
        title: Promote the ICON programme with partners
        owner: Protecting Babies Steering Group
        status: in-progress
        target: ongoing
        rag: green
    """),
    "ACT-8": (8, """
        title: Review pathways into services
        owner: Protecting Babies Steering Group
        status: unknown
        target: tba
        notes: Owner agreed at March meeting
    """),
    "ACT-9": (9, """
        title: Agree a data set for unexplained injuries
        owner: Strategic Safeguarding Analysis Group
        status: unknown
        target: not-set
    """),
    "ACT-10": (10, """
        title: Safer sleeping campaign with maternity services
        owner: Public Health
        status: in-progress
        target: "2022-spring..2022-summer"
        aims: [AIM-1]
        rag: amber
        notes: >-
          Target in the spreadsheet: 'Spring \u2013 Summer 2022' (read as 2022-spring..2022-summer: spring =
          March to May, summer = June to August).
    """),
    "ACT-11": (11, """
        title: Refresh the bruising protocol
        owner: Norfolk and Waveney ICB
        status: unknown
        target: "2021-09"
    """),
    "ACT-12": (12, """
        title: Bitesize session for early help staff
        owner: Early Help Hub
        status: unknown
        target: "2021-11"
    """),
    "ACT-13": (13, """
        title: Relaunch the Coping with Crying programme
        owner: Health Visiting
        status: unknown
        target: "2022-12"
    """),
    "ACT-14": (14, """
        title: Share learning from the thematic review
        owner: NSCP Business Unit
        status: unknown
        target: "2022-Q4"
    """),
    "ACT-15": (15, """
        title: Evaluate the safer sleeping videos
        owner: Public Health
        status: complete
        target: "2022-12"
        rag: green
    """),
}


def test_import_with_write_creates_exactly_the_expected_records(repo, tmp_path):
    result = run(repo.root, "import", "csv", str(_fixed_spreadsheet(tmp_path)), "--kind", "action", "--write")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "Wrote 14 file(s) (0 changed, 14 new):\n" + "".join(f"  records/actions/{i}.yaml\n" for i in EXPECTED_IMPORT)
    )
    created = {path: content for path, content in files_under(repo.root).items()
               if path.startswith("records/actions/") and path != "records/actions/ACT-1.yaml"}
    assert sorted(created) == sorted(f"records/actions/{i}.yaml" for i in EXPECTED_IMPORT)
    for record_id, (row, body) in EXPECTED_IMPORT.items():
        assert created[f"records/actions/{record_id}.yaml"].decode() == _expected(record_id, body, row), record_id
    assert run(repo.root, "validate").exit_code == 0


def test_import_ids_follow_the_prefix_asked_for(repo, tmp_path):
    result = run(repo.root, "import", "csv", str(_fixed_spreadsheet(tmp_path)), "--kind", "action",
                 "--prefix", "ACT-BP")
    assert result.exit_code == 0, result.output
    assert "  2    ACT-BP-1   Identify training" in result.output
    assert result.output.endswith("Nothing written yet: run again with --write to make these changes.\n")
    assert repo.git("status", "--porcelain") == ""


def test_map_reads_a_column_under_another_name(repo, tmp_path):
    sheet = tmp_path / "plan.csv"
    sheet.write_text("What we will do,Who,When by\nRelaunch the guidance for GPs,Health Visiting,Dec 2022\n",
                     encoding="utf-8")
    result = run(repo.root, "import", "csv", str(sheet), "--kind", "action",
                 "--map", "What we will do=title", "--map", "when by=target", "--write")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "Columns used: What we will do -> title, Who -> owner, When by -> target"
    assert (repo.root / "records/actions/ACT-2.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/action.schema.json\n"
        "id: ACT-2\ntitle: Relaunch the guidance for GPs\nowner: Health Visiting\nstatus: unknown\n"
        "target: \"2022-12\"\n"
        "provenance:\n  - document: plan.csv\n    section: row 2\n"
    )


def test_map_to_a_column_that_is_not_there_exits_2(repo, tmp_path):
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Action,Lead\nx,y\n", encoding="utf-8")
    result = run(repo.root, "import", "csv", str(sheet), "--kind", "action", "--map", "Deadline=target")
    assert result.exit_code == 2
    assert result.output == (
        "Error: --map names the column 'deadline', but the file has no such column; its columns are: Action, Lead\n"
    )


def test_map_to_a_field_the_kind_does_not_have_exits_2(repo, tmp_path):
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Action,Lead\nx,y\n", encoding="utf-8")
    result = run(repo.root, "import", "csv", str(sheet), "--kind", "action", "--map", "Lead=lead")
    assert result.exit_code == 2
    assert result.output.startswith("Error: --map: an action has no field 'lead'; the fields are: id, title, owner")


def test_two_columns_for_one_field_must_be_told_apart(repo, tmp_path):
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Action,Title,Lead\nx,y,z\n", encoding="utf-8")
    result = run(repo.root, "import", "csv", str(sheet), "--kind", "action")
    assert result.exit_code == 2
    assert result.output == (
        "Error: the columns 'Action' and 'Title' both give the title; say which to use with --map, for example "
        "--map \"Title=-\" to leave the second out\n"
    )
    assert run(repo.root, "import", "csv", str(sheet), "--kind", "action", "--map", "Title=-").exit_code == 0


def test_a_link_to_a_missing_record_stops_the_whole_import(repo, tmp_path):
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Action,Lead,Recommendation\nx,y,REC-1\nz,y,REC-9\n", encoding="utf-8")
    result = run(repo.root, "import", "csv", str(sheet), "--kind", "action", "--write")
    assert result.exit_code == 1
    assert result.output.splitlines()[-2:] == [
        "  plan.csv row 3 (ACT-3), column 'Recommendation': 'addresses' links to 'REC-9', but there is no record "
        "with that id; did you mean 'REC-1'?",
        "Nothing written: 1 problem(s) above; fix them in the spreadsheet and run again.",
    ]
    assert repo.git("status", "--porcelain", "--ignored") == ""


def test_import_recommendations_with_a_source_for_every_row(repo, tmp_path):
    sheet = tmp_path / "recs.csv"
    sheet.write_text("No.,Recommendation,Aims,Status\n35,Relaunch the guidance.,AIM-1,Open\n36,Audit it.,all,open\n",
                     encoding="utf-8")
    result = run(repo.root, "import", "csv", str(sheet), "--kind", "recommendation", "--source", "SRC-1", "--write")
    assert result.exit_code == 0, result.output
    assert (repo.root / "records/recommendations/REC-3.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/recommendation.schema.json\n"
        "id: REC-3\nsource: SRC-1\ntext: Audit it.\naims: all\nstatus: open\nref: \"36\"\n"
        "provenance:\n  - document: recs.csv\n    section: row 3\n"
    )


def test_a_windows_1252_file_from_excel_is_read(repo, tmp_path):
    sheet = tmp_path / "plan.csv"
    sheet.write_bytes("Action,Lead,Target Date\nRelaunch,Health,Dec 21 \u2013 Jun 22\n".encode("cp1252"))
    result = run(repo.root, "import", "csv", str(sheet), "--kind", "action")
    assert result.exit_code == 0, result.output
    assert "2021-12..2022-06" in result.output


# --- trace export csv ---------------------------------------------------------------------------

def _without_fingerprints(output: str) -> tuple[list[str], list[str]]:
    """The CSV lines with each row's fingerprint (its last cell) taken out, and the fingerprints."""
    lines = output.splitlines()
    rows = [line.rpartition(",") for line in lines[1:]]
    return [lines[0]] + [head + sep for head, sep, _ in rows], [tail for _, _, tail in rows]


def test_export_actions_with_links(repo):
    result = run(repo.root, "export", "csv", "--kind", "action")
    assert result.exit_code == 0
    lines, fingerprints = _without_fingerprints(result.output)
    assert lines == [
        "id,title,owner,status,target,rag,objective,addresses,aims,outcomes,notes,evidence,path,fingerprint",
        "ACT-1,Relaunch the guidance,Steering Group,in-progress,2022-01..2022-06,,,REC-1,AIM-1,OUT-1,,EV-1,"
        "records/actions/ACT-1.yaml,",
    ]
    assert re.fullmatch(r"a1-[0-9a-f]{12}-[0-9a-f]{44}", fingerprints[0])


def test_export_recommendations_with_coverage_level(repo):
    repo.write({"records/recommendations/REC-2.yaml": "id: REC-2\nsource: SRC-1\ntext: \"=HYPERLINK(x)\"\n"
                                                      "aims: all\nstatus: open\n",
                "records/actions/ACT-2.yaml": "id: ACT-2\ntitle: y\nowner: z\nstatus: complete\ntarget: tba\n"
                                              "addresses: [REC-1, REC-2]\n"})
    result = run(repo.root, "export", "csv", "--kind", "recommendation")
    assert result.exit_code == 0
    lines, fingerprints = _without_fingerprints(result.output)
    assert lines == [
        "id,source,ref,text,aims,status,notes,coverage,actions,path,fingerprint",
        "REC-1,SRC-1,,Relaunch the safer sleeping guidance.,AIM-1,open,,planned,ACT-1; ACT-2,"
        "records/recommendations/REC-1.yaml,",
        "REC-2,SRC-1,,'=HYPERLINK(x),all,open,,delivered,ACT-2,records/recommendations/REC-2.yaml,",
    ]
    assert all(re.fullmatch(r"r1-[0-9a-f]{12}-[0-9a-f]{28}", f) for f in fingerprints)
    assert fingerprints[0] != fingerprints[1]


def test_export_to_a_file_for_excel(repo, tmp_path):
    out = tmp_path / "actions.csv"
    result = run(repo.root, "export", "csv", "--kind", "action", "--out", str(out))
    assert result.exit_code == 0
    assert result.output == f"Wrote 1 action(s) to {out}.\n"
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,title,owner")


def test_export_refuses_invalid_records(repo):
    repo.write({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: x\nstatus: done\n"})
    result = run(repo.root, "export", "csv", "--kind", "action")
    assert result.exit_code == 1
    assert result.output.startswith("records/aims/AIM-1.yaml:3:1: 'status' is 'done'")


def test_the_fixture_stays_as_excel_writes_it():
    data = FIXTURE.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and "\u2013".encode() in data
