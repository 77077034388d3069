"""Invariants of the repository's own records, as a reviewer of the transcription would check them."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from learntrace.dates import UNKNOWN, parse_target
from learntrace.graph import build_graph
from learntrace.load import read_worktree
from learntrace.snapshot import load_snapshot

REPO = Path(__file__).resolve().parent.parent
STRATEGY = "000_6ec3325129233a4e.txt"
PLAN = "001_73224e9787d806bd.txt"
PRESS = "002_bcf2236866a973c5.txt"
SEEDS = {STRATEGY, PLAN, PRESS, "004_371d141a1640bf7b.txt"}
SEED_DIR = REPO.parent / "shared" / "seeds"

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


def test_aims_are_the_three_overarching_ones_and_all_means_those(records):
    # "three overarching aims" (2.1-2.3); 2.4 and 2.5 are "common threads across the strategic aims", not aims.
    aims = {r.id: r.get("status") for r in of_kind(records, "aim")}
    assert aims == {"AIM-2.1": "active", "AIM-2.2": "active", "AIM-2.3": "active", "AIM-ABC": "retired"}
    graph = build_graph(records)
    for rec_id in ("REC-AK-3", "REC-AK-4"):
        assert [aim.id for aim in graph.aims_of(graph.records[rec_id])] == ["AIM-2.1", "AIM-2.2", "AIM-2.3"]


def test_outcomes_are_the_documented_ones(records):
    outcomes = sorted(r.id for r in of_kind(records, "outcome"))
    # 5.1's six Best Start for Life outcomes; the plan's "What difference will we see?" lists for Protecting
    # Babies (four items) and Business Crucial Activity (three).
    assert outcomes == sorted([f"OUT-BSFL-{n}" for n in range(1, 7)] + [f"OUT-PB-{n}" for n in range(1, 5)]
                              + [f"OUT-BCA-{n}" for n in range(1, 4)])


def test_complete_actions_say_which_document_reports_them_done(records):
    for action in of_kind(records, "action"):
        if action.get("status") == "complete":
            assert "complete" in action.get("notes", "").lower(), action.id


# --- against the documents themselves -------------------------------------------------------------------

def normalised(text: str) -> str:
    """Text as the comparison sees it: no markup, plain apostrophes, one space, line-break hyphens rejoined."""
    text = re.sub(r"<[^>]+>|\*\*|❖", " ", text).replace("\u2019", "'")
    return re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(text.split()))


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    if not SEED_DIR.is_dir():
        pytest.skip(f"the source documents are not beside this checkout ({SEED_DIR})")
    return {name: (SEED_DIR / name).read_text(encoding="utf-8") for name in SEEDS}


@pytest.fixture(scope="module")
def seed_text(seeds) -> str:
    return " | ".join(normalised(text) for text in seeds.values())


def quotes(notes: str) -> list[str]:
    """The passages a note quotes in double quotes."""
    return re.findall(r'"([^"]+)"', notes or "")


def plan_rows(plan: str, start: str, end: str | None) -> list[str]:
    """The delivery plan's table rows between two headings (one per action line)."""
    section = plan[plan.index(start): plan.index(end) if end else len(plan)]
    return [line for line in section.splitlines() if "\t" in line and not line.startswith("Objective\t")]


def test_every_protecting_babies_and_business_crucial_activity_row_is_an_action(records, seeds):
    ids = [r.id for r in of_kind(records, "action")]
    plan = seeds[PLAN]
    protecting = plan_rows(plan, "2. Protecting Babies\n", "4. NSCP Business Crucial Activity")
    crucial = plan_rows(plan, "4. NSCP Business Crucial Activity", None)
    assert (len(protecting), len(crucial)) == (37, 14)
    assert sorted(i for i in ids if i.startswith("ACT-BP-")) == [f"ACT-BP-{n:02d}" for n in range(1, 38)]
    assert sorted(i for i in ids if i.startswith("ACT-BCA-")) == sorted(f"ACT-BCA-{n}" for n in range(1, 15))
    titles = {normalised(str(r.get("title"))) for r in of_kind(records, "action")}
    for row in crucial:
        action = normalised(row.split("\t")[1])
        assert action in titles, action


