"""A small action plan in a real git repository, and workbooks read and changed with openpyxl, for the
spreadsheet tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gitrepo import GitRepoBuilder
from openpyxl import Workbook, load_workbook

# Comments, quotes and folded text, as the real records have them: an update must keep them all.
PLAN_RECORDS: dict[str, str | None] = {
    "records/sources/SRC-1.yaml": """
        id: SRC-1
        title: Case X thematic review
        type: local-review
        published: "2021-03"
    """,
    "records/sources/SRC-2.yaml": """
        id: SRC-2
        title: Case Y review
        type: local-review
        published: "2022-05"
    """,
    "records/aims/AIM-1.yaml": """
        id: AIM-1
        title: Safer sleeping
        status: active
    """,
    "records/recommendations/REC-1.yaml": """
        id: REC-1
        ref: "9.2"
        source: SRC-1
        text: Relaunch the safer sleeping guidance.
        aims: [AIM-1]
        status: open
    """,
    "records/recommendations/REC-2.yaml": """
        id: REC-2
        ref: "3"
        source: SRC-1
        text: Audit the use of the bruising protocol.
        aims: [AIM-1]
        status: open
    """,
    "records/recommendations/REC-3.yaml": """
        id: REC-3
        ref: "3"
        source: SRC-2
        text: Train staff in the ICON programme.
        aims: all
        status: open
    """,
    "records/actions/ACT-1.yaml": """
        # yaml-language-server: $schema=../../schemas/action.schema.json
        id: ACT-1
        # Agreed at the March board.
        title: Relaunch the guidance
        owner: "Health Visiting"
        status: in-progress  # as reported in May
        target: "2022-01..2022-06"
        addresses: [REC-1]
        aims: [AIM-1]
        notes: >-
          The steering group reported the relaunch as under way; the new leaflet was still being
          printed.
    """,
    "records/actions/ACT-2.yaml": """
        id: ACT-2
        title: Audit of bruising protocol use
        owner: "Designated Nurse, CCG"
        status: not-started
        target: tba
        addresses: [REC-2]
    """,
    "records/actions/ACT-3.yaml": """
        id: ACT-3
        title: Promote the ICON programme
        owner: Health Visiting
        status: complete
        target: "2022-03"
        rag: green
        addresses: [REC-3]
    """,
}
ACTION_HEADER = ["id", "title", "owner", "status", "target", "rag", "objective", "addresses", "aims", "outcomes",
                 "notes", "evidence", "path", "fingerprint"]


def plan_repo(root: Path, changes: Mapping[str, str | None] | None = None) -> GitRepoBuilder:
    repo = GitRepoBuilder(root)
    repo.commit("The action plan", "2022-06-01T09:00:00", {**PLAN_RECORDS, **(changes or {})})
    return repo


def record_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "records").rglob("*")) if p.is_file()}


def sheet_rows(path: Path) -> list[list[Any]]:
    sheet = load_workbook(path).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def change_cells(path: Path, changes: Mapping[tuple[str, str], Any], out: Path | None = None) -> Path:
    """Change cells of an exported workbook by (record id, column heading), as an owner would in Excel."""
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for (record_id, column), value in changes.items():
            if row[0].value == record_id:
                row[header.index(column)].value = value
    target = out or path
    workbook.save(target)
    return target


def new_workbook(path: Path, rows: list[list[Any]], title: str = "Sheet1") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path
