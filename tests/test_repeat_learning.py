"""The repeat-learning gap: an open recommendation that says again what an earlier source's recommendation
said, which the partnership had marked complete or evidenced."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from conftest import run, write_records

from learntrace.analyses.context import AnalysisContext
from learntrace.analyses.repeat_learning import find_repeat_learning
from learntrace.config import Config
from learntrace.graph import RecordGraph, build_graph
from learntrace.model import Record

AS_OF = ("--as-of", "2023-01-01")

RECORDS = {
    "records/sources/SRC-OLD.yaml": "id: SRC-OLD\ntitle: Old review\ntype: national-review\npublished: '2020-07'\n",
    "records/sources/SRC-NEW.yaml": "id: SRC-NEW\ntitle: New review\ntype: local-review\npublished: '2022'\n",
    "records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Babies\nstatus: active\n",
    "records/recommendations/REC-OLD-1.yaml": (
        "id: REC-OLD-1\nsource: SRC-OLD\ntext: Promote safer sleeping with every family.\naims: [AIM-1]\n"
        "status: complete\n"),
    "records/recommendations/REC-OLD-2.yaml": (
        "id: REC-OLD-2\nsource: SRC-OLD\ntext: Engage fathers at the antenatal visit.\naims: [AIM-1]\nstatus: open\n"),
    "records/recommendations/REC-NEW-1.yaml": (
        "id: REC-NEW-1\nsource: SRC-NEW\ntext: Relaunch the safer sleeping guidance.\naims: [AIM-1]\nstatus: open\n"),
    "records/recommendations/REC-NEW-2.yaml": (
        "id: REC-NEW-2\nsource: SRC-NEW\ntext: Practitioners should engage fathers before the birth.\n"
        "aims: [AIM-1]\nstatus: open\n"),
    "records/recommendations/REC-NEW-3.yaml": (
        "id: REC-NEW-3\nsource: SRC-NEW\ntext: Safer sleeping messages for every family.\naims: [AIM-1]\n"
        "status: complete\n"),
    "records/actions/ACT-1.yaml": (
        "id: ACT-1\ntitle: Invite fathers\nowner: Health visiting\nstatus: complete\ntarget: 2021-03\n"
        "addresses: [REC-OLD-2]\n"),
    "records/actions/ACT-2.yaml": (
        "id: ACT-2\ntitle: Relaunch\nowner: Health visiting\nstatus: in-progress\ntarget: 2023-03\n"
        "addresses: [REC-NEW-1, REC-NEW-2]\n"),
    "records/evidence/EV-1.yaml": "id: EV-1\ntitle: Audit of invitations\nsupports: [ACT-1]\ndate: '2021-06'\n",
}


def _repeat_gaps(root, *args):
    result = run(root, "gaps", "--kind", "repeat-learning", "--format", "json", *AS_OF, *args)
    return result, json.loads(result.stdout)["gaps"]


def _score(root, a, b):
    pairs = json.loads(run(root, "similar", "--threshold", "0", "--format", "json").stdout)["pairs"]
    return next(p["score"] for p in pairs if {p["a"], p["b"]} == {a, b})


def test_an_open_recommendation_repeating_earlier_done_learning_is_a_gap(tmp_path):
    root = write_records(tmp_path, RECORDS)
    result, gaps = _repeat_gaps(root)
    assert result.exit_code == 1
    assert [(g["id"], g["line"]) for g in gaps] == [("REC-NEW-1", 3), ("REC-NEW-2", 3)]
    assert gaps[0]["message"] == (
        "this learning was recorded before: REC-OLD-1 from SRC-OLD (2020-07), marked complete; check whether what "
        f"was done then has embedded (similarity {_score(root, 'REC-OLD-1', 'REC-NEW-1'):.2f}; shared words: "
        "safer sleeping)")
    assert gaps[1]["message"].startswith(
        "this learning was recorded before: REC-OLD-2 from SRC-OLD (2020-07), its actions complete and evidenced "
        "(coverage: evidenced); check whether what was done then has embedded (similarity ")
    assert "shared words: fathers, engage" in gaps[1]["message"]


def test_repeat_learning_is_listed_with_its_meaning(tmp_path):
    result = run(write_records(tmp_path, RECORDS), "gaps", *AS_OF)
    assert "repeat-learning" in result.stdout
    assert "open recommendations repeating an earlier source's, which was marked done" in result.stdout


def test_a_later_or_same_year_source_is_not_earlier(tmp_path):
    # SRC-OLD is now published "2022" too: neither source is shown to be the earlier one.
    root = write_records(tmp_path, {**RECORDS, "records/sources/SRC-OLD.yaml":
                                    "id: SRC-OLD\ntitle: Old review\ntype: national-review\npublished: '2022-03'\n"})
    assert _repeat_gaps(root)[1] == []


def test_a_higher_threshold_in_trace_toml_finds_fewer(tmp_path):
    root = write_records(tmp_path, {**RECORDS, "trace.toml": "similarity_threshold = 0.9\n"})
    assert _repeat_gaps(root)[1] == []


def test_a_repeat_can_be_accepted(tmp_path):
    accepted = RECORDS["records/recommendations/REC-NEW-1.yaml"] + (
        "accepted_gaps:\n  - kind: repeat-learning\n    reason: The relaunch is the check that it embedded.\n"
        "    review_by: '2023-06-30'\n")
    root = write_records(tmp_path, {**RECORDS, "records/recommendations/REC-NEW-1.yaml": accepted})
    _, gaps = _repeat_gaps(root)
    assert [(g["id"], g["accepted"]) for g in gaps] == [("REC-NEW-1", True), ("REC-NEW-2", False)]


def _record(kind: str, record_id: str, **data: object) -> Record:
    return Record(kind, record_id, f"records/{kind}/{record_id}.yaml", {"id": record_id, **data})


def _undated_graph(published: str) -> RecordGraph:
    return build_graph([
        _record("source", "SRC-X", title="Undated", type="other", published=published),
        _record("source", "SRC-Y", title="Dated", type="other", published="2023"),
        _record("recommendation", "REC-X-1", source="SRC-X", text="Promote safer sleeping.", status="complete"),
        _record("recommendation", "REC-Y-1", source="SRC-Y", text="Promote safer sleeping again.", status="open"),
        _record("recommendation", "REC-Y-2", source="SRC-Y", text="Safer sleeping.", status="complete"),
        _record("recommendation", "REC-X-2", source="SRC-X", text="Promote safer sleeping messages.", status="open"),
    ])


def test_a_recommendation_repeating_several_is_one_gap_naming_the_nearest_first():
    sources = [_record("source", f"SRC-{n}", title=f"Review {n}", type="other", published=f"{2015 + n}")
               for n in range(6)]
    texts = ["Promote safer sleeping with fathers.", "Promote safer sleeping.", "Safer sleeping leaflets.",
             "Safer sleeping in hospital wards.", "Safer sleeping in temporary housing."]
    done = [_record("recommendation", f"REC-{n}-1", source=f"SRC-{n}", status="complete", text=text)
            for n, text in enumerate(texts)]
    later = _record("recommendation", "REC-5-1", source="SRC-5", status="open",
                    text="Promote safer sleeping with fathers.")
    context = AnalysisContext(as_of=dt.date(2024, 1, 1), config=Config(root=Path("."), similarity_threshold=0.05))
    [gap] = find_repeat_learning(build_graph([*sources, *done, later]), context)
    assert (gap.id, gap.subject) == ("REC-5-1", "REC-0-1")  # the same words: the nearest
    assert "(similarity 1.00; shared words: " in gap.message
    assert gap.message.endswith(" and 2 more)")
    also = [item.split(" (") for item in gap.message.split("; also like ")[1].split(" and ")[0].split(", ")]
    assert also[0][0] == "REC-1-1" and len(also) == 2  # "promote" and "safer sleeping": next nearest
    assert 1.0 > float(also[0][1].rstrip(")")) >= float(also[1][1].rstrip(")"))


def test_a_source_of_unknown_date_is_never_earlier():
    # REC-Y-1 repeats REC-X-1 word for word, but SRC-X's date is unknown: it cannot be shown to be earlier.
    context = AnalysisContext(as_of=dt.date(2024, 1, 1), config=Config(root=Path("."), similarity_threshold=0.05))
    assert find_repeat_learning(_undated_graph("unknown"), context) == []
    dated = find_repeat_learning(_undated_graph("2019"), context)  # the same records, with a date
    assert [(g.id, g.subject) for g in dated] == [("REC-Y-1", "REC-X-1")]


def test_an_unknown_date_whose_bounds_are_earlier_is_earlier():
    graph = build_graph([
        _record("source", "SRC-X", title="Undated", type="other", published="unknown",
                published_not_earlier_than="2018", published_not_later_than="2022"),
        _record("source", "SRC-Y", title="Dated", type="other", published="2023"),
        _record("recommendation", "REC-X-1", source="SRC-X", text="Promote safer sleeping.", status="complete"),
        _record("recommendation", "REC-Y-1", source="SRC-Y", text="Promote safer sleeping again.", status="unknown"),
    ])
    [gap] = find_repeat_learning(graph, AnalysisContext(as_of=dt.date(2024, 1, 1)))
    assert gap.message.startswith("this learning was recorded before: REC-X-1 from SRC-X (date unknown, 2018-2022), "
                                  "marked complete;")


def test_nothing_done_means_nothing_to_repeat_and_no_texts_compared(monkeypatch):
    import learntrace.analyses.similarity as similarity

    monkeypatch.setattr(similarity, "repeated", lambda *args: (_ for _ in ()).throw(AssertionError("compared")))
    graph = build_graph([
        _record("source", "SRC-X", title="A", type="other", published="2020"),
        _record("source", "SRC-Y", title="B", type="other", published="2023"),
        _record("recommendation", "REC-X-1", source="SRC-X", text="Promote safer sleeping.", status="open"),
        _record("recommendation", "REC-Y-1", source="SRC-Y", text="Promote safer sleeping.", status="open"),
    ])
    assert find_repeat_learning(graph, AnalysisContext(as_of=dt.date(2024, 1, 1))) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="side by side needs fork")
def test_repeat_learning_found_in_a_child_beside_the_other_gaps_gives_the_same_gaps(tmp_path, monkeypatch):
    import learntrace.analyses as analyses

    root = write_records(tmp_path, RECORDS)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    in_turn = run(root, "--no-cache", "gaps", "--format", "json", *AS_OF)
    monkeypatch.setattr(analyses, "SIDE_BY_SIDE_FROM", 1)
    children = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: children.append(1) or real_fork())
    side_by_side = run(root, "--no-cache", "gaps", "--format", "json", *AS_OF)
    assert children
    assert side_by_side.stdout == in_turn.stdout and side_by_side.exit_code == in_turn.exit_code == 1
    assert "repeat-learning" in {gap["kind"] for gap in json.loads(side_by_side.stdout)["gaps"]}
