"""Property tests: random valid record sets, and random edits."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learntrace.analyses import AnalysisContext, find_gaps
from learntrace.analyses.coverage import find_coverage
from learntrace.edits import read_workspace, set_field
from learntrace.graph import ADDRESSED_BY, build_graph
from learntrace.load import RecordFile
from learntrace.snapshot import load_snapshot
from learntrace.yamlparse import parse_record_text

AS_OF = dt.date(2023, 6, 30)
WORDS = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "Zs"), whitelist_characters="-'.,()&/"),
                min_size=1, max_size=40).map(str.strip).filter(bool)
STATUSES = ["not-started", "in-progress", "complete", "dropped", "unknown"]
TARGETS = st.sampled_from(["2021-12", "2022-Q3", "2023-06-30", "2021-12..2022-06", "2024-01", "ongoing", "tba"])


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def record_sets(draw: st.DrawFn) -> dict[str, str]:
    """Files of a valid record set: every link points at a record of the right kind."""
    files: dict[str, str] = {}
    sources = [f"SRC-{n}" for n in range(1, draw(st.integers(1, 3)) + 1)]
    aims = [f"AIM-{n}" for n in range(1, draw(st.integers(1, 3)) + 1)]
    outcomes = [f"OUT-{n}" for n in range(1, draw(st.integers(0, 2)) + 1)]
    for source in sources:
        files[f"records/sources/{source}.yaml"] = (
            f"id: {source}\ntitle: {_quote(draw(WORDS))}\ntype: local-review\npublished: '2021'\n")
    for aim in aims:
        status = draw(st.sampled_from(["active", "retired"]))
        files[f"records/aims/{aim}.yaml"] = f"id: {aim}\ntitle: {_quote(draw(WORDS))}\nstatus: {status}\n"
    for outcome in outcomes:
        files[f"records/outcomes/{outcome}.yaml"] = f"id: {outcome}\ntitle: {_quote(draw(WORDS))}\n"
    recommendations = [f"REC-{n}" for n in range(1, draw(st.integers(1, 6)) + 1)]
    for rec in recommendations:
        linked = draw(st.one_of(st.just("all"), st.lists(st.sampled_from(aims), unique=True, max_size=2)))
        aims_text = "all" if linked == "all" else "[" + ", ".join(linked) + "]"
        status = draw(st.sampled_from(["open", "complete", "superseded"]))
        files[f"records/recommendations/{rec}.yaml"] = (
            f"id: {rec}\nsource: {draw(st.sampled_from(sources))}\ntext: {_quote(draw(WORDS))}\n"
            f"aims: {aims_text}\nstatus: {status}\n")
    actions = [f"ACT-{n}" for n in range(1, draw(st.integers(0, 6)) + 1)]
    for action in actions:
        addresses = draw(st.lists(st.sampled_from(recommendations), unique=True, max_size=3))
        served = draw(st.lists(st.sampled_from(aims), unique=True, max_size=2))
        contributes = draw(st.lists(st.sampled_from(outcomes), unique=True, max_size=2)) if outcomes else []
        files[f"records/actions/{action}.yaml"] = (
            f"id: {action}\ntitle: {_quote(draw(WORDS))}\nowner: {_quote(draw(WORDS))}\n"
            f"status: {draw(st.sampled_from(STATUSES))}\ntarget: '{draw(TARGETS)}'\n"
            f"addresses: [{', '.join(addresses)}]\naims: [{', '.join(served)}]\n"
            f"outcomes: [{', '.join(contributes)}]\n")
    supportable = actions + outcomes
    for n in range(1, (draw(st.integers(0, 5)) if supportable else 0) + 1):
        supports = draw(st.lists(st.sampled_from(supportable), unique=True, min_size=0, max_size=2))
        files[f"records/evidence/EV-{n}.yaml"] = (
            f"id: EV-{n}\ntitle: {_quote(draw(WORDS))}\nsupports: [{', '.join(supports)}]\ndate: '2022-05'\n")
    return files


def _validate(files: dict[str, str]):
    return load_snapshot(RecordFile(path, content=text.encode()) for path, text in files.items())


@settings(max_examples=60, deadline=None)
@given(record_sets())
def test_random_valid_record_sets_always_validate(files):
    result = _validate(files)
    assert result.problems == ()
    assert len(result.records) == len(files)


@settings(max_examples=60, deadline=None)
@given(record_sets())
def test_coverage_levels_and_gaps_agree(files):
    graph = build_graph(_validate(files).records)
    levels = {row.recommendation.id: row.level for row in find_coverage(graph).recommendations}
    gaps = find_gaps(graph, AnalysisContext(as_of=AS_OF))
    unaddressed = {g.id for g in gaps if g.kind == "unaddressed-recommendation"}
    unevidenced = {g.id for g in gaps if g.kind == "unevidenced-action"}
    for rec in graph.of_kind("recommendation"):
        # Every open recommendation at level none is unaddressed, and every unaddressed one is at none.
        assert (rec.id in unaddressed) == (rec.get("status") == "open" and levels[rec.id] == "none")
        live = [a for a in graph.downstream(rec.id, ADDRESSED_BY) if a.get("status") != "dropped"]
        if levels[rec.id] == "delivered":
            assert {a.id for a in live} & unevidenced
        if levels[rec.id] in ("evidenced", "impact"):
            assert not {a.id for a in live} & unevidenced
    for gap in gaps:
        if gap.kind == "overdue-action":
            assert graph.records[gap.id].get("status") not in ("complete", "dropped")


EDITABLE = st.sampled_from([
    ("title", WORDS),
    ("owner", WORDS),
    ("status", st.sampled_from(STATUSES)),
    ("target", TARGETS),
    ("notes", WORDS),
])

ACTION_FILE = """\
# yaml-language-server: $schema=../../schemas/action.schema.json
id: ACT-1
title: "Relaunch the guidance"   # as the plan words it
owner: Steering Group
status: in-progress
target: 2022-01..2022-06
# links below
addresses: [REC-1]
aims: [AIM-1]
notes: >-
  Kept from the business plan,
  row 4.
"""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITABLE.flatmap(lambda pair: st.tuples(st.just(pair[0]), pair[1])))
def test_round_trip_edit_changes_that_value_and_no_other_byte(edit):
    from conftest import VALID_RECORDS, write_records

    field, value = edit
    with tempfile.TemporaryDirectory() as folder:
        root = write_records(Path(folder), {**VALID_RECORDS, "records/actions/ACT-1.yaml": ACTION_FILE})
        change = set_field(read_workspace(root), "ACT-1", field, value)
        if parse_record_text(ACTION_FILE).data[field] == value:
            assert change.writes == ()  # nothing to change, nothing written
            return
        ((path, written),) = change.writes
        assert path == "records/actions/ACT-1.yaml"
        after = written.decode()
        assert parse_record_text(after).data[field] == value
        before_lines, after_lines = ACTION_FILE.splitlines(), after.splitlines()
        # Only the edited field's own lines differ: everything before and after it is byte for byte the same.
        start = next(i for i, line in enumerate(before_lines) if line.startswith(f"{field}:"))
        end = next((i for i in range(start + 1, len(before_lines)) if not before_lines[i].startswith(" ")),
                   len(before_lines))
        tail = len(before_lines) - end
        assert after_lines[:start] == before_lines[:start]
        assert after_lines[len(after_lines) - tail:] == before_lines[end:]
