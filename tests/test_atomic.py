"""Files trace writes are never half-written: one file, or several all-or-none (journal.apply_changes)."""

from __future__ import annotations

import os
import stat

import pytest

from learntrace import atomic, journal
from learntrace.errors import TraceError
from learntrace.journal import FileChange


def test_a_replaced_file_keeps_its_mode_and_no_temporary_file_stays(tmp_path):
    target = tmp_path / "ACT-1.yaml"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    atomic.write_atomically(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ACT-1.yaml"]


def test_a_new_file_gets_the_usual_mode_not_mkstemps_0600(tmp_path):
    target = tmp_path / "new.yaml"
    atomic.write_atomically(target, b"x\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_several_files_change_together_or_not_at_all(tmp_path, monkeypatch):
    real_replace = _second_replace_fails(tmp_path, monkeypatch)
    with pytest.raises(TraceError, match="No space left on device; no file was changed"):
        journal.apply_changes(tmp_path, [FileChange("a.yaml", b"a\n", b"A\n"), FileChange("b.yaml", b"b\n", b"B\n"),
                                         FileChange("c/new.yaml", None, b"N\n"),
                                         FileChange("gone.yaml", b"gone\n", None)])
    monkeypatch.setattr(os, "replace", real_replace)
    _assert_as_before(tmp_path)
    assert not journal.pending(tmp_path)


def test_all_writes_and_removes_land(tmp_path):
    (tmp_path / "gone.yaml").write_bytes(b"gone\n")
    journal.apply_changes(tmp_path, [FileChange("c/new.yaml", None, b"N\n"), FileChange("gone.yaml", b"gone\n", None)])
    assert (tmp_path / "c" / "new.yaml").read_bytes() == b"N\n" and not (tmp_path / "gone.yaml").exists()


def test_apply_atomically_changes_several_files_together_or_not_at_all(tmp_path, monkeypatch):
    real_replace = _second_replace_fails(tmp_path, monkeypatch)
    with pytest.raises(OSError):
        atomic.apply_atomically(tmp_path, [("a.yaml", b"A\n"), ("b.yaml", b"B\n"), ("c/new.yaml", b"N\n")],
                                removes=["gone.yaml"])
    monkeypatch.setattr(os, "replace", real_replace)
    _assert_as_before(tmp_path)


def test_apply_atomically_lands_every_write_and_remove(tmp_path):
    (tmp_path / "gone.yaml").write_bytes(b"gone\n")
    atomic.apply_atomically(tmp_path, [("c/new.yaml", b"N\n")], removes=["gone.yaml"])
    assert (tmp_path / "c" / "new.yaml").read_bytes() == b"N\n" and not (tmp_path / "gone.yaml").exists()


def _second_replace_fails(root, monkeypatch):
    """Three files to change, and a disk that fills up on the second rename; returns the real os.replace."""
    (root / "a.yaml").write_bytes(b"a\n")
    (root / "b.yaml").write_bytes(b"b\n")
    (root / "gone.yaml").write_bytes(b"gone\n")
    real_replace = os.replace
    calls = []

    def replace_then_fail(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_fail)
    return real_replace


def _assert_as_before(root):
    assert (root / "a.yaml").read_bytes() == b"a\n"
    assert (root / "b.yaml").read_bytes() == b"b\n"
    assert (root / "gone.yaml").read_bytes() == b"gone\n"
    assert not (root / "c" / "new.yaml").exists()
    assert not [p for p in root.rglob(f"*{atomic.TEMP_SUFFIX}")]
