"""A report's folder (reports/<period>/): what it holds already, whether a new report may replace it, and
replacing it whole, so that no file of the old report (a report.pdf) stays beside the new one.

A report written while its period had not ended is "to date": provisional by nature, it is replaced by a
newer one without --force, and by the final one at the turn of the quarter (which the scheduled workflow
writes). A final report is replaced only with --force, and never without saying so.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from learntrace.atomic import apply_atomically
from learntrace.errors import TraceError

MARKER = ".trace-report.json"  # what trace wrote here: the period, the commit, and whether it is to date
# The first line the default templates give a report to date: how reports written before the marker are told.
_TO_DATE_TEXT = "This report is to date"


@dataclass(frozen=True)
class ExistingReport:
    folder: Path
    files: dict[str, bytes]  # path relative to the folder (POSIX form) → content
    to_date: bool


def marker(slug: str, commit: str, to_date: bool) -> bytes:
    return (json.dumps({"period": slug, "commit": commit, "to_date": to_date}, indent=2) + "\n").encode()


def existing_report(folder: Path) -> ExistingReport | None:
    """The report already in the folder, or None when there is none."""
    if not folder.is_dir():
        return None
    try:
        files = {path.relative_to(folder).as_posix(): path.read_bytes()
                 for path in sorted(folder.rglob("*")) if path.is_file()}
    except OSError as error:
        raise TraceError(f"cannot read the report already in {folder}: {error.strerror or error}") from error
    if not files:
        return None
    to_date = False
    if MARKER in files:
        with contextlib.suppress(ValueError, AttributeError):
            to_date = json.loads(files[MARKER]).get("to_date") is True
    else:
        to_date = any(_TO_DATE_TEXT.encode() in content for name, content in files.items()
                      if name.endswith((".md", ".html")))
    return ExistingReport(folder, files, to_date)


def replacing(existing: ExistingReport | None, new_files: Mapping[str, bytes], title: str,
              force: bool) -> str | None:
    """What to say about the report already there, or None when there is none; raises TraceError when
    the new report may not replace it. "unchanged" when the folder already holds exactly these files."""
    if existing is None:
        return None
    if dict(existing.files) == dict(new_files):
        return "unchanged"
    if existing.to_date:
        return f"Replaced the to-date report for {title} in {existing.folder}."
    if not force:
        raise TraceError(
            f"{existing.folder} already holds the final report for {title}; pass --force to replace it "
            "(every file in that folder is replaced)"
        )
    return f"Replaced the final report for {title} in {existing.folder} (--force)."


def write_report_folder(folder: Path, files: Mapping[str, bytes], existing: ExistingReport | None) -> None:
    """Make the folder hold exactly these files: all are written, and the old report's other files
    removed, together or not at all."""
    stale = sorted(set(existing.files) - set(files)) if existing is not None else []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        apply_atomically(folder, list(files.items()), stale)
    except OSError as error:
        raise TraceError(f"cannot write the report in {folder}: {error.strerror or error}") from error
    for name in stale:  # folders left empty by the removals
        parent = (folder / name).parent
        while parent != folder and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