def test_the_neglect_gcp_pilot_row_is_recorded_and_addresses_ak_1(records, seeds):
    assert "Review and evaluate GCP pilot to establish effectiveness and viability of county wide roll out" in seeds[PLAN]
    pilot = [r for r in of_kind(records, "action") if "revised GCP" in str(r.get("title"))]
    assert [r.id for r in pilot] == ["ACT-NEG-1", "ACT-NEG-2", "ACT-NEG-3"]
    assert all(r.links("addresses") == ["REC-AK-1"] for r in pilot)


def test_every_strategy_1_5_achievement_is_evidence(records, seeds):
    strategy = seeds[STRATEGY]
    table = strategy[strategy.index("1.5 There have been"): strategy.index("1.6 There is also")]
    achievements = [normalised(item) for item in re.findall(r"•([^•\n]+)", table)]
    assert len(achievements) == 14
    summaries = " ".join(normalised(str(r.get("summary"))) for r in of_kind(records, "evidence"))
    for achievement in achievements:
        opening = " ".join(achievement.split()[:6])
        assert opening in summaries, achievement


def test_case_af_key_learning_and_the_press_release_findings_are_themes(records, seeds):
    strategy, press = seeds[STRATEGY], seeds[PRESS]
    assert strategy[strategy.index("Appendix 2:"):].count("❖") == 11
    themes = of_kind(records, "theme")
    items = {int(m) for t in themes for p in t.get("provenance") for m in re.findall(r"Appendix 2.*item (\d+)", p["section"])}
    assert items == set(range(1, 12))
    findings = press[press.index("The key findings were:"): press.index("Terms of reference have")]
    findings_list = [normalised(line[2:]) for line in findings.splitlines() if line.startswith("- ")]
    assert len(findings_list) == 7
    theme_notes = " ".join(normalised(str(t.get("notes") or "")) for t in themes)
    for finding in findings_list:
        assert finding in theme_notes, finding
    # REC-AF-2 asks for "a whole systems approach to the key learning": it carries all eleven.
    carried = {t.id for t in themes if t.get("provenance")[0]["section"].startswith("Appendix 2")}
    assert len(carried) == 11
    af_2 = next(r for r in records if r.id == "REC-AF-2")
    assert carried <= set(af_2.links("themes"))


def test_no_recommendation_status_lacks_a_document_basis(records, seed_text):
    for rec in of_kind(records, "recommendation"):
        if rec.get("status") != "unknown":  # the shading that marked completed rows is lost: only a quote will do
            assert any(normalised(q) in seed_text for q in quotes(rec.get("notes"))), rec.id
    assert {r.get("status") for r in of_kind(records, "recommendation")} == {"unknown"}


def _dates(record):
    for name in ("published", "date", "decided"):
        value = record.get(name)
        if value is not None and value != UNKNOWN:
            yield name, str(value)
        for bound in (f"{name}_not_earlier_than", f"{name}_not_later_than"):
            if record.get(bound) is not None:
                yield bound, str(record.get(bound))


def test_every_date_is_quoted_from_a_document(records, seed_text):
    """A date, or a bound of an unknown one, needs a passage in the notes, quoted from a document, with its year."""
    checked = 0
    for record in records:
        for name, value in _dates(record):
            passages = [normalised(q) for q in quotes(record.get("notes"))]
            basis = [q for q in passages if value[:4] in q and q in seed_text]
            assert basis, f"{record.id}: {name} {value} has no quoted basis"
            checked += 1
    assert checked >= 30


def test_the_dates_the_documents_do_not_give_are_unknown(records):
    by_id = {r.id: r for r in records}
    for source in ("SRC-AB", "SRC-AK", "SRC-AJ", "SRC-MIM"):
        assert by_id[source].get("published") == UNKNOWN, source
    for evidence in ("EV-16", "EV-17", "EV-18", "EV-19"):
        assert by_id[evidence].get("date") == UNKNOWN, evidence


