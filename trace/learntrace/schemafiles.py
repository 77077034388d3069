"""The repository's copy of the JSON Schemas (schemas/, for editors and reviewers) against the installed tool's.

trace always validates with the schemas it was installed with; the copy in a records repository is for
VS Code and for people reading the rules. After an upgrade the copy is old: `trace validate` says so
(cheaply: a byte comparison of a handful of small files) and `trace schemas --write` refreshes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from learntrace import __version__
from learntrace.errors import Problem, TraceError
from learntrace.schema import data_dir

SCHEMAS_FOLDER = "schemas"
_SUFFIX = ".schema.json"


@dataclass(frozen=True)
class SchemaDrift:
    """How the repository's schemas/ differs from the installed tool's (file names, sorted)."""

    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # the tool has it, the repository does not
    extra: tuple[str, ...] = ()  # the repository has it, the tool does not (an older or newer version's)

    def __bool__(self) -> bool:
        return bool(self.changed or self.missing or self.extra)


def installed_schemas() -> dict[str, bytes]:
    """The installed tool's schema files, by file name."""
    folder = data_dir("schemas")
    return {path.name: path.read_bytes() for path in sorted(folder.glob(f"*{_SUFFIX}"))}


def _repository_schemas(folder: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(folder.glob(f"*{_SUFFIX}")):
        try:
            found[path.name] = path.read_bytes()
        except OSError as error:
            raise TraceError(f"{SCHEMAS_FOLDER}/{path.name} could not be read: {error.strerror or error}") from error
    return found


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def schema_drift(root: Path) -> SchemaDrift:
    """The differences between root/schemas/ and the installed schemas; none when the repository has no
    schemas/ folder, or when it is the installed folder itself (trace's own repository, installed editable)."""
    folder = root / SCHEMAS_FOLDER
    if not folder.is_dir() or _same_folder(folder, data_dir("schemas")):
        return SchemaDrift()
    installed = installed_schemas()
    present = _repository_schemas(folder)
    return SchemaDrift(
        changed=tuple(name for name in installed if name in present and present[name] != installed[name]),
        missing=tuple(name for name in installed if name not in present),
        extra=tuple(name for name in present if name not in installed),
    )


def drift_problems(root: Path) -> list[Problem]:
    """One warning per schema file that differs from the installed tool's (for `trace validate`)."""
    drift = schema_drift(root)
    fix = "run trace schemas --write to refresh schemas/"
    tool = f"the installed trace {__version__}"
    sentences = [
        *((name, f"differs from the schema of {tool}, which is what trace checks the records with; "
                 f"editors and reviewers read other rules: {fix}") for name in drift.changed),
        *((name, f"is missing: {tool} has this schema; {fix}") for name in drift.missing),
        *((name, f"is not a schema of {tool} (left from another version?); {fix}, which removes it")
          for name in drift.extra),
    ]
    return [Problem(f"{SCHEMAS_FOLDER}/{name}", None, None, "schemas-differ", message, severity="warning")
            for name, message in sorted(sentences)]


def planned_schema_writes(root: Path) -> tuple[list[tuple[str, bytes]], list[str]]:
    """What `trace schemas --write` writes and removes (paths relative to root) to match the installed tool."""
    drift = schema_drift(root) if (root / SCHEMAS_FOLDER).is_dir() else None
    installed = installed_schemas()
    if drift is None:  # no schemas/ folder yet: write them all
        return [(f"{SCHEMAS_FOLDER}/{name}", data) for name, data in installed.items()], []
    writes = [(f"{SCHEMAS_FOLDER}/{name}", installed[name]) for name in (*drift.changed, *drift.missing)]
    return sorted(writes), [f"{SCHEMAS_FOLDER}/{name}" for name in drift.extra]
