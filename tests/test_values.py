"""One rule for values: trace set and trace new read targets, dates and choices as the spreadsheet import
reads them, and say what they stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import VALID_RECORDS, run, write_records

from learntrace.cli import cli
from learntrace.cli import edit as cli_edit


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_records(tmp_path / "repo", dict(VALID_RECORDS))


def _text(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


@pytest.mark.parametrize(("field", "typed", "said", "stored"), [
    ("target", "31/03/2023", "target: 31/03/2023 → 2023-03-31", 'target: "2023-03-31"'),
    ("target", "March 2023", "target: March 2023 → 2023-03", 'target: "2023-03"'),
    ("target", "Q1 2023", "target: Q1 2023 → 2023-Q1", 'target: "2023-Q1"'),
    ("target", "Dec 22 - Jun 23", "target: Dec 22 - Jun 23 → 2022-12..2023-06", 'target: "2022-12..2023-06"'),
    ("target", "TBC", "target: TBC → tba", "target: tba"),
    ("rag", "Amber", "rag: Amber → amber", "rag: amber"),
    ("status", "Complete", "status: Complete → complete", "status: complete"),
    ("status", "done", "status: done → complete", "status: complete"),
])
def test_set_reads_a_value_as_the_import_does_and_says_what_it_stored(root, field, typed, said, stored):
    result = run(root, "set", "ACT-1", field, typed)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == said
    assert stored in _text(root, "records/actions/ACT-1.yaml").splitlines()


def test_a_value_already_in_trace_form_is_stored_without_a_note(root):
    result = run(root, "set", "ACT-1", "target", "2023-03")
    assert result.output == "Set target of ACT-1 to 2023-03 (was 2022-01..2022-06) in records/actions/ACT-1.yaml.\n"


def test_a_season_says_which_months_it_was_read_as(root):
    result = run(root, "set", "ACT-1", "target", "Spring 2023")
    assert result.output.splitlines()[0] == "target: Spring 2023 → 2023-spring (spring = March to May)"


def test_an_evidence_date_as_people_write_it(root):
    result = run(root, "set", "EV-1", "date", "31/03/2022")
    assert result.output.splitlines()[0] == "date: 31/03/2022 → 2022-03-31"
    assert 'date: "2022-03-31"' in _text(root, "records/evidence/EV-1.yaml")
    unknown = run(root, "set", "EV-1", "date", "Unknown")
    assert unknown.output.splitlines()[0] == "date: Unknown → unknown"
    quarter = run(root, "set", "EV-1", "date", "Q1 2022")
    assert quarter.exit_code == 2
    assert quarter.output == ("Error: the date 'Q1 2022' cannot be read; write it as 31/03/2023, March 2023, "
                              "2023-03-31, 2023-03 or 2023; nothing was changed\n")


def test_new_reads_values_as_the_import_does_and_says_what_it_stored(root):
    result = run(root, "new", "action", "--title", "Audit", "--owner", "Health", "--status", "Not Started",
                 "--target", "31/03/2023", "--rag", "Amber")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "status: Not Started → not-started", "target: 31/03/2023 → 2023-03-31", "rag: Amber → amber",
        "Created records/actions/ACT-2.yaml (ACT-2).",
    ]
    text = _text(root, "records/actions/ACT-2.yaml")
    assert 'status: not-started\ntarget: "2023-03-31"\nrag: amber\n' in text


def test_new_names_every_option_it_cannot_read(root):
    result = run(root, "new", "action", "--title", "Audit", "--owner", "Health", "--status", "begun",
                 "--target", "soon", "--rag", "blue")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: nothing was created, because:",
        "  --status: status 'begun' is not one of: not-started, in-progress, complete, dropped, unknown",
        "  --target: the target 'soon' cannot be read; write it as a month (Dec 2021), a range (Dec 21 – Jun 22), "
        "a quarter (Q3 2022), a day (31/03/2022), Ongoing or TBA",
        "  --rag: rag 'blue' is not one of: red, amber, green",
    ]
    assert not (root / "records/actions/ACT-2.yaml").exists()


def test_in_a_terminal_a_bad_target_is_asked_again_and_no_file_is_named(root, monkeypatch):
    monkeypatch.setattr(cli_edit, "_interactive", lambda: True)
    result = CliRunner().invoke(cli, ["--root", str(root), "new", "action", "--title", "Audit", "--owner", "Health",
                                      "--status", "in-progress"], input="next spring\n31/03/2023\n")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("target (a target written as YYYY-MM-DD")
    assert lines[0].endswith("): next spring")
    assert lines[1] == ("Error: the target 'next spring' cannot be read; write it as a month (Dec 2021), a range "
                        "(Dec 21 – Jun 22), a quarter (Q3 2022), a day (31/03/2022), Ongoing or TBA")
    assert lines[-2:] == ["target: 31/03/2023 → 2023-03-31", "Created records/actions/ACT-2.yaml (ACT-2)."]
    assert "records/" not in "\n".join(lines[:-1])  # no message names a file that does not exist yet


def test_in_a_terminal_a_choice_may_be_typed_in_any_case(root, monkeypatch):
    monkeypatch.setattr(cli_edit, "_interactive", lambda: True)
    result = CliRunner().invoke(cli, ["--root", str(root), "new", "aim", "--title", "Bruising"], input="Active\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == ["status: Active → active", "Created records/aims/AIM-2.yaml (AIM-2)."]


def test_the_import_and_set_share_the_words_for_a_status(root, tmp_path):
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Action,Lead,Status,RAG\nAudit,Health,Done,A\n", encoding="utf-8")
    imported = run(root, "import", "csv", str(sheet), "--kind", "action", "--write")
    assert imported.exit_code == 0, imported.output
    assert "status: complete\n" in _text(root, "records/actions/ACT-2.yaml")
    assert "rag: amber\n" in _text(root, "records/actions/ACT-2.yaml")
    set_result = run(root, "set", "ACT-1", "rag", "A")
    assert set_result.output.splitlines()[0] == "rag: A → amber"
