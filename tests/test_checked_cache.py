"""The working tree's checked records kept whole (learntrace/checked_cache.py): `trace gaps` after `trace
validate` on the same files takes them as they are, and never when anything they depend on has changed."""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, run, write_records

from learntrace.cache import cache_file
from learntrace.checked_cache import CHECKED_FILE

PERSONAL = "id: AIM-1\ntitle: Safer sleeping\nstatus: active\nnotes: ring 07700 900123 about it\n"


@pytest.fixture
def settled_clock(monkeypatch) -> None:
    """The files written by a test are minutes old to the cache, so it keeps them (nothing is racy)."""
    real_now = time.time_ns
    monkeypatch.setattr("learntrace.cache._now", lambda: real_now() + 10 * 10**9)


def _kept(root: Path) -> Path:
    path = cache_file(root, os.environ)
    assert path is not None
    return path.with_name(CHECKED_FILE)


def _checking_refused(monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the records were checked again")

    monkeypatch.setattr("learntrace.snapshot.check_files", refuse)


def test_gaps_after_validate_takes_the_checked_records_without_checking_them_again(tmp_path, monkeypatch,
                                                                                   settled_clock):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    before = run(root, "gaps", "--as-of", "2022-01-01")
    assert run(root, "validate").exit_code == 0
    _checking_refused(monkeypatch)
    after = run(root, "gaps", "--as-of", "2022-01-01")
    assert (after.exit_code, after.stdout, after.stderr) == (before.exit_code, before.stdout, before.stderr)


def test_a_file_edited_since_is_checked_again(tmp_path, settled_clock):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    assert run(root, "validate").exit_code == 0
    aim = root / "records/aims/AIM-1.yaml"
    aim.write_text(aim.read_text().replace("status: active", "status: ACTIVE"))
    result = run(root, "validate")
    assert result.exit_code == 1
    assert result.stdout.startswith("records/aims/AIM-1.yaml:3:1: 'status' is 'ACTIVE', which is not allowed")


def test_a_file_added_or_removed_since_changes_the_answer(tmp_path, settled_clock):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    assert run(root, "validate").stdout == "All good: 6 record(s), no problems.\n"
    (root / "records/outcomes/OUT-1.yaml").unlink()
    result = run(root, "validate")
    assert result.exit_code == 1 and "OUT-1" in result.stdout


def test_a_change_to_the_privacy_settings_is_not_answered_from_the_kept_records(tmp_path, monkeypatch,
                                                                                 settled_clock):
    root = write_records(tmp_path / "root", {**VALID_RECORDS, "records/aims/AIM-1.yaml": PERSONAL})
    monkeypatch.delenv("CI", raising=False)
    warned = run(root, "validate")
    assert warned.exit_code == 0 and "warning: this looks like a phone number" in warned.stdout
    monkeypatch.setenv("CI", "true")  # in CI, text that looks like personal data is an error
    failed = run(root, "validate")
    assert failed.exit_code == 1 and "warning: " not in failed.stdout
    (root / "trace.toml").write_text('[privacy]\nallow = ["07700 900123"]\n')
    allowed = run(root, "validate")
    assert (allowed.exit_code, allowed.stdout) == (0, "All good: 6 record(s), no problems.\n")


def test_records_changed_too_recently_are_not_kept(tmp_path, monkeypatch):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))  # written now: a later edit may share the time
    assert run(root, "validate").exit_code == 0
    assert not _kept(root).exists()


def test_no_cache_neither_keeps_nor_reads_checked_records(tmp_path, monkeypatch, settled_clock):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    assert run(root, "--no-cache", "validate").exit_code == 0
    assert not _kept(root).exists()
    assert run(root, "validate").exit_code == 0
    assert _kept(root).exists()
    _checking_refused(monkeypatch)
    refused = run(root, "--no-cache", "validate")  # the refusal is reported as trace's own failure
    assert refused.exit_code == 2 and "the records were checked again" in refused.stderr


def _tamper(path: Path, change) -> None:
    key, records, problems = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps(change(key, records, problems)))


TAMPERED = {
    "not-a-tuple": lambda key, records, problems: [key, records, problems],
    "other-key": lambda key, records, problems: ("0" * 64, records, problems),
    "unknown-kind": lambda key, records, problems: (key, [("spaceship", *records[0][1:]), *records[1:]], problems),
    "data-with-a-set": lambda key, records, problems: (
        key, [(*records[0][:3], {"title": {"x"}}, records[0][4]), *records[1:]], problems),
    "positions-not-bytes": lambda key, records, problems: (key, [(*records[0][:4], {}), *records[1:]], problems),
    "problem-short": lambda key, records, problems: (key, records, [("records/x.yaml", 1, 1, "schema")]),
    "problem-severity-unknown": lambda key, records, problems: (
        key, records, [("records/x.yaml", 1, 1, "schema", "m", None, "mild")]),
    "records-dropped": lambda key, records, problems: (key, (), problems),
}


@pytest.mark.parametrize("change", TAMPERED.values(), ids=TAMPERED.keys())
def test_kept_records_of_the_wrong_shape_are_a_miss_not_a_crash(tmp_path, settled_clock, change):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    fresh = run(root, "--no-cache", "gaps", "--as-of", "2022-01-01", "--format", "json")
    assert run(root, "validate").exit_code == 0
    _tamper(_kept(root), change)
    result = run(root, "gaps", "--as-of", "2022-01-01", "--format", "json")
    assert (result.exit_code, result.stdout, result.stderr) == (fresh.exit_code, fresh.stdout, fresh.stderr)


def test_kept_records_that_are_not_marshal_data_are_a_miss(tmp_path, settled_clock):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    assert run(root, "validate").exit_code == 0
    _kept(root).write_bytes(b"\x00garbage")
    result = run(root, "validate")
    assert (result.exit_code, result.stdout) == (0, "All good: 6 record(s), no problems.\n")


def test_at_a_commit_never_reads_the_working_trees_kept_records(tmp_path, monkeypatch, settled_clock):
    from gitrepo import GitRepoBuilder

    root = tmp_path / "root"
    repo = GitRepoBuilder(root)
    repo.commit("the records", "2022-01-01T12:00:00", dict(VALID_RECORDS))
    assert run(root, "validate").exit_code == 0
    aim = root / "records/aims/AIM-1.yaml"
    aim.write_text(aim.read_text().replace("status: active", "status: ACTIVE"))
    assert run(root, "validate").exit_code == 1  # the working tree's set, kept again
    at = run(root, "--at", "HEAD", "validate")
    assert (at.exit_code, at.stdout) == (0, "All good: 6 record(s), no problems.\n")
