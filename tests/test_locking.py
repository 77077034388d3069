"""Several trace commands at once: the lock, compare-before-replace and exclusive creation of new records,
with real processes."""

from __future__ import annotations

from pathlib import Path

from conftest import VALID_RECORDS, write_records
from gitrepo import GitRepoBuilder
from processes import Paused, finish, start, trace

from learntrace.yamlparse import parse_record_text

CHANGES = (("owner", "Health Visiting"), ("rag", "red"), ("objective", "Safer sleeping"), ("notes", "Checked"))
NEW_ACTION = ("new", "action", "--title", "Audit the guidance", "--owner", "Steering Group",
              "--status", "not-started", "--target", "2023-03", "--addresses", "REC-1")


def _action(root: Path, name: str = "ACT-1") -> dict[str, object]:
    return dict(parse_record_text((root / f"records/actions/{name}.yaml").read_text(encoding="utf-8")).data)


def test_concurrent_sets_of_one_action_keep_every_change(tmp_path):
    for attempt in range(2):  # each run starts four processes together; without a lock most runs lose one
        root = write_records(tmp_path / f"run-{attempt}", dict(VALID_RECORDS))
        results = [finish(p) for p in [start(root, "set", "ACT-1", f, v) for f, v in CHANGES]]
        assert [code for code, _, _ in results] == [0, 0, 0, 0], results
        data = _action(root)
        assert {f: data.get(f) for f, _ in CHANGES} == dict(CHANGES)


def test_concurrent_new_actions_each_get_their_own_file(tmp_path):
    root = write_records(tmp_path / "records-root", dict(VALID_RECORDS))
    results = [finish(p) for p in [start(root, *NEW_ACTION) for _ in range(3)]]
    assert [code for code, _, _ in results] == [0, 0, 0], results
    created = sorted(out.strip() for _, out, _ in results)
    assert created == ["Created records/actions/ACT-2.yaml (ACT-2).", "Created records/actions/ACT-3.yaml (ACT-3).",
                       "Created records/actions/ACT-4.yaml (ACT-4)."]
    assert sorted(p.name for p in (root / "records/actions").iterdir()) == [
        "ACT-1.yaml", "ACT-2.yaml", "ACT-3.yaml", "ACT-4.yaml"]


def test_a_second_command_waits_for_the_first_and_says_so(tmp_path):
    root = write_records(tmp_path / "records-root", dict(VALID_RECORDS))
    first = Paused(root, tmp_path / "hook", "set", "ACT-1", "owner", "Health Visiting")
    second = start(root, "set", "ACT-1", "rag", "red")
    assert second.stderr is not None
    assert second.stderr.readline() == "Waiting for another trace command to finish changing the records...\n"
    code, out, err = first.go()
    assert (code, err) == (0, "")
    assert out.startswith("Set owner of ACT-1 to Health Visiting (was Steering Group)")
    code, out, _ = finish(second)
    assert code == 0 and out.startswith("Set rag of ACT-1 to red (was (not set))")
    assert (_action(root)["owner"], _action(root)["rag"]) == ("Health Visiting", "red")


def test_a_command_that_waits_too_long_gives_up_with_a_sentence(tmp_path):
    root = write_records(tmp_path / "records-root", dict(VALID_RECORDS))
    first = Paused(root, tmp_path / "hook", "set", "ACT-1", "owner", "Health Visiting")
    code, out, err = trace(root, "set", "ACT-1", "rag", "red", env={"TRACE_LOCK_WAIT": "0"})
    assert first.go()[0] == 0
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == (
        f"Error: another trace command has been changing the records for over 0 seconds; wait for it to finish "
        f"and run this again (the lock is {root.resolve() / '.trace.lock'})")
    assert "rag" not in _action(root)


def test_a_file_changed_by_another_program_meanwhile_is_not_overwritten(tmp_path):
    root = write_records(tmp_path / "records-root", dict(VALID_RECORDS))
    paused = Paused(root, tmp_path / "hook", "set", "ACT-1", "owner", "Health Visiting")
    path = root / "records/actions/ACT-1.yaml"
    edited = path.read_text(encoding="utf-8").replace("Steering Group", "Safeguarding Board")
    path.write_text(edited, encoding="utf-8")  # an editor saves while trace is working
    code, out, err = paused.go()
    assert (code, out) == (2, "")
    assert err == ("Error: records/actions/ACT-1.yaml was changed by another program after trace read it; nothing "
                   "was changed, so that change is kept: run the command again\n")
    assert path.read_text(encoding="utf-8") == edited


def test_a_new_record_never_replaces_a_file_created_meanwhile(tmp_path):
    root = write_records(tmp_path / "records-root", dict(VALID_RECORDS))
    paused = Paused(root, tmp_path / "hook", *NEW_ACTION)
    other = root / "records/actions/ACT-2.yaml"
    other.write_text("id: ACT-2\ntitle: Made by hand\nowner: Unit\nstatus: unknown\ntarget: tba\n", encoding="utf-8")
    code, out, err = paused.go()
    assert (code, out) == (2, "")
    assert err == ("Error: records/actions/ACT-2.yaml was created by another program while trace was working; "
                   "nothing was changed: run the command again\n")
    assert _action(root, "ACT-2")["title"] == "Made by hand"
    code, out, _ = trace(root, *NEW_ACTION)  # run again: the next free id
    assert (code, out) == (0, "Created records/actions/ACT-3.yaml (ACT-3).\n")


def test_in_git_the_lock_lives_in_the_git_folder_and_the_work_tree_stays_clean(tmp_path):
    repo = GitRepoBuilder(tmp_path / "repo")
    repo.commit("Records", "2022-01-10T09:00:00", dict(VALID_RECORDS))
    code, _, _ = trace(repo.root, "set", "ACT-1", "rag", "red")
    assert code == 0
    assert (repo.root / ".git/trace.lock").is_file()
    assert repo.git("status", "--porcelain", "--ignored") == " M records/actions/ACT-1.yaml\n"


def test_in_a_git_worktree_the_lock_lives_in_the_worktrees_git_folder(tmp_path):
    repo = GitRepoBuilder(tmp_path / "repo")
    repo.commit("Records", "2022-01-10T09:00:00", dict(VALID_RECORDS))
    repo.git("worktree", "add", "-q", str(tmp_path / "second"), "-b", "second")
    second = tmp_path / "second"
    assert trace(second, "set", "ACT-1", "rag", "red")[0] == 0
    assert (repo.root / ".git/worktrees/second/trace.lock").is_file()
    assert not (second / ".trace.lock").exists()
    assert _action(second)["rag"] == "red" and "rag" not in _action(repo.root)
