from __future__ import annotations

import json

from conftest import run

# On top of the valid set (SRC-1 makes REC-1, cross-referenced to AIM-1, planned through ACT-1, which
# contributes to OUT-1): REC-2 at none (its only action is dropped), a second source whose REC-3 is
# cross-referenced to all aims, an aim with a ref, and a retired aim that `aims: all` leaves out.
MATRIX_SET = {
    "records/sources/SRC-2.yaml": "id: SRC-2\nref: AB\ntitle: Serious case review AB\ntype: local-review\npublished: '2022'\n",
    "records/aims/AIM-2.yaml": "id: AIM-2\nref: '2.1'\ntitle: Unborn babies\nstatus: active\n",
    "records/aims/AIM-3.yaml": "id: AIM-3\ntitle: All babies cry\nstatus: retired\n",
    "records/outcomes/OUT-2.yaml": "id: OUT-2\ntitle: Fewer injuries\n",
    "records/recommendations/REC-2.yaml": (
        "id: REC-2\nsource: SRC-1\ntext: Nobody acts on this.\naims: [AIM-1, AIM-2]\nstatus: open\n"
    ),
    "records/recommendations/REC-3.yaml": "id: REC-3\nsource: SRC-2\ntext: Every aim.\naims: all\nstatus: open\n",
    "records/actions/ACT-2.yaml": (
        "id: ACT-2\ntitle: Given up\nowner: o\nstatus: dropped\ntarget: 2022-03\naddresses: [REC-2]\noutcomes: [OUT-2]\n"
    ),
}

AIMS_LEGEND = [
    "Aims:",
    "  1    AIM-1  Safer sleeping",
    "  2.1  AIM-2  Unborn babies",
    "  3    AIM-3  All babies cry (retired)",
]
SOURCES_LEGEND = [
    "Sources:",
    "  1   SRC-1  Case X thematic review",
    "  AB  SRC-2  Serious case review AB",
]
LEVELS_LEGEND = [
    "addresses it; planned = actions exist, not all complete; delivered = all its",
    "actions complete, some without evidence; evidenced = all its actions complete,",
    "each with evidence; impact = evidenced, and impact-level evidence dated after",
    "its work started.",
]


def test_default_matrix_counts_recommendations_and_those_at_least_planned(record_set):
    result = run(record_set(MATRIX_SET), "matrix")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Recommendations per source and aim",
        "source  all    1  2.1  3",
        "------  ---  ---  ---  -",
        "1       2/1  2/1  1/0  -",
        "AB      1/0  1/0  1/0  -",
        "",
        "Cells: recommendations/at least planned (recommendations cross-referenced to the",
        "aim, and how many of them have a coverage level other than none); - = none.",
        "'all' counts each of the source's recommendations once.",
        *AIMS_LEGEND,
        *SOURCES_LEGEND,
    ]


def test_recommendation_rows_mark_cross_referenced_aims_and_give_the_level(record_set):
    result = run(record_set(MATRIX_SET), "matrix", "--rows", "recommendation")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Recommendations and the aims they are cross-referenced to",
        "recommendation  level    1  2.1  3",
        "--------------  -------  -  ---  -",
        "SRC-1 Case X thematic review",
        "REC-1           planned  x   .   .",
        "REC-2           none     x   x   .",
        "SRC-2 Serious case review AB",
        "REC-3           none     x   x   .",
        "",
        "Cells: x = cross-referenced to the aim; . = not. Levels: none = no action",
        *LEVELS_LEGEND,
        *AIMS_LEGEND,
    ]


def test_outcome_columns_count_only_live_actions(record_set):
    result = run(record_set(MATRIX_SET), "matrix", "--cols", "outcome")
    assert result.output.splitlines()[:5] == [
        "Recommendations per source and outcome",
        "source  all    1  2",
        "------  ---  ---  -",
        "1       2/1  1/1  -",
        "AB      1/0    -  -",
    ]
    assert result.output.splitlines()[9:12] == [
        "Outcomes:",
        "  1  OUT-1  Families understand safer sleeping",
        "  2  OUT-2  Fewer injuries",
    ]


