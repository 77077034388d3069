"""Invariants of the repository's own records, as a reviewer of the transcription would check them."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from learntrace.load import read_worktree
from learntrace.snapshot import load_snapshot

REPO = Path(__file__).resolve().parent.parent
STRATEGY = "000_6ec3325129233a4e.txt"
SEEDS = {STRATEGY, "001_73224e9787d806bd.txt", "002_bcf2236866a973c5.txt", "004_371d141a1640bf7b.txt"}

# Appendix 1 of the strategy: rows per source, and each row's cross-reference as the table gives it.
APPENDIX_1_CROSS_REFERENCES = {
    "SRC-SUDI": ["2.2", "2.2", "2.2", "2.2"],
    "SRC-MIM": ["2.1"] * 5,
    "SRC-AJ": ["2.1"] * 6,
    "SRC-AF": ["2.1"] * 2,
    "SRC-AB": ["2.3", "2.3", "2.3", "2.3", "2.2 & 2.3", "2.3", "2.3", "2.3", "2.3"],
    "SRC-AK": ["2.2", "2.2", "ALL", "ALL"],
    "SRC-PBA": ["2.2", "2.2", "2.1 & 2.2", "2.2"],
}


@pytest.fixture(scope="module")
def records():
    result = load_snapshot(read_worktree(REPO))
    assert result.valid, [p.message for p in result.problems]
    return result.records


def of_kind(records, kind):
    return [r for r in records if r.kind == kind]


def test_thirty_four_recommendations_with_appendix_1_counts_per_source(records):
    counts = Counter(r.get("source") for r in of_kind(records, "recommendation"))
    assert counts == {source: len(refs) for source, refs in APPENDIX_1_CROSS_REFERENCES.items()}
    assert sum(counts.values()) == 34
    assert {s.id for s in of_kind(records, "source")} == set(APPENDIX_1_CROSS_REFERENCES)


def test_every_recommendation_aims_equal_its_appendix_1_cross_reference(records):
    by_source: dict[str, list] = {}
    for rec in of_kind(records, "recommendation"):
        by_source.setdefault(rec.get("source"), []).append(rec)
    for source, refs in APPENDIX_1_CROSS_REFERENCES.items():
        ordered = sorted(by_source[source], key=lambda r: int(r.get("ref")))
        for rec, cross_reference in zip(ordered, refs, strict=False):
            expected = "all" if cross_reference == "ALL" else [f"AIM-{aim}" for aim in cross_reference.split(" & ")]
            assert rec.get("aims") == expected, rec.id


def test_row_order_refs_run_from_1_to_34(records):
    assert sorted(int(r.get("ref")) for r in of_kind(records, "recommendation")) == list(range(1, 35))


def test_recommendation_text_is_clean(records):
    for rec in of_kind(records, "recommendation"):
        assert not re.search(r"</?(p|ul|li|u|i)\b", rec.get("text")), rec.id


def test_recommendation_text_comes_from_appendix_1(records):
    seed = REPO.parent / "shared" / "seeds" / STRATEGY
    if not seed.exists():
        pytest.skip(f"the source document {seed} is not beside this checkout")
    # Words as the document has them, with line-break hyphenation ("pre- disposing") rejoined.
    def words(text: str) -> str:
        return re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(text.split()))

    strategy = words(seed.read_text(encoding="utf-8"))
    for rec in of_kind(records, "recommendation"):
        opening = words(" ".join(rec.get("text").lstrip("- ").split()[:6]))
        assert opening in strategy, rec.id


def test_every_record_has_provenance_naming_a_seed_document(records):
    for record in records:
        provenance = record.get("provenance")
        assert provenance, f"{record.id} has no provenance"
        assert all(item["document"] in SEEDS for item in provenance), record.id


def test_every_evidence_item_supports_at_least_one_action(records):
    actions = {r.id for r in of_kind(records, "action")}
    for evidence in of_kind(records, "evidence"):
        assert set(evidence.links("supports")) & actions, evidence.id


def test_aims_and_outcomes_are_the_documented_ones(records):
    aims = {r.id: r.get("status") for r in of_kind(records, "aim")}
    assert aims == {"AIM-2.1": "active", "AIM-2.2": "active", "AIM-2.3": "active", "AIM-2.4": "active",
                    "AIM-2.5": "active", "AIM-ABC": "retired"}
    outcomes = sorted(r.id for r in of_kind(records, "outcome"))
    assert outcomes == sorted([f"OUT-BSFL-{n}" for n in range(1, 7)] + [f"OUT-PB-{n}" for n in range(1, 5)])


def test_no_recommendation_status_is_guessed(records):
    assert {r.get("status") for r in of_kind(records, "recommendation")} == {"open"}


def test_complete_actions_say_which_document_reports_them_done(records):
    for action in of_kind(records, "action"):
        if action.get("status") == "complete":
            assert "complete" in action.get("notes", "").lower(), action.id
