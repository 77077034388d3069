"""Each analysis in the registry, called directly on a small graph (the CLI tests stay few and exact)."""

from __future__ import annotations

import datetime as dt

from learntrace.analyses import ANALYSES, AnalysisContext, find_gaps
from learntrace.analyses.coverage import coverage_level
from learntrace.analyses.lineage import lineage_ids
from learntrace.graph import build_graph
from learntrace.model import FOLDER_KINDS, Record
from learntrace.touches import HistoryIndex

KIND_OF_PREFIX = {"SRC": "source", "REC": "recommendation", "AIM": "aim", "ACT": "action", "EV": "evidence",
                  "OUT": "outcome"}
FOLDERS = {kind: folder for folder, kind in FOLDER_KINDS.items()}
CONTEXT = AnalysisContext(as_of=dt.date(2023, 1, 1))


def graph_of(**records):
    built = []
    for record_id, data in records.items():
        record_id = record_id.replace("_", "-")
        kind = KIND_OF_PREFIX[record_id.split("-")[0]]
        built.append(Record(kind, record_id, f"records/{FOLDERS[kind]}/{record_id}.yaml", {"id": record_id, **data}))
    return build_graph(built)


BASE = {
    "SRC_1": {"title": "Review"},
    "AIM_1": {"title": "Aim", "status": "active"},
    "REC_1": {"source": "SRC-1", "text": "Do it.", "aims": ["AIM-1"], "status": "open"},
}


def found(kind, graph, context=CONTEXT):
    return [(gap.id, gap.subject) for gap in ANALYSES[kind].find(graph, context)]


def test_an_open_recommendation_nobody_acts_on_is_unaddressed():
    assert found("unaddressed-recommendation", graph_of(**BASE)) == [("REC-1", "")]
    dropped = graph_of(**BASE, ACT_1={"title": "A", "owner": "O", "status": "dropped", "addresses": ["REC-1"]})
    assert found("unaddressed-recommendation", dropped) == [("REC-1", "")]


def test_a_recommendation_without_aims_is_unmapped_unless_it_says_all():
    graph = graph_of(**{**BASE, "REC_1": {**BASE["REC_1"], "aims": []},
                        "REC_2": {**BASE["REC_1"], "aims": "all"}})
    assert found("unmapped-recommendation", graph) == [("REC-1", "")]


def test_actions_evidence_outcomes_and_sources_each_have_their_gap():
    graph = graph_of(
        **BASE, SRC_2={"title": "No recommendations"},
        ACT_1={"title": "A", "owner": "O", "status": "complete", "target": "2022-06", "addresses": ["REC-1"],
               "outcomes": ["OUT-1"]},
        ACT_2={"title": "Orphan", "owner": "O", "status": "in-progress", "target": "2022-Q3"},
        EV_1={"title": "Nothing", "supports": []},
        OUT_1={"title": "Outcome"}, OUT_2={"title": "Nobody contributes"},
    )
    assert found("unevidenced-action", graph) == [("ACT-1", "")]
    assert found("orphaned-action", graph) == [("ACT-2", "")]
    assert found("overdue-action", graph) == [("ACT-2", "")]
    assert found("orphaned-evidence", graph) == [("EV-1", "")]
    assert found("unmeasured-outcome", graph) == [("OUT-1", "")]
    assert found("outcome-without-actions", graph) == [("OUT-2", "")]
    assert found("source-without-recommendations", graph) == [("SRC-2", "")]


def test_overdue_is_judged_as_of_the_context_date():
    graph = graph_of(**BASE, ACT_1={"title": "A", "owner": "O", "status": "not-started", "target": "2022-12",
                                    "addresses": ["REC-1"]})
    assert found("overdue-action", graph, AnalysisContext(as_of=dt.date(2022, 12, 31))) == []
    assert found("overdue-action", graph, AnalysisContext(as_of=dt.date(2023, 1, 1))) == [("ACT-1", "")]


def test_an_active_aim_that_nothing_serves_and_contradicting_statuses():
    graph = graph_of(**{**BASE, "REC_1": {**BASE["REC_1"], "status": "complete"},
                        "AIM_2": {"title": "Retired", "status": "retired"}},
                     ACT_1={"title": "A", "owner": "O", "status": "in-progress", "addresses": ["REC-1"],
                            "aims": ["AIM-2"]})
    assert found("inconsistent-status", graph) == [("REC-1", "ACT-1"), ("AIM-2", "ACT-1")]
    assert found("aim-without-actions", graph_of(**BASE)) == [("AIM-1", "")]


