"""Check loaded records: schema, ids, dates, folders and links. Returns every problem found."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from learntrace import dates
from learntrace.errors import Problem
from learntrace.load import LoadedRecords
from learntrace.model import KIND_FOLDERS, KINDS, LINK_FIELDS, Record
from learntrace.pasted import has_pasted
from learntrace.schema import article, check_schema, describe_path, required_fields, schema_properties
from learntrace.strays import stem_and_suffix

_PARTIAL_DATE_FIELDS = ("published", "published_not_earlier_than", "published_not_later_than", "date",
                        "date_not_earlier_than", "date_not_later_than", "decided")
_MEASURE_DATE_FIELDS = ("baseline_date", "remeasure_by")
_SINGLE_ID_FIELDS = frozenset({"source", "superseded_by"})


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


def _problem(record: Record, data_path: tuple[Any, ...], code: str, message: str) -> Problem:
    position = record.position_of(*data_path)
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
        if name in record.data and record.data[name] != dates.UNKNOWN:
            checks.append(((name,), record.data[name], dates.parse_partial_date))
    measures = record.data.get("measures") if record.kind == "outcome" else None
    for index, measure in enumerate(measures if isinstance(measures, list) else []):
        for name in _MEASURE_DATE_FIELDS:
            if isinstance(measure, dict) and name in measure:
                checks.append((("measures", index, name), measure[name], dates.parse_partial_date))
    if record.kind == "action" and "target" in record.data:
        checks.append((("target",), record.data["target"], dates.parse_target))
    for index, accepted in enumerate(record.data.get("accepted_gaps") or []):
        if isinstance(accepted, dict) and "review_by" in accepted:
            checks.append((("accepted_gaps", index, "review_by"), accepted["review_by"], dates.parse_day))
    for data_path, value, parse in checks:
        if data_path in schema_paths or not isinstance(value, (str, int)) or isinstance(value, bool):
            continue
        error = _date_error(parse, str(value))
        if error is not None:
            yield _problem(record, data_path, "date", f"{describe_path(data_path)}: {error}")
    yield from _bound_order_problems(record, schema_paths)


@lru_cache(maxsize=4096)
def _date_error(parse: Callable[[str], Any], text: str) -> str | None:
    """Why a date does not parse, or None: asked once per run for each spelling (records share a few)."""
    try:
        parse(text)
    except ValueError as error:
        return str(error)
    return None


def _bound_order_problems(record: Record, schema_paths: set[tuple[Any, ...]]) -> Iterable[Problem]:
    for name in ("published", "date"):
        earliest, latest = f"{name}_not_earlier_than", f"{name}_not_later_than"
        if earliest not in record.data or latest not in record.data:
            continue
        if (earliest,) in schema_paths or (latest,) in schema_paths:
            continue
        try:
            first = dates.parse_partial_date(str(record.data[earliest]))
            last = dates.parse_partial_date(str(record.data[latest]))
        except ValueError:
            continue  # already reported above
        if last.end < first.start:
            yield _problem(record, (latest,), "date", (
                f"'{latest}' ({record.data[latest]}) is before '{earliest}' ({record.data[earliest]}); "
                "the latest a date can be cannot come before the earliest"
            ))


def _link_marker_problems(record: Record, schema_paths: set[tuple[Any, ...]]) -> Iterable[Problem]:
    """A judgement marker must name one of the record's own links; nothing supersedes itself."""
    if ("judgement_links",) not in schema_paths and record.data.get("judgement_links"):
        fields = [name for name in LINK_FIELDS.get(record.kind, {}) if name != "judgement_links"]
        linked = {target for name in fields for target in record.links(name)}
        for index, target in enumerate(record.links("judgement_links")):
            if target not in linked:
                listed = ", ".join(f"'{name}'" for name in fields) or "no link fields"
                yield _problem(record, ("judgement_links", index), "judgement-link", (
                    f"'judgement_links' names '{target}', but this record does not link to it; list it in one of "
                    f"its links ({listed}) or remove it from 'judgement_links'"
                ))
    if record.get("superseded_by") is not None and record.get("superseded_by") == record.data.get("id"):
        yield _problem(record, ("superseded_by",), "self-link", (
            "a recommendation cannot be superseded by itself; name the recommendation that replaces it"
        ))


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
    stem, suffix = stem_and_suffix(record.path)
    if isinstance(record_id, str) and ("id",) not in schema_paths and record_id != stem:
        problems.append(_problem(record, ("id",), "id-mismatch", (
            f"the id '{record_id}' does not match the file name '{stem}{suffix}'; "
            f"rename the file to {record_id}{suffix} or change the id to {stem}"
        )))
    problems.extend(_date_problems(record, schema_paths))
    problems.extend(_link_marker_problems(record, schema_paths))
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
    # Ids that differ only in case name files that collide on Windows and macOS checkouts.
    by_folded: dict[str, list[str]] = defaultdict(list)
    for record_id in by_id:
        by_folded[record_id.casefold()].append(record_id)
    for spellings in by_folded.values():
        for other_id in spellings[1:]:
            first, other = by_id[spellings[0]][0], by_id[other_id][0]
            yield _problem(other, ("id",), "id-case", (
                f"the id '{other_id}' differs only in case from '{first.id}' ({first.path}, line "
                f"{first.line_of('id')}); their files would be one file on Windows and macOS, so choose another id"
            ))


