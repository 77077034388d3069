"""A second partnership adopts trace: `trace init`, then the whole loop through the command line on the
new repository (from its first day), its workflows through actionlint and its pre-commit configuration
through pre-commit, with the hook installed from this repository's checkout."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from gitrepo import GitRepoBuilder

from learntrace import __version__
from learntrace.cli import cli
from learntrace.periods import default_quarter, quarter_containing

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def trace(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)


def _tool(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; install the test dependencies: pip install -e '.[test]'")
    return str(found)


def _new_repository(root: Path, partnership: str = "Derby and Derbyshire SCP") -> GitRepoBuilder:
    result = CliRunner().invoke(cli, ["init", str(root), "--partnership", partnership], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    repo = GitRepoBuilder(root)
    return repo


def test_the_first_day_loop_on_a_new_repository(tmp_path):
    root = tmp_path / "derby"
    repo = _new_repository(root)
    today = dt.datetime.now(dt.UTC).replace(microsecond=0)
    repo.commit("Start the records", today.strftime("%Y-%m-%dT%H:%M:%S"))

    steps = [
        ("new", "source", "--title", "Case A local review", "--type", "local-review", "--published", "2025-06",
         "--document", "Case A review", "--section", "Title page"),
        ("new", "recommendation", "--source", "SRC-CLR", "--text", "Relaunch the safer sleeping guidance.",
         "--aims", "all", "--status", "open", "--document", "Case A review", "--section", "Recommendation 1"),
        ("new", "action", "--title", "Relaunch the guidance", "--owner", "Steering group", "--status",
         "in-progress", "--target", "ongoing", "--addresses", "REC-CLR-1", "--document", "Plan", "--section", "Row 1"),
    ]
    for args in steps:
        result = trace(root, *args)
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[-1].startswith("Created records/")  # a source's id comes from its title
    assert trace(root, "validate").output == "All good: 3 record(s), no problems.\n"
    gaps = trace(root, "gaps")
    assert gaps.exit_code == 0, gaps.output
    assert gaps.output.endswith("0 gap(s) as of " + dt.date.today().isoformat() + ", 0 failing.\n")
    repo.commit("The first review", today.strftime("%Y-%m-%dT%H:%M:%S"))

    # The last complete quarter ended before the records began: the report is the current quarter to date.
    report = trace(root, "report")
    assert report.exit_code == 0, report.output
    current = quarter_containing(dt.date.today(), 4)
    lines = report.output.splitlines()
    assert lines[0] == (f"The records begin on {today.day} {today:%B %Y}, after the last complete quarter ended, "
                        f"so this report is for the current quarter, {current.name}, to date.")
    assert lines[-2:] == [f"Wrote {root / 'reports' / current.slug / 'report.html'}",
                          f"Wrote {root / 'reports' / current.slug / 'report.md'}"]
    assert "Case A local review" in (root / "reports" / current.slug / "report.md").read_text(encoding="utf-8")


def test_on_the_first_day_the_yearly_report_is_the_current_year_to_date(tmp_path):
    root = tmp_path / "derby"
    repo = _new_repository(root)
    repo.commit("records", "2026-05-10T12:00:00", {"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: x\nstatus: active\n"})
    result = trace(root, "report", "--year", "--as-of", "2026-06-01", "--format", "md")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("The records begin on 10 May 2026, after the last complete reporting year ended, so this "
                        "report is for the current year, 2026-27, to date.")
    assert lines[-1] == f"Wrote {root / 'reports' / '2026-27' / 'yearly.md'}"
    named = trace(root, "report", "--year", "2025-26", "--as-of", "2026-06-01", "--format", "md")
    assert named.exit_code == 2 and "ends before the records begin" in named.stderr


def test_a_named_quarter_before_the_records_begin_is_still_refused(tmp_path):
    root = tmp_path / "derby"
    repo = _new_repository(root)
    repo.commit("records", "2026-05-10T12:00:00", {"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: x\nstatus: active\n"})
    result = trace(root, "report", "--quarter", "2025-26 Q4")
    assert result.exit_code == 2
    assert "ends before the records begin" in result.stderr


@pytest.mark.parametrize(("today", "begins", "expected", "first_days"), [
    (dt.date(2026, 12, 1), dt.date(2026, 12, 1), "2026-27-Q3", True),    # the first day
    (dt.date(2026, 12, 1), dt.date(2026, 9, 30), "2026-27-Q2", False),   # the last quarter has a day of records
    (dt.date(2026, 12, 1), None, "2026-27-Q2", False),                   # no records: build_report says so
    (dt.date(2027, 1, 1), dt.date(2026, 12, 1), "2026-27-Q3", False),    # the first quarter is now complete
])
def test_the_default_quarter_is_the_last_complete_one_unless_the_records_begin_after_it(
        today, begins, expected, first_days):
    period, said = default_quarter(today, begins, 4)
    assert (period.slug, said) == (expected, first_days)


def test_the_generated_workflows_pass_actionlint(tmp_path):
    root = tmp_path / "derby"
    _new_repository(root, 'Derby "City": Ærø')
    workflows = sorted((root / ".github/workflows").glob("*.yml"))
    assert [path.name for path in workflows] == ["quarterly-report.yml", "records.yml", "yearly-report.yml"]
    result = subprocess.run([_tool("actionlint"), "-no-color", *map(str, workflows)], cwd=root,
                            capture_output=True, text=True, timeout=120, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.fixture(scope="module")
def pre_commit_home(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Under pytest's cache: pre-commit keys its hook environments by repository and revision, so a
    # second run at the same commit reuses the environment instead of installing trace again.
    # (Without the cache plugin, -p no:cacheprovider, a fresh folder.)
    cache = getattr(request.config, "cache", None)
    return Path(cache.mkdir("pre-commit-home")) if cache is not None else tmp_path_factory.mktemp("pre-commit-home")


def test_the_generated_pre_commit_config_runs_the_hook_from_this_checkout(tmp_path, pre_commit_home):
    root = tmp_path / "derby"
    repo = _new_repository(root)
    config = root / ".pre-commit-config.yaml"
    text = config.read_text(encoding="utf-8")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True)
    # No network but the package index: the hook's repository is this checkout, at its own commit.
    assert f"rev: v{__version__}\n" in text
    config.write_text(text.replace("repo: https://github.com/your-org/trace", f"repo: {REPO}")
                      .replace(f"rev: v{__version__}", f"rev: {head.stdout.strip()}"), encoding="utf-8")
    repo.commit("Start the records", "2026-12-01T09:00:00")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("TRACE_CONFIG", None)

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run([_tool("pre-commit"), "run", "--all-files", "--color", "never"], cwd=root, env=env,
                              capture_output=True, text=True, timeout=600, check=False)

    passed = pre_commit()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "trace validate" in passed.stdout and "Passed" in passed.stdout
    (root / "records/actions/ACT-1.yaml").write_text("id: ACT-1\ntitle: x\nowner: y\nstatus: begun\ntarget: tba\n")
    repo.git("add", "-A")
    failed = pre_commit()
    assert failed.returncode == 1
    assert "records/actions/ACT-1.yaml:4:1: 'status' is 'begun', which is not allowed" in failed.stdout
