"""The reusable action's scripts, run for real on temporary repositories with a stand-in for `gh`: the
pull-request check judged by the base branch's settings, a comment that is never stale, the install
step and the report's pull request."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import VALID_RECORDS, run, write_records
from gitrepo import GitRepoBuilder

REPO = Path(__file__).resolve().parent.parent
ACTION = REPO / "action"
BIN = Path(sys.executable).parent

FAKE_GH = """#!/usr/bin/env bash
# Stands in for GitHub's gh: records each call and the body it would post.
n=$(( $(find "$GH_LOG" -name '*.args' | wc -l) + 1 ))
printf '%s\\n' "$@" > "$GH_LOG/$n.args"
previous=""
for arg in "$@"; do
  if [ "$previous" = "--body-file" ]; then cp "$arg" "$GH_LOG/$n.body"; fi
  previous="$arg"
done
if [ "$1 $2" = "pr view" ]; then exit 1; fi
exit "${GH_EXIT:-0}"
"""

BASE_SETTINGS = 'partnership = "Test SCP"\nfail_on = "all"\n'


@pytest.fixture
def fake_bin(tmp_path: Path) -> Path:
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    (folder / "gh").write_text(FAKE_GH)
    (folder / "gh").chmod(0o755)
    (tmp_path / "gh-log").mkdir()
    return folder


def _env(tmp_path: Path, fake_bin: Path, **extra: str) -> dict[str, str]:
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key not in ("TRACE_CONFIG", "GITHUB_STEP_SUMMARY")}
    return {**env, "PATH": f"{fake_bin}{os.pathsep}{BIN}{os.pathsep}{env['PATH']}", "GH_LOG": str(tmp_path / "gh-log"),
            "RUNNER_TEMP": str(runner), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "CI": "true",
            "XDG_CACHE_HOME": str(tmp_path / "cache"), **extra}


def _gh_calls(tmp_path: Path) -> list[tuple[list[str], str | None]]:
    log = tmp_path / "gh-log"
    calls = []
    for n in range(1, len(list(log.glob("*.args"))) + 1):
        body = log / f"{n}.body"
        calls.append(((log / f"{n}.args").read_text().splitlines(),
                      body.read_text(encoding="utf-8") if body.exists() else None))
    return calls


@pytest.fixture
def pull_request(tmp_path: Path) -> GitRepoBuilder:
    """main with valid records and trace.toml, as origin/main; then a branch for the pull request."""
    repo = GitRepoBuilder(tmp_path / "repo")
    repo.commit("records", "2022-01-10T12:00:00", {**VALID_RECORDS, "trace.toml": BASE_SETTINGS})
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    repo.git("switch", "-q", "-c", "change")
    return repo


def _check(repo: GitRepoBuilder, tmp_path: Path, fake_bin: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    head = repo.git("rev-parse", "HEAD").strip()
    given = {"BASE_REF": "main", "PR_NUMBER": "7", "HEAD_SHA": head, "COMMENT": "true", "IS_FORK": "false",
             "RUN_URL": "https://github.example/run/1", **extra}
    env = _env(tmp_path, fake_bin, **given)
    return subprocess.run(["bash", str(ACTION / "check.sh")], cwd=repo.root, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def _unaddressed(action: str = VALID_RECORDS["records/actions/ACT-1.yaml"]) -> str:
    return textwrap.dedent(action).replace("addresses: [REC-1]\n", "")


def test_the_comment_shows_the_problems_while_invalid_then_the_changes_on_the_next_push(
        pull_request, tmp_path, fake_bin):
    invalid = VALID_RECORDS["records/actions/ACT-1.yaml"].replace("in-progress", "begun")
    first = pull_request.commit("a typo", "2022-01-11T12:00:00", {"records/actions/ACT-1.yaml": invalid})
    result = _check(pull_request, tmp_path, fake_bin)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "::error file=records/actions/ACT-1.yaml,line=4,col=1,title=trace validate::'status' is 'begun'" in (
        result.stdout)
    (args, body), = _gh_calls(tmp_path)
    assert args[:6] == ["pr", "comment", "7", "--edit-last", "--create-if-none", "--body-file"]
    assert body is not None
    assert body.startswith("### trace validate: 1 problem(s) in 1 file(s); 6 record(s) read\n")
    assert "| records/actions/ACT-1.yaml | 4 | 'status' is 'begun', which is not allowed" in body
    assert "The changes and the gaps they open are listed here once every record is valid." in body
    assert f"Checked commit {first}." in body

    second = pull_request.commit("fixed, but no longer addresses REC-1", "2022-01-12T12:00:00",
                                 {"records/actions/ACT-1.yaml": _unaddressed()})
    result = _check(pull_request, tmp_path, fake_bin)
    assert result.returncode == 1  # the change opens a gap
    # The gap is REC-1's, but the pull request changed ACT-1: the annotation is there, naming REC-1.
    assert "::error file=records/actions/ACT-1.yaml,line=1,title=trace gaps%3A REC-1::" in result.stdout
    calls = _gh_calls(tmp_path)
    assert len(calls) == 2 and calls[1][0][:5] == ["pr", "comment", "7", "--edit-last", "--create-if-none"]
    body = calls[1][1]
    assert body is not None and "trace validate" not in body
    assert "ACT-1" in body and "unaddressed-recommendation" in body
    assert f"Checked commit {second}." in body
    assert body.split("<sub>")[0].rstrip() in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_a_pull_request_cannot_loosen_the_settings_that_judge_it(pull_request, tmp_path, fake_bin):
    loosened = 'partnership = "Test SCP"\nfail_on = ["overdue-action"]\n\n[privacy]\nseverity = "warning"\n'
    aim = VALID_RECORDS["records/aims/AIM-1.yaml"] + "    notes: The family lives at SW1A 1AA.\n"
    pull_request.commit("loosen", "2022-01-11T12:00:00", {"trace.toml": loosened, "records/aims/AIM-1.yaml": aim})
    # By its own settings the pull request would pass validation: the check must not read them.
    own = subprocess.run([str(BIN / "trace"), "validate"], cwd=pull_request.root, capture_output=True, text=True,
                         env=_env(tmp_path, fake_bin), check=False)
    assert own.returncode == 0, own.stdout
    result = _check(pull_request, tmp_path, fake_bin)
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("::warning file=trace.toml,title=trace.toml changed::This pull request changes trace.toml. The check "
            "uses the settings of main; the new ones apply once this is merged") in result.stdout
    assert "::error file=records/aims/AIM-1.yaml,line=4" in result.stdout
    assert "looks like a full postcode" in result.stdout

    # Without the postcode, the gap the change opens fails the check although fail_on no longer lists it.
    pull_request.commit("open a gap", "2022-01-12T12:00:00", {"records/aims/AIM-1.yaml": VALID_RECORDS[
        "records/aims/AIM-1.yaml"], "records/actions/ACT-1.yaml": _unaddressed()})
    result = _check(pull_request, tmp_path, fake_bin)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "unaddressed-recommendation (failing)" in result.stdout


def test_an_unreadable_trace_toml_in_the_pull_request_is_an_error_on_one_line(pull_request, tmp_path, fake_bin):
    pull_request.commit("break it", "2022-01-11T12:00:00", {"trace.toml": 'partnership = "x\n"\n"a\\n::x" = 1\n'})
    result = _check(pull_request, tmp_path, fake_bin)
    assert result.returncode == 2
    (error,) = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert error.startswith("::error file=trace.toml,title=trace.toml::Error: trace.toml is not valid TOML")
    assert not [line for line in result.stdout.splitlines() if line.startswith("::") and "::x" in line.split("::")[1]]
    (_, body), = _gh_calls(tmp_path)
    assert body is not None and "**trace.toml**: Error: trace.toml is not valid TOML" in body


def test_a_valid_change_from_a_fork_passes_with_no_comment(pull_request, tmp_path, fake_bin):
    evidence = VALID_RECORDS["records/evidence/EV-1.yaml"].replace("Relaunch briefing slides", "Briefing slides v2")
    pull_request.commit("retitle", "2022-01-11T12:00:00", {"records/evidence/EV-1.yaml": evidence})
    result = _check(pull_request, tmp_path, fake_bin, IS_FORK="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::notice title=No comment::This pull request comes from a fork" in result.stdout
    assert _gh_calls(tmp_path) == []
    assert "Briefing slides v2" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_a_comment_that_cannot_be_written_fails_the_check(pull_request, tmp_path, fake_bin):
    pull_request.commit("nothing", "2022-01-11T12:00:00")
    result = _check(pull_request, tmp_path, fake_bin, GH_EXIT="1")
    assert result.returncode == 2
    assert "::error title=No comment::The pull-request comment could not be updated" in result.stdout


# --- install.sh ---------------------------------------------------------------------------------

def _install(tmp_path: Path, version: str) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "fake-install"
    fake.mkdir(exist_ok=True)
    (fake / "python").write_text(f'#!/usr/bin/env bash\nprintf "%s\\n" "$@" > "{tmp_path}/python.args"\n')
    (fake / "trace").write_text('#!/usr/bin/env bash\necho "trace 0.1.0"\n')
    for name in ("python", "trace"):
        (fake / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}", "ACTION_PATH": "/actions/trace",
           "TRACE_VERSION": version}
    return subprocess.run(["bash", str(ACTION / "install.sh")], env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(("version", "requirement"), [
    ("", "/actions/trace"),
    ("0.1.0", "learntrace==0.1.0"),
    ("v0.1.0", "learntrace==0.1.0"),
    ("learntrace @ git+https://github.com/x/trace@v0.1.0", "learntrace @ git+https://github.com/x/trace@v0.1.0"),
])
def test_install_takes_the_actions_own_copy_unless_a_version_is_named(tmp_path, version, requirement):
    result = _install(tmp_path, version)
    assert result.returncode == 0, result.stdout
    assert (tmp_path / "python.args").read_text().splitlines() == [
        "-m", "pip", "install", "--disable-pip-version-check", "--quiet", requirement]


def test_install_refuses_anything_that_is_not_a_version(tmp_path):
    result = _install(tmp_path, '0.1; curl x | sh')
    assert result.returncode == 2
    assert result.stdout.startswith("::error title=trace-version::'0.1; curl x | sh' is not a version of trace")
    assert not (tmp_path / "python.args").exists()


def test_install_fails_when_the_named_version_is_not_what_was_installed(tmp_path):
    result = _install(tmp_path, "0.2.0")
    assert result.returncode == 2
    assert "::error title=trace-version::asked for trace 0.2.0 but trace 0.1.0 was installed" in result.stdout


# --- report.sh ----------------------------------------------------------------------------------

def test_report_writes_the_report_and_opens_a_pull_request(tmp_path, fake_bin):
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    repo = GitRepoBuilder(tmp_path / "repo")
    repo.commit("records", "2022-01-10T12:00:00", {**VALID_RECORDS, "trace.toml": BASE_SETTINGS})
    repo.git("remote", "add", "origin", str(origin))
    env = _env(tmp_path, fake_bin, PERIOD="quarter", BASE="main", RUN_URL="https://github.example/run/2")
    result = subprocess.run(["bash", str(ACTION / "report.sh")], cwd=repo.root, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    (slug,) = [p.name for p in (repo.root / "reports").iterdir()]
    branches = subprocess.run(["git", "branch", "--list"], cwd=origin, capture_output=True, text=True).stdout
    assert f"report/{slug}" in branches
    (view, _), (create, _) = _gh_calls(tmp_path)
    assert view[:2] == ["pr", "view"]
    assert create[:7] == ["pr", "create", "--base", "main", "--head", f"report/{slug}", "--title"]
    assert create[7] == f"Quarterly report {slug}"


def test_the_yearly_report_needs_a_trace_that_writes_one(tmp_path, fake_bin):
    repo = GitRepoBuilder(tmp_path / "repo")
    repo.commit("records", "2022-01-10T12:00:00", {**VALID_RECORDS})
    env = _env(tmp_path, fake_bin, PERIOD="year", BASE="main")
    has_year = "--year" in subprocess.run([str(BIN / "trace"), "report", "--help"], capture_output=True,
                                          text=True).stdout
    result = subprocess.run(["bash", str(ACTION / "report.sh")], cwd=repo.root, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    if has_year:
        assert "cannot write a yearly report" not in result.stdout
    else:
        assert result.returncode == 2
        assert "cannot write a yearly report; upgrade trace" in result.stdout


# --- --config: the settings file CI passes ------------------------------------------------------

def test_config_reads_the_settings_from_another_file_than_the_roots(tmp_path):


    root = write_records(tmp_path / "pr", {**VALID_RECORDS, "trace.toml": 'fail_on = ["overdue-action"]\n'})
    (root / "records/actions/ACT-1.yaml").write_text(_unaddressed())
    base = tmp_path / "base.toml"
    base.write_text('fail_on = "all"\n')
    assert run(root, "gaps", "--as-of", "2022-01-10").exit_code == 0  # by the pull request's own settings
    judged = run(root, "--config", str(base), "gaps", "--as-of", "2022-01-10")
    assert judged.exit_code == 1
    assert "unaddressed-recommendation" in judged.output


def test_a_missing_settings_file_is_a_sentence_and_exit_2(tmp_path):


    root = write_records(tmp_path, dict(VALID_RECORDS))
    result = run(root, "--config", str(tmp_path / "nowhere.toml"), "validate")
    assert result.exit_code == 2
    assert result.stderr == f"Error: the settings file {tmp_path / 'nowhere.toml'} does not exist\n"