def test_recommendation_rows_mark_the_outcomes_their_actions_contribute_to(record_set):
    result = run(record_set(MATRIX_SET), "matrix", "--rows", "recommendation", "--cols", "outcome")
    assert result.output.splitlines()[:8] == [
        "Recommendations and the outcomes their actions contribute to",
        "recommendation  level    1  2",
        "--------------  -------  -  -",
        "SRC-1 Case X thematic review",
        "REC-1           planned  x  .",
        "REC-2           none     .  .",
        "SRC-2 Serious case review AB",
        "REC-3           none     .  .",
    ]


def test_csv_has_one_number_per_cell(record_set):
    result = run(record_set(MATRIX_SET), "matrix", "--format", "csv")
    assert result.output.splitlines() == [
        "source,all recommendations,all at least planned,AIM-1 recommendations,AIM-1 at least planned,"
        "AIM-2 recommendations,AIM-2 at least planned,AIM-3 recommendations,AIM-3 at least planned",
        "SRC-1,2,1,2,1,1,0,0,0",
        "SRC-2,1,0,1,0,1,0,0,0",
    ]


def test_csv_recommendation_rows(record_set):
    result = run(record_set(MATRIX_SET), "matrix", "--format", "csv", "--rows", "recommendation", "--cols", "outcome")
    assert result.output.splitlines() == [
        "recommendation,source,level,OUT-1,OUT-2",
        "REC-1,SRC-1,planned,x,",
        "REC-2,SRC-1,none,,",
        "REC-3,SRC-2,none,,",
    ]


def test_markdown_table_and_legend(record_set):
    result = run(record_set(MATRIX_SET), "matrix", "--format", "markdown")
    assert result.output.splitlines() == [
        "### Recommendations per source and aim",
        "",
        "| source | all | 1 | 2.1 | 3 |",
        "|---|---:|---:|---:|---:|",
        "| 1 | 2/1 | 2/1 | 1/0 | - |",
        "| AB | 1/0 | 1/0 | 1/0 | - |",
        "",
        "Cells: recommendations/at least planned (recommendations cross-referenced to the aim, and how many "
        "of them have a coverage level other than none); - = none. 'all' counts each of the source's "
        "recommendations once.",
        "",
        "Aims:",
        "",
        "- **1**: AIM-1 Safer sleeping",
        "- **2.1**: AIM-2 Unborn babies",
        "- **3**: AIM-3 All babies cry (retired)",
        "",
        "Sources:",
        "",
        "- **1**: SRC-1 Case X thematic review",
        "- **AB**: SRC-2 Serious case review AB",
        "",
    ]


def test_markdown_recommendation_rows(record_set):
    lines = run(record_set(MATRIX_SET), "matrix", "--format", "markdown", "--rows", "recommendation").output.splitlines()
    assert lines[2:7] == [
        "| recommendation | source | level | 1 | 2.1 | 3 |",
        "|---|---|---|:---:|:---:|:---:|",
        "| REC-1 | 1 | planned | x |  |  |",
        "| REC-2 | 1 | none | x | x |  |",
        "| REC-3 | AB | none | x | x |  |",
    ]


def test_json_source_rows(record_set):
    data = json.loads(run(record_set(MATRIX_SET), "matrix", "--format", "json").output)
    assert data["rows"] == "source" and data["columns"] == "aim"
    assert data["column_headings"] == [
        {"id": "AIM-1", "label": "1", "title": "Safer sleeping"},
        {"id": "AIM-2", "label": "2.1", "title": "Unborn babies"},
        {"id": "AIM-3", "label": "3", "title": "All babies cry", "retired": True},
    ]
    none = {"recommendations": 0, "at_least_planned": 0}
    assert data["sources"] == [
        {"id": "SRC-1", "label": "1", "title": "Case X thematic review",
         "all": {"recommendations": 2, "at_least_planned": 1},
         "cells": {"AIM-1": {"recommendations": 2, "at_least_planned": 1},
                   "AIM-2": {"recommendations": 1, "at_least_planned": 0}, "AIM-3": none}},
        {"id": "SRC-2", "label": "AB", "title": "Serious case review AB",
         "all": {"recommendations": 1, "at_least_planned": 0},
         "cells": {"AIM-1": {"recommendations": 1, "at_least_planned": 0},
                   "AIM-2": {"recommendations": 1, "at_least_planned": 0}, "AIM-3": none}},
    ]


