"""The one pipeline: record files (of the working tree or of a commit) → loaded → checked → graph.

What every command does with invalid records, one rule: a snapshot always holds every record that
could be read (a record with schema problems is still a record, linked as it says) and every problem.
Commands that act on the records as they are now (validate aside, which reports them: gaps, coverage,
matrix, show, graph, export, and the edits) refuse to go on while there are errors, printing them as
`trace validate` does and exiting 1. Commands that read the past (the report's snapshots, `diff`, the
baseline of `gaps --baseline`) use what could be read, because history cannot be fixed.
"""

from __future__ import annotations

import gc
import marshal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from learntrace import progress
from learntrace.cache import RecordCache, without_cyclic_gc
from learntrace.checked_cache import checked_key, keep_checked, read_checked
from learntrace.errors import Problem
from learntrace.graph import RecordGraph, build_graph
from learntrace.load import RecordFile, load_one
from learntrace.model import LazyPositions, Record
from learntrace.parallel import run_side_by_side, side_by_side
from learntrace.privacy import PrivacyPolicy, find_candidates, find_in_name, name_message, normalise
from learntrace.privacy import message as privacy_message
from learntrace.results import FilesDescription
from learntrace.strays import record_name
from learntrace.validate import check_record, with_cross_checks


@dataclass(frozen=True)
class Snapshot:
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]  # errors and warnings, in file order

    @cached_property
    def graph(self) -> RecordGraph:
        """The records' graph, built when first asked for: `trace validate` reports problems and needs none
        (a tenth of its time at 50,000 records)."""
        with without_cyclic_gc():
            graph = build_graph(self.records)
            gc.freeze()  # lives as long as the command, like the records (see load_snapshot)
            return graph

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def valid(self) -> bool:
        return not self.errors


def _problem_tuple(problem: Problem) -> tuple[Any, ...]:
    return (problem.line, problem.column, problem.code, problem.message, problem.id)


def _checked_file(file: RecordFile, entry: tuple[Any, ...] | None = None) -> tuple[Any, ...]:
    """A file's own result, as plain values the cache can store: ("bad", problem), or ("ok", kind, id,
    data, packed positions, own problems, privacy candidates). `entry`, when given, is the file as
    history read it ("parsed", unchecked): it is checked without being parsed again."""
    if entry is None:
        record, problem = load_one(file)
        if record is None:
            assert problem is not None
            return ("bad", _problem_tuple(problem))
        packed = marshal.dumps(dict(record.positions))
    else:
        _, kind, record_id, data, packed = entry
        record = Record(kind, record_id, file.path, data, LazyPositions(packed))
    own = tuple(_problem_tuple(p) for p in check_record(record))
    candidates = tuple(
        (*(record.position_of(*c.data_path) or (None, None)), c.kind, c.text)
        for c in find_candidates(record.data)
    )
    return ("ok", record.kind, record.id, record.data, packed, own, candidates)


def _parsed_file(file: RecordFile) -> tuple[Any, ...]:
    """A file read but not checked: ("parsed", kind, id, data, packed positions), or ("bad", problem)."""
    record, problem = load_one(file)
    if record is None:
        assert problem is not None
        return ("bad", _problem_tuple(problem))
    return ("parsed", record.kind, record.id, record.data, marshal.dumps(dict(record.positions)))


def _entries(files: list[RecordFile], cache: RecordCache | None, checked: bool) -> list[tuple[Any, ...]]:
    """Each file's entry: the cache's when it has one (checked, if `checked` asks), else made now and kept."""
    entries: list[Any] = []
    unmade: list[int] = []  # the files whose entry is made now
    for index, file in enumerate(files):
        key = file.cache_key if cache is not None else None
        entry = cache.record_entry(key) if cache is not None and key is not None else None
        if entry is None or (checked and entry[0] == "parsed"):
            unmade.append(index)
        entries.append(entry)
    made = _made_side_by_side([(files[index], entries[index]) for index in unmade], checked, len(files))
    for index, entry in zip(unmade, made, strict=True):
        entries[index] = entry
        key = files[index].cache_key
        if cache is not None and key is not None:
            cache.put_record_entry(key, entry)
    progress.step("Reading records", len(files), len(files))
    return entries


# Fewer files than this are read here alone: a child costs a few milliseconds to start and hand back.
SPLIT_FROM = 400


