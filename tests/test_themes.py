"""Themes across reviews (`trace themes`), the report's themes × sources table, and suggested theme tags
(`trace themes suggest`)."""

from __future__ import annotations

import json

from conftest import run, write_records

from learntrace.analyses.themes import find_themes, theme_matrix
from learntrace.graph import build_graph
from learntrace.model import Record


def _rec(rec_id: str, source: str, text: str, themes: list[str] | None = None) -> str:
    listed = f"themes: [{', '.join(themes)}]\n" if themes is not None else ""
    return f"id: {rec_id}\nsource: {source}\ntext: {text}\naims: [AIM-1]\nstatus: open\n{listed}"


RECORDS = {
    "records/sources/SRC-A.yaml": "id: SRC-A\ntitle: National review\ntype: national-review\npublished: '2020-07'\n",
    "records/sources/SRC-B.yaml": "id: SRC-B\ntitle: Review B\ntype: local-review\npublished: '2022'\n",
    "records/sources/SRC-C.yaml": "id: SRC-C\ntitle: Audit C\ntype: audit\npublished: '2022-05'\n",
    "records/sources/SRC-D.yaml": "id: SRC-D\ntitle: Review D\ntype: local-review\npublished: '2021'\n",
    "records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Babies\nstatus: active\n",
    "records/themes/THM-SLEEP.yaml": ("id: THM-SLEEP\ntitle: Safer sleeping\ndescription: Safe sleep advice for the "
                                      "families of babies.\nkeywords: [safer sleeping, SUDI]\n"),
    "records/themes/THM-DADS.yaml": ("id: THM-DADS\ntitle: Fathers\ndescription: Engaging fathers and male carers.\n"
                                     "keywords: [fathers, men]\n"),
    "records/themes/THM-EMPTY.yaml": "id: THM-EMPTY\ntitle: Housing\ndescription: Families' housing.\n",
    "records/recommendations/REC-A-1.yaml": _rec("REC-A-1", "SRC-A", "Promote safer sleeping.", ["THM-SLEEP"]),
    "records/recommendations/REC-B-1.yaml": _rec("REC-B-1", "SRC-B", "Relaunch the safer sleeping guidance.",
                                                 ["THM-SLEEP"]),
    "records/recommendations/REC-B-2.yaml": _rec("REC-B-2", "SRC-B", "Safe sleep messages for fathers.",
                                                 ["THM-SLEEP", "THM-DADS"]),
    "records/recommendations/REC-C-1.yaml": _rec("REC-C-1", "SRC-C", "Engage fathers in every assessment.",
                                                 ["THM-DADS"]),
    "records/recommendations/REC-D-1.yaml": (
        "# A comment the author wrote\n"
        "id: REC-D-1\nsource: SRC-D\n"
        "text: Improve the engagement of men in pre-birth assessments.  # their words\n"
        "aims: [AIM-1]\nstatus: open\nnotes: Kept as written.\n"),
    "records/recommendations/REC-D-2.yaml": _rec("REC-D-2", "SRC-D", "Write a policy on dental care."),
}


def test_each_theme_lists_its_sources_in_publication_order_and_whether_it_recurs(tmp_path):
    result = run(write_records(tmp_path, RECORDS), "themes", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"themes": [
        # SRC-B and SRC-C were both published in 2022: two sources, but not in different years.
        # In publication order by the latest day each can be: May 2022 before "2022" (any day of it).
        {"id": "THM-DADS", "title": "Fathers", "recurring": False, "sources": [
            {"id": "SRC-C", "published": "2022-05", "recommendations": ["REC-C-1"]},
            {"id": "SRC-B", "published": "2022", "recommendations": ["REC-B-2"]}]},
        {"id": "THM-EMPTY", "title": "Housing", "recurring": False, "sources": []},
        {"id": "THM-SLEEP", "title": "Safer sleeping", "recurring": True, "sources": [
            {"id": "SRC-A", "published": "2020-07", "recommendations": ["REC-A-1"]},
            {"id": "SRC-B", "published": "2022", "recommendations": ["REC-B-1", "REC-B-2"]}]},
    ]}