def test_json_recommendation_rows(record_set):
    data = json.loads(run(record_set(MATRIX_SET), "matrix", "--format", "json", "--rows", "recommendation").output)
    assert data["sources"] == [
        {"id": "SRC-1", "label": "1", "title": "Case X thematic review", "recommendations": [
            {"id": "REC-1", "title": "Relaunch the safer sleeping guidance.", "level": "planned", "marked": ["AIM-1"]},
            {"id": "REC-2", "title": "Nobody acts on this.", "level": "none", "marked": ["AIM-1", "AIM-2"]},
        ]},
        {"id": "SRC-2", "label": "AB", "title": "Serious case review AB", "recommendations": [
            {"id": "REC-3", "title": "Every aim.", "level": "none", "marked": ["AIM-1", "AIM-2"]},
        ]},
    ]


def test_html_is_one_table_with_record_text_escaped(record_set):
    root = record_set({**MATRIX_SET, "records/aims/AIM-2.yaml": (
        "id: AIM-2\nref: '2.1'\ntitle: <script>alert('x')</script> & co\nstatus: active\n"
    )})
    result = run(root, "matrix", "--format", "html")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        '<table class="trace-matrix">',
        "<caption>Recommendations per source and aim. Cells: recommendations/at least planned (recommendations "
        "cross-referenced to the aim, and how many of them have a coverage level other than none); - = none. "
        "&#x27;all&#x27; counts each of the source&#x27;s recommendations once.</caption>",
        "<thead>",
        '<tr><th scope="col">source</th><th scope="col">all</th><th scope="col" title="Safer sleeping">AIM-1</th>'
        '<th scope="col" title="&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co">AIM-2</th>'
        '<th scope="col" title="All babies cry (retired)">AIM-3</th></tr>',
        "</thead>",
        "<tbody>",
        '<tr><th scope="row">SRC-1: Case X thematic review</th><td>2/1</td><td>2/1</td><td>1/0</td><td>-</td></tr>',
        '<tr><th scope="row">SRC-2: Serious case review AB</th><td>1/0</td><td>1/0</td><td>1/0</td><td>-</td></tr>',
        "</tbody>",
        "</table>",
    ]
    assert "<script" not in result.output


def test_html_recommendation_rows_group_by_source(record_set):
    root = record_set({**MATRIX_SET, "records/sources/SRC-2.yaml": (
        "id: SRC-2\nref: AB\ntitle: Review <b>AB</b>\ntype: local-review\npublished: '2022'\n"
    )})
    lines = run(root, "matrix", "--format", "html", "--rows", "recommendation").output.splitlines()
    assert lines[5:] == [
        "<tbody>",
        '<tr><th scope="rowgroup" colspan="5">SRC-1: Case X thematic review</th></tr>',
        '<tr><th scope="row" title="Relaunch the safer sleeping guidance.">REC-1</th><td>planned</td>'
        "<td>x</td><td></td><td></td></tr>",
        '<tr><th scope="row" title="Nobody acts on this.">REC-2</th><td>none</td><td>x</td><td>x</td><td></td></tr>',
        "</tbody>",
        "<tbody>",
        '<tr><th scope="rowgroup" colspan="5">SRC-2: Review &lt;b&gt;AB&lt;/b&gt;</th></tr>',
        '<tr><th scope="row" title="Every aim.">REC-3</th><td>none</td><td>x</td><td>x</td><td></td></tr>',
        "</tbody>",
        "</table>",
    ]


def _twelve_aims() -> dict[str, str]:
    files = {
        f"records/aims/AIM-{n:02}.yaml": f"id: AIM-{n:02}\nref: Section {n}\ntitle: Aim number {n}\nstatus: active\n"
        for n in range(1, 13)
    }
    files["records/aims/AIM-1.yaml"] = None  # type: ignore[assignment]  (removes the valid set's aim)
    files["records/recommendations/REC-1.yaml"] = (
        "id: REC-1\nsource: SRC-1\ntext: Relaunch the safer sleeping guidance.\naims: all\nstatus: open\n"
    )
    files["records/actions/ACT-1.yaml"] = (
        "id: ACT-1\ntitle: Relaunch\nowner: o\nstatus: in-progress\ntarget: 2022-06\naddresses: [REC-1]\noutcomes: [OUT-1]\n"
    )
    files["records/sources/SRC-1.yaml"] = (
        "id: SRC-1\nref: X\ntitle: A thematic review with a title far too long to fit on one line of the "
        "legend under the table\ntype: local-review\npublished: '2021-03'\n"
    )
    return files


