"""--out onto something that is not a regular file, and records that are symbolic links: written in place,
followed inside the repository, or refused with a sentence; never replaced by a regular file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, run, write_records

EXPORT = ("export", "csv", "--kind", "action", "--out")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_records(tmp_path / "repo", dict(VALID_RECORDS))


@pytest.fixture
def header(root: Path) -> str:
    """The first line of the export as written to the screen: what --out must write too."""
    return run(root, "export", "csv", "--kind", "action").stdout.splitlines()[0]


def test_out_onto_a_named_pipe_writes_into_it(root, tmp_path, header):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run(root, *EXPORT, str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received and received[0].decode("utf-8-sig").splitlines()[0] == header
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root")
def test_out_onto_a_character_device_writes_into_it(root, tmp_path):
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the null device, made here
    result = run(root, *EXPORT, str(device))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(device.lstat().st_mode)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not sys.platform.startswith("linux"),
                    reason="/dev/null can only be replaced by root, which is what this guards against")
def test_out_dev_null_as_root_leaves_the_device(root):
    try:
        result = run(root, *EXPORT, "/dev/null")
        assert result.exit_code == 0, result.output
        assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    finally:  # should it ever have been replaced, give the machine its device back
        if not stat.S_ISCHR(os.lstat("/dev/null").st_mode):
            os.remove("/dev/null")
            os.mknod("/dev/null", stat.S_IFCHR | 0o666, os.makedev(1, 3))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/dev/stdout is a link to /proc/self/fd/1 on Linux")
def test_out_dev_stdout_writes_the_data_to_stdout_and_the_message_to_stderr(root, header):
    try:
        done = subprocess.run([sys.executable, "-m", "learntrace", "--root", str(root), *EXPORT, "/dev/stdout"],
                              capture_output=True, check=False, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.decode("utf-8-sig").splitlines()[0] == header
        assert done.stderr == b"Wrote 1 action(s) to /dev/stdout.\n"
        assert os.path.islink("/dev/stdout")
    finally:  # as root, a regression would replace the machine's /dev/stdout: put the link back
        if not os.path.islink("/dev/stdout") and os.geteuid() == 0:
            os.remove("/dev/stdout")
            os.symlink("/proc/self/fd/1", "/dev/stdout")


def test_out_through_a_link_to_a_file_in_the_repository_replaces_the_file_and_keeps_the_link(root, header):
    (root / "exports").mkdir()
    target = root / "exports/actions.csv"
    target.write_text("old\n", encoding="utf-8")
    link = root / "latest.csv"
    link.symlink_to("exports/actions.csv")
    result = run(root, *EXPORT, str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "exports/actions.csv"
    assert target.read_text(encoding="utf-8-sig").splitlines()[0] == header


def test_out_through_a_link_to_a_file_outside_the_repository_is_refused(root, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    link = root / "out.csv"
    link.symlink_to(outside)
    result = run(root, *EXPORT, str(link))
    assert result.exit_code == 2
    assert result.output == (f"Error: {link} is a link to {outside}, outside {root}; trace replaces a file through "
                             "a link only inside the repository: give the path of the file itself\n")
    assert outside.read_text(encoding="utf-8") == "keep me\n" and link.is_symlink()


def test_out_through_a_dangling_link_is_refused(root, tmp_path):
    link = root / "out.csv"
    link.symlink_to(tmp_path / "missing.csv")
    result = run(root, *EXPORT, str(link))
    assert result.exit_code == 2
    assert result.output == (f"Error: {link} is a link to {tmp_path / 'missing.csv'}, which does not exist; give the "
                             "path of the file itself\n")
    assert not (tmp_path / "missing.csv").exists()


def test_out_onto_a_folder_says_so(root):
    (root / "exports").mkdir()
    result = run(root, *EXPORT, str(root / "exports"))
    assert result.exit_code == 2
    assert "is a folder" in result.output or "is a directory" in result.output


# --- records that are links ---------------------------------------------------------------------------

def test_a_record_that_is_a_link_is_refused_and_left_as_it_is(root):
    """trace never follows a link under records/ (one rule for the working tree and git history, see
    docs/security-notes.md), so a linked record is not a record it can edit: it says so and changes nothing."""
    actions = root / "records/actions"
    (actions / "ACT-1.yaml").rename(actions / ".ACT-1.shared")  # a hidden name: not read as a record itself
    (actions / "ACT-1.yaml").symlink_to(".ACT-1.shared")
    before = (actions / ".ACT-1.shared").read_bytes()
    result = run(root, "set", "ACT-1", "rag", "red")
    assert result.exit_code == 2
    assert result.output == ("Error: records/actions/ACT-1.yaml cannot be read as a record; fix it first (see trace "
                             "validate)\n")
    assert (actions / "ACT-1.yaml").is_symlink() and (actions / ".ACT-1.shared").read_bytes() == before


def test_a_record_that_links_outside_the_records_is_not_edited(root, tmp_path):
    outside = tmp_path / "ACT-1.yaml"
    (root / "records/actions/ACT-1.yaml").rename(outside)
    (root / "records/actions/ACT-1.yaml").symlink_to(outside)
    before = outside.read_bytes()
    result = run(root, "set", "ACT-1", "rag", "red")
    assert result.exit_code == 2
    assert result.output == ("Error: records/actions/ACT-1.yaml cannot be read as a record; fix it first (see trace "
                             "validate)\n")
    assert outside.read_bytes() == before and (root / "records/actions/ACT-1.yaml").is_symlink()


def test_renaming_a_record_that_is_a_link_is_refused_and_moves_nothing(root):
    actions = root / "records/actions"
    (actions / "ACT-1.yaml").rename(actions / ".ACT-1.shared")
    (actions / "ACT-1.yaml").symlink_to(".ACT-1.shared")
    result = run(root, "rename", "ACT-1", "ACT-9")
    assert result.exit_code == 2
    assert (actions / "ACT-1.yaml").is_symlink() and not os.path.lexists(actions / "ACT-9.yaml")
