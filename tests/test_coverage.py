from __future__ import annotations

import json

from conftest import run

# Four recommendations, one at each level.
LEVELS_SET = {
    "records/aims/AIM-2.yaml": "id: AIM-2\ntitle: Unborn babies\nstatus: active\n",
    "records/recommendations/REC-2.yaml": "id: REC-2\nsource: SRC-1\ntext: nobody acts\naims: [AIM-2]\nstatus: open\n",
    "records/recommendations/REC-3.yaml": "id: REC-3\nsource: SRC-1\ntext: done, no proof\naims: all\nstatus: open\n",
    "records/recommendations/REC-4.yaml": "id: REC-4\nsource: SRC-1\ntext: done with proof\naims: [AIM-1]\nstatus: open\n",
    "records/actions/ACT-3.yaml": "id: ACT-3\ntitle: t\nowner: o\nstatus: complete\ntarget: 2022-03\naddresses: [REC-3]\n",
    "records/actions/ACT-4.yaml": "id: ACT-4\ntitle: t\nowner: o\nstatus: complete\ntarget: 2022-03\naddresses: [REC-4]\n",
    "records/actions/ACT-5.yaml": "id: ACT-5\ntitle: t\nowner: o\nstatus: dropped\ntarget: 2022-03\naddresses: [REC-4]\n",
    "records/evidence/EV-4.yaml": "id: EV-4\ntitle: minutes\nsupports: [ACT-4]\ndate: '2022-04'\n",
}


def test_each_level_and_the_shares(record_set):
    result = run(record_set(LEVELS_SET), "coverage", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["recommendations"] == [
        {"id": "REC-1", "source": "SRC-1", "aims": ["AIM-1"], "level": "planned"},
        {"id": "REC-2", "source": "SRC-1", "aims": ["AIM-2"], "level": "none"},
        {"id": "REC-3", "source": "SRC-1", "aims": ["AIM-1", "AIM-2"], "level": "delivered"},
        {"id": "REC-4", "source": "SRC-1", "aims": ["AIM-1"], "level": "evidenced"},
    ]
    assert data["by_source"] == {"SRC-1": {"total": 4, "none": 1, "planned": 1, "delivered": 1, "evidenced": 1, "impact": 0}}
    assert data["by_aim"] == {
        "AIM-1": {"total": 3, "none": 0, "planned": 1, "delivered": 1, "evidenced": 1, "impact": 0},
        "AIM-2": {"total": 2, "none": 1, "planned": 0, "delivered": 1, "evidenced": 0, "impact": 0},
    }


def test_text_format(record_set):
    lines = run(record_set(LEVELS_SET), "coverage").output.splitlines()
    assert lines[:4] == [
        "Coverage per recommendation",
        "recommendation  source  aims         level",
        "--------------  ------  -----------  ---------",
        "REC-1           SRC-1   AIM-1        planned",
    ]
    assert "SRC-1   4     1 (25%)  1 (25%)  1 (25%)    1 (25%)    0 (0%)" in lines


def test_csv_format(record_set):
    result = run(record_set(LEVELS_SET), "coverage", "--format", "csv")
    assert result.output.splitlines() == [
        "recommendation,source,aims,level",
        "REC-1,SRC-1,AIM-1,planned",
        "REC-2,SRC-1,AIM-2,none",
        "REC-3,SRC-1,AIM-1 AIM-2,delivered",
        "REC-4,SRC-1,AIM-1,evidenced",
    ]


def test_markdown_format(record_set):
    lines = run(record_set(LEVELS_SET), "coverage", "--format", "markdown").output.splitlines()
    assert lines[:5] == [
        "### Coverage by source",
        "",
        "| source | recommendations | none | planned | delivered | evidenced | impact |",
        "|---|---:|---:|---:|---:|---:|---:|",
        "| SRC-1 | 4 | 1 (25%) | 1 (25%) | 1 (25%) | 1 (25%) | 0 (0%) |",
    ]


def test_aims_all_means_every_active_aim(record_set):
    files = dict(LEVELS_SET)
    files["records/aims/AIM-3.yaml"] = "id: AIM-3\ntitle: All Babies Cry\nstatus: retired\n"
    data = json.loads(run(record_set(files), "coverage", "--format", "json").output)
    assert data["recommendations"][2]["aims"] == ["AIM-1", "AIM-2"]
    assert data["by_aim"]["AIM-3"]["total"] == 0
