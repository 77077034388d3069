"""The record kinds and the loaded record."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

# Folder under records/ -> kind, in upstream-to-downstream order.
FOLDER_KINDS: dict[str, str] = {
    "sources": "source",
    "recommendations": "recommendation",
    "aims": "aim",
    "actions": "action",
    "evidence": "evidence",
    "outcomes": "outcome",
    "themes": "theme",
}
KINDS: tuple[str, ...] = tuple(FOLDER_KINDS.values())
KIND_FOLDERS: dict[str, str] = {kind: folder for folder, kind in FOLDER_KINDS.items()}

# Link field of a kind -> the kinds its ids may point at.
LINK_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "recommendation": {
        "source": ("source",),
        "aims": ("aim",),
        "themes": ("theme",),
        "superseded_by": ("recommendation",),
    },
    "action": {
        "addresses": ("recommendation",),
        "aims": ("aim",),
        "outcomes": ("outcome",),
    },
    "evidence": {"supports": ("action", "outcome")},
}

# Recommendation statuses that nobody has closed: open, or no document says (a gap finder treats both alike).
UNSETTLED_RECOMMENDATION_STATUSES = frozenset({"open", "unknown"})

# Status values that mean an action is finished with, one way or another.
CLOSED_ACTION_STATUSES = frozenset({"complete", "dropped"})

Position = tuple[int, int]  # 1-based line and column


class LazyPositions(Mapping[tuple[Any, ...], Position]):
    """Positions kept marshalled, and unpacked afresh each time they are asked for: most records never need
    a line number, and the few a run asks for (a gap's line) would otherwise keep every record's unpacked
    positions, a tenth of a large run's memory."""

    def __init__(self, packed: bytes) -> None:
        self._packed = packed

    @property
    def packed(self) -> bytes:
        """The positions as marshalled, to keep them as they are."""
        return self._packed

    def unpacked(self) -> dict[tuple[Any, ...], Position]:
        """All the positions at once, each checked, for several lookups."""
        return _unpacked_positions(self._packed)

    def loaded(self) -> dict[Any, Any]:
        """The positions as stored, unchecked, for one lookup whose answer is checked (most records that
        need a line need one: a gap's): checking every position of each record cost a tenth of `trace gaps`."""
        return _loaded_positions(self._packed)

    def __getitem__(self, key: tuple[Any, ...]) -> Position:
        return self.unpacked()[key]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.unpacked())

    def __len__(self) -> int:
        return len(self.unpacked())


def _loaded_positions(packed: bytes) -> dict[Any, Any]:
    """Positions from the record cache as stored: a dict, or none at all if they cannot be read."""
    import marshal

    try:
        found = marshal.loads(packed)
    except (EOFError, ValueError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}


def _unpacked_positions(packed: bytes) -> dict[tuple[Any, ...], Position]:
    """Positions from the record cache; should they be damaged, no line is known (the nearest is line 1)."""
    found = _loaded_positions(packed)
    if not all(isinstance(key, tuple) and _is_position(value) for key, value in found.items()):
        return {}
    return found


def _is_position(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and type(value[0]) is int and type(value[1]) is int


@dataclass(frozen=True)
class Record:
    """One YAML file under records/: its kind, id, where it lives, and its fields."""

    kind: str
    id: str
    path: str
    data: Mapping[str, Any]
    positions: Mapping[tuple[Any, ...], Position] = field(default_factory=dict, compare=False)

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def links(self, name: str) -> list[str]:
        """The ids a link field lists (a single id is a one-item list; `all` is no id)."""
        value = self.data.get(name)
        if isinstance(value, str):
            return [] if value == "all" else [value]
        if isinstance(value, list):
            return [item for item in value if isinstance(item, str)]
        return []

    def position_of(self, *data_path: Any) -> Position | None:
        """The line and column of a field (or list item) in the file, else of its nearest parent."""
        positions = self.positions.loaded() if isinstance(self.positions, LazyPositions) else self.positions
        for depth in range(len(data_path), -1, -1):
            position = positions.get(tuple(data_path[:depth]))
            if position is not None and _is_position(position):  # a damaged one counts as none
                return position
        return None

    def line_of(self, *data_path: Any) -> int:
        position = self.position_of(*data_path)
        return position[0] if position is not None else 1

    @property
    def title(self) -> str:
        """A short human label: the title, else the start of the text."""
        title = self.data.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        text = self.data.get("text")
        if isinstance(text, str) and text.strip():
            first = " ".join(text.split())
            return first if len(first) <= 80 else first[:77].rstrip() + "..."
        return self.id


def is_judgement_link(one: Record, other: Record) -> bool:
    """Whether the link between two records is marked, on either side, as a judgement no document states."""
    return other.id in one.links("judgement_links") or one.id in other.links("judgement_links")


@cache
def natural_key(text: str) -> tuple[Any, ...]:
    """Sort REC-AB-2 before REC-AB-10."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(text))


_DIGITS = re.compile(r"(\d+)")
