"""The package installs from anywhere: the wheel and sdist that `python -m build` makes from a clean copy of
HEAD install in a fresh virtualenv with no source tree, carry the schemas and templates, and every command
works from them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import click
import pytest
from conftest import VALID_RECORDS, write_records
from gitrepo import GitRepoBuilder
from venvs import venv_with_current_packages

from learntrace import __version__
from learntrace.cli import cli

REPO = Path(__file__).resolve().parent.parent
HELP_EVERY_COMMAND = """
import click
from click.testing import CliRunner
from learntrace.cli import cli
for name in cli.list_commands(click.Context(cli)):
    print(name, CliRunner().invoke(cli, [name, "--help"]).exit_code)
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and wheel built once per session from `git archive HEAD` (no work-tree leftovers)."""
    work = tmp_path_factory.mktemp("build")
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=REPO, capture_output=True, check=False)
    if archive.returncode != 0:
        pytest.fail(f"git archive HEAD failed in {REPO}: {archive.stderr.decode(errors='replace')}")
    source = work / "source"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(source, filter="data")
    # --no-isolation: the build backend (hatchling) comes from the test dependencies, not the network.
    # Without --sdist/--wheel, build makes the sdist and then the wheel from it: the sdist is complete.
    built = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(work / "dist"),
                            str(source)], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    return work / "dist"


def _one(dist: Path, pattern: str) -> Path:
    (found,) = dist.glob(pattern)
    return found


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("TRACE_CONFIG", "PYTHONPATH")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def _install(tmp_path: Path, dist: Path, package: Path, name: str) -> Path:
    venv = tmp_path / name
    venv_with_current_packages(venv)
    installed = _run(venv, "python", "-m", "pip", "install", "-q", "--no-index", "--find-links", str(dist),
                     "--no-build-isolation", str(package), cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv


def test_the_wheel_carries_the_schemas_and_templates_and_nothing_of_the_repository(dist):
    names = zipfile.ZipFile(_one(dist, "learntrace-*.whl")).namelist()
    assert f"learntrace-{__version__}.dist-info/METADATA" in names
    for expected in ("learntrace/data/schemas/action.schema.json", "learntrace/data/templates/report.html.j2",
                     "learntrace/data/templates/init/dot-github/workflows/records.yml",
                     "learntrace/data/templates/init/trace.toml"):
        assert expected in names
    assert not [name for name in names if name.startswith(("records/", "tests/", "reports/"))]
    metadata = zipfile.ZipFile(_one(dist, "learntrace-*.whl")).read(f"learntrace-{__version__}.dist-info/METADATA")
    assert b"Project-URL: Repository, https://github.com/" in metadata


def test_every_command_works_from_the_installed_wheel(dist, tmp_path):
    venv = _install(tmp_path, dist, _one(dist, "learntrace-*.whl"), "venv-wheel")
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert _run(venv, "trace", "--version", cwd=work).stdout == f"trace {__version__}\n"
    where = _run(venv, "python", "-c", "import learntrace.schema as s; print(s.__file__); "
                 "print(s.data_dir('schemas')); print(s.data_dir('templates'))", cwd=work)
    assert all(line.startswith(str(venv)) for line in where.stdout.splitlines()), where.stdout
    # Every command answers --help from the wheel (in one process: starting twenty would be slow).
    helped = _run(venv, "python", "-c", HELP_EVERY_COMMAND, cwd=work)
    assert helped.stdout.splitlines() == [f"{name} 0" for name in cli.list_commands(click.Context(cli))], helped.stderr

    made = _run(venv, "trace", "init", "derby", "--partnership", "Derby SCP", cwd=work)
    assert made.returncode == 0, made.stderr
    root = work / "derby"
    assert (root / ".github/workflows/records.yml").is_file() and (root / "schemas/action.schema.json").is_file()
    assert _run(venv, "trace", "validate", cwd=root).stdout == "All good: 0 record(s), no problems.\n"
    write_records(root, dict(VALID_RECORDS))
    repo = GitRepoBuilder(root)
    repo.commit("records", "2022-01-10T12:00:00")
    for args, status in ((["validate"], 0), (["gaps", "--as-of", "2022-01-10"], 1), (["coverage"], 0),
                         (["matrix"], 0), (["show", "REC-1"], 0), (["diff", "HEAD", "HEAD"], 0),
                         (["log", "--since", "2022-01-01"], 0), (["export", "csv", "--kind", "action"], 0),
                         (["schemas"], 0), (["report", "--quarter", "2021-22 Q4", "--format", "html,md"], 0)):
        result = _run(venv, "trace", *args, cwd=root)
        assert (result.returncode, result.stderr) == (status, ""), (args, result.stdout)
    assert _run(venv, "trace", "gaps", "--as-of", "2022-01-10", cwd=root).stdout.endswith(
        "1 gap(s) as of 2022-01-10, 1 failing.\n")
    assert "Case X thematic review" in (root / "reports/2021-22-Q4/report.html").read_text(encoding="utf-8")


def test_the_sdist_installs_too(dist, tmp_path):
    venv = _install(tmp_path, dist, _one(dist, "learntrace-*.tar.gz"), "venv-sdist")
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert _run(venv, "trace", "--version", cwd=work).stdout == f"trace {__version__}\n"
    assert _run(venv, "trace", "init", "derby", "--partnership", "Derby SCP", cwd=work).returncode == 0
    assert _run(venv, "trace", "validate", cwd=work / "derby").stdout == "All good: 0 record(s), no problems.\n"