def test_themes_text(tmp_path):
    result = run(write_records(tmp_path, RECORDS), "themes")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "3 theme(s), 1 recurring (carried by sources published in different years)",
        "",
        "THM-DADS  Fathers",
        "  2 recommendation(s) from 2 source(s)",
        "  SRC-C  2022-05  1  REC-C-1",
        "  SRC-B  2022     1  REC-B-2",
        "",
        "THM-EMPTY  Housing",
        "  no recommendation carries it",
        "",
        "THM-SLEEP  Safer sleeping",
        "  recurring: 3 recommendation(s) from 2 source(s)",
        "  SRC-A  2020-07  1  REC-A-1",
        "  SRC-B  2022     2  REC-B-1, REC-B-2",
    ]


def test_themes_markdown(tmp_path):
    result = run(write_records(tmp_path, RECORDS), "themes", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "| theme | recurring | source | published | recommendations |",
        "|---|---|---|---|---|",
        "| **THM-DADS** Fathers | no | SRC-C | 2022-05 | 1: REC-C-1 |",
        "|  |  | SRC-B | 2022 | 1: REC-B-2 |",
        "| **THM-EMPTY** Housing | no | - | - | none |",
        "| **THM-SLEEP** Safer sleeping | yes | SRC-A | 2020-07 | 1: REC-A-1 |",
        "|  |  | SRC-B | 2022 | 2: REC-B-1, REC-B-2 |",
    ]


def test_no_themes_yet_says_where_to_add_them(tmp_path):
    files = {k: v for k, v in RECORDS.items() if "/themes/" not in k}
    files = {k: v.replace("themes: [THM-SLEEP]\n", "").replace("themes: [THM-DADS]\n", "")
             .replace("themes: [THM-SLEEP, THM-DADS]\n", "") for k, v in files.items()}
    root = write_records(tmp_path, files)
    result = run(root, "themes")
    assert (result.exit_code, result.stdout) == (
        0, "No themes recorded yet: add them under records/themes/ (see trace new theme --help).\n")
    suggest = run(root, "themes", "suggest")
    assert suggest.exit_code == 2
    assert "there are no themes to suggest yet: add them under records/themes/ first" in suggest.output


def _record(kind: str, record_id: str, **data: object) -> Record:
    return Record(kind, record_id, f"records/{kind}/{record_id}.yaml", {"id": record_id, **data})


def test_a_source_of_unknown_date_does_not_make_a_theme_recur_and_comes_last():
    graph = build_graph([
        _record("source", "SRC-X", title="Undated", type="other", published="unknown"),
        _record("source", "SRC-Y", title="Dated", type="other", published="2023"),
        _record("theme", "THM-1", title="One", description="d"),
        _record("recommendation", "REC-X-1", source="SRC-X", text="t", themes=["THM-1"]),
        _record("recommendation", "REC-Y-1", source="SRC-Y", text="t", themes=["THM-1"]),
    ])
    [theme] = find_themes(graph)
    assert not theme.recurring
    assert [(s.id, s.published, s.date) for s in theme.sources] == [("SRC-Y", "2023", "2023"),
                                                                      ("SRC-X", "unknown", "date unknown")]


def test_an_unknown_date_with_bounds_in_another_year_makes_a_theme_recur():
    graph = build_graph([
        _record("source", "SRC-X", title="Undated", type="other", published="unknown",
                published_not_earlier_than="2018", published_not_later_than="2021"),
        _record("source", "SRC-Y", title="Dated", type="other", published="2023"),
        _record("source", "SRC-Z", title="Same span", type="other", published="2019"),
        _record("theme", "THM-1", title="One", description="d"),
        _record("theme", "THM-2", title="Two", description="d"),
        _record("recommendation", "REC-X-1", source="SRC-X", text="t", themes=["THM-1", "THM-2"]),
        _record("recommendation", "REC-Y-1", source="SRC-Y", text="t", themes=["THM-1"]),
        _record("recommendation", "REC-Z-1", source="SRC-Z", text="t", themes=["THM-2"]),
    ])
    first, second = find_themes(graph)
    assert first.recurring  # 2018-2021 is certainly before 2023
    assert [(s.id, s.date) for s in first.sources] == [("SRC-X", "date unknown, 2018-2021"), ("SRC-Y", "2023")]
    assert not second.recurring  # SRC-X may have been published in 2019 too


