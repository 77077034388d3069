"""Check loaded records: schema, ids, dates, folders and links. Returns every problem found."""

from __future__ import annotations

import difflib
import marshal
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from learntrace import dates
from learntrace.errors import Problem
from learntrace.cache import RecordCache
from learntrace.load import LoadedRecords, RecordFile, load_one
from learntrace.model import KIND_FOLDERS, KINDS, LINK_FIELDS, LazyPositions, Record
from learntrace.privacy import find_candidates, normalise
from learntrace.privacy import message as privacy_message
from learntrace.schema import article, check_schema, describe_path, required_fields, schema_properties

_PARTIAL_DATE_FIELDS = ("published", "date")
_SINGLE_ID_FIELDS = frozenset({"source"})


@dataclass(frozen=True)
class Validation:
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]  # errors and warnings

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class PrivacyPolicy:
    """What to say about text that looks like personal data: `allow` lists the partnership's own
    published numbers and addresses; severity is "warning" or "error"."""

    allow: tuple[str, ...] = ()
    severity: str = "warning"

    def by_id(self) -> dict[str, Record]:
        return {record.id: record for record in self.records}


def _problem(record: Record, data_path: tuple[Any, ...], code: str, message: str) -> Problem:
    position = None
    for depth in range(len(data_path), -1, -1):
        position = record.positions.get(tuple(data_path[:depth]))
        if position is not None:
            break
    line, column = position if position is not None else (None, None)
    return Problem(record.path, line, column, code, message, record.id)


def _misfiled_kind(record: Record) -> str | None:
    """The kind a record's fields say it is, when that is not the kind of its folder."""
    fields = set(record.data)
    if fields <= set(schema_properties(record.kind)):
        return None  # nothing here that its own kind lacks: plain schema errors say more
    for kind in KINDS:
        if kind == record.kind:
            continue
        if set(required_fields(kind)) <= fields and fields <= set(schema_properties(kind)):
            return kind
    return None


def _date_problems(record: Record, schema_paths: set[tuple[Any, ...]]) -> Iterable[Problem]:
    checks: list[tuple[tuple[Any, ...], Any, Any]] = []
    for name in _PARTIAL_DATE_FIELDS:
        if name in record.data:
            checks.append(((name,), record.data[name], dates.parse_partial_date))
    if record.kind == "action" and "target" in record.data:
        checks.append((("target",), record.data["target"], dates.parse_target))
    for index, accepted in enumerate(record.data.get("accepted_gaps") or []):
        if isinstance(accepted, dict) and "review_by" in accepted:
            checks.append((("accepted_gaps", index, "review_by"), accepted["review_by"], dates.parse_day))
    for data_path, value, parse in checks:
        if data_path in schema_paths or not isinstance(value, (str, int)) or isinstance(value, bool):
            continue
        try:
            parse(str(value))
        except ValueError as error:
            yield _problem(record, data_path, "date", f"{describe_path(data_path)}: {error}")


def check_record(record: Record) -> list[Problem]:
    """Problems that one record has on its own: folder, schema, id, dates."""
    misfiled = _misfiled_kind(record)
    if misfiled is not None:
        return [_problem(record, (), "wrong-folder", (
            f"looks like {article(misfiled)} (it has the fields {article(misfiled)} has), but it is in "
            f"records/{KIND_FOLDERS[record.kind]}/; move it to records/{KIND_FOLDERS[misfiled]}/"
        ))]
    problems = []
    schema_paths: set[tuple[Any, ...]] = set()
    for issue in check_schema(record.kind, record.data):
        schema_paths.add(issue.data_path)
        problems.append(_problem(record, issue.data_path, "schema", issue.message))
    record_id = record.data.get("id")
    stem = PurePosixPath(record.path).stem
    if isinstance(record_id, str) and ("id",) not in schema_paths and record_id != stem:
        suffix = PurePosixPath(record.path).suffix
        problems.append(_problem(record, ("id",), "id-mismatch", (
            f"the id '{record_id}' does not match the file name '{stem}{suffix}'; "
            f"rename the file to {record_id}{suffix} or change the id to {stem}"
        )))
    problems.extend(_date_problems(record, schema_paths))
    return problems


def _duplicate_problems(records: Iterable[Record]) -> Iterable[Problem]:
    by_id: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if isinstance(record.data.get("id"), str):
            by_id[record.id].append(record)
    for record_id, holders in by_id.items():
        first = holders[0]
        for other in holders[1:]:
            yield _problem(other, ("id",), "duplicate-id", (
                f"the id '{record_id}' is already used by {first.path} (line {first.line_of('id')}); "
                "every record needs its own id"
            ))


def _plural(kinds: tuple[str, ...]) -> str:
    names = {"evidence": "evidence items", "recommendation": "recommendations", "source": "sources",
             "aim": "aims", "action": "actions", "outcome": "outcomes"}
    return " or ".join(names[kind] for kind in kinds)


