"""The working tree's records as last checked, whole: `trace gaps` (or coverage, matrix, similar, due) right
after `trace validate` on the same files takes the checked records and their problems as they are, without
reading every file's entry from the record cache, checking it again and cross-checking the set.

The kept set is keyed by a digest of what checking depends on: the tool and its schemas (cache.fingerprint),
the privacy policy, and every file's path, cache key and reason it cannot be read, in order (the same
description of the files that keys a kept result, results.describe_files). A file modified so recently
that a later edit could share its timestamps means nothing is kept or used. Like the record cache it
lives in the user's cache folder, is read only if it is a regular file under the size cap, and is used
only if every record and problem has the shape it must have: anything else is a miss, and the records
are checked afresh.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from learntrace.cache import is_plain_value, is_problem_values, now_ns, read_marshalled, write_cache_file
from learntrace.errors import Problem
from learntrace.model import KINDS, LazyPositions, Record
from learntrace.privacy import PrivacyPolicy
from learntrace.results import FilesDescription

CHECKED_FILE = "checked-v1.marshal"
_SEVERITIES = ("error", "warning")


def checked_key(files: FilesDescription, fingerprint: str, privacy: PrivacyPolicy) -> str | None:
    """The digest of what checking the record files gives (the files as results.describe_files gives them,
    the tool's fingerprint and the privacy policy), or None when a file is too recent to be trusted."""
    if not files.trusted(now_ns()):
        return None
    digest = hashlib.sha256(marshal.dumps((fingerprint, list(privacy.allow), privacy.severity), 2))
    digest.update(files.data)
    return digest.hexdigest()


def read_checked(path: Path, key: str) -> tuple[tuple[Record, ...], tuple[Problem, ...]] | None:
    """The records and problems kept under this key, or None."""
    found = read_marshalled(path)
    if not (isinstance(found, tuple) and len(found) == 3 and found[0] == key
            and type(found[1]) is list and type(found[2]) is list):
        return None
    records = []
    for values in found[1]:
        if not _record_values(values):
            return None
        kind, record_id, record_path, data, packed = values
        records.append(Record(kind, record_id, record_path, data, LazyPositions(packed)))
    problems = []
    for values in found[2]:
        if not (isinstance(values, tuple) and len(values) == 7 and isinstance(values[0], str)
                and is_problem_values(values[1:6]) and values[6] in _SEVERITIES):
            return None
        problems.append(Problem(*values))
    return tuple(records), tuple(problems)


def _record_values(values: Any) -> bool:
    """(kind, id, path, data, packed positions)."""
    return (type(values) is tuple and len(values) == 5 and values[0] in KINDS and type(values[1]) is str
            and type(values[2]) is str and type(values[3]) is dict and is_plain_value(values[3])
            and type(values[4]) is bytes)


def keep_checked(path: Path, key: str, records: Sequence[Record], problems: Sequence[Problem]) -> None:
    """Keep a checked set for next time; a failure to write it only costs speed next time."""
    write_cache_file(path, marshal.dumps((
        key,
        [(r.kind, r.id, r.path, r.data, _packed(r)) for r in records],
        [(p.path, p.line, p.column, p.code, p.message, p.id, p.severity) for p in problems],
    )))


def _packed(record: Record) -> bytes:
    positions = record.positions
    if isinstance(positions, LazyPositions):
        return positions.packed
    return marshal.dumps(dict(positions))