def test_the_themes_by_sources_table_counts_each_cell():
    graph = build_graph([
        _record("source", "SRC-A", title="A", type="other", published="2022"),
        _record("source", "SRC-B", title="B", type="other", published="2019"),
        _record("theme", "THM-1", title="One", description="d"),
        _record("theme", "THM-2", title="Two", description="d"),
        _record("recommendation", "REC-A-1", source="SRC-A", text="t", themes=["THM-1", "THM-2"]),
        _record("recommendation", "REC-A-2", source="SRC-A", text="t", themes=["THM-1"]),
        _record("recommendation", "REC-B-1", source="SRC-B", text="t", themes=["THM-2"]),
    ])
    table = theme_matrix(graph)
    assert [s.id for s in table.sources] == ["SRC-B", "SRC-A"]  # publication order
    assert [s.recommendations for s in table.sources] == [("REC-B-1",), ("REC-A-1", "REC-A-2")]
    assert [t.id for t in table.themes] == ["THM-1", "THM-2"]
    assert table.counts == ((0, 2), (1, 1))
    assert [t.recurring for t in table.themes] == [False, True]


# --- trace themes suggest --------------------------------------------------------------------

def test_suggest_previews_the_closest_themes_with_scores_and_writes_nothing(tmp_path):
    root = write_records(tmp_path, RECORDS)
    before = (root / "records/recommendations/REC-D-1.yaml").read_bytes()
    result = run(root, "themes", "suggest")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "2 recommendation(s) carry no theme; 1 have themes scoring 0.2 or more:"
    assert lines[1].startswith("  REC-D-1  THM-DADS (0.")
    assert "THM-SLEEP" not in lines[1] and "THM-EMPTY" not in lines[1]
    assert lines[2] == "  REC-D-2  no theme is close enough"
    assert lines[3].startswith("Nothing written yet: run again with --write")
    assert (root / "records/recommendations/REC-D-1.yaml").read_bytes() == before


def test_suggest_write_adds_the_themes_keeping_comments_and_order(tmp_path):
    root = write_records(tmp_path, RECORDS)
    result = run(root, "themes", "suggest", "--write")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Linked REC-D-1: themes +THM-DADS (records/recommendations/REC-D-1.yaml)."
    assert (root / "records/recommendations/REC-D-1.yaml").read_text(encoding="utf-8") == (
        "# A comment the author wrote\n"
        "id: REC-D-1\nsource: SRC-D\n"
        "text: Improve the engagement of men in pre-birth assessments.  # their words\n"
        "aims: [AIM-1]\nstatus: open\nthemes: [THM-DADS]\nnotes: Kept as written.\n")
    assert run(root, "validate").exit_code == 0
    again = run(root, "themes", "suggest")
    assert again.stdout.splitlines()[0] == "1 recommendation(s) carry no theme; 0 have themes scoring 0.2 or more:"


def test_suggest_threshold_and_top(tmp_path):
    root = write_records(tmp_path, RECORDS)
    nothing = run(root, "themes", "suggest", "--threshold", "0.99", "--write")
    assert nothing.exit_code == 0
    assert "REC-D-1  no theme is close enough" in nothing.stdout
    assert "themes:" not in (root / "records/recommendations/REC-D-1.yaml").read_text(encoding="utf-8")
    wide = run(root, "themes", "suggest", "--threshold", "0", "--top", "1")
    assert wide.stdout.splitlines()[1].count("THM-") == 1
    for bad in (["--threshold", "2"], ["--top", "0"]):
        refused = run(root, "themes", "suggest", *bad)
        assert refused.exit_code == 2 and "Traceback" not in refused.output
