"""The pull request is the attacker (issue 12, section 1): CI must not take its word.

A pull request can commit anything to the records' folder, so the record cache is not there any more
(it is in the user's cache folder, conftest points XDG_CACHE_HOME at a temporary one); what is read
from the cache is checked before it is used; and the report's templates can neither run code nor
come from outside the repository.
"""

from __future__ import annotations

import marshal
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, run, write_records
from gitrepo import GitRepoBuilder

from learntrace.cache import CACHE_FILE, cache_file, fingerprint
from learntrace.load import RecordFile, scan_worktree
from learntrace.schema import data_dir
from learntrace.snapshot import _checked_file

ACTION = VALID_RECORDS["records/actions/ACT-1.yaml"]
LATER = ACTION.replace("target: 2022-01..2022-06", "target: 2030-01..2030-06")


def _forged_cache(entries: dict[tuple[object, ...], object]) -> bytes:
    """A cache file as trace would write it, holding entries chosen by an attacker."""
    return marshal.dumps((fingerprint(data_dir("schemas")), 0, {key: (0, entry) for key, entry in entries.items()}))


def _pull_request(root: Path) -> tuple[GitRepoBuilder, str]:
    """main has ACT-1 due in 2030; the branch moves it to 2022, which opens an overdue-action gap."""
    repo = GitRepoBuilder(root)
    repo.commit("Records", "2022-01-10T09:00:00", dict(VALID_RECORDS, **{"records/actions/ACT-1.yaml": LATER}))
    repo.git("checkout", "-q", "-b", "change")
    repo.commit("Bring ACT-1 forward", "2022-02-10T09:00:00", {"records/actions/ACT-1.yaml": ACTION})
    blob = repo.git("rev-parse", "main:records/actions/ACT-1.yaml").strip()
    return repo, blob


def test_a_cache_committed_by_the_pull_request_cannot_hide_the_gap_it_opens(tmp_path):
    repo, blob = _pull_request(tmp_path / "pr")
    # The attacker's entry says main's ACT-1 was already overdue, so the gap would look old.
    lie = _checked_file(RecordFile("records/actions/ACT-1.yaml", ACTION.encode()))
    forged = _forged_cache({("b", "records/actions/ACT-1.yaml", blob): lie})
    for name in ("records-v3.marshal", CACHE_FILE):
        (repo.root / ".trace-cache").mkdir(exist_ok=True)
        (repo.root / ".trace-cache" / name).write_bytes(forged)
    repo.git("add", "-f", ".trace-cache")
    repo.commit("A helpful cache", "2022-02-11T09:00:00")
    result = run(repo.root, "gaps", "--baseline", "main", "--as-of", "2025-01-01")
    assert result.exit_code == 1
    assert "overdue-action: actions past their target and not complete (1)" in result.stdout
    assert "ACT-1" in result.stdout


def _limited_memory() -> None:
    # Reading /dev/zero would exhaust memory: fail fast instead of taking the machine down.
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _trace(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "learntrace", "--root", str(root), *args], capture_output=True,
                          text=True, timeout=120, preexec_fn=_limited_memory, env=os.environ.copy(), check=False)


def test_a_committed_cache_that_is_a_link_to_dev_zero_is_not_read(tmp_path):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    (root / ".trace-cache").mkdir()
    for name in ("records-v3.marshal", CACHE_FILE):
        os.symlink("/dev/zero", root / ".trace-cache" / name)
    result = _trace(root, "validate")
    assert (result.returncode, result.stdout, result.stderr) == (0, "All good: 6 record(s), no problems.\n", "")


@pytest.mark.parametrize("target", ["/dev/zero", "elsewhere.marshal"])
def test_the_users_cache_file_is_never_followed_through_a_link(tmp_path, target):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    path = cache_file(root, os.environ)
    assert path is not None
    path.parent.mkdir(parents=True)
    os.symlink(target, path)
    result = _trace(root, "validate")
    assert (result.returncode, result.stdout, result.stderr) == (0, "All good: 6 record(s), no problems.\n", "")
    assert not (path.parent / "elsewhere.marshal").exists()


def test_a_committed_cache_folder_that_links_elsewhere_is_never_written(tmp_path):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / ".trace-cache")
    assert run(root, "validate").exit_code == 0
    assert run(root, "validate").exit_code == 0
    assert list(elsewhere.iterdir()) == []


def test_the_cache_lives_in_the_users_cache_folder_and_not_in_the_work_tree(tmp_path, user_cache_folder):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    assert run(root, "validate").exit_code == 0
    assert not (root / ".trace-cache").exists()
    (written,) = user_cache_folder.rglob("*.marshal")
    assert written == cache_file(root, os.environ)
    assert written.relative_to(user_cache_folder).parts[0] == "trace"


