"""When stdout carries data (CSV, JSON, Markdown, a diagram), messages and problems go to stderr, so that
`trace export csv > recs.csv` never writes an error into the file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from conftest import run

from learntrace.cli import cli

INVALID = {"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Safer sleeping\nstatus: done\n"}

DATA_COMMANDS = [
    ("export", "csv", "--kind", "action"),
    ("export", "csv", "--kind", "recommendation"),
    ("matrix", "--format", "csv"),
    ("matrix", "--format", "json"),
    ("matrix", "--format", "markdown"),
    ("matrix", "--format", "html"),
    ("coverage", "--format", "csv"),
    ("coverage", "--format", "json"),
    ("coverage", "--format", "markdown"),
    ("gaps", "--format", "json"),
    ("gaps", "--format", "markdown"),
    ("graph", "--format", "dot"),
    ("graph", "--format", "graphml"),
    ("graph", "--format", "json"),
    ("graph", "--format", "mermaid"),
    ("show", "ACT-1", "--format", "json"),
]


@pytest.mark.parametrize("args", DATA_COMMANDS, ids=" ".join)
def test_invalid_records_are_reported_on_stderr_and_no_data_is_written(record_set, args):
    root = record_set(INVALID)
    result = run(root, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "records/aims/AIM-1.yaml:3:1: 'status' is 'done', which is not allowed; use one of: active, retired",
        "1 problem(s) in 1 file(s): fix them (see trace validate) before this command can run.",
    ]


def test_export_csv_to_stdout_is_only_the_csv(record_set):
    result = run(record_set(), "export", "csv", "--kind", "action")
    assert result.stderr == ""
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][0] == "id" and [row[0] for row in rows[1:]] == ["ACT-1"]


def test_a_note_beside_json_goes_to_stderr(record_set):
    """Outside git the suspect-link check is skipped with a note; the JSON stays parseable."""
    result = run(record_set(), "gaps", "--format", "json", "--as-of", "2022-03-01")
    assert "suspect-link check was skipped" in result.stderr
    assert json.loads(result.stdout)["as_of"] == "2022-03-01"


def test_debug_is_listed_in_help():
    result = CliRunner().invoke(cli, ["--help"])
    assert "--debug" in result.output
    assert "traceback" in result.output
