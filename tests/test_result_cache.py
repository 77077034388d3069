"""Whole results of read-only commands (validate, gaps, coverage, similar) are kept in the user's cache and
given back while nothing they depend on has changed; anything that could change the answer is a miss."""

from __future__ import annotations

import json
import marshal
import os
import time

import pytest
from conftest import VALID_RECORDS, run, write_records
from gitrepo import GitRepoBuilder

from learntrace.cache import cache_file, now_ns
from learntrace.results import RESULTS_FOLDER

AS_OF = ("--as-of", "2022-09-30")


@pytest.fixture
def settled_clock(monkeypatch) -> None:
    """The files a test writes are minutes old to the cache, so results are kept (nothing is racy)."""
    real_now = time.time_ns
    monkeypatch.setattr("learntrace.cache._now", lambda: real_now() + 10 * 10**9)
    monkeypatch.setattr("learntrace.results.now_ns", lambda: real_now() + 10 * 10**9)


@pytest.fixture
def no_reading(monkeypatch):
    """After calling it, reading the records fails the test: a kept result must be given back instead."""

    def forbid() -> None:
        def refuse(*args, **kwargs):
            raise AssertionError("the records were read again")

        monkeypatch.setattr("learntrace.snapshot.load_snapshot", refuse)

    return forbid


def _results(root) -> list:
    path = cache_file(root, os.environ)
    folder = path.parent / RESULTS_FOLDER if path is not None else None
    return sorted(folder.glob("*.marshal")) if folder is not None and folder.is_dir() else []


@pytest.mark.parametrize("args", [("validate",), ("gaps", *AS_OF), ("gaps", "--format", "json", *AS_OF),
                                  ("coverage",), ("similar", "--threshold", "0.01")])
def test_a_second_run_gives_the_same_output_and_exit_code_without_reading_a_record(
        tmp_path, settled_clock, no_reading, args):
    root = write_records(tmp_path, dict(VALID_RECORDS))
    first = run(root, *args)
    assert len(_results(root)) == 1
    no_reading()
    again = run(root, *args)
    assert (again.exit_code, again.stdout, again.stderr) == (first.exit_code, first.stdout, first.stderr)


def test_other_options_are_another_result(tmp_path, settled_clock):
    root = write_records(tmp_path, dict(VALID_RECORDS))
    text, data = run(root, "gaps", *AS_OF), run(root, "gaps", "--format", "json", *AS_OF)
    assert text.stdout != data.stdout and json.loads(data.stdout)["as_of"] == "2022-09-30"
    later = json.loads(run(root, "gaps", "--format", "json", "--as-of", "2023-09-30").stdout)
    assert later["as_of"] == "2023-09-30"
    assert len(_results(root)) == 3


def test_a_file_edited_back_to_its_size_and_time_is_read_again(tmp_path, settled_clock):
    root = write_records(tmp_path, dict(VALID_RECORDS))
    path = root / "records/actions/ACT-1.yaml"
    assert run(root, "validate").exit_code == 0
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("in-progress", "in-pr0gress"), encoding="utf-8")  # the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same modification time
    again = run(root, "validate")
    assert again.exit_code == 1 and "in-pr0gress" in again.stdout


def test_a_file_changed_just_now_keeps_no_result(tmp_path, monkeypatch):
    monkeypatch.setattr("learntrace.results.now_ns", now_ns)  # the real clock (conftest stops it)
    root = write_records(tmp_path, dict(VALID_RECORDS))  # written this instant: a later edit could share its times
    assert run(root, "validate").exit_code == 0
    assert _results(root) == []


def test_other_settings_are_another_result(tmp_path, settled_clock):
    root = write_records(tmp_path, dict(VALID_RECORDS))
    assert run(root, "gaps", *AS_OF).exit_code == 1  # ACT-1 is overdue, and overdue actions fail by default
    (root / "trace.toml").write_text('fail_on = ["unaddressed-recommendation"]\n', encoding="utf-8")
    assert run(root, "gaps", *AS_OF).exit_code == 0


def test_a_new_commit_is_another_result_though_the_work_tree_is_the_same(tmp_path, settled_clock):
    repo = GitRepoBuilder(tmp_path / "repo")
    repo.commit("Add the records", "2022-01-10T09:00:00", dict(VALID_RECORDS))
    first = run(repo.root, "--at", "HEAD", "validate")
    assert first.exit_code == 0
    # The commit now holds a broken action, while the work tree keeps the good one.
    good = (repo.root / "records/actions/ACT-1.yaml").read_text(encoding="utf-8")
    repo.commit("Break the action", "2022-02-10T09:00:00",
                {"records/actions/ACT-1.yaml": good.replace("in-progress", "stalled")})
    (repo.root / "records/actions/ACT-1.yaml").write_text(good, encoding="utf-8")
    os.utime(repo.root / "records/actions/ACT-1.yaml", ns=(0, 0))
    at_head = run(repo.root, "--at", "HEAD", "validate")
    assert at_head.exit_code == 1 and "stalled" in at_head.stdout


def test_in_a_github_job_nothing_is_kept_and_the_summary_is_written_every_time(tmp_path, settled_clock, monkeypatch):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run(root, "gaps", "--format", "github", *AS_OF)
    once = summary.read_text(encoding="utf-8")
    run(root, "gaps", "--format", "github", *AS_OF)
    assert once and summary.read_text(encoding="utf-8") == once * 2
    assert _results(root) == []


def test_no_cache_keeps_no_result(tmp_path, settled_clock):
    root = write_records(tmp_path, dict(VALID_RECORDS))
    assert run(root, "--no-cache", "validate").exit_code == 0
    assert _results(root) == []


def test_a_result_file_that_is_not_what_trace_wrote_is_ignored(tmp_path, settled_clock):
    root = write_records(tmp_path, dict(VALID_RECORDS))
    honest = run(root, "validate")
    (kept,) = _results(root)
    for planted in (b"not marshal at all", marshal.dumps(("another key", "All good, trust me\n", "", 0)),
                    marshal.dumps((kept.stem, ["a", "list"], "", 0)), marshal.dumps((kept.stem, "fake\n", "", True))):
        kept.write_bytes(planted)
        again = run(root, "validate")
        assert (again.exit_code, again.stdout) == (honest.exit_code, honest.stdout)


def test_only_the_newest_results_are_kept(tmp_path, settled_clock, monkeypatch):
    monkeypatch.setattr("learntrace.results.KEEP_RESULTS", 3)
    root = write_records(tmp_path, dict(VALID_RECORDS))
    for year in range(2020, 2026):
        run(root, "gaps", "--as-of", f"{year}-01-01")
    assert len(_results(root)) == 3


def test_a_change_to_the_tools_own_code_is_another_tool(tmp_path, settled_clock, monkeypatch):
    from learntrace import cache, snapshot

    package = tmp_path / "package"
    (package / "cli").mkdir(parents=True)
    (package / "cli" / "app.py").write_text("x = 1\n", encoding="utf-8")
    before = cache.code_stamp(package)
    os.utime(package / "cli" / "app.py", ns=(10**18, 10**18))  # edited: a new modification time
    assert cache.code_stamp(package) != before
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    loads = []
    real_load = snapshot.load_snapshot
    monkeypatch.setattr(snapshot, "load_snapshot", lambda *args, **kwargs: loads.append(1) or real_load(*args, **kwargs))
    run(root, "validate")
    run(root, "validate")
    assert len(loads) == 1  # the second run was given the kept result
    monkeypatch.setattr(cache, "code_stamp", lambda: "an edited trace")
    run(root, "validate")
    assert len(loads) == 2  # a result kept by other code is not trusted: the records are read again