def _made_side_by_side(work: list[tuple[RecordFile, Any]], checked: bool, total: int) -> list[tuple[Any, ...]]:
    """The entries of these files (each with what the cache held, or None), made in equal shares on
    every core: the cores' shares but the first in forked children, whose answers come back marshalled
    (which keeps the parser's interned names interned). The same entries as making them in turn."""
    shares = min(side_by_side(), max(1, len(work) // SPLIT_FROM))
    if shares < 2:
        return _made(work, checked, total, 1)
    size = -(-len(work) // shares)
    parts = [work[start:start + size] for start in range(0, len(work), size)]
    jobs: dict[str, Callable[[], bytes]] = {
        str(number): partial(_made_marshalled, part, checked, total, len(parts)) for number, part in enumerate(parts)
    }
    return [entry for packed in run_side_by_side(jobs).values() for entry in marshal.loads(packed)]


def _made_marshalled(work: list[tuple[RecordFile, Any]], checked: bool, total: int, shares: int) -> bytes:
    return marshal.dumps(_made(work, checked, total, shares))


def _made(work: list[tuple[RecordFile, Any]], checked: bool, total: int, shares: int) -> list[tuple[Any, ...]]:
    """The entries of a share of the files; its progress, as one of `shares` equal shares, stands for all."""
    made = []
    for index, (file, entry) in enumerate(work):
        made.append(_checked_file(file, entry) if checked else _parsed_file(file))
        if index % 64 == 0:
            progress.step("Reading records", min(total, index * shares), total)
    return made


def _record(file: RecordFile, entry: tuple[Any, ...], cache: RecordCache | None) -> Record:
    """The record of an entry that is not "bad"; one object per file in a run, however many snapshots
    read the file (a report reads five, which mostly share their files)."""
    key = file.cache_key
    shared = cache.built if cache is not None and key is not None else None
    if shared is not None:
        found = shared.get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
    record = Record(entry[1], entry[2], file.path, entry[3], LazyPositions(entry[4]))
    if shared is not None:
        shared[key] = record
    return record


def read_history(files: Iterable[RecordFile],
                 cache: RecordCache | None = None) -> tuple[tuple[Record, ...], RecordGraph]:
    """The records of a past commit (or of the working tree, in a diff) as they could be read, and their
    graph, for commands that read the past: they show no problems, so none are looked for (no schema,
    privacy or link checks), and a file that cannot be read as a record is left out."""
    files = list(files)
    with without_cyclic_gc():
        entries = _entries(files, cache, checked=False)
        records = tuple(_record(file, entry, cache) for file, entry in zip(files, entries, strict=True)
                        if entry[0] != "bad")
        graph = build_graph(records)
        gc.freeze()
        return records, graph


def parse_ahead(files: Iterable[RecordFile], cache: RecordCache) -> None:
    """Parse files into the cache, unchecked, as read_history would, so that a read_history of the same
    files later finds them parsed (by blob id, for a commit's)."""
    with without_cyclic_gc():
        _entries(list(files), cache, checked=False)


_NO_ALLOWANCES = PrivacyPolicy()


def check_files(files: Iterable[RecordFile], cache: RecordCache | None = None,
                privacy: PrivacyPolicy = _NO_ALLOWANCES) -> tuple[tuple[Record, ...], tuple[Problem, ...]]:
    """Load and check every record file, reusing cached results for files that have not changed."""
    allowed = {normalise(text) for text in privacy.allow}
    records: list[Record] = []
    problems: list[Problem] = []
    unreadable: set[str] = set()
    files = list(files)
    entries = _entries(files, cache, checked=True)
    for file, entry in zip(files, entries, strict=True):
        named = entry[2] if entry[0] == "ok" else None
        problems.extend(
            Problem(file.path, None, None, "personal-data", name_message(found, text), named, privacy.severity)
            for found, text in find_in_name(file.path, named) if normalise(text) not in allowed
        )
        if entry[0] == "bad":
            problems.append(Problem(file.path, *entry[1]))
            unreadable.add(record_name(file.path))
            continue
        record_id, own, candidates = entry[2], entry[5], entry[6]
        records.append(_record(file, entry, cache))
        problems.extend(Problem(file.path, *values) for values in own)
        problems.extend(
            Problem(file.path, line, column, "personal-data", privacy_message(found, text), record_id,
                    privacy.severity)
            for line, column, found, text in candidates if normalise(text) not in allowed
        )
    checked = with_cross_checks(tuple(records), problems, frozenset(unreadable))
    return checked.records, checked.problems


def load_snapshot(files: Iterable[RecordFile], cache: RecordCache | None = None,
                  privacy: PrivacyPolicy = _NO_ALLOWANCES,
                  kept: tuple[Path, FilesDescription] | None = None) -> Snapshot:
    """The records of a set of files, checked, as a graph (see the module's rule for invalid records).
    `kept`: where the last checked set of the working tree is kept (checked_cache.py), and the files as
    results.describe_files gives them; the set is used whole when nothing it depends on has changed."""
    files = list(files)
    key = checked_key(kept[1], cache.fingerprint, privacy) if kept is not None and cache is not None else None
    kept_path = kept[0] if kept is not None else None
    with without_cyclic_gc():
        found = read_checked(kept_path, key) if kept_path is not None and key is not None else None
        if found is not None:
            records, problems = found
        else:
            records, problems = check_files(files, cache, privacy)
            if kept_path is not None and key is not None:
                keep_checked(kept_path, key, records, problems)
        snapshot = Snapshot(records, problems)
        # What was loaded lives as long as the command does: later collections need not walk it again.
        # (Objects freed later are still freed by reference counting; the records hold no cycles.)
        gc.freeze()
        return snapshot