def test_every_dated_target_quotes_the_plan(records, seeds):
    plan = normalised(seeds[PLAN])
    for action in of_kind(records, "action"):
        target = parse_target(str(action.get("target")))
        if target.span is None and target.text != "ongoing":
            continue
        match = re.search(r"Target in the business plan: [\\'\"](.+?)[\\'\"](?:[.,;:]| \(|$)", " ".join(str(action.get("notes")).split()))
        assert match, action.id
        cell = normalised(match.group(1))
        assert cell in plan, (action.id, cell)
        if target.span is not None:
            assert str(target.span.end.year)[2:] in cell, (action.id, cell)


def test_blank_target_cells_are_not_set_and_tba_is_only_where_the_plan_says_it(records):
    targets = {r.id: r.get("target") for r in of_kind(records, "action")}
    assert [i for i, t in targets.items() if t == "tba"] == ["ACT-BP-03"]
    blank = ["ACT-BP-16", "ACT-BP-17", "ACT-BP-18", "ACT-BP-19", "ACT-BP-25", "ACT-BP-28", "ACT-BP-29", "ACT-BP-30",
             *(f"ACT-BP-{n}" for n in range(31, 38))]
    assert all(targets[i] == "not-set" for i in blank)
    assert targets["ACT-BCA-2"] == "quarterly" and targets["ACT-BCA-4"] == "2022-spring..2022-summer"


_BASIS = re.compile(r'((?:REC-[\w.-]+(?:, )?)+)( \(judgement\))?: action "([^"]+)" ↔ recommendation "([^"]+)"')


def test_every_addresses_link_quotes_its_basis_from_both_sides(records, seed_text):
    by_id = {r.id: r for r in records}
    links = 0
    for action in of_kind(records, "action"):
        notes = " ".join(str(action.get("notes")).split())
        found: dict[str, bool] = {}
        for ids, judged, action_side, rec_side in _BASIS.findall(notes):
            for rec_id in re.findall(r"REC-[\w.-]+", ids):
                found[rec_id] = bool(judged)
                own = normalised(f"{action.get('title')} {action.get('objective')}")
                assert normalised(action_side) in seed_text or normalised(action_side) in own, (action.id, action_side)
                assert normalised(rec_side) in seed_text or normalised(rec_side) in normalised(by_id[rec_id].get("text")), \
                    (action.id, rec_id, rec_side)
        for rec_id in action.links("addresses"):
            links += 1
            assert rec_id in found, f"{action.id} addresses {rec_id} without a quoted basis"
            assert found[rec_id] == (rec_id in action.links("judgement_links")), \
                f"{action.id} → {rec_id}: '(judgement)' in the notes and judgement_links must agree"
    assert links >= 40


def test_every_theme_tag_is_in_the_recommendation_s_words_or_explained(records):
    themes = {t.id: t for t in of_kind(records, "theme")}
    for rec in of_kind(records, "recommendation"):
        assert rec.links("themes"), f"{rec.id} carries no theme"
        text = normalised(str(rec.get("text"))).lower()
        notes = str(rec.get("notes") or "")
        for theme_id in rec.links("themes"):
            if theme_id in rec.links("judgement_links"):
                assert f"{theme_id} (judgement)" in " ".join(notes.split()), (rec.id, theme_id)
                continue
            keywords = [str(k).lower() for k in themes[theme_id].get("keywords")]
            in_words = any(re.search(r"(?<![\w-])" + re.escape(k) + r"(?![\w-])", text) for k in keywords)
            assert in_words or theme_id in notes, (rec.id, theme_id)


def test_every_theme_has_provenance_and_the_recurring_ones_the_issues_name_recur(records):
    themes = of_kind(records, "theme")
    assert all(t.get("provenance") for t in themes)
    sources_of: dict[str, set[str]] = {}
    for rec in of_kind(records, "recommendation"):
        for theme_id in rec.links("themes"):
            sources_of.setdefault(theme_id, set()).add(rec.get("source"))
    assert {"SRC-MIM", "SRC-AB", "SRC-AK", "SRC-PBA"} <= sources_of["THM-FATHERS"]
    assert {"SRC-SUDI", "SRC-AB"} <= sources_of["THM-SAFER-SLEEP"]
    assert {"SRC-AJ", "SRC-PBA"} <= sources_of["THM-GENOGRAMS"]
    assert {"SRC-AJ", "SRC-PBA"} <= sources_of["THM-NAMING"]
