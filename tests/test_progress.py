"""Progress of long work: on a terminal's stderr after two seconds, and nowhere else."""

from __future__ import annotations

import io

from conftest import VALID_RECORDS, run, write_records

from learntrace import progress
from learntrace.cli.terminal import TerminalProgress, wants_progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_is_shown_in_the_first_two_seconds_then_the_line_is_redrawn_and_cleared():
    stream, clock = _Terminal(), _Clock()
    display = TerminalProgress(stream, clock)
    display("Reading records", 64, 10_000)
    assert stream.getvalue() == ""
    clock.now += 2.5
    display("Reading records", 4_000, 10_000)
    clock.now += 0.01
    display("Reading records", 4_064, 10_000)  # too soon to redraw
    clock.now += 0.5
    display("Reading records", 10_000, 10_000)
    display.finish()
    drawn = stream.getvalue().split("\r")
    assert drawn[1:3] == ["Reading records: 4,000 of 10,000 (40%)", "Reading records: 10,000 of 10,000 (100%)"]
    assert drawn[-2].strip() == "" and drawn[-1] == ""  # the line is blanked, the cursor back at its start


def test_progress_is_for_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert wants_progress(_Terminal()) and not wants_progress(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not wants_progress(_Terminal())


def test_reading_records_reports_its_steps(tmp_path):
    root = write_records(tmp_path, dict(VALID_RECORDS))
    steps = []
    with progress.shown_to(lambda stage, done, total: steps.append((stage, done, total))):
        assert run(root, "--no-cache", "validate").exit_code == 0
    assert steps[0] == ("Reading records", 0, 6) and steps[-1] == ("Reading records", 6, 6)
