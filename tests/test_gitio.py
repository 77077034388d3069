"""The one module that talks to git, on real temporary repositories with pinned dates."""

from __future__ import annotations

import os

import pytest
from gitrepo import GitRepoBuilder

from learntrace.errors import TraceError
from learntrace.gitio import BlobReader, GitRepo

AIM = "id: AIM-1\ntitle: Safer sleeping\nstatus: active\n"


@pytest.fixture
def repo(tmp_path):
    builder = GitRepoBuilder(tmp_path / "partnership")
    builder.commit("Add the aim", "2022-01-10T09:00:00", {"records/aims/AIM-1.yaml": AIM})
    builder.commit("Code only", "2022-02-01T09:00:00", {"README.md": "hello\n"})
    builder.move("records/aims/AIM-1.yaml", "records/aims/AIM-01.yaml")
    builder.commit("Move the aim", "2022-03-01T09:00:00")
    builder.commit("Retire it", "2022-04-01T09:00:00",
                   {"records/aims/AIM-01.yaml": AIM.replace("active", "retired")})
    return builder


def test_a_date_resolves_to_the_last_commit_on_or_before_it(repo):
    git = GitRepo(repo.root)
    assert git.resolve("2022-03-15").subject == "Move the aim"
    assert git.resolve("HEAD~3").subject == "Add the aim"
    with pytest.raises(TraceError, match="2021-12-31"):
        git.resolve("2021-12-31")


def test_an_unknown_revision_is_a_sentence(repo):
    with pytest.raises(TraceError, match="no-such-branch"):
        GitRepo(repo.root).resolve("no-such-branch")


def test_record_files_at_a_commit_are_read_from_git_not_the_work_tree(repo):
    (repo.root / "records/aims/AIM-01.yaml").write_text("id: AIM-01\nchanged: in the work tree\n")
    git = GitRepo(repo.root)
    files = git.record_files_at(git.resolve("HEAD~1").sha)
    assert [(f.path, f.content) for f in files] == [("records/aims/AIM-01.yaml", AIM.encode())]
    assert files[0].cache_key[0] == "b"


def test_record_history_lists_only_commits_that_changed_records_newest_first(repo):
    history = GitRepo(repo.root).record_history()
    assert [commit.subject for commit, _ in history] == ["Retire it", "Move the aim", "Add the aim"]
    moved = history[1][1][0]
    assert (moved.status, moved.old_path, moved.new_path) == ("R", "records/aims/AIM-1.yaml",
                                                             "records/aims/AIM-01.yaml")


def test_history_in_a_period(repo):
    history = GitRepo(repo.root).record_history(since="2022-02-15T00:00:00", until="2022-03-31T23:59:59")
    assert [commit.subject for commit, _ in history] == ["Move the aim"]


def test_ancestry_merge_base_and_default_branch(repo):
    git = GitRepo(repo.root)
    first, head = git.resolve("HEAD~3"), git.resolve("HEAD")
    assert git.is_ancestor(first.sha, head.sha) and not git.is_ancestor(head.sha, first.sha)
    repo.git("checkout", "-q", "-b", "change", "HEAD~1")
    assert git.default_branch() == "main"
    assert git.merge_base("main", "change").subject == "Move the aim"


def test_worktree_changes_are_what_differs_from_head(repo):
    (repo.root / "records/aims/AIM-01.yaml").write_text(AIM)
    (repo.root / "records/aims/AIM-2.yaml").write_text(AIM.replace("AIM-1", "AIM-2"))
    changes = {(c.status, c.new_path) for c in GitRepo(repo.root).worktree_changes()}
    assert changes == {("M", "records/aims/AIM-01.yaml"), ("A", "records/aims/AIM-2.yaml")}


def test_one_blob_reader_reads_many_blobs(repo):
    git = GitRepo(repo.root)
    blobs = [f.cache_key[2] for sha in (git.resolve("HEAD").sha, git.resolve("HEAD~1").sha)
             for f in git.record_files_at(sha)]
    with BlobReader(git) as reader:
        contents = reader.read_many(blobs)
    assert sorted(contents.values()) == sorted([AIM.encode(), AIM.replace("active", "retired").encode()])


def test_a_folder_outside_git_is_a_sentence(tmp_path):
    with pytest.raises(TraceError, match="git"):
        GitRepo(tmp_path)


def test_history_read_in_the_background_is_the_history_read_in_the_foreground(repo):
    ahead = GitRepo(repo.root)
    ahead.read_history_soon()
    assert ahead.record_history() == GitRepo(repo.root).record_history() != []


def test_a_failure_of_the_background_read_is_raised_where_the_history_is_asked_for(repo):
    ahead = GitRepo(repo.root)
    ahead.read_history_soon(rev="--no-such-option")  # git refuses it, in the background
    with pytest.raises(TraceError, match=r"git log failed: .*no-such-option"):
        ahead.record_history(rev="--no-such-option")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="only a forked child shares its parent's background read")
def test_a_forked_child_reads_the_history_itself_rather_than_wait_for_its_parents_git(repo, monkeypatch):
    from learntrace.parallel import run_side_by_side

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    ahead = GitRepo(repo.root)
    ahead.read_history_soon()
    made = run_side_by_side({"here": lambda: (os.getpid(), ahead.record_history()),
                             "child": lambda: (os.getpid(), ahead.record_history())})
    assert made["here"][0] != made["child"][0]
    assert made["child"][1] == made["here"][1] == GitRepo(repo.root).record_history() != []


def test_many_blobs_come_back_whole_and_each_under_its_own_id(tmp_path):
    # More than a pipe holds, asked for in one stream: each answer must still be the blob asked for.
    builder = GitRepoBuilder(tmp_path / "many")
    texts = {f"records/aims/AIM-{n}.yaml": AIM.replace("AIM-1", f"AIM-{n}") + "notes: " + "x" * (n % 700) + "\n"
             for n in range(1, 1501)}
    builder.commit("Many aims", "2022-01-10T09:00:00", texts)
    git = GitRepo(builder.root)
    files = git.record_files_at(git.resolve("HEAD").sha)
    assert {f.path: f.content.decode() for f in files} == texts


def test_a_blob_missing_from_the_clone_is_a_sentence_not_a_hang(repo):
    git = GitRepo(repo.root)
    blobs = [f.cache_key[2] for f in git.record_files_at(git.resolve("HEAD").sha)]
    with BlobReader(git) as reader, pytest.raises(TraceError, match="clone may be incomplete"):
        reader.read_many([*blobs, "0" * 40, *blobs * 2000])
