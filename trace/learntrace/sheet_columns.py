"""Which column of a spreadsheet is which field: by heading (with the usual synonyms and --map), the
columns trace fills in itself, the fingerprint, and which kind of record the rows are."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from learntrace.csv_import import header_key, map_columns
from learntrace.errors import TraceError
from learntrace.model import Record
from learntrace.spreadsheet import COMPUTED, EDITABLE, FINGERPRINT, SHEET_KINDS, SheetRow, Table, fingerprint_kind

# Fields only one kind has: a header naming them says which kind the rows are.
_DISTINCTIVE = {
    "action": frozenset({"title", "owner", "target", "rag", "objective", "addresses", "outcomes"}),
    "recommendation": frozenset({"source", "ref", "text"}),
}
_USUAL_HEADINGS = "Action, Lead, Target Date, RAG, Status, Objective, Strategic Aim, Recommendation, Comments"


@dataclass(frozen=True)
class SheetColumns:
    header: tuple[str, ...]
    by_index: Mapping[int, str]  # column -> the field it gives
    special: Mapping[str, int]  # fingerprint and the columns trace fills in -> their column
    ignored: tuple[str, ...]  # headings of the columns not read

    def fields(self) -> set[str]:
        return set(self.by_index.values())

    def _index(self, name: str) -> int | None:
        if name in self.special:
            return self.special[name]
        return next((index for index, field in self.by_index.items() if field == name), None)

    def heading(self, name: str) -> str:
        index = self._index(name)
        return self.header[index].strip() if index is not None and self.header[index].strip() else name

    def text(self, row: SheetRow, name: str) -> str:
        index = self._index(name)
        if index is None:
            return ""
        cell = row.cell(index)
        return str(cell.raw) if cell.kind == "number" else cell.text

    def used(self) -> list[tuple[str, str]]:
        return [(self.header[index].strip(), name) for index, name in sorted(self.by_index.items())]

    def computed(self, kind: str) -> list[str]:
        return [self.heading(name) for name in COMPUTED[kind] if name in self.special]


def _split(header: tuple[str, ...], kind: str) -> tuple[list[str], dict[str, int]]:
    """The header with trace's own columns blanked out, and where those are."""
    special: dict[str, int] = {}
    plain = list(header)
    for index, heading in enumerate(header):
        key = header_key(heading)
        if key == FINGERPRINT or key in COMPUTED[kind]:
            special.setdefault(key, index)
            plain[index] = ""
    return plain, special


def _no_known_column(table: Table, kinds: tuple[str, ...]) -> TraceError:
    found = ", ".join(f"'{h.strip()}'" for h in table.header if h.strip()) or "no headings at all"
    expected = "; ".join(f"for {kind}s {', '.join(EDITABLE[kind])}" for kind in kinds)
    return TraceError(
        f"{table.name}: the header (row {table.header_row}) names no column trace knows. It has {found}. "
        f"trace expects the field names ({expected}) or the usual headings ({_USUAL_HEADINGS})"
    )


def map_sheet_columns(table: Table, kind: str, overrides: Mapping[str, str]) -> SheetColumns:
    """Raises TraceError when no column is known, or two give one field, or --map names a missing column."""
    plain, special = _split(table.header, kind)
    by_index, ignored = map_columns(plain, kind, overrides)
    if not by_index:
        raise _no_known_column(table, (kind,))
    return SheetColumns(table.header, by_index, special, tuple(ignored))


def _score(table: Table, kind: str) -> int:
    plain, _ = _split(table.header, kind)
    try:
        by_index, _ = map_columns(plain, kind, {})
    except TraceError:
        return 0
    return len(set(by_index.values()) & _DISTINCTIVE[kind])


def _maps_any(table: Table, kind: str) -> bool:
    try:
        return bool(map_columns(_split(table.header, kind)[0], kind, {})[0])
    except TraceError:
        return True


def _kind_of_ids(table: Table, records: Iterable[Record]) -> str | None:
    """The one kind of the existing records the id column names, if it names any."""
    index = next((i for i, heading in enumerate(table.header) if header_key(heading) == "id"), None)
    if index is None:
        return None
    kinds = {record.id: record.kind for record in records}
    found = {kinds[text] for row in table.rows if (text := row.cell(index).text.strip()) in kinds}
    found &= set(SHEET_KINDS)
    return found.pop() if len(found) == 1 else None


def detect_kind(table: Table, records: Iterable[Record]) -> str:
    """The kind of record the rows are: from trace's fingerprints, from the records the ids name, else
    from the headings when they say."""
    for kind in SHEET_KINDS:
        _, special = _split(table.header, kind)
        if FINGERPRINT in special:
            for row in table.rows:
                found = fingerprint_kind(row.cell(special[FINGERPRINT]).text)
                if found is not None:
                    return found
    by_ids = _kind_of_ids(table, records)
    if by_ids is not None:
        return by_ids
    scores = {kind: _score(table, kind) for kind in SHEET_KINDS}
    best = max(scores.values())
    if best == 0 and not any(_maps_any(table, kind) for kind in SHEET_KINDS):
        raise _no_known_column(table, SHEET_KINDS)
    winners = [kind for kind, score in scores.items() if score == best]
    if len(winners) > 1:
        raise TraceError(f"{table.name}: its headings could be actions or recommendations; say which with "
                         "--kind action or --kind recommendation")
    return winners[0]
