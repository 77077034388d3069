from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run

from learntrace.cli import cli


def lines(result) -> list[str]:
    return result.output.strip().splitlines()


def test_valid_records_pass_with_exit_0(record_set):
    result = run(record_set(), "validate")
    assert result.exit_code == 0
    assert result.output.strip() == "All good: 6 record(s), no problems."


def test_yaml_that_does_not_parse_is_reported_with_line(record_set):
    root = record_set({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: [Safer sleeping\nstatus: active\n"})
    result = run(root, "validate")
    assert result.exit_code == 1
    assert lines(result)[0] == (
        "records/aims/AIM-1.yaml:2:8: is not valid YAML on line 2: the value of 'title' starts with [, which YAML "
        "reads as the start of a list that is never closed; if it is text, put the whole value in double quotes: "
        'title: "[Safer sleeping"'
    )


def test_tab_indentation_says_to_use_spaces(record_set):
    root = record_set({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: x\nstatus: active\ntags:\n\t- a\n"})
    result = run(root, "validate")
    assert "records/aims/AIM-1.yaml:5:1: is not valid YAML" in result.output
    assert "YAML allows only spaces for indentation, so replace the tab with spaces" in result.output


def test_file_that_is_a_list_is_not_a_record(record_set):
    root = record_set({"records/aims/AIM-1.yaml": "- id: AIM-1\n- title: x\n"})
    result = run(root, "validate")
    assert result.exit_code == 1
    assert lines(result)[0] == (
        "records/aims/AIM-1.yaml:1:1: holds a list, but a record must be a set of fields, one 'name: value' per line"
    )


def test_empty_file_is_reported(record_set):
    root = record_set({"records/aims/AIM-2.yaml": ""})
    result = run(root, "validate")
    assert "records/aims/AIM-2.yaml:1:1: is empty;" in result.output
    assert result.exit_code == 1


def test_duplicate_key_names_both_lines(record_set):
    root = record_set({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: x\nstatus: active\ntitle: y\n"})
    result = run(root, "validate")
    assert lines(result)[0] == (
        "records/aims/AIM-1.yaml:4:1: has the field 'title' twice (first on line 2); keep one of them"
    )


def test_missing_required_field(record_set):
    root = record_set({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: x\n"})
    result = run(root, "validate")
    assert lines(result)[0] == (
        "records/aims/AIM-1.yaml:1:1: is missing the required field 'status' (an aim must have it)"
    )


def test_wrong_type_names_the_field_and_line(record_set):
    root = record_set({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: x\nstatus: active\ntags: urgent\n"})
    result = run(root, "validate")
    assert lines(result)[0] == "records/aims/AIM-1.yaml:4:1: 'tags' should be a list of short labels, but it is 'urgent'"


def test_value_not_allowed_lists_the_choices(record_set):
    root = record_set({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: x\nstatus: done\n"})
    result = run(root, "validate")
    assert lines(result)[0] == (
        "records/aims/AIM-1.yaml:3:1: 'status' is 'done', which is not allowed; use one of: active, retired"
    )


def test_unknown_field_suggests_the_likely_spelling(record_set):
    action = (Path(__file__).parent / "fixtures" / "action_with_typo.yaml").read_text()
    root = record_set({"records/actions/ACT-1.yaml": action})
    result = run(root, "validate")
    assert lines(result)[0] == (
        "records/actions/ACT-1.yaml:6:1: has the field 'adresses', which an action does not have; "
        "did you mean 'addresses'?"
    )


def test_id_must_match_file_name(record_set):
    root = record_set({"records/aims/AIM-1.yaml": "id: AIM-9\ntitle: x\nstatus: active\n"})
    result = run(root, "validate")
    assert "records/aims/AIM-1.yaml:1:1: the id 'AIM-9' does not match the file name 'AIM-1.yaml'" in result.output


def test_id_with_bad_characters_is_reported(record_set):
    root = record_set({"records/aims/9 bad.yaml": "id: 9 bad\ntitle: x\nstatus: active\n"})
    result = run(root, "validate")
    assert "records/aims/9 bad.yaml:1:1: 'id' is '9 bad', which is not an id: a letter, then" in result.output


def test_duplicate_ids_across_kinds(record_set):
    root = record_set({"records/outcomes/SUB/AIM-1.yaml": "id: AIM-1\ntitle: twin\n"})
    result = run(root, "validate")
    assert (
        "records/outcomes/SUB/AIM-1.yaml:1:1: the id 'AIM-1' is already used by records/aims/AIM-1.yaml (line 1); "
        "every record needs its own id"
    ) in result.output
    assert result.exit_code == 1


def test_link_to_missing_id_suggests_nearest(record_set):
    root = record_set({"records/evidence/EV-1.yaml": 'id: EV-1\ntitle: x\nsupports:\n  - ACT-2\ndate: "2022"\n'})
    result = run(root, "validate")
    assert lines(result)[0] == (
        "records/evidence/EV-1.yaml:4:5: 'supports' links to 'ACT-2', but there is no record with that id; "
        "did you mean 'ACT-1'?"
    )


def test_link_to_wrong_kind(record_set):
    root = record_set({"records/evidence/EV-1.yaml": 'id: EV-1\ntitle: x\nsupports: [REC-1]\ndate: "2022"\n'})
    result = run(root, "validate")
    assert lines(result)[0] == (
        "records/evidence/EV-1.yaml:3:12: 'supports' should list actions or outcomes, but 'REC-1' is a "
        "recommendation (records/recommendations/REC-1.yaml)"
    )


def test_recommendation_source_must_be_a_source(record_set):
    root = record_set({"records/recommendations/REC-1.yaml": "id: REC-1\nsource: AIM-1\ntext: t\naims: all\nstatus: open\n"})
    result = run(root, "validate")
    assert "records/recommendations/REC-1.yaml:2:1: 'source' should list sources, but 'AIM-1' is an aim" in result.output


def test_empty_links_are_not_errors(record_set):
    root = record_set({"records/actions/ACT-1.yaml": "id: ACT-1\ntitle: t\nowner: o\nstatus: unknown\ntarget: tba\naddresses: []\n"})
    result = run(root, "validate")
    assert result.exit_code == 0, result.output


def test_record_in_the_wrong_folder(record_set):
    recommendation = "id: REC-2\nsource: SRC-1\ntext: t\naims: all\nstatus: open\n"
    root = record_set({"records/actions/REC-2.yaml": recommendation})
    result = run(root, "validate")
    assert lines(result)[0] == (
        "records/actions/REC-2.yaml:1:1: looks like a recommendation (it has the fields a recommendation has), "
        "but it is in records/actions/; move it to records/recommendations/"
    )


def test_unknown_folder_suggests_the_right_one(record_set):
    root = record_set({"records/action/ACT-2.yaml": "id: ACT-2\n"})
    result = run(root, "validate")
    assert lines(result)[0] == (
        "records/action/ACT-2.yaml: is in records/action/, which is not a record folder; did you mean records/actions/?"
    )


def test_one_bad_file_does_not_hide_the_others(record_set):
    root = record_set({
        "records/aims/AIM-1.yaml": "id: AIM-1\ntitle: [x\n",
        "records/sources/SRC-1.yaml": "id: SRC-1\ntitle: t\ntype: blog\npublished: '2021'\n",
        "records/outcomes/OUT-1.yaml": "- not a mapping\n",
    })
    result = run(root, "validate")
    paths = {line.split(":")[0] for line in lines(result)[:-1]}
    assert {"records/aims/AIM-1.yaml", "records/sources/SRC-1.yaml", "records/outcomes/OUT-1.yaml"} <= paths
    assert lines(result)[-1].startswith("3 problem(s) in 3 file(s); 4 record(s) read.")


def test_unquoted_date_means_the_same_as_quoted(record_set):
    root = record_set({"records/sources/SRC-1.yaml": "id: SRC-1\ntitle: t\ntype: audit\npublished: 2021-03-05\n"})
    assert run(root, "validate").exit_code == 0
    root = record_set({"records/sources/SRC-1.yaml": "id: SRC-1\ntitle: t\ntype: audit\npublished: 2021\n"})
    assert run(root, "validate").exit_code == 0


def test_impossible_unquoted_date_is_located_not_a_crash(record_set):
    root = record_set({"records/sources/SRC-1.yaml": "id: SRC-1\ntitle: t\ntype: audit\npublished: 2022-13-45\n"})
    result = run(root, "validate")
    assert result.exit_code == 1
    assert lines(result)[0] == (
        "records/sources/SRC-1.yaml:4:1: 'published': '2022-13-45' has month 13, but months run from 01 to 12"
    )


def test_february_30th_is_not_a_date(record_set):
    root = record_set({"records/evidence/EV-1.yaml": "id: EV-1\ntitle: x\nsupports: [ACT-1]\ndate: 2023-02-30\n"})
    result = run(root, "validate")
    assert lines(result)[0] == (
        "records/evidence/EV-1.yaml:4:1: 'date': '2023-02-30' is not a real date: February 2023 has 28 days"
    )


def test_target_forms(record_set):
    for good in ("2022-03-31", "2022-03", "2022-Q1", "2021-12..2022-Q2", "ongoing", "tba"):
        root = record_set({"records/actions/ACT-1.yaml": f"id: ACT-1\ntitle: t\nowner: o\nstatus: unknown\ntarget: '{good}'\n"})
        assert run(root, "validate").exit_code == 0, good
    root = record_set({"records/actions/ACT-1.yaml": "id: ACT-1\ntitle: t\nowner: o\nstatus: unknown\ntarget: Dec 21\n"})
    result = run(root, "validate")
    assert lines(result)[0].startswith("records/actions/ACT-1.yaml:5:1: 'target' is 'Dec 21', which is not a target written as")
    root = record_set({"records/actions/ACT-1.yaml": "id: ACT-1\ntitle: t\nowner: o\nstatus: unknown\ntarget: 2022-06..2022-01\n"})
    assert "the range '2022-06..2022-01' ends before it starts" in run(root, "validate").output


def test_anchors_and_aliases_are_refused_quickly(record_set):
    bomb = "id: AIM-2\ntitle: t\nstatus: active\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    root = record_set({"records/aims/AIM-2.yaml": bomb})
    started = time.perf_counter()
    result = run(root, "validate")
    assert time.perf_counter() - started < 5
    assert "records/aims/AIM-2.yaml:4:4: uses a YAML anchor/alias (& or *)" in result.output


def test_language_tags_are_refused_and_never_run(record_set, tmp_path):
    marker = tmp_path / "executed"
    root = record_set({"records/aims/AIM-2.yaml": f"id: AIM-2\ntitle: !!python/object/apply:os.system ['touch {marker}']\nstatus: active\n"})
    result = run(root, "validate")
    assert "records/aims/AIM-2.yaml:2:8: uses the YAML tag '!!python/object/apply:os.system'" in result.output
    assert not marker.exists()


def test_oversized_file_is_refused(record_set):
    root = record_set({"records/aims/AIM-2.yaml": "id: AIM-2\ntitle: t\nstatus: active\nnotes: " + "x" * 300_000 + "\n"})
    result = run(root, "validate")
    assert "records/aims/AIM-2.yaml: is 294 KB, larger than the 256 KB a record may be" in result.output


def test_bom_crlf_and_yml_are_accepted(record_set):
    root = record_set({"records/aims/AIM-1.yml": b"\xef\xbb\xbfid: AIM-1\r\ntitle: x\r\nstatus: active\r\n", "records/aims/AIM-1.yaml": None})
    result = run(root, "validate")
    assert result.exit_code == 0, result.output


def test_non_utf8_file_names_the_line(record_set):
    root = record_set({"records/aims/AIM-1.yaml": b"id: AIM-1\ntitle: caf\xe9\nstatus: active\n"})
    result = run(root, "validate")
    assert lines(result)[0] == (
        "records/aims/AIM-1.yaml:2: is not UTF-8 text (byte 0xe9 on line 2); save the file with UTF-8 encoding"
    )


def test_hidden_and_backup_files_are_ignored(record_set):
    root = record_set({
        "records/aims/.AIM-1.yaml.swp": "garbage: [",
        "records/aims/AIM-1.yaml~": "garbage: [",
        "records/aims/#AIM-1.yaml#": "garbage: [",
        "records/README.md": "# not a record",
    })
    assert run(root, "validate").exit_code == 0


def test_json_format(record_set):
    root = record_set({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: x\nstatus: done\n"})
    result = run(root, "validate", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "valid": False,
        "records": 6,
        "errors": [{
            "path": "records/aims/AIM-1.yaml", "line": 3, "column": 1, "id": "AIM-1",
            "message": "'status' is 'done', which is not allowed; use one of: active, retired",
        }],
        "warnings": [],
    }


def test_github_format_annotates_prints_and_summarises(record_set, tmp_path, monkeypatch):
    files = {f"records/aims/AIM-{n}.yaml": f"id: AIM-{n}\ntitle: x\nstatus: done\n" for n in range(2, 14)}
    root = record_set(files)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run(root, "validate", "--format", "github")
    output = lines(result)
    annotations = [line for line in output if line.startswith("::error ")]
    assert len(annotations) == 10
    assert annotations[0] == (
        "::error file=records/aims/AIM-10.yaml,line=3,col=1,title=trace validate::'status' is 'done', "
        "which is not allowed; use one of: active, retired"
    )
    plain = [line for line in output if line.startswith("records/")]
    assert len(plain) == 12
    assert summary.read_text().count("| records/aims/AIM-") == 12


def test_missing_records_folder_exits_2(tmp_path):
    result = run(tmp_path, "validate")
    assert result.exit_code == 2
    assert "Error: there is no records/ folder in" in result.output


def test_root_is_found_from_a_subfolder(record_set, monkeypatch):
    root = record_set()
    monkeypatch.chdir(root / "records" / "aims")
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0
    assert "6 record(s)" in result.output


def test_no_root_anywhere_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2
    assert "Error: no records/ folder or trace.toml in" in result.output


def test_usage_error_exits_2(record_set):
    result = run(record_set(), "validate", "--format", "xml")
    assert result.exit_code == 2


def test_unreadable_file_is_reported(record_set):
    if os.geteuid() == 0:
        # root reads every file; simulate the failure with a dangling symlink instead
        root = record_set()
        (root / "records/aims/AIM-3.yaml").symlink_to(root / "records/aims/missing.yaml")
        result = run(root, "validate")
        assert "records/aims/AIM-3.yaml: is a symbolic link, which trace does not follow" in result.output
    else:
        root = record_set()
        path = root / "records/aims/AIM-1.yaml"
        path.chmod(0)
        result = run(root, "validate")
        assert "records/aims/AIM-1.yaml: could not be read: permission denied" in result.output
    assert result.exit_code == 1


def test_symlink_outside_records_is_refused(record_set, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("id: AIM-3\ntitle: x\nstatus: active\n")
    root = record_set()
    (root / "records/aims/AIM-3.yaml").symlink_to(outside)
    result = run(root, "validate")
    assert "records/aims/AIM-3.yaml: is a symbolic link, which trace does not follow" in result.output


@pytest.mark.parametrize("path", ["records/actions/ACT-1.yaml", "records/actions/ACT-1.yaml.txt", "ACT-1",
                                  ".hidden", "records/a.b/.ACT.yml", "records/x/ACT-1.", "records/x/..yaml"])
def test_a_files_stem_and_suffix_are_what_pathlib_says(path):
    from pathlib import PurePosixPath

    from learntrace.strays import stem_and_suffix

    assert stem_and_suffix(path) == (PurePosixPath(path).stem, PurePosixPath(path).suffix)
