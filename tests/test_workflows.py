"""The GitHub side: workflows pass actionlint and do what the business unit relies on; annotations stay
one line whatever a record holds; the pre-commit hook, the VS Code settings, CODEOWNERS and the template."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import run
from ruamel.yaml import YAML

from learntrace.model import FOLDER_KINDS
from learntrace.output import github_annotation

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def _actionlint() -> str:
    """The actionlint executable (from the test dependencies): next to this Python, or on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.exists() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed; install the test dependencies: pip install -e '.[test]'")
    return found


def _load(path: Path) -> dict[str, Any]:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _step(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    return next(step for step in _steps(workflow) if step.get("name") == name)


def test_the_three_workflows_exist():
    assert {"quarterly-report.yml", "records.yml", "tests.yml"} <= {path.name for path in WORKFLOWS}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actionlint_passes(workflow):
    result = subprocess.run([_actionlint(), "-no-color", str(workflow.relative_to(REPO))], cwd=REPO,
                            capture_output=True, text=True, timeout=120, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_would_catch_a_pull_request_title_pasted_into_a_script(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: bad\non: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n"
    )
    result = subprocess.run([_actionlint(), "-no-color", str(bad)], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_no_expression_is_pasted_into_a_script(workflow):
    # Values reach scripts through env: only then can a branch name or title never become shell code.
    for step in _steps(_load(workflow)):
        assert "${{" not in step.get("run", ""), step.get("name")


def test_records_workflow_runs_on_record_changes_and_checks_against_the_base():
    workflow = _load(REPO / ".github/workflows/records.yml")
    assert workflow["on"]["pull_request"]["paths"] == ["records/**", "schemas/**", "trace.toml"]
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    checkout = next(step for step in _steps(workflow) if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert _step(workflow, "Install trace")["run"] == "python -m pip install ."
    assert _step(workflow, "Validate the records")["run"] == "trace validate --format github"
    assert _step(workflow, "Gaps this pull request opens")["run"] == (
        'trace gaps --baseline "origin/$BASE_REF" --format github'
    )
    assert workflow["jobs"]["check"]["env"]["BASE_REF"] == "${{ github.base_ref }}"
    diff = _step(workflow, "What changed")["run"]
    assert 'trace diff "origin/$BASE_REF" HEAD --format markdown > "$RUNNER_TEMP/diff.md"' in diff
    assert '>> "$GITHUB_STEP_SUMMARY"' in diff


def test_records_workflow_comments_once_and_not_on_forks():
    workflow = _load(REPO / ".github/workflows/records.yml")
    comment = _step(workflow, "Comment on the pull request")
    assert comment["run"] == 'gh pr comment "$PR" --edit-last --create-if-none --body-file "$RUNNER_TEMP/diff.md"'
    assert "github.event.pull_request.head.repo.full_name == github.repository" in comment["if"]
    assert comment["env"]["GH_TOKEN"] == "${{ github.token }}"
    fork = _step(workflow, "No comment on a pull request from a fork")
    assert "github.event.pull_request.head.repo.full_name != github.repository" in fork["if"]
    assert fork["run"].startswith("echo ")


def test_tests_workflow_runs_what_ci_runs():
    workflow = _load(REPO / ".github/workflows/tests.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert [step["run"] for step in _steps(workflow) if "run" in step] == ["bash .ci/run"]
    # .ci/run installs system packages with apt-get as root, as on the project's Debian CI machine.
    assert workflow["jobs"]["test"]["container"] == "python:3.11-bookworm"
    assert (REPO / ".ci/run").is_file()


def test_quarterly_report_runs_early_each_quarter_and_opens_a_pull_request():
    workflow = _load(REPO / ".github/workflows/quarterly-report.yml")
    (schedule,) = workflow["on"]["schedule"]
    minute, _hour, day, months, weekday = schedule["cron"].split()
    assert minute not in ("0", "*") and (day, months, weekday) == ("1", "1,4,7,10", "*")
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    scripts = "\n".join(step.get("run", "") for step in _steps(workflow))
    assert "trace report --out reports" in scripts
    assert 'gh pr create --base "$BASE" --head "$branch"' in scripts


# --- annotations --------------------------------------------------------------------------------

def test_annotation_escapes_what_would_end_or_split_it():
    # A carriage return is removed (it could overwrite what a terminal shows); the newline is escaped.
    line = github_annotation("error", "records/aims/A,B:C.yaml", "100% sure\r\nsecond ::line", 4, 1, "x: a,b")
    assert line == (
        "::error file=records/aims/A%2CB%3AC.yaml,line=4,col=1,title=x%3A a%2Cb::100%25 sure%0Asecond ::line"
    )


def test_validate_for_github_keeps_each_annotation_on_one_line(tmp_path):
    root = tmp_path
    (root / "records/aims").mkdir(parents=True)
    # A file name with a comma, an id that does not match it, and a field name with %, :: and a newline.
    (root / "records/aims/A,B.yaml").write_text('id: AIM-9\ntitle: x\nstatus: active\n"x%y::z\\nw": 1\n')
    result = run(root, "validate", "--format", "github")
    assert result.exit_code == 1
    annotations = [line for line in result.output.splitlines() if line.startswith("::")]
    assert annotations == [
        "::error file=records/aims/A%2CB.yaml,line=1,col=1,title=trace validate::the id 'AIM-9' does not match "
        "the file name 'A,B.yaml'; rename the file to AIM-9.yaml or change the id to A,B",
        "::error file=records/aims/A%2CB.yaml,line=4,col=1,title=trace validate::has the field 'x%25y::z%0Aw', "
        "which an aim does not have; the fields allowed are: accepted_gaps, id, notes, provenance, ref, statement, "
        "status, strategy, tags, title",
    ]


def test_a_record_cannot_start_a_workflow_command_in_the_log(tmp_path):
    (tmp_path / "records/aims").mkdir(parents=True)
    (tmp_path / "records/aims/AIM-1.yaml").write_text(
        'id: AIM-1\ntitle: x\nstatus: active\n"y\\n::warning::injected": 1\n'
    )
    result = run(tmp_path, "validate", "--format", "github")
    commands = [line for line in result.output.splitlines() if line.startswith("::")]
    assert all(line.startswith("::error file=records/aims/AIM-1.yaml,") for line in commands), commands


# --- pre-commit, VS Code, CODEOWNERS, the pull-request template ----------------------------------

def test_pre_commit_hook_runs_trace_validate_once_on_record_changes():
    (hook,) = _load(REPO / ".pre-commit-hooks.yaml")
    assert hook["id"] == "trace-validate"
    assert hook["entry"] == "trace validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert pattern.search("records/actions/ACT-1.yaml") and pattern.search("trace.toml")
    assert not pattern.search("trace/learntrace/cli.py")


def test_this_repository_uses_the_hook():
    config = _load(REPO / ".pre-commit-config.yaml")
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    # The records are checked by trace; the code by the same lint and types that CI runs.
    assert [hook["id"] for hook in hooks] == ["trace-validate", "ruff", "mypy"]
    assert [hook["entry"] for hook in hooks] == ["trace validate", "ruff check", "mypy"]
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert ci.index("\nruff check .\n") < ci.index("\nmypy\n") < ci.index("python -m pytest")


def test_vscode_maps_every_record_folder_to_its_schema():
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapped = {}
    for schema, globs in settings["yaml.schemas"].items():
        assert (REPO / schema).is_file(), schema
        for glob in globs:
            mapped[glob] = schema
    for folder, kind in FOLDER_KINDS.items():
        assert mapped[f"records/{folder}/**/*.yaml"] == f"./schemas/{kind}.schema.json"


def test_codeowners_gives_records_to_the_business_unit_and_code_to_maintainers():
    rules = [line.split() for line in (REPO / ".github/CODEOWNERS").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    owners = {rule[0]: rule[1:] for rule in rules}
    assert owners["*"] == ["@your-org/trace-maintainers"]
    assert owners["/records/"] == ["@your-org/business-unit"]
    assert [rule[0] for rule in rules].index("*") == 0  # the last matching line wins: the default goes first


def test_pull_request_template_asks_where_the_facts_come_from():
    template = (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8")
    for item in ("**Which document**", "**Which section**", "**Evidence location**"):
        assert f"- [ ] {item}" in template
