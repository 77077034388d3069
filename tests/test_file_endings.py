"""A file under records/ that will not be read is a problem, said with the name to give it; READMEs and
hidden files are left alone. The same in the working tree and with --at."""

from __future__ import annotations

import pytest
from conftest import VALID_RECORDS, run
from gitrepo import GitRepoBuilder

ACTION = VALID_RECORDS["records/actions/ACT-1.yaml"]


@pytest.mark.parametrize(("name", "renamed"), [
    ("ACT-1.txt", "ACT-1.yaml"),
    ("ACT-1.yaml.txt", "ACT-1.yaml"),
    ("ACT-1.YAML", "ACT-1.yaml"),
    ("ACT-1.Yml", "ACT-1.yaml"),
    ("ACT-1", "ACT-1.yaml"),
])
def test_a_record_with_the_wrong_ending_is_a_problem_naming_the_right_name(record_set, name, renamed):
    root = record_set({"records/actions/ACT-1.yaml": None, f"records/actions/{name}": ACTION})
    result = run(root, "validate")
    assert result.exit_code == 1
    # The evidence's link to ACT-1 is not reported as well: the file's own problem says why it is missing.
    assert result.output.splitlines() == [
        f"records/actions/{name}: will not be read: rename it to {renamed}",
        "1 problem(s) in 1 file(s); 5 record(s) read.",
    ]


def test_a_document_in_records_is_to_be_moved_out(record_set):
    root = record_set({"records/actions/Delivery plan.docx": b"PK\x03\x04 not text"})
    assert run(root, "validate").output.splitlines()[0] == (
        "records/actions/Delivery plan.docx: will not be read: records/ holds only records, each a plain-text "
        "file ending in .yaml; move it out of records/ (or, if it is a record, save it as plain text named "
        "Delivery plan.yaml)"
    )


def test_a_copy_beside_its_record_is_called_a_copy(record_set):
    root = record_set({"records/actions/ACT-1.yaml.txt": ACTION})
    assert run(root, "validate").output.splitlines()[0] == (
        "records/actions/ACT-1.yaml.txt: will not be read, and ACT-1.yaml is already there beside it: if this is "
        "an old copy, delete it or move it out of records/; if it is the newer one, copy it over ACT-1.yaml"
    )


def test_readmes_and_hidden_files_are_not_problems(record_set):
    root = record_set({
        "records/README.md": "# Records\n",
        "records/actions/README": "Actions go here.\n",
        "records/actions/readme.txt": "Actions go here.\n",
        "records/actions/.gitkeep": "",
        "records/aims/.DS_Store": b"\x00\x01",
    })
    assert run(root, "validate").output == "All good: 6 record(s), no problems.\n"


def test_a_wrong_ending_stops_the_commands_that_need_every_record(record_set):
    root = record_set({"records/actions/ACT-1.yaml": None, "records/actions/ACT-1.txt": ACTION})
    result = run(root, "gaps")
    assert result.exit_code == 1
    assert "records/actions/ACT-1.txt: will not be read: rename it to ACT-1.yaml" in result.output


def test_a_wrong_ending_at_a_commit_is_a_problem_too(tmp_path):
    repo = GitRepoBuilder(tmp_path / "partnership")
    files: dict[str, str | None] = {**VALID_RECORDS}
    files["records/actions/ACT-1.yaml"] = None
    repo.write({path: content for path, content in files.items() if content is not None})
    repo.write({"records/actions/ACT-1.yaml.txt": ACTION, "records/README.md": "# Records\n"})
    repo.commit("Add the records", "2022-03-01T10:00:00")
    repo.write({"records/actions/ACT-1.yaml.txt": None, "records/actions/ACT-1.yaml": ACTION})  # fixed since
    assert run(repo.root, "validate").exit_code == 0
    result = run(repo.root, "--at", "HEAD", "validate")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "records/actions/ACT-1.yaml.txt: will not be read: rename it to ACT-1.yaml",
        "1 problem(s) in 1 file(s); 5 record(s) read.",
    ]


def test_set_names_the_misnamed_file(record_set):
    root = record_set({"records/actions/ACT-1.yaml": None, "records/actions/ACT-1.yaml.txt": ACTION})
    result = run(root, "set", "ACT-1", "status", "complete")
    assert result.exit_code == 2
    assert "records/actions/ACT-1.yaml.txt cannot be read as a record" in result.output
