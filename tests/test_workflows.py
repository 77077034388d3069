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


@pytest.mark.parametrize("workflow", [*WORKFLOWS, REPO / "action.yml"], ids=lambda path: path.name)
def test_no_expression_is_pasted_into_a_script(workflow):
    # Values reach scripts through env: only then can a branch name or title never become shell code.
    document = _load(workflow)
    steps = document["runs"]["steps"] if "runs" in document else _steps(document)
    for step in steps:
        assert "${{" not in step.get("run", ""), step.get("name")


def _action() -> dict[str, Any]:
    return _load(REPO / "action.yml")


def _action_step(name: str) -> dict[str, Any]:
    return next(step for step in _action()["runs"]["steps"] if step.get("name") == name)


def test_records_workflow_runs_on_record_changes_and_checks_against_the_base():
    workflow = _load(REPO / ".github/workflows/records.yml")
    assert workflow["on"]["pull_request"]["paths"] == ["records/**", "schemas/**", "trace.toml"]
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    pr = _step(workflow, "Check out the pull request")
    assert pr["uses"].startswith("actions/checkout@")
    assert pr["with"] == {"path": "pr", "fetch-depth": 0, "persist-credentials": False}
    check = _step(workflow, "Check the records with the base branch's trace")
    assert check["with"] == {"command": "check", "root": "pr"}
    # check.sh runs exactly these commands (and test_action.py runs check.sh itself).
    script = (REPO / "action/check.sh").read_text(encoding="utf-8")
    assert "trace validate --format github" in script
    assert 'trace gaps --baseline "$base" --format github' in script
    assert 'trace diff "$base" HEAD --format markdown >"$work/diff.md"' in script
    assert 'cat "$work/diff.md" >>"$summary"' in script
    assert _action_step("Check the records")["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_records_workflow_installs_trace_from_the_base_checkout_and_never_the_pull_requests():
    workflow = _load(REPO / ".github/workflows/records.yml")
    steps = _steps(workflow)
    base = _step(workflow, "Check out the base branch (the tool and the settings that judge the pull request)")
    assert base["uses"].startswith("actions/checkout@")
    assert base["with"]["ref"] == "${{ github.base_ref }}" and base["with"]["path"] == "base"
    # The only action that runs trace is the base branch's own action.yml, from base/ ...
    assert [step["uses"] for step in steps if not step["uses"].startswith("actions/checkout@")] == ["./base"]
    # ... and no step of the workflow installs or runs anything itself (so nothing installs pr/).
    assert [step for step in steps if "run" in step] == []
    # The action installs the trace of its own folder: with uses: ./base, that is base/.
    install = _action_step("Install trace")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert install["run"] == 'bash "$ACTION_PATH/action/install.sh"'
    assert 'requirement="$action_path"' in (REPO / "action/install.sh").read_text(encoding="utf-8")
    for step in _action()["runs"]["steps"]:
        text = json.dumps(step)
        assert "GITHUB_WORKSPACE" not in text and "pip install ." not in text, step.get("name")
        assert "pip" not in step.get("run", ""), step.get("name")  # only install.sh installs


def test_the_action_reads_the_settings_from_the_base_branch():
    script = (REPO / "action/check.sh").read_text(encoding="utf-8")
    assert 'git show "$base:./trace.toml" >"$policy"' in script
    assert 'export TRACE_CONFIG="$policy"' in script


def test_every_use_of_the_action_gives_its_inputs_by_their_names():
    inputs = _action()["inputs"]
    required = {name for name, spec in inputs.items() if spec.get("required")}
    uses = [step for path in WORKFLOWS for step in _steps(_load(path)) if step.get("uses") in ("./", "./base")]
    # records (./base), the quarterly and the yearly report (./) and the action test in tests.yml (./)
    assert len(uses) == 4
    for step in uses:
        assert set(step["with"]) <= set(inputs), step
        assert required <= set(step["with"]), step


def test_the_comment_goes_to_the_pull_request_except_from_a_fork():
    env = _action_step("Check the records")["env"]
    assert env["IS_FORK"] == "${{ github.event.pull_request.head.repo.full_name != github.repository }}"
    assert env["GH_TOKEN"] == "${{ inputs.token }}"
    assert _action()["inputs"]["token"]["default"] == "${{ github.token }}"
    script = (REPO / "action/check.sh").read_text(encoding="utf-8")
    assert 'gh pr comment "${PR_NUMBER:?PR_NUMBER must be the pull request}" --edit-last --create-if-none ' \
           '--body-file "$comment"' in script


def test_third_party_actions_are_pinned_by_version():
    steps = [*(s for path in WORKFLOWS for s in _steps(_load(path))), *_action()["runs"]["steps"]]
    for step in steps:
        uses = step.get("uses", "")
        if uses and not uses.startswith("./"):
            _name, _, version = uses.partition("@")
            assert re.fullmatch(r"v\d+(\.\d+)*", version), uses


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
    report = _step(workflow, "Write the report for the quarter just ended and propose it")
    assert (report["uses"], report["with"]) == ("./", {"command": "report", "period": "quarter"})
    script = (REPO / "action/report.sh").read_text(encoding="utf-8")
    assert "trace report --out reports" in script
    assert 'gh pr create --base "${BASE:?BASE must name the branch to propose the report to}" --head "$branch"' in script


def test_tests_workflow_tests_the_pull_requests_own_action_without_commenting():
    job = _load(REPO / ".github/workflows/tests.yml")["jobs"]["action"]
    assert job["if"] == "${{ github.event_name == 'pull_request' }}"
    (action,) = [step for step in job["steps"] if step.get("uses") == "./"]
    assert action["with"] == {"command": "check", "comment": "false"}


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