@pytest.fixture
def settled_clock(monkeypatch) -> None:
    """The files written by a test are minutes old to the cache, so it keeps them (nothing is racy)."""
    real_now = time.time_ns
    monkeypatch.setattr("learntrace.cache._now", lambda: real_now() + 10 * 10**9)


def test_a_cache_too_large_to_be_a_cache_is_not_read(tmp_path, monkeypatch, settled_clock):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    assert run(root, "validate").exit_code == 0
    path = cache_file(root, os.environ)
    assert path is not None and path.stat().st_size > 100
    monkeypatch.setattr("learntrace.cache.MAX_CACHE_BYTES", 100)
    parsed = []
    real = _checked_file

    def counting(file: RecordFile, entry: tuple[object, ...] | None = None) -> tuple[object, ...]:
        parsed.append(file.path)
        return real(file, entry)

    monkeypatch.setattr("learntrace.snapshot._checked_file", counting)
    assert run(root, "validate").exit_code == 0
    assert len(parsed) == 6  # every file read afresh


def _keys(root: Path) -> list[tuple[object, ...]]:
    """The cache keys of the base set, as trace makes them."""
    return [file.cache_key for file in scan_worktree(root) if file.cache_key is not None]


BAD_ENTRIES = {
    "not-a-tuple": ["ok"],
    "empty": (),
    "short": ("ok", "action", "ACT-1"),
    "unknown-tag": ("maybe", 1, 2),
    "unknown-kind": ("ok", "spaceship", "ACT-1", {}, b"", (), ()),
    "id-not-text": ("ok", "action", 5, {}, b"", (), ()),
    "data-a-list": ("ok", "action", "ACT-1", [], b"", (), ()),
    "data-with-a-set": ("ok", "action", "ACT-1", {"addresses": {"REC-1"}}, b"", (), ()),
    "data-with-bytes": ("ok", "action", "ACT-1", {"title": b"t"}, b"", (), ()),
    "positions-not-bytes": ("ok", "action", "ACT-1", {}, {}, (), ()),
    "problem-short": ("ok", "action", "ACT-1", {}, b"", ((1, 1, "schema"),), ()),
    "problem-line-text": ("ok", "action", "ACT-1", {}, b"", (("one", 1, "schema", "m", None),), ()),
    "candidate-unknown-kind": ("ok", "action", "ACT-1", {}, b"", (), ((1, 1, "shoe-size", "9"),)),
    "bad-without-problem": ("bad",),
    "bad-problem-wrong": ("bad", (1, 2, 3)),
}


@pytest.mark.parametrize("entry", BAD_ENTRIES.values(), ids=BAD_ENTRIES.keys())
def test_a_cache_entry_of_the_wrong_shape_is_a_miss_not_a_crash(tmp_path, entry):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    for file in (root / "records").rglob("*.yaml"):
        os.utime(file, ns=(1_600_000_000 * 10**9,) * 2)
    forged = _forged_cache({key: entry for key in _keys(root)})
    path = cache_file(root, os.environ)
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(forged)
    (root / ".trace-cache").mkdir()  # where trace looked before
    (root / ".trace-cache" / "records-v3.marshal").write_bytes(forged)
    result = run(root, "validate")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "All good: 6 record(s), no problems.\n", "")


def test_damaged_positions_in_a_cache_entry_only_lose_the_line_numbers(tmp_path):
    files = dict(VALID_RECORDS)
    files["records/aims/AIM-2.yaml"] = "id: AIM-2\ntitle: t\nstatus: done\n"
    root = write_records(tmp_path / "root", files)
    entries = {}
    for file in scan_worktree(root):
        entry = _checked_file(file.read())
        if entry[0] == "ok":
            entry = (*entry[:4], b"\x00damaged", *entry[5:])
        entries[file.cache_key] = entry
    path = cache_file(root, os.environ)
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(_forged_cache(entries))
    result = run(root, "gaps", "--as-of", "2022-01-01")
    assert result.exit_code == 1 and "Error" not in result.stderr
    assert result.stderr.startswith("records/aims/AIM-2.yaml:3:1: 'status' is 'done'")  # kept with the problem


def test_editing_a_file_in_place_and_putting_its_time_back_is_not_a_stale_answer(tmp_path, settled_clock):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    aim = root / "records/aims/AIM-1.yaml"
    old = (1_600_000_000 * 10**9,) * 2
    os.utime(aim, ns=old)
    assert run(root, "validate").exit_code == 0
    before = aim.stat()
    aim.write_text(aim.read_text().replace("status: active", "status: ACTIVE"))  # the same size
    os.utime(aim, ns=old)
    after = aim.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    result = run(root, "validate")
    assert result.exit_code == 1
    assert result.stdout.startswith("records/aims/AIM-1.yaml:3:1: 'status' is 'ACTIVE', which is not allowed")


