"""`trace init`: a new records repository from the skeleton shipped with trace, and every bad input."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

from learntrace import __version__
from learntrace.cli import cli
from learntrace.config import _KNOWN_SETTINGS, load_config
from learntrace.model import FOLDER_KINDS
from learntrace.schemafiles import installed_schemas

REPO = Path(__file__).resolve().parent.parent
ACTION = f"your-org/trace@v{__version__}"
SKELETON_FILES = {
    "trace.toml", "README.md", ".gitignore", ".pre-commit-config.yaml", ".vscode/settings.json",
    ".github/CODEOWNERS", ".github/pull_request_template.md", ".github/workflows/records.yml",
    ".github/workflows/quarterly-report.yml", ".github/workflows/yearly-report.yml", "records/README.md",
    *(f"records/{folder}/.gitkeep" for folder in FOLDER_KINDS),
    *(f"schemas/{name}" for name in installed_schemas()),
}


def init(folder: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["init", str(folder), *args], catch_exceptions=False)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _yaml(path: Path) -> object:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_init_in_an_empty_folder_writes_the_whole_skeleton(tmp_path):
    result = init(tmp_path / "derby", "--partnership", "Derby and Derbyshire SCP")
    assert result.exit_code == 0, result.output
    written = _files(tmp_path / "derby")
    assert set(written) == SKELETON_FILES
    created = [line.removeprefix("Created ") for line in result.output.splitlines() if line.startswith("Created ")]
    assert sorted(created) == sorted(SKELETON_FILES)
    assert f"{len(SKELETON_FILES)} file(s) written in {tmp_path / 'derby'} for Derby and Derbyshire SCP " \
           f"(trace {__version__})." in result.output
    for name, data in installed_schemas().items():
        assert written[f"schemas/{name}"] == data
    # Every kind has its folder, and the folders are empty of records: validate reads none.
    assert CliRunner().invoke(cli, ["--root", str(tmp_path / "derby"), "validate"]).output == (
        "All good: 0 record(s), no problems.\n"
    )


def test_trace_toml_has_the_names_and_every_other_setting_commented_with_its_default(tmp_path):
    assert init(tmp_path, "--partnership", "Derby SCP").exit_code == 0
    text = (tmp_path / "trace.toml").read_text(encoding="utf-8")
    settings = tomllib.loads(text)
    assert settings == {"partnership": "Derby SCP", "reporting_year_starts": "April"}
    assert '# strategy = "Action plan"' in text
    assert '# fail_on = "all"' in text
    # Every setting trace knows is in the file, set or commented, so that a user can find it.
    for name in _KNOWN_SETTINGS:
        assert name in text, f"trace.toml from trace init does not mention the setting '{name}'"
    commented = [line[2:] for line in text.splitlines() if line.startswith("# ") and " = " in line]
    assert len(commented) == 7
    for line in commented:  # each commented setting is valid TOML once its # is removed
        assert len(tomllib.loads(line)) == 1
    config = load_config(tmp_path)
    assert (config.partnership, config.strategy, config.year_start_month) == ("Derby SCP", "Action plan", 4)


@pytest.mark.parametrize("name", [
    'Derby "City": Safeguarding Partnership',
    "Bath & North East Somerset: Community Safety and Safeguarding Partnership",
    "Ynys Môn — Gwynedd: Bwrdd Diogelu Plant 'Gogledd' #1",
    "back\\slash: and [brackets] {braces}",
])
def test_names_with_quotes_colons_and_non_ascii_letters_read_back_exactly(tmp_path, name):
    strategy = f"Strategy: {name}"
    assert init(tmp_path, "--partnership", name, "--strategy", strategy).exit_code == 0
    settings = tomllib.loads((tmp_path / "trace.toml").read_text(encoding="utf-8"))
    assert (settings["partnership"], settings["strategy"]) == (name, strategy)
    quarterly = _yaml(tmp_path / ".github/workflows/quarterly-report.yml")
    yearly = _yaml(tmp_path / ".github/workflows/yearly-report.yml")
    assert quarterly["name"] == f"Quarterly report: {name}"
    assert yearly["name"] == f"Yearly report: {name}"
    assert f"# {name}: learning from reviews" in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_run_twice_the_second_run_changes_nothing(tmp_path):
    assert init(tmp_path, "--partnership", "Derby SCP").exit_code == 0
    before = {rel: (data, (tmp_path / rel).stat().st_mtime_ns) for rel, data in _files(tmp_path).items()}
    again = init(tmp_path, "--partnership", "Derby SCP")
    assert again.exit_code == 0
    assert again.output.splitlines()[0] == (
        f"Nothing to do: {tmp_path} already has every file trace init writes, as it writes them."
    )
    assert {rel: (data, (tmp_path / rel).stat().st_mtime_ns) for rel, data in _files(tmp_path).items()} == before


def test_refuses_to_overwrite_and_lists_every_file_with_other_content(tmp_path):
    (tmp_path / ".github").mkdir()
    (tmp_path / "README.md").write_text("Our own readme\n")
    (tmp_path / ".github/CODEOWNERS").write_text("* @someone\n")
    (tmp_path / "NOTES.txt").write_text("not ours\n")
    result = init(tmp_path, "--partnership", "Derby SCP")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: these files already exist in {tmp_path} with other content, so nothing was written:\n"
        "  .github/CODEOWNERS\n  README.md\n"
        "move them away, or pass --force to replace each of them\n"
    )
    assert set(_files(tmp_path)) == {"README.md", ".github/CODEOWNERS", "NOTES.txt"}


def test_force_replaces_and_names_each_replaced_file(tmp_path):
    (tmp_path / "README.md").write_text("Our own readme\n")
    assert init(tmp_path, "--partnership", "Derby SCP").exit_code == 2  # refused: README.md differs
    (tmp_path / ".gitignore").write_text("*.log\n")
    result = init(tmp_path, "--partnership", "Derby SCP", "--force")
    assert result.exit_code == 0, result.output
    replaced = [line for line in result.output.splitlines() if line.startswith("Replaced ")]
    assert replaced == ["Replaced .gitignore", "Replaced README.md"]
    assert "learning from reviews" in (tmp_path / "README.md").read_text()
    assert set(_files(tmp_path)) == SKELETON_FILES


def test_a_folder_that_already_holds_records_is_refused_and_nothing_is_written(tmp_path):
    (tmp_path / "records/actions").mkdir(parents=True)
    (tmp_path / "records/actions/ACT-1.yaml").write_text("id: ACT-1\n")
    result = init(tmp_path, "--partnership", "Derby SCP")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path} already holds records (records/actions/ACT-1.yaml); trace init starts a new "
        "records repository and wrote nothing. To refresh the schemas, run trace schemas --write\n"
    )
    assert set(_files(tmp_path)) == {"records/actions/ACT-1.yaml"}


def test_an_existing_git_repository_without_records_is_initialised(tmp_path):
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp_path)], check=True)
    (tmp_path / "records").mkdir()  # an empty records/ folder is not records
    (tmp_path / "LICENSE").write_text("MIT\n")
    result = init(tmp_path, "--partnership", "Derby SCP")
    assert result.exit_code == 0, result.output
    assert "not a git repository" not in result.output
    assert set(_files(tmp_path)) - {p for p in _files(tmp_path) if p.startswith(".git/")} == SKELETON_FILES | {
        "LICENSE"}


def test_outside_git_it_works_and_says_how_to_create_the_repository(tmp_path):
    result = init(tmp_path / "new", "--partnership", "Derby SCP")
    assert result.exit_code == 0
    assert (
        f"Note: {tmp_path / 'new'} is not a git repository yet. The checks on pull requests and the reports run "
        "on GitHub, which needs one: run  git init -b main && git add -A && git commit -m \"Start the records\"  "
        "in it, then create an empty repository on GitHub and push to it."
    ) in result.output


def test_inside_a_repository_but_not_at_its_top_it_says_github_will_not_see_the_workflows(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = init(tmp_path / "sub", "--partnership", "Derby SCP")
    assert result.exit_code == 0
    assert f"Note: {tmp_path / 'sub'} is inside the git repository {tmp_path}, not at its top" in result.output


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """A folder nobody can write into, root included: chattr +i as root (chmod does not stop root)."""
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None:
            pytest.fail("this test runs as root and needs chattr (Debian package e2fsprogs) to make a folder read-only")
        made = subprocess.run([chattr, "+i", str(folder)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.fail(f"chattr +i failed here ({made.stderr.strip()}); run the tests on ext4 or as a normal user")
        try:
            yield
        finally:
            subprocess.run([chattr, "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


def test_a_read_only_folder_gets_a_sentence_and_exit_2(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    with _read_only(folder):
        result = init(folder, "--partnership", "Derby SCP")
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: cannot write into {folder}: ")
        assert result.stderr.endswith("; trace init needs a folder you can write to, and wrote nothing\n")
        assert "Traceback" not in result.output
        assert list(folder.iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--partnership", ""], "--partnership is empty"),
    (["--partnership", "Derby\nSCP"], "--partnership holds a line break or control character"),
    (["--partnership", "Derby ${{ github.token }}"], "--partnership holds '${{' (GitHub would read it as an expression)"),
    (["--partnership", "Derby", "--strategy", "  "], "--strategy is empty"),
    (["--partnership", "Derby", "--year-starts", "Apirl"], "'Apirl' is not a month"),
    (["--partnership", "Derby", "--year-starts", "13"], "'13' is not a month"),
])
def test_bad_names_and_months_are_usage_errors_and_write_nothing(tmp_path, args, message):
    result = init(tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_bad_trace_repository_is_refused(tmp_path):
    result = init(tmp_path, "--partnership", "Derby", "--trace-repository", "https://example.org/x")
    assert result.exit_code == 2
    assert "is not a GitHub repository; write it as OWNER/NAME" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_file_where_the_folder_should_be_is_refused(tmp_path):
    (tmp_path / "derby").write_text("x")
    result = init(tmp_path / "derby", "--partnership", "Derby")
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.stderr


def test_workflows_use_the_action_at_this_version_and_never_install_the_checkout(tmp_path):
    assert init(tmp_path, "--partnership", "Derby SCP").exit_code == 0
    for name in ("records.yml", "quarterly-report.yml", "yearly-report.yml"):
        workflow = _yaml(tmp_path / ".github/workflows" / name)
        steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
        uses = [step["uses"] for step in steps if "uses" in step]
        assert uses == ["actions/checkout@v6", ACTION], name
        assert not [step for step in steps if "run" in step], f"{name} runs its own commands"
    assert "pip install ." not in "".join(p.read_text() for p in (tmp_path / ".github").rglob("*.yml"))
    records = _yaml(tmp_path / ".github/workflows/records.yml")
    assert records["on"]["pull_request"]["paths"] == ["records/**", "schemas/**", "trace.toml"]
    assert records["permissions"] == {"contents": "read", "pull-requests": "write"}
    (check,) = [s for s in records["jobs"]["check"]["steps"] if s.get("uses") == ACTION]
    assert check["with"] == {"command": "check"}
    pre_commit = _yaml(tmp_path / ".pre-commit-config.yaml")
    assert pre_commit == {"repos": [{"repo": "https://github.com/your-org/trace", "rev": f"v{__version__}",
                                     "hooks": [{"id": "trace-validate"}]}]}


def test_another_trace_repository_can_be_named(tmp_path):
    assert init(tmp_path, "--partnership", "Derby", "--trace-repository", "derby-scp/trace-fork").exit_code == 0
    assert f"uses: derby-scp/trace-fork@v{__version__}" in (tmp_path / ".github/workflows/records.yml").read_text()
    assert "repo: https://github.com/derby-scp/trace-fork" in (tmp_path / ".pre-commit-config.yaml").read_text()
    assert f'pip install "learntrace @ git+https://github.com/derby-scp/trace-fork@v{__version__}"' in (
        tmp_path / "README.md").read_text()


@pytest.mark.parametrize(("month", "quarters", "name"), [
    ("April", "1,4,7,10", "April"), ("9", "3,6,9,12", "September"), ("january", "1,4,7,10", "January"),
])
def test_the_report_schedules_follow_the_reporting_year(tmp_path, month, quarters, name):
    assert init(tmp_path, "--partnership", "Derby", "--year-starts", month).exit_code == 0
    (quarterly,) = _yaml(tmp_path / ".github/workflows/quarterly-report.yml")["on"]["schedule"]
    (yearly,) = _yaml(tmp_path / ".github/workflows/yearly-report.yml")["on"]["schedule"]
    assert quarterly["cron"] == f"17 6 1 {quarters} *"
    assert yearly["cron"] == f"23 6 1 {int(load_config(tmp_path).year_start_month)} *"
    assert tomllib.loads((tmp_path / "trace.toml").read_text())["reporting_year_starts"] == name


def test_vscode_settings_are_this_repositorys_and_map_every_kind(tmp_path):
    assert init(tmp_path, "--partnership", "Derby").exit_code == 0
    generated = json.loads((tmp_path / ".vscode/settings.json").read_text())
    assert generated == json.loads((REPO / ".vscode/settings.json").read_text())
    for folder, kind in FOLDER_KINDS.items():
        assert f"records/{folder}/**/*.yaml" in generated["yaml.schemas"][f"./schemas/{kind}.schema.json"]
        assert (tmp_path / f"schemas/{kind}.schema.json").is_file()


def test_codeowners_and_the_template_say_what_to_fill_in(tmp_path):
    assert init(tmp_path, "--partnership", "Derby").exit_code == 0
    codeowners = (tmp_path / ".github/CODEOWNERS").read_text()
    assert "# FILL IN: replace the two placeholder teams" in codeowners
    rules = {line.split()[0]: line.split()[1:] for line in codeowners.splitlines() if line and line[0] != "#"}
    assert rules["*"] == ["@your-org/business-unit"]
    assert rules["/.github/"] == ["@your-org/trace-admins"]
    template = (tmp_path / ".github/pull_request_template.md").read_text()
    for item in ("**Which document**", "**Which section**", "**Evidence location**"):
        assert f"- [ ] {item}" in template
    assert ".trace-cache/" in (tmp_path / ".gitignore").read_text().splitlines()


@pytest.mark.parametrize(("count", "listed"), [
    (3, "records/aims/AIM-1.yaml, records/aims/AIM-2.yaml, records/aims/AIM-3.yaml)"),
    (4, "records/aims/AIM-1.yaml, records/aims/AIM-2.yaml, records/aims/AIM-3.yaml and more)"),
])
def test_the_refusal_names_the_first_records_and_says_when_there_are_more(tmp_path, count, listed):
    (tmp_path / "records/aims").mkdir(parents=True)
    for n in range(1, count + 1):
        (tmp_path / f"records/aims/AIM-{n}.yaml").write_text(f"id: AIM-{n}\n")
    result = init(tmp_path, "--partnership", "Derby SCP")
    assert result.exit_code == 2
    assert f"already holds records ({listed}; trace init starts" in result.stderr
