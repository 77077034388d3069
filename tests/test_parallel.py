"""Jobs run side by side in forked children give what running them in turn gives, raise what they raise,
and are done here when a child leaves nothing."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from learntrace import parallel
from learntrace.errors import TraceError

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="side by side needs fork; elsewhere jobs run in turn")


def _jobs(parent: int) -> dict[str, object]:
    big = bytes(range(256)) * 40_000  # 10 MB: more than any pipe holds
    return {"first": lambda: b"first " + str(os.getpid() == parent).encode(),
            "second": lambda: b"second " + str(os.getpid() == parent).encode(),
            "big": lambda: big}


def test_each_job_but_the_first_runs_in_a_child_and_its_bytes_come_back_whole(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    made = parallel.run_side_by_side(_jobs(os.getpid()))
    assert list(made) == ["first", "second", "big"]
    assert made["first"] == b"first True" and made["second"] == b"second False"
    assert made["big"] == bytes(range(256)) * 40_000


@pytest.mark.parametrize("why", ["one core", "another thread"])
def test_on_one_core_or_beside_another_thread_the_jobs_run_here_in_turn(monkeypatch, why):
    stop = threading.Event()
    if why == "one core":
        monkeypatch.setattr(os, "cpu_count", lambda: 1)
    else:
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
        threading.Thread(target=stop.wait, daemon=True).start()
    try:
        made = parallel.run_side_by_side(_jobs(os.getpid()))
    finally:
        stop.set()
    assert made["first"] == b"first True" and made["second"] == b"second True"


def test_what_a_child_raises_is_raised_here(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)

    def refuse() -> bytes:
        raise TraceError("the template tried something a report template may not do")

    with pytest.raises(TraceError, match="may not do"):
        parallel.run_side_by_side({"first": lambda: b"x", "second": refuse})


def test_a_job_whose_child_leaves_nothing_is_done_here(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parent = os.getpid()

    def dies_in_a_child() -> bytes:
        if os.getpid() != parent:
            os._exit(3)  # as a child killed half way would
        return b"done here"

    assert parallel.run_side_by_side({"first": lambda: b"x", "second": dies_in_a_child})["second"] == b"done here"


def _problems(found):
    return [(p.path, p.line, p.column, p.code, p.message) for p in found.problems]


def test_records_read_in_shares_side_by_side_are_those_read_in_turn(monkeypatch, tmp_path):
    """A first run splits the files among the cores; the records, problems and cache entries are the same."""
    from learntrace import snapshot
    from learntrace.cache import RecordCache
    from learntrace.load import scan_worktree


    shutil.copytree(REPO / "records", tmp_path / "records")
    (tmp_path / "records" / "actions" / "ACT-BROKEN.yaml").write_text("id: ACT-BROKEN\nkind: [unclosed\n")
    (tmp_path / "records" / "aims" / "AIM-CALL.yaml").write_text(
        "id: AIM-CALL\ntitle: Safer sleeping\nstatus: active\nnotes: call 07700 900123\n")
    files = list(scan_worktree(tmp_path))
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    in_turn = snapshot.load_snapshot(files)

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(snapshot, "SPLIT_FROM", 10)
    children = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: children.append(1) or real_fork())
    cache = RecordCache(None)
    side_by_side = snapshot.load_snapshot(files, cache)

    assert children, "the files were not shared out"
    assert [r.data for r in side_by_side.records] == [r.data for r in in_turn.records]
    assert [r.line_of("id") for r in side_by_side.records] == [r.line_of("id") for r in in_turn.records]
    assert _problems(side_by_side) == _problems(in_turn)
    assert {p.code for p in in_turn.problems} >= {"personal-data"}
    assert all(cache.record_entry(file.cache_key) is not None for file in files if file.cache_key)
