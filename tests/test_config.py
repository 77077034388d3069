from __future__ import annotations

import pytest
from click.testing import CliRunner

from learntrace.analyses import check_fail_on
from learntrace.cli import cli
from learntrace.config import find_root, load_config
from learntrace.errors import TraceError


def test_defaults_without_trace_toml(tmp_path):
    config = load_config(tmp_path)
    assert config.year_start_month == 4
    assert config.fail_on is None  # every gap kind fails


def test_settings_are_read(tmp_path):
    (tmp_path / "trace.toml").write_text(
        'partnership = "Norfolk Safeguarding Children Partnership"\n'
        'strategy = "Strategy to Protect Babies From Harm"\n'
        'reporting_year_starts = "January"\n'
        'fail_on = ["overdue-action", "unevidenced-action"]\n'
    )
    config = load_config(tmp_path)
    assert config.partnership == "Norfolk Safeguarding Children Partnership"
    assert config.year_start_month == 1
    assert config.fail_on == {"overdue-action", "unevidenced-action"}


def test_unknown_gap_kind_in_fail_on(tmp_path):
    # The kinds are the analysis registry's: the configuration is checked against it when it is used.
    (tmp_path / "trace.toml").write_text('fail_on = ["overdue"]\n')
    with pytest.raises(TraceError, match="'fail_on' names unknown gap kinds: overdue"):
        check_fail_on(load_config(tmp_path).fail_on)


def test_unknown_gap_kind_in_fail_on_stops_every_command(tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "trace.toml").write_text('fail_on = ["overdue"]\n')
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "validate"])
    assert result.exit_code == 2
    assert "Error: trace.toml: 'fail_on' names unknown gap kinds: overdue; the kinds are: " in result.stderr


def test_trace_toml_marks_the_root(tmp_path):
    (tmp_path / "trace.toml").write_text("")
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_root(tmp_path / "a" / "b") == tmp_path
