"""A change of many files is all or nothing even when the process is killed (kill -9) part way: the next
command finishes it (or undoes it) from the journal. Real processes, killed at a known point by the test-only
hook TRACE_TEST_KILL_AFTER_REPLACES (see journal.py)."""

from __future__ import annotations

import base64
import json
import signal
from pathlib import Path

from conftest import VALID_RECORDS, run, write_records
from gitrepo import GitRepoBuilder
from processes import trace

LINKED = 30  # actions that address REC-1: a rename rewrites all of them


def _many_links() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(VALID_RECORDS)
    for number in range(2, LINKED + 1):
        files[f"records/actions/ACT-{number}.yaml"] = (
            f"id: ACT-{number}\ntitle: Action {number}\nowner: Steering Group\nstatus: in-progress\n"
            "target: 2022-06\naddresses: [REC-1]\n"
        )
    return files


def _files(root: Path) -> dict[str, bytes]:
    """Every file under records/, hidden ones too (a leftover temporary file shows)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "records").rglob("*"))
            if p.is_file()}


def _addressing(root: Path, rec_id: str) -> int:
    return sum(1 for path, content in _files(root).items()
               if path.startswith("records/actions/ACT-") and f"[{rec_id}]".encode() in content)


def _killed(root: Path, after: int, *args: str) -> None:
    code, out, err = trace(root, *args, env={"TRACE_TEST_KILL_AFTER_REPLACES": str(after)})
    assert code == -signal.SIGKILL, (code, out, err)


def test_a_rename_killed_part_way_is_finished_by_the_next_command(tmp_path):
    root = write_records(tmp_path / "records-root", _many_links())
    _killed(root, 5, "rename", "REC-1", "REC-9")
    assert 0 < _addressing(root, "REC-9") < LINKED  # half done: the state the journal is for
    result = run(root, "validate")
    code, out, err = result.exit_code, result.stdout, result.stderr
    assert err == f"Finished an interrupted change (Renamed REC-1 to REC-9): all {LINKED + 2} files are now changed.\n"
    assert (code, out) == (0, f"All good: {LINKED + 5} record(s), no problems.\n")
    assert _addressing(root, "REC-9") == LINKED and _addressing(root, "REC-1") == 0
    assert not (root / "records/recommendations/REC-1.yaml").exists()
    assert not [p for p in _files(root) if p.endswith(".trace-tmp")]
    assert not (root / ".trace-journal.json").exists()


def test_an_import_killed_part_way_is_finished_by_the_next_edit(tmp_path):
    root = write_records(tmp_path / "records-root", dict(VALID_RECORDS))
    rows = "".join(f"Action {n},Steering Group,31/03/2023\n" for n in range(1, 41))
    sheet = tmp_path / "plan.csv"
    sheet.write_text("Action,Lead,Target Date\n" + rows, encoding="utf-8")
    _killed(root, 12, "import", "csv", str(sheet), "--kind", "action", "--write")
    made = [p for p in _files(root) if p.startswith("records/actions/") and p.endswith(".yaml")]
    assert 1 < len(made) < 41
    result = run(root, "set", "ACT-1", "rag", "green")
    code, err = result.exit_code, result.stderr
    assert code == 0 and err == "Finished an interrupted change (trace import csv plan.csv): all 40 files are now changed.\n"
    made = [p for p in _files(root) if p.startswith("records/actions/")]
    assert len(made) == 41 and all(p.endswith(".yaml") for p in made)


def test_a_change_whose_staged_files_are_gone_is_undone(tmp_path):
    root = write_records(tmp_path / "records-root", _many_links())
    before = _files(root)
    _killed(root, 5, "rename", "REC-1", "REC-9")
    journal = json.loads((root / ".trace-journal.json").read_bytes())
    waiting = [item["temp"] for item in journal["files"] if item["temp"] and (root / item["temp"]).exists()]
    (root / waiting[0]).unlink()  # the new bytes of a file not yet replaced: it cannot be finished
    result = run(root, "validate")
    code, err = result.exit_code, result.stderr
    assert code == 0
    assert err == f"Undid an interrupted change (Renamed REC-1 to REC-9): all {LINKED + 2} files are as they were before it.\n"
    assert _files(root) == before


def test_an_interrupted_change_is_not_finished_over_a_later_edit(tmp_path):
    root = write_records(tmp_path / "records-root", _many_links())
    _killed(root, 5, "rename", "REC-1", "REC-9")
    journal = json.loads((root / ".trace-journal.json").read_bytes())
    waiting = next(item["path"] for item in journal["files"]
                   if item["old"] and (root / item["path"]).read_bytes() == base64.b64decode(item["old"]))
    (root / waiting).write_text((root / waiting).read_text(encoding="utf-8") + "notes: edited by hand\n")
    after_edit = _files(root)
    result = run(root, "set", "ACT-1", "rag", "green")
    code, out, err = result.exit_code, result.stdout, result.stderr
    assert (code, out) == (2, "")
    assert err == (f"Error: an earlier trace command was interrupted while changing several records, and its "
                   f"journal {root.resolve() / '.trace-journal.json'} cannot be used: {waiting} changed after the "
                   "interruption, so finishing it would lose that change. Check the records (git status, git "
                   "diff), then delete that file to go on\n")
    assert _files(root) == after_edit


def test_a_journal_never_writes_outside_the_root(tmp_path):
    root = write_records(tmp_path / "records-root", dict(VALID_RECORDS))
    hostile = {"trace_journal": 1, "root": ".", "label": "x", "files": [
        {"path": "../outside.txt", "old": None, "new_sha256": "0" * 64, "temp": "../.outside.txt.1.trace-tmp"}]}
    (root / ".trace-journal.json").write_text(json.dumps(hostile), encoding="utf-8")
    result = run(root, "set", "ACT-1", "rag", "green")
    code, err = result.exit_code, result.stderr
    assert code == 2 and "../outside.txt is not a path inside the records' folder" in err
    assert not (tmp_path / "outside.txt").exists()


def test_a_killed_single_edit_leaves_the_file_whole_and_its_temporary_file_is_ignored_then_removed(tmp_path):
    repo = GitRepoBuilder(tmp_path / "repo")
    files: dict[str, str | None] = dict(VALID_RECORDS)
    files[".gitignore"] = (Path(__file__).resolve().parent.parent / ".gitignore").read_text(encoding="utf-8")
    repo.commit("Records", "2022-01-10T09:00:00", files)
    before = (repo.root / "records/actions/ACT-1.yaml").read_bytes()
    _killed(repo.root, 0, "set", "ACT-1", "owner", "Health Visiting")
    assert (repo.root / "records/actions/ACT-1.yaml").read_bytes() == before
    leftovers = [p for p in _files(repo.root) if p.endswith(".trace-tmp")]
    assert len(leftovers) == 1
    assert repo.git("status", "--porcelain") == ""  # gitignored: never committed by mistake
    assert run(repo.root, "validate").output == "All good: 6 record(s), no problems.\n"
    assert run(repo.root, "set", "ACT-1", "rag", "red").exit_code == 0
    assert not [p for p in _files(repo.root) if p.endswith(".trace-tmp")]


def test_in_git_the_journal_lives_in_the_git_folder(tmp_path):
    repo = GitRepoBuilder(tmp_path / "repo")
    repo.commit("Records", "2022-01-10T09:00:00", _many_links())
    _killed(repo.root, 3, "rename", "REC-1", "REC-9")
    assert (repo.root / ".git/trace-journal.json").is_file()
    assert not (repo.root / ".trace-journal.json").exists()
    result = run(repo.root, "validate")
    assert result.exit_code == 0
    assert not (repo.root / ".git/trace-journal.json").exists()
    assert _addressing(repo.root, "REC-9") == LINKED
