"""Both install modes give a working `trace` command and `python -m learntrace`, and never shadow the stdlib."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, write_records
from venvs import venv_with_current_packages as _venv_with_current_packages

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("editable", [False, True], ids=["pip-install", "pip-install-editable"])
def test_install_gives_working_command(tmp_path, editable):
    python = _venv_with_current_packages(tmp_path / "venv")
    install = [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation"]
    install += ["-e", str(REPO)] if editable else [str(REPO)]
    subprocess.run(install, check=True, cwd=tmp_path)
    records = write_records(tmp_path / "partnership", dict(VALID_RECORDS))
    env = {**os.environ, "PATH": f"{python.parent}{os.pathsep}{os.environ['PATH']}"}

    version = subprocess.run(["trace", "--version"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert version.stdout.strip() == "trace 0.1.0"
    module = subprocess.run([str(python), "-m", "learntrace", "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert module.stdout.strip() == "trace 0.1.0"
    checked = subprocess.run(["trace", "validate"], capture_output=True, text=True, env=env, cwd=records / "records")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "All good: 6 record(s), no problems."
    stdlib_trace = subprocess.run(
        [str(python), "-c", "import trace; print(trace.__file__)"], capture_output=True, text=True, cwd=tmp_path
    )
    assert stdlib_trace.stdout.strip() == str(Path(sysconfig.get_paths()["stdlib"], "trace.py"))


def test_stdlib_trace_is_imported_from_the_repository_root():
    result = subprocess.run(
        [sys.executable, "-c", "import trace; print(trace.__file__); print(hasattr(trace, 'Trace'))"],
        capture_output=True, text=True, cwd=REPO,
    )
    path, has_trace_class = result.stdout.split()
    assert path == str(Path(sysconfig.get_paths()["stdlib"], "trace.py"))
    assert has_trace_class == "True"
