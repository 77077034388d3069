"""New records: the next free id in a folder's own pattern, and the text of a new record file."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from learntrace.errors import TraceError
from learntrace.model import KIND_FOLDERS, Record, natural_key
from learntrace.roundtrip import LINE_WIDTH, dump_new, foldable, folded, id_list, styled
from learntrace.schema import schema_properties

# The prefix a kind's ids get when its folder has none to follow.
DEFAULT_PREFIXES = {
    "source": "SRC", "recommendation": "REC", "aim": "AIM", "action": "ACT", "evidence": "EV", "outcome": "OUT",
    "theme": "THM",
}
_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<sep>[-._]?)(?P<number>\d+)$")
_SEPARATORS = "-._"


@dataclass(frozen=True)
class IdPattern:
    """How a folder numbers its ids: ACT-BP-07 is prefix ACT-BP, separator '-', width 2."""

    prefix: str
    separator: str
    width: int
    last: int
    folder: str


def _numbered(record_id: str) -> tuple[str, str, str] | None:
    match = _NUMBERED.match(record_id)
    if match is None or not match.group("prefix"):
        return None
    return match.group("prefix"), match.group("sep"), match.group("number")


def id_pattern(kind: str, records: Iterable[Record], prefix: str | None = None) -> IdPattern:
    """The numbering of this kind's ids with the given prefix, or with the most common prefix."""
    folder = f"records/{KIND_FOLDERS[kind]}"
    if prefix is not None:
        prefix = prefix.strip()
        if not prefix or not re.match(r"^[A-Za-z][A-Za-z0-9._-]*$", prefix):
            raise TraceError(f"the prefix '{prefix}' is not the start of an id, such as ACT-BP")
    wanted_separator = prefix[-1] if prefix and prefix[-1] in _SEPARATORS else None
    wanted_prefix = prefix.rstrip(_SEPARATORS) if prefix else None
    numbered: dict[tuple[str, str], list[tuple[str, Record]]] = {}
    for record in records:
        if record.kind != kind:
            continue
        parts = _numbered(record.id)
        if parts is None:
            continue
        found_prefix, separator, number = parts
        if wanted_prefix is not None and found_prefix != wanted_prefix:
            continue
        if wanted_separator is not None and separator != wanted_separator:
            continue
        numbered.setdefault((found_prefix, separator), []).append((number, record))
    if not numbered:
        base = wanted_prefix or DEFAULT_PREFIXES[kind]
        return IdPattern(base, wanted_separator or "-", 1, 0, folder)
    counts = Counter({key: len(items) for key, items in numbered.items()})
    # The most used pattern; on a tie, the one that has come furthest.
    (chosen_prefix, separator), _ = max(
        counts.items(), key=lambda item: (item[1], max(int(n) for n, _ in numbered[item[0]]))
    )
    items = numbered[(chosen_prefix, separator)]
    padded = [len(number) for number, _ in items if len(number) > 1 and number.startswith("0")]
    width = max(padded) if padded else 1
    last_number, last_record = max(items, key=lambda item: (int(item[0]), natural_key(item[1].path)))
    return IdPattern(chosen_prefix, separator, width, int(last_number),
                     str(PurePosixPath(last_record.path).parent))


def next_ids(pattern: IdPattern, taken: set[str], count: int = 1) -> list[str]:
    """The next free ids after the highest in use: numbers of removed records are never reused."""
    found: list[str] = []
    number = pattern.last
    while len(found) < count:
        number += 1
        candidate = f"{pattern.prefix}{pattern.separator}{number:0{pattern.width}d}"
        if candidate not in taken:
            found.append(candidate)
    return found


def record_path(pattern: IdPattern, record_id: str) -> str:
    return f"{pattern.folder}/{record_id}.yaml"


def schema_line(kind: str, path: str) -> str:
    """The first line that lets VS Code's YAML extension check the file as it is typed."""
    depth = len(PurePosixPath(path).parent.parts)
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{kind}.schema.json"


def record_text(kind: str, path: str, record_id: str, fields: Mapping[str, Any],
                provenance: Sequence[tuple[str, str]] = ()) -> str:
    """A new record file: the schema line, then the fields in the schema's order, written as the records are."""
    order = list(schema_properties(kind))
    data = CommentedMap()
    data["id"] = record_id
    for name in sorted(fields, key=lambda n: order.index(n) if n in order else len(order)):
        value = fields[name]
        if name == "id" or value is None:
            continue
        if isinstance(value, list):
            data[name] = id_list(value)
        else:
            data[name] = styled(str(value), None, name)
    if provenance:
        items = CommentedSeq()
        for document, section in provenance:
            item = CommentedMap()
            item["document"] = styled(document, None, "document")
            item["section"] = nested_text(section)
            items.append(item)
        data["provenance"] = items
    return schema_line(kind, path) + "\n" + dump_new(data)


