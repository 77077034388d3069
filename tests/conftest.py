from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from learntrace.cli import cli


@pytest.fixture(autouse=True)
def no_kept_results(monkeypatch) -> None:
    """Whole results (learntrace/results.py) are kept only for files older than two seconds, so whether a
    test's second run is answered from them would depend on the machine's speed. Every file is too new
    for them here; tests/test_result_cache.py lets them be kept."""
    monkeypatch.setattr("learntrace.results.now_ns", lambda: 0)


@pytest.fixture(autouse=True)
def user_cache_folder(tmp_path_factory, monkeypatch) -> Path:
    """Every test has its own user cache folder (trace keeps its record cache there), so no test reads
    another's cache or the cache of the person running the tests."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


# A small, valid record set: one of each kind, linked upstream.
VALID_RECORDS: dict[str, str] = {
    "records/sources/SRC-1.yaml": """
        id: SRC-1
        title: Case X thematic review
        type: local-review
        published: "2021-03"
    """,
    "records/aims/AIM-1.yaml": """
        id: AIM-1
        title: Safer sleeping
        status: active
    """,
    "records/outcomes/OUT-1.yaml": """
        id: OUT-1
        title: Families understand safer sleeping
    """,
    "records/recommendations/REC-1.yaml": """
        id: REC-1
        source: SRC-1
        text: Relaunch the safer sleeping guidance.
        aims: [AIM-1]
        status: open
    """,
    "records/actions/ACT-1.yaml": """
        id: ACT-1
        title: Relaunch the guidance
        owner: Steering Group
        status: in-progress
        target: 2022-01..2022-06
        addresses: [REC-1]
        aims: [AIM-1]
        outcomes: [OUT-1]
    """,
    "records/evidence/EV-1.yaml": """
        id: EV-1
        title: Relaunch briefing slides
        supports: [ACT-1]
        date: "2022-02"
    """,
}


def write_records(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write record files (dedented text, or raw bytes) under root; returns root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    (root / "records").mkdir(exist_ok=True)
    return root


@pytest.fixture
def record_set(tmp_path: Path):
    """Build a record set from the valid one, with some files replaced, added or removed (value None)."""

    def build(changes: dict[str, str | bytes | None] | None = None) -> Path:
        files: dict[str, str | bytes] = dict(VALID_RECORDS)
        for rel, content in (changes or {}).items():
            if content is None:
                files.pop(rel, None)
            else:
                files[rel] = content
        return write_records(tmp_path, files)

    return build


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
