"""The repository's schemas/ against the installed trace's: `trace validate` warns when they differ, and
`trace schemas --write` makes them the same."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import VALID_RECORDS, run, write_records

from learntrace import __version__
from learntrace.schemafiles import installed_schemas

REPO = Path(__file__).resolve().parent.parent
DIFFERS = (f"schemas/action.schema.json: warning: differs from the schema of the installed trace {__version__}, "
           "which is what trace checks the records with; editors and reviewers read other rules: run trace schemas "
           "--write to refresh schemas/")


def _with_schemas(root: Path) -> Path:
    write_records(root, dict(VALID_RECORDS))
    (root / "schemas").mkdir()
    for name, data in installed_schemas().items():
        (root / "schemas" / name).write_bytes(data)
    return root


def test_no_warning_when_schemas_match_or_there_is_no_schemas_folder(tmp_path):
    assert run(_with_schemas(tmp_path / "a"), "validate").output == "All good: 6 record(s), no problems.\n"
    assert run(write_records(tmp_path / "b", dict(VALID_RECORDS)), "validate").output == (
        "All good: 6 record(s), no problems.\n")
    assert run(REPO, "schemas").output == f"schemas/ matches trace {__version__}.\n"  # its own schemas


def test_validate_warns_about_each_schema_that_differs_and_still_passes(tmp_path):
    root = _with_schemas(tmp_path)
    (root / "schemas/action.schema.json").write_text("{}\n")
    (root / "schemas/source.schema.json").unlink()
    (root / "schemas/old.schema.json").write_text("{}\n")
    result = run(root, "validate")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        DIFFERS,
        f"schemas/old.schema.json: warning: is not a schema of the installed trace {__version__} (left from another "
        "version?); run trace schemas --write to refresh schemas/, which removes it",
        f"schemas/source.schema.json: warning: is missing: the installed trace {__version__} has this schema; run "
        "trace schemas --write to refresh schemas/",
        "No errors: 6 record(s), 3 warning(s) to check.",
    ]
    warnings = json.loads(run(root, "validate", "--format", "json").output)["warnings"]
    assert [w["path"] for w in warnings] == ["schemas/action.schema.json", "schemas/old.schema.json",
                                             "schemas/source.schema.json"]
    github = run(root, "validate", "--format", "github").output
    assert "::warning file=schemas/action.schema.json,title=trace validate::differs from the schema" in github


def test_schemas_write_refreshes_the_folder_and_then_has_nothing_to_do(tmp_path):
    root = _with_schemas(tmp_path)
    (root / "schemas/action.schema.json").write_text("{}\n")
    (root / "schemas/source.schema.json").unlink()
    (root / "schemas/old.schema.json").write_text("{}\n")
    checked = run(root, "schemas")
    assert checked.exit_code == 1
    assert checked.output.splitlines()[0] == DIFFERS.replace(": warning:", ":")
    written = run(root, "schemas", "--write")
    assert written.exit_code == 0
    assert written.output.splitlines() == [
        "Wrote schemas/action.schema.json",
        "Wrote schemas/source.schema.json",
        f"Removed schemas/old.schema.json (trace {__version__} has no such schema)",
        f"schemas/ now matches trace {__version__}: commit it, so that editors and reviewers read the same rules.",
    ]
    assert {p.name: p.read_bytes() for p in (root / "schemas").iterdir()} == installed_schemas()
    assert run(root, "schemas", "--write").output == f"schemas/ already matches trace {__version__}; nothing to do.\n"
    assert run(root, "schemas").exit_code == 0
    (root / "schemas/README.md").write_text("Not a schema: left alone.\n")
    assert run(root, "schemas").exit_code == 0


def test_schemas_write_creates_the_folder_when_there_is_none(tmp_path):
    root = write_records(tmp_path, dict(VALID_RECORDS))
    assert run(root, "schemas").output == "There is no schemas/ folder; trace schemas --write creates it.\n"
    result = run(root, "schemas", "--write")
    assert result.exit_code == 0
    assert sorted(p.name for p in (root / "schemas").iterdir()) == sorted(installed_schemas())
