"""Finding and loading record files: which files are records, their kinds, and what cannot be read."""

from __future__ import annotations

import pytest

from learntrace.errors import TraceError
from learntrace.load import MAX_RECORD_BYTES, RecordFile, load_one, load_record_files, read_worktree, scan_worktree


def _write(root, files):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_records_are_yaml_files_in_stable_order_and_others_are_left_alone(tmp_path):
    _write(tmp_path, {
        "records/aims/AIM-2.yaml": "id: AIM-2\n", "records/aims/AIM-1.yml": "id: AIM-1\n",
        "records/aims/.AIM-3.yaml": "id: AIM-3\n", "records/aims/AIM-4.yaml~": "id: AIM-4\n",
        "records/aims/sub/AIM-5.yaml": "id: AIM-5\n", "records/README.md": "# guide\n",
    })
    assert [f.path for f in scan_worktree(tmp_path)] == [
        "records/aims/AIM-1.yml", "records/aims/AIM-2.yaml", "records/aims/sub/AIM-5.yaml",
    ]


def test_a_scanned_file_is_read_only_when_asked_and_keyed_by_its_stat(tmp_path):
    _write(tmp_path, {"records/aims/AIM-1.yaml": "id: AIM-1\n"})
    (scanned,) = scan_worktree(tmp_path)
    assert scanned.content is None and scanned.cache_key[:3] == ("w", "records/aims/AIM-1.yaml", 10)
    assert scanned.read().content == b"id: AIM-1\n"
    (read,) = read_worktree(tmp_path)
    assert read.content == b"id: AIM-1\n"


def test_no_records_folder_is_fatal_with_a_sentence(tmp_path):
    with pytest.raises(TraceError, match="there is no records/ folder in"):
        list(scan_worktree(tmp_path))


def test_a_file_too_big_to_be_a_record_is_not_read(tmp_path):
    _write(tmp_path, {"records/aims/AIM-1.yaml": "x" * (MAX_RECORD_BYTES + 1)})
    (scanned,) = scan_worktree(tmp_path)
    assert scanned.unreadable.startswith("is 257 KB, larger than the 256 KB a record may be")


def test_the_folder_gives_the_kind():
    record, problem = load_one(RecordFile("records/actions/ACT-1.yaml", b"id: ACT-1\ntitle: T\n"))
    assert problem is None and (record.kind, record.id, record.data["title"]) == ("action", "ACT-1", "T")
    assert record.line_of("title") == 2


def test_a_file_in_no_record_folder_is_a_problem_naming_the_folders():
    record, problem = load_one(RecordFile("records/action/ACT-1.yaml", b"id: ACT-1\n"))
    assert record is None and problem.code == "wrong-folder"
    assert problem.message.startswith("is in records/action/, which is not a record folder")


def test_unreadable_files_become_problems_and_their_ids_are_remembered():
    loaded = load_record_files([
        RecordFile("records/aims/AIM-1.yaml", b"id: AIM-1\ntitle: A\nstatus: active\n"),
        RecordFile("records/aims/AIM-2.yaml", b"id: [unclosed\n"),
        RecordFile("records/aims/AIM-3.yaml", unreadable="could not be read: permission denied"),
    ])
    assert [r.id for r in loaded.records] == ["AIM-1"]
    assert [p.path for p in loaded.problems] == ["records/aims/AIM-2.yaml", "records/aims/AIM-3.yaml"]
    assert loaded.unreadable_ids == frozenset({"AIM-2", "AIM-3"})
