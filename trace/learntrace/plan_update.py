"""Rows of a spreadsheet turned into what importing it would do: records to update (only the cells
that differ, written with the round-trip editor), records to create, and every problem of every row."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from learntrace.cell_values import RefIndex, RowReader, RowValues
from learntrace.edits import Workspace
from learntrace.errors import Problem, TraceError
from learntrace.model import Record
from learntrace.newrecord import id_pattern, next_ids, record_path, record_text
from learntrace.record_update import FieldChange, updated_content
from learntrace.schema import article, field_schemas, required_fields
from learntrace.sheet_columns import SheetColumns, map_sheet_columns
from learntrace.spreadsheet import FINGERPRINT, Fingerprint, SheetProblem, SheetRow, Table, canonical, parse_fingerprint
from learntrace.yamlparse import RecordSyntaxError, parse_record_text


@dataclass(frozen=True)
class Update:
    row: int
    id: str
    path: str
    changes: tuple[FieldChange, ...]
    content: bytes


@dataclass(frozen=True)
class Create:
    row: int
    id: str
    path: str
    fields: Mapping[str, Any]
    text: str
    readings: tuple[tuple[str, str], ...]  # (column heading, how its cell was read)


@dataclass(frozen=True)
class UpdatePlan:
    kind: str
    file_name: str
    columns: SheetColumns
    creates: tuple[Create, ...]
    updates: tuple[Update, ...]
    unchanged: int
    problems: tuple[SheetProblem, ...]
    warnings: tuple[str, ...]

    def writes(self) -> tuple[tuple[str, bytes], ...]:
        return (*((u.path, u.content) for u in self.updates), *((c.path, c.text.encode("utf-8")) for c in self.creates))

    def locate(self, problems: list[Problem]) -> list[SheetProblem | Problem]:
        """Problems the change would add to the records, named by the row and column they come from."""
        rows = {u.path: (u.row, u.id, u.content.decode("utf-8", "replace")) for u in self.updates}
        rows |= {c.path: (c.row, c.id, c.text) for c in self.creates}
        located: list[SheetProblem | Problem] = []
        for problem in problems:
            if problem.path not in rows:
                located.append(problem)
                continue
            row, record_id, text = rows[problem.path]
            name = _field_at(text, problem.line)
            column = self.columns.heading(name) if name and name in self.columns.fields() else None
            located.append(SheetProblem(row, column, problem.message, record_id))
        return located


def _field_at(text: str, line: int | None) -> str | None:
    if line is None:
        return None
    try:
        positions = parse_record_text(text).positions
    except RecordSyntaxError:
        return None
    above = [(pos[0], path[0]) for path, pos in positions.items() if len(path) == 1 and pos[0] <= line]
    return str(max(above)[1]) if above else None


_PUNCTUATION = re.compile(r"[\W_]+")


def _duplicate_key(kind: str, values: Mapping[str, Any]) -> str:
    """Titles (for recommendations: source and text) compared ignoring case, spacing and punctuation."""
    text = values.get("title") if kind == "action" else f"{values.get('source')} {values.get('text')}"
    return _PUNCTUATION.sub(" ", str(text or "").casefold()).strip()


@dataclass
class _Planner:
    kind: str
    table: Table
    workspace: Workspace
    columns: SheetColumns
    reader: RowReader
    prefix: str | None
    defaults: Mapping[str, str]
    allow_duplicates: bool
    problems: list[SheetProblem] = field(default_factory=list)
    creates: list[Create] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0
    seen: dict[str, int] = field(default_factory=dict)  # id -> the first row that names it
    missing_fingerprints: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id: dict[str, list[Record]] = {}
        for record in self.workspace.records:
            self.by_id.setdefault(record.id, []).append(record)
        self.existing = {_duplicate_key(self.kind, r.data): r.id for r in self.workspace.records if r.kind == self.kind}
        self.new_keys: dict[str, int] = {}
        self.taken = set(self.workspace.ids())
        self.pattern = id_pattern(self.kind, self.workspace.records, self.prefix)

    def plan_row(self, row: SheetRow) -> None:
        record_id = self.columns.text(row, "id").strip()
        if not record_id:
            self._create(row, self.reader.read(row, None))
            return
        record = self._record(row, record_id)
        read = self.reader.read(row, record)
        self.problems.extend(replace(problem, id=record_id) for problem in read.problems)
        if record is None or read.problems:
            return
        usable, fingerprint = self._fingerprint(row, record)
        if usable:
            self._update(row, record, read, fingerprint)

    def _record(self, row: SheetRow, record_id: str) -> Record | None:
        heading = self.columns.heading("id")
        first = self.seen.setdefault(record_id, row.number)
        if first != row.number:
            self._problem(row, heading, f"rows {first} and {row.number} both give {record_id}; keep one row per record",
                          record_id)
            return None
        found = self.by_id.get(record_id, [])
        if len(found) > 1:
            self._problem(row, heading, f"more than one record has the id {record_id}; fix that first (see trace "
                          "validate)", record_id)
            return None
        if not found:
            self._problem(row, heading, f"there is no {self.kind} {record_id} in the records; leave the id empty to "
                          f"create a new {self.kind}, or correct the id", record_id)
            return None
        if found[0].kind != self.kind:
            self._problem(row, heading, f"{record_id} is {article(found[0].kind)}, not {article(self.kind)}; "
                          f"this {self.table.what} holds {self.kind}s", record_id)
            return None
        return found[0]

    def _fingerprint(self, row: SheetRow, record: Record) -> tuple[bool, Fingerprint | None]:
        """Whether the row can be used (else a problem was reported), and its fingerprint if it has one."""
        text = self.columns.text(row, FINGERPRINT).strip()
        if not text:
            self.missing_fingerprints.append(row.number)
            return True, None
        try:
            fingerprint = parse_fingerprint(text)
        except ValueError as error:
            self._problem(row, self.columns.heading(FINGERPRINT), str(error), record.id)
            return False, None
        if fingerprint.kind != self.kind:
            self._problem(row, None, f"this row was exported as {article(fingerprint.kind)}; import the file with "
                          f"--kind {fingerprint.kind}", record.id)
            return False, None
        if fingerprint.changed_in_cell("id", record.id):
            self._problem(row, self.columns.heading("id"), "this row was exported for another record, so its id "
                          "must have been changed; ids cannot change in a spreadsheet (use trace rename), so put "
                          "the id back", record.id)
            return False, None
        return True, fingerprint

    def _update(self, row: SheetRow, record: Record, read: RowValues, fingerprint: Fingerprint | None) -> None:
        values = dict(read.values)
        values.pop("id", None)
        differing = [name for name, value in values.items() if canonical(value) != canonical(record.get(name))]
        if fingerprint is not None and not fingerprint.matches(record):
            # A cell changed in the spreadsheet, to something the record does not say already: two people
            # changed this record since the export, and the newer change must not be lost without a look.
            edited = [name for name in differing if fingerprint.changed_in_cell(name, values[name])]
            if edited:
                self._problem(row, None, f"the record was changed after this {self.table.what} was exported "
                              f"({_changed_since(record, fingerprint)}); export again or change it by hand", record.id)
            else:
                self.unchanged += 1  # the row is as exported: the newer record stands
            return
        if "target" in differing and read.notes:
            # A season read as months: the record keeps the spreadsheet's wording in its notes.
            notes = " ".join(str(values.get("notes") or record.get("notes") or "").split())
            values["notes"] = " ".join(part for part in (notes, *read.notes) if part)
            if "notes" not in differing:
                differing.append("notes")
        emptied = [name for name in differing if values[name] is None and name in required_fields(self.kind)]
        for name in emptied:
            self._problem(row, self.columns.heading(name), f"is empty, but every {self.kind} needs its {name}",
                          record.id)
        if emptied:
            return
        if not differing:
            self.unchanged += 1
            return
        changes = tuple(FieldChange(name, record.get(name), values[name], read.readings.get(name))
                        for name in differing)
        try:
            content = updated_content(self.workspace, record, changes)
        except TraceError as error:
            self._problem(row, None, str(error), record.id)
            return
        self.updates.append(Update(row.number, record.id, record.path, changes, content))

    def _create(self, row: SheetRow, read: RowValues) -> None:
        self.problems.extend(read.problems)
        values = {name: value for name, value in read.values.items() if value is not None and name != "id"}
        for name, value in self.defaults.items():
            values.setdefault(name, value)
        if read.notes:
            values["notes"] = " ".join(part for part in (str(values.get("notes", "")), *read.notes) if part)
        if self.kind == "action":
            values.setdefault("status", "unknown")  # no document says: never guess
            values.setdefault("target", "not-set")  # no target column: the plan gives none (not "TBA")
        elif "unknown" in _statuses(self.kind):
            # Recommendations gain the status 'unknown' with the records branch's schema (issue 13 asks for
            # it); until the schema has it, a row with no status is a problem that lists the allowed ones.
            values.setdefault("status", "unknown")
        missing = [name for name in required_fields(self.kind) if name != "id" and not values.get(name)]
        for name in missing:
            self._problem(row, self.columns.heading(name) if name in self.columns.fields() else None,
                          _missing(self.kind, name))
        if read.problems or missing or not self._not_duplicate(row, values):
            return
        record_id = next_ids(self.pattern, self.taken)[0]
        self.taken.add(record_id)
        path = record_path(self.pattern, record_id)
        if (self.workspace.root / path).exists():
            self._problem(row, None, f"{path} already exists but is not a record trace can read; move it away first")
            return
        text = record_text(self.kind, path, record_id, values, provenance=[(self.table.name, f"row {row.number}")])
        readings = tuple((self.columns.heading(name), reading) for name, reading in read.readings.items())
        self.creates.append(Create(row.number, record_id, path, values, text, readings))

    def _not_duplicate(self, row: SheetRow, values: Mapping[str, Any]) -> bool:
        key = _duplicate_key(self.kind, values)
        what = "title matches" if self.kind == "action" else "source and text match"
        if not key or self.allow_duplicates:
            return True
        if key in self.existing:
            self._problem(row, None, f"its {what} {self.existing[key]}; to update {self.existing[key]}, put its "
                          f"id in the id column; if this is a different {self.kind}, run again with --allow-duplicates")
            return False
        if key in self.new_keys:
            self._problem(row, None, f"its {what} row {self.new_keys[key]}; keep one row per {self.kind}, or "
                          "run again with --allow-duplicates")
            return False
        self.new_keys[key] = row.number
        return True

    def _problem(self, row: SheetRow, column: str | None, message: str, record_id: str | None = None) -> None:
        self.problems.append(SheetProblem(row.number, column, message, record_id))


def _statuses(kind: str) -> list[str]:
    return [str(value) for value in field_schemas(kind)["status"].get("enum", [])]


_MEANINGS = {
    "title": "what the action is", "owner": "the group or agency responsible", "text": "the recommendation's text",
    "source": "the source's id, or use --source", "aims": "the aims, or all", "status": "open, complete or superseded",
}


def _missing(kind: str, name: str) -> str:
    return f"has no {name} ({_MEANINGS.get(name, name)}); every new {kind} needs one"


def _changed_since(record: Record, fingerprint: Fingerprint) -> str:
    changed = [name for name in fingerprint.parts
               if name != "id" and fingerprint.changed_in_cell(name, record.get(name))]
    if not changed:
        return "in a field the spreadsheet does not show"
    return ", ".join(f"{name} is now '{canonical(record.get(name))}'" if record.get(name) is not None
                     else f"{name} was removed" for name in changed)


def plan_update(table: Table, kind: str, workspace: Workspace, overrides: Mapping[str, str] | None = None,
                prefix: str | None = None, defaults: Mapping[str, str] | None = None,
                allow_duplicates: bool = False) -> UpdatePlan:
    """What importing the table would change and create; nothing is written."""
    if not table.header:  # the file could not be read as one table (two sheets of records): only its problems
        return UpdatePlan(kind, table.name, SheetColumns((), {}, {}, ()), (), (), 0, table.problems, ())
    columns = map_sheet_columns(table, kind, overrides or {})
    status_default = "unknown" if "unknown" in _statuses(kind) else None
    reader = RowReader(kind, columns.by_index, table.header, RefIndex.of(workspace.records), status_default)
    planner = _Planner(kind, table, workspace, columns, reader, prefix, defaults or {}, allow_duplicates)
    planner.problems.extend(table.problems)
    for row in table.rows:
        if any(not cell.is_empty for cell in row.cells):
            planner.plan_row(row)
    warnings = []
    with_ids = planner.missing_fingerprints
    if FINGERPRINT not in columns.special:
        if "id" in columns.fields() and with_ids:
            warnings.append(f"{table.name} has no fingerprints (trace did not export it), so a change made to the "
                            "records since it was filled in cannot be detected: check each change below")
    elif with_ids:
        warnings.append(f"{table.name} row(s) {', '.join(map(str, with_ids))} have an id but no fingerprint, so a "
                        "change made to those records since the export cannot be detected: check them below")
    order = {heading.strip(): index for index, heading in reversed(list(enumerate(table.header)))}
    problems = sorted(planner.problems, key=lambda p: (p.row, order.get(p.column or "", -1), p.message))
    return UpdatePlan(kind, table.name, columns, tuple(planner.creates), tuple(planner.updates), planner.unchanged,
                      tuple(problems), tuple(warnings))
