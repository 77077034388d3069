"""Who owes what: per owner, the live actions that are overdue, due soon, or have had no change
committed for a long time. A plain function over the record graph and the dates of record changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from learntrace import dates
from learntrace.gitio import Commit, FileChange
from learntrace.graph import RecordGraph
from learntrace.model import CLOSED_ACTION_STATUSES, Record, natural_key
from learntrace.spreadsheet import same_owner


@dataclass(frozen=True)
class DueAction:
    id: str
    title: str
    status: str
    target: str
    due: dt.date | None  # the last day of the target; None for ongoing and tba
    recommendations: tuple[str, ...]
    last_changed: dt.date | None = None  # the last commit that changed the record


@dataclass(frozen=True)
class OwnerDue:
    owner: str
    overdue: tuple[DueAction, ...]
    due_soon: tuple[DueAction, ...]
    stale: tuple[DueAction, ...]


@dataclass(frozen=True)
class DueReport:
    as_of: dt.date
    within_days: int
    stale_days: int
    owners: tuple[OwnerDue, ...]
    history_read: bool  # False: no git history, so nothing could be called stale


def last_changed_dates(history: Iterable[tuple[Commit, list[FileChange]]], until: dt.date) -> dict[str, dt.date]:
    """For each record id (its file's name), the day of the last commit on or before `until` that changed it."""
    found: dict[str, dt.date] = {}
    for commit, changes in history:
        day = commit.date.date()
        if day > until:
            continue
        for change in changes:
            path = change.new_path or change.old_path or ""
            record_id = path.rpartition("/")[2].rpartition(".")[0]
            if record_id and (record_id not in found or found[record_id] < day):
                found[record_id] = day
    return found


def _item(action: Record, due: dt.date | None, last_changed: dt.date | None) -> DueAction:
    return DueAction(action.id, action.title, str(action.get("status", "")), str(action.get("target", "")), due,
                     tuple(action.links("addresses")), last_changed)


def _due_day(action: Record) -> dt.date | None:
    try:
        span = dates.parse_target(str(action.get("target", ""))).span
    except ValueError:
        return None
    return span.end if span is not None else None


def find_due(graph: RecordGraph, as_of: dt.date, within_days: int = 30, stale_days: int = 90,
             last_changed: Mapping[str, dt.date] | None = None, owner: str | None = None) -> DueReport:
    """Live actions (not complete, not dropped) by owner: past their target, with a target ending within
    `within_days`, and with no committed change for `stale_days` (only when `last_changed` is known)."""
    soon = as_of + dt.timedelta(days=within_days)
    by_owner: dict[str, tuple[str, list[DueAction], list[DueAction], list[DueAction]]] = {}
    for action in graph.of_kind("action"):
        name = " ".join(str(action.get("owner", "")).split())
        if action.get("status") in CLOSED_ACTION_STATUSES or (owner is not None and not same_owner(name, owner)):
            continue
        due = _due_day(action)
        changed = last_changed.get(action.id) if last_changed is not None else None
        entry = by_owner.setdefault(name.casefold(), (name, [], [], []))
        if due is not None and due < as_of:
            entry[1].append(_item(action, due, changed))
        elif due is not None and due <= soon:
            entry[2].append(_item(action, due, changed))
        if changed is not None and (as_of - changed).days >= stale_days:
            entry[3].append(_item(action, due, changed))
    owners = []
    for name, overdue, due_soon, stale in sorted(by_owner.values(), key=lambda e: (e[0].casefold(), e[0])):
        if overdue or due_soon or stale:
            owners.append(OwnerDue(name, *(tuple(sorted(items, key=lambda a: natural_key(a.id)))
                                           for items in (overdue, due_soon, stale))))
    return DueReport(as_of, within_days, stale_days, tuple(owners), last_changed is not None)