def _plural(kinds: tuple[str, ...]) -> str:
    names = {"evidence": "evidence items", "recommendation": "recommendations", "source": "sources",
             "aim": "aims", "action": "actions", "outcome": "outcomes", "theme": "themes"}
    return " or ".join(names[kind] for kind in kinds)


# "Did you mean" compares an unknown link with every id it could have meant: this many comparisons in
# all, per run, so that thousands of unknown links among thousands of ids cost a second, not minutes.
SUGGESTION_BUDGET = 200_000


class _Suggestions:
    """The closest id to an unknown link, each asked once, until the run's budget is spent."""

    def __init__(self, ids_by_kind: dict[str, list[str]]) -> None:
        self._ids_by_kind = ids_by_kind
        self._budget = SUGGESTION_BUDGET
        self._found: dict[tuple[str, tuple[str, ...]], str | None] = {}

    def closest(self, target_id: str, kinds: tuple[str, ...]) -> str | None:
        key = (target_id, kinds)
        if key not in self._found:
            candidates = [found for kind in kinds for found in self._ids_by_kind[kind]]
            close: list[str] = []
            if len(candidates) <= self._budget:
                self._budget -= len(candidates)
                close = difflib.get_close_matches(target_id, candidates, n=1)
            self._found[key] = close[0] if close else None
        return self._found[key]


def _link_problems(
    records: Iterable[Record], by_id: dict[str, Record], unreadable_ids: frozenset[str]
) -> Iterable[Problem]:
    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for record_id, linked in sorted(by_id.items()):
        ids_by_kind[linked.kind].append(record_id)
    suggestions = _Suggestions(ids_by_kind)
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
                if target is None and (target_id in unreadable_ids or has_pasted(target_id)):
                    continue  # that file's own problem, or the pasted character in the id, is already reported
                if target is None:
                    close = suggestions.closest(target_id, wanted)
                    hint = f"; did you mean '{close}'?" if close else f"; it should name existing {_plural(wanted)}"
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
    return with_cross_checks(loaded.records, problems, loaded.unreadable_ids)


def with_cross_checks(records: tuple[Record, ...], problems: list[Problem],
                       unreadable_ids: frozenset[str]) -> Validation:
    """Add the problems between records (duplicate ids, links) to each record's own."""
    problems = problems + list(_duplicate_problems(records))
    by_id: dict[str, Record] = {}
    for record in records:
        by_id.setdefault(record.id, record)
    problems.extend(_link_problems(records, by_id, unreadable_ids))
    problems.sort(key=lambda p: (p.path, p.line or 0, p.column or 0, p.message))
    return Validation(records, tuple(problems))


def _months_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def acceptance_problems(records: Iterable[Record], today: dt.date, max_months: int) -> list[Problem]:
    """Accepted gaps whose review date is further ahead than trace.toml allows: an acceptance is a
    decision to review, and one that never comes due silences its gap for good. Judged from today, so
    a record that passes keeps passing as time goes on."""
    limit = _months_after(today, max_months)
    problems = []
    for record in records:
        for index, accepted in enumerate(record.data.get("accepted_gaps") or []):
            if not isinstance(accepted, dict) or not isinstance(accepted.get("review_by"), str):
                continue
            try:
                review_by = dates.parse_day(accepted["review_by"])
            except ValueError:
                continue  # the date's own problem is reported already
            if review_by > limit:
                data_path = ("accepted_gaps", index, "review_by")
                problems.append(_problem(record, data_path, "acceptance-too-long", (
                    f"{describe_path(data_path)} is {review_by.isoformat()}, more than {max_months} months after "
                    f"{today.isoformat()}; an accepted gap must be reviewed by {limit.isoformat()} at the latest "
                    "(max_acceptance_months in trace.toml), so choose an earlier date"
                )))
    return problems
