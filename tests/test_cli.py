from __future__ import annotations

import click
from click.testing import CliRunner
from conftest import run

from learntrace.cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command as `trace --help` lists it (the group imports each command's module when asked for it,
    so `group.commands` alone holds only those some earlier test happened to run)."""
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


def test_every_command_has_help_with_an_example():
    commands = _commands(cli)
    assert ("validate",) in commands
    for path in commands:
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.output, f"trace {' '.join(path)} --help shows no example"
        assert f"trace {' '.join(path)}" in result.output


def test_top_level_help_and_version():
    assert "Example" in CliRunner().invoke(cli, ["--help"]).output
    assert CliRunner().invoke(cli, ["--version"]).output == "trace 0.1.0\n"


def test_help_needs_no_records(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["validate", "--help"]).exit_code == 0


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["validat"])
    assert result.exit_code == 2
    assert "validate" in result.output


def test_bad_trace_toml_exits_2_with_a_sentence(record_set):
    root = record_set()
    (root / "trace.toml").write_text('partnership = "Norfolk"\nreporting_year_starts = "Aprl"\n')
    result = run(root, "validate")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: trace.toml: 'reporting_year_starts' is 'Aprl'; give a month name such as \"April\" or a number 1-12"
    )


def test_unknown_trace_toml_setting_is_refused(record_set):
    root = record_set()
    (root / "trace.toml").write_text('partnrship = "Norfolk"\n')
    result = run(root, "validate")
    assert result.exit_code == 2
    assert "trace.toml has unknown settings: partnrship" in result.output
