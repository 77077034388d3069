from __future__ import annotations

import io
import json

import networkx as nx
from conftest import run

MERMAID = [
    "flowchart LR",
    '  SRC_1["SRC-1<br/>Case X thematic review"]',
    '  REC_1["REC-1<br/>Relaunch the safer sleeping guidance."]',
    '  AIM_1["AIM-1<br/>Safer sleeping"]',
    '  ACT_1["ACT-1<br/>Relaunch the guidance"]',
    '  EV_1["EV-1<br/>Relaunch briefing slides"]',
    '  OUT_1["OUT-1<br/>Families understand safer sleeping"]',
    "  SRC_1 -->|makes| REC_1",
    "  REC_1 -->|cross-references| AIM_1",
    "  REC_1 -->|addressed-by| ACT_1",
    "  ACT_1 -->|serves| AIM_1",
    "  ACT_1 -->|evidenced-by| EV_1",
    "  ACT_1 -->|contributes-to| OUT_1",
]

# A second source whose recommendation shares AIM-1: in REC-1's lineage only through AIM-1, which is downstream.
OTHER_SOURCE = {
    "records/sources/SRC-2.yaml": "id: SRC-2\ntitle: Another review\ntype: audit\npublished: '2022'\n",
    "records/recommendations/REC-2.yaml": "id: REC-2\nsource: SRC-2\ntext: Other.\naims: [AIM-1]\nstatus: open\n",
}


def test_mermaid_is_the_default_sorted_upstream_first(record_set):
    result = run(record_set(), "graph")
    assert result.exit_code == 0
    assert result.output.splitlines() == MERMAID


def test_mermaid_labels_are_quoted_with_entity_codes(record_set):
    root = record_set({"records/aims/AIM-1.yaml": (
        'id: AIM-1\ntitle: "Say \\"hi\\" <b>x</b> #1"\nstatus: active\n'
    )})
    lines = run(root, "graph").output.splitlines()
    assert lines[3] == '  AIM_1["AIM-1<br/>Say #quot;hi#quot; #lt;b#gt;x#lt;/b#gt; #35;1"]'


def test_mermaid_node_ids_avoid_keywords_and_clashes(record_set):
    root = record_set({
        "records/aims/end.yaml": "id: end\ntitle: The end\nstatus: active\n",
        "records/aims/AIM_1.yaml": "id: AIM_1\ntitle: Underscored\nstatus: active\n",
    })
    lines = run(root, "graph").output.splitlines()
    assert lines[3:6] == [
        '  AIM_1["AIM-1<br/>Safer sleeping"]',
        '  AIM_1_2["AIM_1<br/>Underscored"]',
        '  n_end["end<br/>The end"]',
    ]


def test_dot_format(record_set):
    result = run(record_set(), "graph", "--format", "dot")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "digraph trace {",
        "  rankdir=LR;",
        "  node [shape=box];",
        '  "SRC-1" [label="SRC-1\\nCase X thematic review", class="source"];',
        '  "REC-1" [label="REC-1\\nRelaunch the safer sleeping guidance.", class="recommendation"];',
        '  "AIM-1" [label="AIM-1\\nSafer sleeping", class="aim"];',
        '  "ACT-1" [label="ACT-1\\nRelaunch the guidance", class="action"];',
        '  "EV-1" [label="EV-1\\nRelaunch briefing slides", class="evidence"];',
        '  "OUT-1" [label="OUT-1\\nFamilies understand safer sleeping", class="outcome"];',
        '  "SRC-1" -> "REC-1" [label="makes"];',
        '  "REC-1" -> "AIM-1" [label="cross-references"];',
        '  "REC-1" -> "ACT-1" [label="addressed-by"];',
        '  "ACT-1" -> "AIM-1" [label="serves"];',
        '  "ACT-1" -> "EV-1" [label="evidenced-by"];',
        '  "ACT-1" -> "OUT-1" [label="contributes-to"];',
        "}",
    ]


def test_dot_escapes_quotes_and_backslashes_and_shortens_titles(record_set):
    root = record_set({"records/aims/AIM-1.yaml": (
        'id: AIM-1\ntitle: "A \\"quoted\\" back\\\\nslash title that is longer than forty characters"\nstatus: active\n'
    )})
    lines = run(root, "graph", "--format", "dot").output.splitlines()
    assert lines[5] == '  "AIM-1" [label="AIM-1\\nA \\"quoted\\" back\\\\nslash title that is...", class="aim"];'