def nested_text(value: str) -> Any:
    # Inside a list item the text starts 6 columns in: fold earlier so lines stay within the width.
    if foldable(value) and len("    section: ") + len(value) > LINE_WIDTH:
        return folded(value, indent=6)
    return styled(value, None, "section")


# ---------------------------------------------------------------------------------------------
# Ids that follow a source


def _source_code(source_id: str, records: Iterable[Record]) -> str:
    """A source's short code: its `ref` when that can start an id (AB), else its id without SRC- (LDS19)."""
    source = next((r for r in records if r.kind == "source" and r.id == source_id), None)
    ref = str(source.get("ref") or "").strip() if source is not None else ""
    if ref and re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", ref):
        return ref
    code = re.sub(r"^SRC[-._]?", "", source_id, flags=re.IGNORECASE)
    return code or source_id


def recommendation_pattern(records: Sequence[Record], source_id: str) -> IdPattern:
    """The numbering a new recommendation of this source takes: its existing recommendations' prefix (REC-AB-),
    or REC- and the source's code for its first one; numbers continue after the highest with that prefix."""
    own = [r for r in records if r.kind == "recommendation" and r.get("source") == source_id]
    if own:
        mine = id_pattern("recommendation", own)
        if mine.last:
            return id_pattern("recommendation", records, mine.prefix + mine.separator)
    prefix = f"{DEFAULT_PREFIXES['recommendation']}-{_source_code(source_id, records)}-"
    return id_pattern("recommendation", records, prefix)


def choose_id(kind: str, records: Sequence[Record], fields: Mapping[str, Any], prefix: str | None = None,
              record_id: str | None = None) -> tuple[IdPattern, str, str | None]:
    """A new record's numbering and id, and a line to show when the id was proposed: a recommendation follows
    its source's prefix (and may not reuse a ref of that source); a source's id comes from its title."""
    source = str(fields.get("source") or "")
    if kind == "recommendation" and source and fields.get("ref"):
        check_new_ref(records, source, str(fields["ref"]))
    if kind == "recommendation" and source and prefix is None:
        pattern = recommendation_pattern(records, source)
    else:
        pattern = id_pattern(kind, records, prefix)
    if record_id:
        return pattern, record_id, None
    taken = {record.id for record in records}
    if kind == "source" and prefix is None and fields.get("title"):
        proposed = proposed_source_id(str(fields["title"]), taken)
        return pattern, proposed, f"id: {proposed} (from the title; give --id to choose another)"
    return pattern, next_ids(pattern, taken)[0], None


def check_new_ref(records: Iterable[Record], source_id: str, ref: str) -> None:
    """A source numbers its recommendations once: a ref it already uses is a mistake (or a duplicate)."""
    wanted = " ".join(ref.split()).lower()
    for record in records:
        if record.kind == "recommendation" and record.get("source") == source_id \
                and " ".join(str(record.get("ref") or "").split()).lower() == wanted:
            raise TraceError(
                f"{source_id} already has a recommendation with ref {ref} ({record.id}, {record.path}); check the "
                f"number in the source, or change {record.id} with: trace set {record.id} text \"...\""
            )


_CODE_WORD = re.compile(r"^(?=.*[A-Z])[A-Z0-9]{2,8}$")
_SMALL_WORDS = frozenset({"a", "an", "and", "by", "for", "in", "into", "of", "on", "the", "to", "with"})


def proposed_source_id(title: str, taken: set[str]) -> str:
    """An id for a new source from its title: the code the title gives (LDS19 in "Child Safeguarding Practice
    Review: LDS19"), else the initials of its words; -2, -3... when that id is taken."""
    words = re.findall(r"[A-Za-z0-9]+", title)
    codes = [w for w in words if _CODE_WORD.match(w) and not w.isdigit()]
    if codes:
        code = codes[-1]
    else:
        initials = "".join(w[0] for w in words if w.lower() not in _SMALL_WORDS and not w.isdigit())[:5].upper()
        years = [w for w in words if re.match(r"^(19|20)\d{2}$", w)]
        code = (initials or "NEW") + (years[-1][2:] if years else "")
    base = f"{DEFAULT_PREFIXES['source']}-{code}"
    candidate, number = base, 1
    lowered = {t.lower() for t in taken}
    while candidate.lower() in lowered:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
