"""The compiled schema checks (fastjsonschema, the fast path) and jsonschema (which explains failures)
must agree on every record: a record one accepts and the other rejects would be judged by chance."""

from __future__ import annotations

import fastjsonschema
import pytest
from conftest import VALID_RECORDS

from learntrace import schema
from learntrace.load import RecordFile, load_one, read_worktree

REPO = __import__("pathlib").Path(__file__).resolve().parents[1]

# Variations of valid records that break (or keep) one rule each.
MUTATIONS = [
    ("action", {"status": "finished"}), ("action", {"status": "complete"}), ("action", {"rag": "purple"}),
    ("action", {"addresses": "REC-1"}), ("action", {"addresses": []}), ("action", {"addresses": ["REC-1", "REC-1"]}),
    ("action", {"target": "2022-13"}), ("action", {"target": 2022}), ("action", {"owner": ""}),
    ("action", {"extra": "field"}), ("action", {"title": None}),
    ("recommendation", {"aims": "all"}), ("recommendation", {"aims": "some"}), ("recommendation", {"status": 3}),
    ("source", {"published": "2021-03"}), ("source", {"published": "March"}),
    ("evidence", {"supports": ["ACT-1"], "date": "2022"}), ("evidence", {"provenance": [{"document": "x"}]}),
    ("evidence", {"provenance": [{"document": "x", "section": "y"}]}),
    ("aim", {"status": "active"}), ("aim", {"status": "paused"}), ("outcome", {"title": ""}),
]


def _base(kind):
    for path, text in VALID_RECORDS.items():
        record, _ = load_one(RecordFile(path, __import__("textwrap").dedent(text).lstrip("\n").encode()))
        if record is not None and record.kind == kind:
            return dict(record.data)
    raise AssertionError(kind)


def _agree(kind, data):
    try:
        schema._fast_checks()[kind](data)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    slow = not list(schema._validators()[kind].iter_errors(data))
    return fast, slow


@pytest.mark.parametrize(("kind", "change"), MUTATIONS, ids=lambda value: str(value))
def test_both_checkers_agree_on_each_variation(kind, change):
    fast, slow = _agree(kind, {**_base(kind), **change})
    assert fast == slow


def test_both_checkers_agree_on_every_record_of_the_repository():
    for file in read_worktree(REPO):
        record, _ = load_one(file)
        if record is not None:
            assert _agree(record.kind, dict(record.data)) == (True, True), record.path