def test_json_is_node_link_data_with_an_edges_key(record_set):
    result = run(record_set(), "graph", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data == {
        "directed": True,
        "multigraph": False,
        "graph": {},
        "nodes": [
            {"id": "SRC-1", "kind": "source", "title": "Case X thematic review",
             "label": "SRC-1: Case X thematic review"},
            {"id": "REC-1", "kind": "recommendation", "title": "Relaunch the safer sleeping guidance.",
             "label": "REC-1: Relaunch the safer sleeping guidance."},
            {"id": "AIM-1", "kind": "aim", "title": "Safer sleeping", "label": "AIM-1: Safer sleeping"},
            {"id": "ACT-1", "kind": "action", "title": "Relaunch the guidance", "label": "ACT-1: Relaunch the guidance"},
            {"id": "EV-1", "kind": "evidence", "title": "Relaunch briefing slides",
             "label": "EV-1: Relaunch briefing slides"},
            {"id": "OUT-1", "kind": "outcome", "title": "Families understand safer sleeping",
             "label": "OUT-1: Families understand safer sleeping"},
        ],
        "edges": [
            {"source": "SRC-1", "target": "REC-1", "rel": "makes"},
            {"source": "REC-1", "target": "AIM-1", "rel": "cross-references"},
            {"source": "REC-1", "target": "ACT-1", "rel": "addressed-by"},
            {"source": "ACT-1", "target": "AIM-1", "rel": "serves"},
            {"source": "ACT-1", "target": "EV-1", "rel": "evidenced-by"},
            {"source": "ACT-1", "target": "OUT-1", "rel": "contributes-to"},
        ],
    }
    assert result.output.splitlines()[:3] == ["{", '  "directed": true,', '  "edges": [']


def test_graphml_has_string_attributes_only_and_reads_back(record_set):
    result = run(record_set({"records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Safer <sleeping> & co\nstatus: active\n"}),
                 "graph", "--format", "graphml", "--focus", "AIM-1", "--depth", "1")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
        '  <key id="d3" for="edge" attr.name="rel" attr.type="string" />',
        '  <key id="d2" for="node" attr.name="label" attr.type="string" />',
        '  <key id="d1" for="node" attr.name="title" attr.type="string" />',
        '  <key id="d0" for="node" attr.name="kind" attr.type="string" />',
        '  <graph edgedefault="directed">',
        '    <node id="REC-1">',
        '      <data key="d0">recommendation</data>',
        '      <data key="d1">Relaunch the safer sleeping guidance.</data>',
        '      <data key="d2">REC-1: Relaunch the safer sleeping guidance.</data>',
        "    </node>",
        '    <node id="AIM-1">',
        '      <data key="d0">aim</data>',
        '      <data key="d1">Safer &lt;sleeping&gt; &amp; co</data>',
        '      <data key="d2">AIM-1: Safer &lt;sleeping&gt; &amp; co</data>',
        "    </node>",
        '    <node id="ACT-1">',
        '      <data key="d0">action</data>',
        '      <data key="d1">Relaunch the guidance</data>',
        '      <data key="d2">ACT-1: Relaunch the guidance</data>',
        "    </node>",
        '    <edge source="REC-1" target="AIM-1">',
        '      <data key="d3">cross-references</data>',
        "    </edge>",
        '    <edge source="REC-1" target="ACT-1">',
        '      <data key="d3">addressed-by</data>',
        "    </edge>",
        '    <edge source="ACT-1" target="AIM-1">',
        '      <data key="d3">serves</data>',
        "    </edge>",
        "  </graph>",
        "</graphml>",
    ]
    read_back = nx.read_graphml(io.StringIO(result.output))
    assert read_back.nodes["AIM-1"]["title"] == "Safer <sleeping> & co"


def test_focus_keeps_the_lineage_only(record_set):
    result = run(record_set(OTHER_SOURCE), "graph", "--focus", "REC-1")
    assert result.exit_code == 0
    assert result.output.splitlines() == MERMAID


def test_focus_on_an_aim_takes_everything_upstream(record_set):
    lines = run(record_set(OTHER_SOURCE), "graph", "--focus", "AIM-1", "--format", "dot").output.splitlines()
    nodes = [line.split('"')[1] for line in lines if "[label=" in line and "->" not in line]
    assert nodes == ["SRC-1", "SRC-2", "REC-1", "REC-2", "AIM-1", "ACT-1"]


def test_depth_limits_the_lineage(record_set):
    lines = run(record_set(OTHER_SOURCE), "graph", "--focus", "ACT-1", "--depth", "1").output.splitlines()
    assert lines == [
        "flowchart LR",
        '  REC_1["REC-1<br/>Relaunch the safer sleeping guidance."]',
        '  AIM_1["AIM-1<br/>Safer sleeping"]',
        '  ACT_1["ACT-1<br/>Relaunch the guidance"]',
        '  EV_1["EV-1<br/>Relaunch briefing slides"]',
        '  OUT_1["OUT-1<br/>Families understand safer sleeping"]',
        "  REC_1 -->|cross-references| AIM_1",
        "  REC_1 -->|addressed-by| ACT_1",
        "  ACT_1 -->|serves| AIM_1",
        "  ACT_1 -->|evidenced-by| EV_1",
        "  ACT_1 -->|contributes-to| OUT_1",
    ]


def test_unknown_focus_is_a_usage_error(record_set):
    result = run(record_set(), "graph", "--focus", "ACT-2")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for --focus: there is no record 'ACT-2'; did you mean ACT-1?"
    )


def test_depth_needs_focus(record_set):
    result = run(record_set(), "graph", "--depth", "2")
    assert result.exit_code == 2
    assert "needs --focus" in result.output.splitlines()[-1]


def test_out_writes_the_file_and_leaves_no_temporary_file(record_set):
    root = record_set()
    target = root / "exports" / "graph.mmd"
    target.parent.mkdir()
    target.write_text("old content\n")
    result = run(root, "graph", "--out", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").splitlines() == MERMAID
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.mmd"]


def test_out_into_a_missing_folder_says_so(record_set):
    root = record_set()
    result = run(root, "graph", "--out", str(root / "missing" / "graph.mmd"))
    assert result.exit_code == 2
    assert result.output.startswith("Error: cannot write ")
    assert not (root / "missing").exists()