def test_a_suspect_link_needs_a_recommendation_changed_after_its_action():
    graph = graph_of(**BASE, ACT_1={"title": "A", "owner": "O", "status": "in-progress", "addresses": ["REC-1"]})
    commit = ("a" * 40, "2022-05-01T12:00:00+00:00", "Unit", "Reword REC-1")
    changed_later = HistoryIndex(3, {"ACT-1": 1, "REC-1": 2}, {"REC-1": (2, commit)})
    reviewed_since = HistoryIndex(3, {"ACT-1": 2, "REC-1": 1}, {"REC-1": (1, commit)})
    assert found("suspect-link", graph, AnalysisContext(CONTEXT.as_of, history=changed_later)) == [("ACT-1", "REC-1")]
    assert found("suspect-link", graph, AnalysisContext(CONTEXT.as_of, history=reviewed_since)) == []
    assert found("suspect-link", graph) == []  # no history read: nothing to say


def test_an_acceptance_silences_its_gap_until_review_and_a_stale_one_is_reported():
    accept = {"accepted_gaps": [{"kind": "unaddressed-recommendation", "reason": "National review: for DfE",
                                 "review_by": "2023-06-30"},
                                {"kind": "overdue-action", "reason": "none", "review_by": "2023-06-30"}]}
    graph = graph_of(**{**BASE, "REC_1": {**BASE["REC_1"], **accept}})
    gaps = find_gaps(graph, CONTEXT)
    unaddressed = next(g for g in gaps if g.kind == "unaddressed-recommendation")
    assert unaddressed.accepted and unaddressed.review_by == "2023-06-30"
    assert [(g.kind, g.id) for g in gaps if g.kind == "stale-acceptance"] == [("stale-acceptance", "REC-1")]
    expired = find_gaps(graph, AnalysisContext(as_of=dt.date(2023, 7, 1)))
    again = next(g for g in expired if g.kind == "unaddressed-recommendation")
    assert not again.accepted and "that acceptance has expired" in again.message


def test_find_gaps_runs_every_registered_analysis_in_registry_order():
    graph = graph_of(**BASE, SRC_2={"title": "No recommendations"})
    kinds = [gap.kind for gap in find_gaps(graph, CONTEXT)]
    order = list(ANALYSES)
    assert kinds == sorted(kinds, key=order.index)
    assert set(kinds) == {"unaddressed-recommendation", "aim-without-actions", "source-without-recommendations"}


def test_coverage_levels_climb_with_delivery_and_evidence():
    actions = {"ACT_1": {"title": "A", "owner": "O", "status": "complete", "addresses": ["REC-1"]},
               "ACT_2": {"title": "B", "owner": "O", "status": "in-progress", "addresses": ["REC-1"]}}
    assert coverage_level(graph_of(**BASE), graph_of(**BASE).records["REC-1"]) == "none"
    planned = graph_of(**BASE, **actions)
    assert coverage_level(planned, planned.records["REC-1"]) == "planned"
    delivered = graph_of(**BASE, ACT_1=actions["ACT_1"])
    assert coverage_level(delivered, delivered.records["REC-1"]) == "delivered"
    evidenced = graph_of(**BASE, ACT_1=actions["ACT_1"], EV_1={"title": "Proof", "supports": ["ACT-1"]})
    assert coverage_level(evidenced, evidenced.records["REC-1"]) == "evidenced"


def test_lineage_is_everything_upstream_and_downstream_within_a_depth():
    graph = graph_of(**BASE, ACT_1={"title": "A", "owner": "O", "status": "complete", "addresses": ["REC-1"]},
                     EV_1={"title": "Proof", "supports": ["ACT-1"]})
    # The aim is beside the action (REC-1 cross-references it), neither upstream nor downstream of it.
    assert lineage_ids(graph, "ACT-1") == {"SRC-1", "REC-1", "ACT-1", "EV-1"}
    assert lineage_ids(graph, "ACT-1", depth=1) == {"REC-1", "ACT-1", "EV-1"}
