"""A partnership's records across the 2025-26 reporting year (April start), one dated commit at a time,
with known answers for every section of the yearly report."""

from __future__ import annotations

from pathlib import Path

from gitrepo import GitRepoBuilder

SRC_N = """
id: SRC-N
title: The Myth of Invisible Men
type: national-review
published: "2021-09"
"""
SRC_L = """
id: SRC-L
title: Case AB local review
type: local-review
published: "2024-11"
"""
AIM = "id: AIM-1\ntitle: Safer babies\nstatus: active\n"
OUT_1 = """
id: OUT-1
title: Fewer unexplained injuries in babies under one
measures:
  - indicator: Babies under one with unexplained injuries, per year
    baseline: 12
    baseline_date: "2024-03"
    target: 8
    remeasure_by: "2025-12"
"""
OUT_2 = """
id: OUT-2
title: Fathers seen in pre-birth assessments
measures:
  - indicator: Share of pre-birth assessments that include the father
    baseline: about a third
    baseline_date: "2024-06"
    target: most
    remeasure_by: "2025-09"
"""


def rec(rec_id: str, source: str, text: str, status: str = "open", extra: str = "") -> str:
    return f"id: {rec_id}\nsource: {source}\ntext: {text}\naims: [AIM-1]\nstatus: {status}\n{extra}"


def action(act_id: str, title: str, status: str, target: str, addresses: str, extra: str = "") -> str:
    return (f"id: {act_id}\ntitle: {title}\nowner: Health\nstatus: {status}\ntarget: {target}\n"
            f"addresses: [{addresses}]\n{extra}")


def evidence(ev_id: str, title: str, supports: str, date: str, level: str | None) -> str:
    return (f"id: {ev_id}\ntitle: {title}\nsupports: [{supports}]\ndate: {date}\n"
            + (f"level: {level}\n" if level else ""))


ACCEPT_ACT_3 = ("accepted_gaps:\n  - kind: output-only-evidence\n    reason: The audit itself is the deliverable\n"
                "    review_by: 2025-10-01\n")
ACCEPT_REC_L_4 = ("accepted_gaps:\n  - kind: unaddressed-recommendation\n    reason: Awaiting the GP training review\n"
                  "    review_by: 2026-09-30\n")


def build_year(root: Path) -> GitRepoBuilder:
    repo = GitRepoBuilder(root)
    repo.write({"trace.toml": 'partnership = "Test Partnership"\nstrategy = "Babies strategy"\n'})
    repo.commit("Records before the year", "2025-02-10T09:00:00", {
        "records/sources/SRC-N.yaml": SRC_N, "records/sources/SRC-L.yaml": SRC_L, "records/aims/AIM-1.yaml": AIM,
        "records/outcomes/OUT-1.yaml": OUT_1, "records/outcomes/OUT-2.yaml": OUT_2,
        "records/recommendations/REC-N-1.yaml": rec("REC-N-1", "SRC-N", "Include fathers in assessments."),
        "records/recommendations/REC-N-2.yaml": rec("REC-N-2", "SRC-N", "Write a fathers' strategy."),
        "records/recommendations/REC-L-1.yaml": rec("REC-L-1", "SRC-L", "Relaunch safer sleeping."),
        "records/recommendations/REC-L-2.yaml": rec("REC-L-2", "SRC-L", "Audit case files."),
        "records/recommendations/REC-L-3.yaml": rec("REC-L-3", "SRC-L", "Open a helpline.", "unknown"),
        "records/actions/ACT-1.yaml": action("ACT-1", "Relaunch briefings", "in-progress", "2025-06", "REC-L-1",
                                             "outcomes: [OUT-1]\n"),
        "records/actions/ACT-2.yaml": action("ACT-2", "Fathers in assessments", "not-started", "2025-09", "REC-N-1",
                                             "outcomes: [OUT-2]\n"),
        "records/actions/ACT-3.yaml": action("ACT-3", "Case file audit", "complete", "2025-01", "REC-L-2",
                                             ACCEPT_ACT_3),
        "records/evidence/EV-1.yaml": evidence("EV-1", "Audit report", "ACT-3", '"2025-01-20"', "output"),
    })
    repo.commit("Relaunch done", "2025-05-15T09:00:00", {
        "records/actions/ACT-1.yaml": action("ACT-1", "Relaunch briefings", "complete", "2025-06", "REC-L-1",
                                             "outcomes: [OUT-1]\n"),
        "records/evidence/EV-2.yaml": evidence("EV-2", "14 briefing sessions held", "ACT-1", '"2025-05-10"', "output"),
    })
    repo.commit("Injuries re-measured; a new recommendation", "2025-08-20T09:00:00", {
        "records/evidence/EV-3.yaml": evidence("EV-3", "Unexplained injuries fell to 7", "OUT-1", '"2025-08-01"',
                                               "impact"),
        "records/recommendations/REC-L-4.yaml": rec("REC-L-4", "SRC-L", "Train GPs."),
    })
    repo.commit("Decisions of the October board", "2025-11-03T09:00:00", {
        "records/recommendations/REC-L-3.yaml": rec("REC-L-3", "SRC-L", "Open a helpline.", "declined",
                                                    'reason: n/a\ndecided: "2025-10-28"\n'),
        "records/recommendations/REC-N-2.yaml": rec(
            "REC-N-2", "SRC-N", "Write a fathers' strategy.", "superseded",
            "superseded_by: REC-N-1\nreason: The panel's later recommendation replaces it\ndecided: \"2025-10\"\n"),
        "records/actions/ACT-2.yaml": action("ACT-2", "Fathers in assessments", "in-progress", "2025-09", "REC-N-1",
                                             "outcomes: [OUT-2]\n"),
    })
    repo.commit("GP training gap accepted; a survey", "2026-02-10T09:00:00", {
        "records/recommendations/REC-L-4.yaml": rec("REC-L-4", "SRC-L", "Train GPs.", extra=ACCEPT_REC_L_4),
        "records/evidence/EV-5.yaml": evidence("EV-5", "Fathers' survey", "OUT-2", "unknown", "impact"),
    })
    repo.commit("After the year: fathers' action complete", "2026-05-01T09:00:00", {
        "records/actions/ACT-2.yaml": action("ACT-2", "Fathers in assessments", "complete", "2025-09", "REC-N-1",
                                             "outcomes: [OUT-2]\n"),
    })
    return repo
