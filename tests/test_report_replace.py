"""Which day a report is as of, what happens to the report already in its folder, and the scheduled
workflow's own command at the turn of the quarter."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run
from gitrepo import GitRepoBuilder
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
FOLDER = "reports/2026-27-Q3"
TITLE = "Q3 2026-27: 1 October – 31 December 2026"
ACTION = "id: ACT-{n}\ntitle: Action {n}\nowner: Health\nstatus: {status}\ntarget: 2027-03\naddresses: [REC-1]\n"


@pytest.fixture
def repo(tmp_path):
    """Records through the autumn of 2026 (reporting year from April): the quarter Q3 2026-27."""
    builder = GitRepoBuilder(tmp_path / "partnership")
    builder.commit("First records", "2026-09-10T09:00:00", {
        "records/sources/SRC-1.yaml": "id: SRC-1\ntitle: Review\ntype: local-review\npublished: '2026'\n",
        "records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Safer sleeping\nstatus: active\n",
        "records/recommendations/REC-1.yaml": "id: REC-1\nsource: SRC-1\ntext: Relaunch.\naims: [AIM-1]\nstatus: open\n",
        "records/actions/ACT-1.yaml": ACTION.format(n=1, status="in-progress"),
        "records/actions/ACT-2.yaml": ACTION.format(n=2, status="in-progress"),
    })
    builder.commit("Three new actions; ACT-1 done, ACT-2 dropped", "2026-11-20T09:00:00", {
        "records/actions/ACT-1.yaml": ACTION.format(n=1, status="complete"),
        "records/actions/ACT-2.yaml": ACTION.format(n=2, status="dropped"),
        **{f"records/actions/ACT-{n}.yaml": ACTION.format(n=n, status="not-started") for n in (3, 4, 5)},
    })
    return builder


def _md(repo: GitRepoBuilder) -> str:
    return (repo.root / FOLDER / "report.md").read_text(encoding="utf-8")


def _to_date_report(repo: GitRepoBuilder) -> None:
    """This quarter's report, written in December before the quarter ended, and committed."""
    result = run(repo.root, "report", "--quarter", "2026-27 Q3", "--as-of", "2026-12-15")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(f"{TITLE} has not ended: the report is to date")
    repo.commit("Report to date", "2026-12-15T10:00:00")


def test_as_of_decides_the_default_quarter_and_whether_it_has_ended(repo):
    # On 15 December the last complete quarter is Q2; the current one, Q3, is to date.
    assert run(repo.root, "report", "--as-of", "2026-12-15").exit_code == 0
    assert (repo.root / "reports/2026-27-Q2/report.md").exists()
    assert run(repo.root, "report", "--quarter", "2026-27 Q3", "--as-of", "2026-12-15").exit_code == 0
    assert _md(repo).startswith("> **This report is to date:** Q3 2026-27 has not ended")
    # On 1 January, Q3 is the last complete quarter and the report is final.
    result = run(repo.root, "report", "--as-of", "2027-01-01")
    assert result.exit_code == 0, result.output
    assert "This report is to date" not in _md(repo)


def test_what_changed_counts_new_completed_and_dropped_actions(repo):
    run(repo.root, "report", "--quarter", "2026-27 Q3", "--as-of", "2027-01-01")
    md = _md(repo).splitlines()
    assert "| New actions | 3 | ACT-3, ACT-4, ACT-5 |" in md
    assert "| Actions completed | 1 | ACT-1 |" in md
    assert "| Actions dropped | 1 | ACT-2 |" in md


FAKE_GH = """#!/usr/bin/env bash
# Stands in for GitHub's gh: records each call; no pull request is open yet.
printf '%s\\n' "$*" >> "$GH_LOG"
if [ "$1 $2" = "pr view" ]; then exit 1; fi
"""


def _workflow_command() -> list[str]:
    """The command the scheduled workflow runs: its step uses this repository's action (./) with
    command report and period quarter, and the action runs action/report.sh, whose quarter case is it."""
    workflow = YAML(typ="safe").load((REPO / ".github/workflows/quarterly-report.yml").read_text(encoding="utf-8"))
    (step,) = [step for job in workflow["jobs"].values() for step in job["steps"] if step.get("uses") == "./"]
    assert step["with"] == {"command": "report", "period": "quarter"}
    action = YAML(typ="safe").load((REPO / "action.yml").read_text(encoding="utf-8"))
    runs = [step["run"] for step in action["runs"]["steps"] if "report" in str(step.get("if", ""))]
    assert runs == ['bash "$ACTION_PATH/action/report.sh"']
    script = (REPO / "action/report.sh").read_text(encoding="utf-8")
    quarter_case = script.split("  quarter)\n", 1)[1].split(";;", 1)[0]
    (command,) = [line.strip() for line in quarter_case.splitlines() if line.strip().startswith("trace ")]
    return shlex.split(command)