def test_twelve_aims_are_split_into_blocks_that_fit_80_columns(record_set):
    result = run(record_set(_twelve_aims()), "matrix")
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[:11] == [
        "Recommendations per source and aim",
        "(aims 1-6 of 12)",
        "source  all  Section 1  Section 2  Section 3  Section 4  Section 5  Section 6",
        "------  ---  ---------  ---------  ---------  ---------  ---------  ---------",
        "X       1/1        1/1        1/1        1/1        1/1        1/1        1/1",
        "",
        "(aims 7-12 of 12)",
        "source  all  Section 7  Section 8  Section 9  Section 10  Section 11  Section 12",
        "------  ---  ---------  ---------  ---------  ----------  ----------  ----------",
        "X       1/1        1/1        1/1        1/1         1/1         1/1         1/1",
        "",
    ]
    assert lines[-5:] == [
        "  Section 11  AIM-11  Aim number 11",
        "  Section 12  AIM-12  Aim number 12",
        "Sources:",
        "  X  SRC-1  A thematic review with a title far too long to fit on one line of",
        "            the legend under the table",
    ]


def test_twelve_aims_with_recommendation_rows_fit_80_columns(record_set):
    result = run(record_set(_twelve_aims()), "matrix", "--rows", "recommendation")
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[1:6] == [
        "(aims 1-4 of 12)",
        "recommendation  level    Section 1  Section 2  Section 3  Section 4",
        "--------------  -------  ---------  ---------  ---------  ---------",
        "SRC-1 A thematic review with a title far too long to fit on one line of the l...",
        "REC-1           planned      x          x          x          x",
    ]


def test_long_ids_without_refs_are_shortened_and_still_fit_80_columns(record_set):
    names = ["SAFER-SLEEPING-CAMPAIGN", "UNBORN-BABIES-PATHWAY", "NON-ACCIDENTAL-INJURY", "FATHERS-AND-PARTNERS",
             "CRYING-BABIES-SUPPORT", "DATA-AND-COMMUNICATION", "TRAINING-FOR-ALL-STAFF", "HOUSING-PROVIDERS-LINK",
             "CONCEALED-PREGNANCY", "PRE-BIRTH-ASSESSMENT", "SUPERVISION-PRACTICE", "ADULT-SERVICES-LINKS"]
    files: dict[str, str | None] = {
        f"records/aims/AIM-{name}.yaml": f"id: AIM-{name}\ntitle: Workstream {n}\nstatus: active\n"
        for n, name in enumerate(names, start=1)
    }
    long_id = "REC-A-VERY-LONG-RECOMMENDATION-IDENTIFIER-NUMBER-1"
    files.update({
        "records/aims/AIM-1.yaml": None,
        "records/recommendations/REC-1.yaml": None,
        "records/actions/ACT-1.yaml": None,
        "records/evidence/EV-1.yaml": None,
        f"records/recommendations/{long_id}.yaml": f"id: {long_id}\nsource: SRC-1\ntext: t\naims: all\nstatus: open\n",
    })
    root = record_set(files)
    for rows in ("source", "recommendation"):
        lines = run(root, "matrix", "--rows", rows).output.splitlines()
        assert max(len(line) for line in lines) <= 80, rows
    lines = run(root, "matrix", "--rows", "recommendation").output.splitlines()
    assert lines[1:6] == [
        "(aims 1-2 of 12)",
        "recommendation                            level  ADULT-SERVI...  CONCEALED-P...",
        "----------------------------------------  -----  --------------  --------------",
        "SRC-1 Case X thematic review",
        "REC-A-VERY-LONG-RECOMMENDATION-IDENTI...  none         x               x",
    ]
    assert "  ADULT-SERVI...  AIM-ADULT-SERVICES-LINKS     Workstream 12" in lines