def _link_problems(
    records: Iterable[Record], by_id: dict[str, Record], unreadable_ids: frozenset[str]
) -> Iterable[Problem]:
    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for record_id, target in sorted(by_id.items()):
        ids_by_kind[target.kind].append(record_id)
    for record in records:
        for field, wanted in LINK_FIELDS.get(record.kind, {}).items():
            value = record.data.get(field)
            if isinstance(value, str) and field in _SINGLE_ID_FIELDS:
                items: list[tuple[tuple[Any, ...], Any]] = [((field,), value)]
            elif isinstance(value, list):
                items = [((field, index), item) for index, item in enumerate(value)]
            else:
                continue
            for data_path, target_id in items:
                if not isinstance(target_id, str):
                    continue
                target = by_id.get(target_id)
                if target is None and target_id in unreadable_ids:
                    continue  # that file's own problem is already reported
                if target is None:
                    candidates = [found for kind in wanted for found in ids_by_kind[kind]]
                    close = difflib.get_close_matches(target_id, candidates, n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else f"; it should name existing {_plural(wanted)}"
                    yield _problem(record, data_path, "missing-link", (
                        f"'{field}' links to '{target_id}', but there is no record with that id{hint}"
                    ))
                elif target.kind not in wanted:
                    yield _problem(record, data_path, "wrong-kind-link", (
                        f"'{field}' should list {_plural(wanted)}, but '{target_id}' is {article(target.kind)} "
                        f"({target.path})"
                    ))


def validate_loaded(loaded: LoadedRecords) -> Validation:
    """All problems of a loaded record set, in file order."""
    problems = list(loaded.problems)
    for record in loaded.records:
        problems.extend(check_record(record))
    return _with_cross_checks(loaded.records, problems, loaded.unreadable_ids)


def _with_cross_checks(records: tuple[Record, ...], problems: list[Problem],
                       unreadable_ids: frozenset[str]) -> Validation:
    """Add the problems between records (duplicate ids, links) to each record's own."""
    problems = problems + list(_duplicate_problems(records))
    by_id: dict[str, Record] = {}
    for record in records:
        by_id.setdefault(record.id, record)
    problems.extend(_link_problems(records, by_id, unreadable_ids))
    problems.sort(key=lambda p: (p.path, p.line or 0, p.column or 0, p.message))
    return Validation(records, tuple(problems))


def _problem_tuple(problem: Problem) -> tuple[Any, ...]:
    return (problem.line, problem.column, problem.code, problem.message, problem.id)


def _checked_file(file: RecordFile) -> tuple[Any, ...]:
    """A file's own result, as plain values the cache can store."""
    record, problem = load_one(file)
    if record is None:
        assert problem is not None
        return ("bad", _problem_tuple(problem))
    own = tuple(_problem_tuple(p) for p in check_record(record))
    candidates = tuple(
        (*(_position_of(record, c.data_path) or (None, None)), c.kind, c.text)
        for c in find_candidates(record.data)
    )
    return ("ok", record.kind, record.id, record.data, marshal.dumps(dict(record.positions)), own, candidates)


def _position_of(record: Record, data_path: tuple[Any, ...]) -> tuple[int, int] | None:
    for depth in range(len(data_path), -1, -1):
        position = record.positions.get(tuple(data_path[:depth]))
        if position is not None:
            return position
    return None


def _checked_files(files: list[RecordFile]) -> list[tuple[Any, ...]]:
    return [_checked_file(file) for file in files]


def validate_files(files: Iterable[RecordFile], cache: RecordCache | None = None,
                   privacy: PrivacyPolicy = PrivacyPolicy()) -> Validation:
    """Load and check every record file, reusing cached results for files that have not changed."""
    allowed = {normalise(text) for text in privacy.allow}
    records: list[Record] = []
    problems: list[Problem] = []
    unreadable: set[str] = set()
    files = list(files)
    entries: list[Any] = [
        cache.get(file.cache_key) if cache is not None and file.cache_key is not None else None for file in files
    ]
    misses = [index for index, entry in enumerate(entries) if entry is None]
    for index, entry in zip(misses, _checked_files([files[i] for i in misses])):
        entries[index] = entry
        if cache is not None and files[index].cache_key is not None:
            cache.put(files[index].cache_key, entry)
    for file, entry in zip(files, entries):
        if entry[0] == "bad":
            problems.append(Problem(file.path, *entry[1]))
            unreadable.add(PurePosixPath(file.path).stem)
            continue
        _, kind, record_id, data, positions, own, candidates = entry
        records.append(Record(kind, record_id, file.path, data, LazyPositions(positions)))
        problems.extend(Problem(file.path, *values) for values in own)
        problems.extend(
            Problem(file.path, line, column, "personal-data", privacy_message(found, text), record_id,
                    privacy.severity)
            for line, column, found, text in candidates if normalise(text) not in allowed
        )
    return _with_cross_checks(tuple(records), problems, frozenset(unreadable))