def test_a_second_run_reads_every_unchanged_file_from_the_cache(tmp_path, monkeypatch, settled_clock):
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    assert run(root, "validate").exit_code == 0

    def parse(file: RecordFile, entry: tuple[object, ...] | None = None) -> tuple[object, ...]:
        raise AssertionError(f"{file.path} was parsed again")

    monkeypatch.setattr("learntrace.snapshot._checked_file", parse)
    assert run(root, "validate").stdout == "All good: 6 record(s), no problems.\n"


# --- the report's templates ---------------------------------------------------------------------------

def _report_repo(root: Path, toml: str, template: str | None = None) -> GitRepoBuilder:
    repo = GitRepoBuilder(root)
    files = dict(VALID_RECORDS, **{"trace.toml": toml})
    if template is not None:
        files["tpl/report.md.j2"] = template
    repo.commit("Records", "2022-01-10T09:00:00", files)
    return repo


def test_a_template_cannot_run_a_command(tmp_path):
    marker = tmp_path / "ran"
    attack = "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}\n"
    repo = _report_repo(tmp_path / "root", 'templates = "tpl"\n', attack)
    result = run(repo.root, "report", "--quarter", "2022Q1", "--format", "md", "--out", str(tmp_path / "out"))
    assert not marker.exists()
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the template report.md.j2 in ")
    assert "tried something a report template may not do" in result.stderr
    assert not list((tmp_path / "out").rglob("report.md"))


@pytest.mark.parametrize("templates", ["../elsewhere", "/tmp", "tpl/../.."])
def test_a_templates_folder_outside_the_root_is_refused(tmp_path, templates):
    (tmp_path / "elsewhere").mkdir()
    repo = _report_repo(tmp_path / "root", f'templates = "{templates}"\n')
    result = run(repo.root, "validate")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: trace.toml: 'templates' is '{templates}', which is outside the folder that holds trace.toml; "
        'keep the report templates in this repository, such as templates = "templates"\n'
    )


def test_a_templates_folder_that_links_outside_the_root_is_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    repo = _report_repo(tmp_path / "root", 'templates = "tpl"\n')
    os.symlink(tmp_path / "elsewhere", repo.root / "tpl")
    result = run(repo.root, "report", "--quarter", "2022Q1", "--format", "md", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "'templates' is 'tpl', which is outside the folder that holds trace.toml" in result.stderr


def test_a_well_shaped_entry_in_the_users_own_cache_is_used(tmp_path):
    """The control for the test above: the forged file is read, and only its shape decides."""
    root = write_records(tmp_path / "root", dict(VALID_RECORDS))
    aim = root / "records/aims/AIM-1.yaml"
    os.utime(aim, ns=(1_600_000_000 * 10**9,) * 2)
    (key,) = [file.cache_key for file in scan_worktree(root) if file.path == "records/aims/AIM-1.yaml"]
    entry = _checked_file(RecordFile("records/aims/AIM-1.yaml", b"id: AIM-1\ntitle: t\nstatus: done\n"))
    path = cache_file(root, os.environ)
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(_forged_cache({key: entry}))
    assert run(root, "validate").stdout.startswith("records/aims/AIM-1.yaml:3:1: 'status' is 'done'")


def test_the_sandbox_keeps_refusing_after_it_has_allowed_the_same_type():
    """The report's sandbox keeps a verdict per (type, attribute): allowing one attribute of a type
    must not allow another, however often the first was asked."""
    from jinja2.exceptions import SecurityError

    from learntrace.render.report import report_environment
    from learntrace.schema import data_dir

    env = report_environment(data_dir("templates"), "md")
    template = env.from_string("{% for _ in range(3) %}{{ gen.gi_running }}{% endfor %}{{ gen.gi_frame }}")
    with pytest.raises(SecurityError):
        template.render(gen=(n for n in range(2)))
    assert env.from_string("{{ gen.gi_running }}").render(gen=(n for n in range(2))) == "False"


def test_a_damaged_position_in_a_cache_entry_falls_back_to_its_parents_and_spares_the_others():
    import marshal

    from learntrace.model import LazyPositions, Record

    packed = marshal.dumps({(): (1, 1), ("id",): (1, 1), ("status",): (3, 1), ("addresses",): (4, 1),
                            ("addresses", 0): ("four", None), ("title",): (2, -1)})
    record = Record("action", "ACT-1", "records/actions/ACT-1.yaml", {}, LazyPositions(packed))
    assert record.line_of("status") == 3
    assert record.line_of("addresses", 0) == 4  # its own position is damaged: its field's line
    assert record.position_of("title") == (2, -1)