def test_the_workflow_command_replaces_a_to_date_report_at_the_turn_of_the_quarter(repo, tmp_path):
    assert _workflow_command() == ["trace", "report", "--out", "reports"]
    _to_date_report(repo)
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    repo.git("remote", "add", "origin", str(origin))
    fake_bin = tmp_path / "fake-bin"
    fake_bin.mkdir()
    (fake_bin / "gh").write_text(FAKE_GH)
    (fake_bin / "gh").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GH_LOG": str(tmp_path / "gh.log"), "PERIOD": "quarter", "BASE": "main", "RUN_URL": "https://run/1",
           "TRACE_AS_OF": "2027-01-01"}  # the clock at 06:17 on 1 January 2027, when the schedule runs
    result = subprocess.run(["bash", str(REPO / "action/report.sh")], cwd=repo.root, env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[:3] == [
        f"Replaced the to-date report for {TITLE} in reports/2026-27-Q3.",
        "Wrote reports/2026-27-Q3/report.html",
        "Wrote reports/2026-27-Q3/report.md",
    ]
    proposed = subprocess.run(["git", "show", "report/2026-27-Q3:reports/2026-27-Q3/report.md"], cwd=origin,
                              capture_output=True, text=True, check=True).stdout
    assert proposed.startswith("# ") and "This report is to date" not in proposed
    calls = (tmp_path / "gh.log").read_text().splitlines()
    assert calls[-1].startswith("pr create --base main --head report/2026-27-Q3 --title Quarterly report 2026-27-Q3")


def test_a_to_date_report_written_before_trace_marked_reports_is_still_recognised(repo):
    _to_date_report(repo)
    (repo.root / FOLDER / ".trace-report.json").unlink()  # as the reports written by earlier versions
    result = run(repo.root, "report", "--as-of", "2027-01-01")
    assert result.exit_code == 0, result.output
    assert f"Replaced the to-date report for {TITLE}" in result.stdout


def test_a_final_report_is_kept_without_force_and_an_identical_one_is_not_rewritten(repo):
    assert run(repo.root, "report", "--as-of", "2027-01-01").exit_code == 0
    again = run(repo.root, "report", "--as-of", "2027-02-01")
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [f"{repo.root / FOLDER} already holds this report; nothing changed."]
    other = run(repo.root, "report", "--as-of", "2027-02-01", "--format", "md")
    assert other.exit_code == 2
    assert other.stderr == (f"Error: {repo.root / FOLDER} already holds the final report for {TITLE}; pass --force "
                            "to replace it (every file in that folder is replaced)\n")
    assert (repo.root / FOLDER / "report.html").exists()


def test_force_replaces_the_whole_folder_and_says_so(repo):
    assert run(repo.root, "report", "--as-of", "2027-01-01").exit_code == 0
    (repo.root / FOLDER / "report.pdf").write_bytes(b"%PDF- an old one")
    (repo.root / FOLDER / "old").mkdir()
    (repo.root / FOLDER / "old" / "notes.txt").write_text("stale")
    result = run(repo.root, "report", "--as-of", "2027-01-01", "--format", "html", "--force")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"Replaced the final report for {TITLE} in {repo.root / FOLDER} (--force)."
    assert sorted(p.name for p in (repo.root / FOLDER).iterdir()) == [".trace-report.json", "report.html"]


def test_a_failed_write_leaves_the_old_report_whole(repo, monkeypatch):
    assert run(repo.root, "report", "--as-of", "2027-01-01").exit_code == 0
    before = {p.name: p.read_bytes() for p in (repo.root / FOLDER).iterdir()}
    (repo.root / FOLDER / "report.pdf").write_bytes(b"%PDF- an old one")
    before["report.pdf"] = b"%PDF- an old one"
    import learntrace.atomic as atomic

    real_replace = atomic.os.replace
    calls = []

    def failing_replace(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    result = run(repo.root, "report", "--as-of", "2027-01-01", "--format", "md", "--force")
    assert result.exit_code == 2
    assert "cannot write the report in" in result.stderr and "No space left on device" in result.stderr
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in (repo.root / FOLDER).iterdir()} == before


def test_uncommitted_record_changes_are_mentioned(repo):
    (repo.root / "records/actions/ACT-3.yaml").write_text(ACTION.format(n=3, status="complete"))
    (repo.root / "records/actions/ACT-6.yaml").write_text(ACTION.format(n=6, status="not-started"))
    (repo.root / "records/actions/ACT-5.yaml").unlink()
    head = repo.git("rev-parse", "HEAD").strip()[:10]
    result = run(repo.root, "report", "--as-of", "2027-01-01")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"Note: 3 record files have changes that are not committed; the report shows commit {head} (2026-11-20). "
        "Commit them first for the report to include them.",
    ]
    assert "| New actions | 3 | ACT-3, ACT-4, ACT-5 |" in _md(repo).splitlines()
