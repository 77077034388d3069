"""The Recurring themes section of the quarterly and the yearly report: themes × sources, and the learning
that an earlier review already recorded as done (the repeat-learning gaps)."""

from __future__ import annotations

import pytest
from conftest import run
from gitrepo import GitRepoBuilder

RECORDS = {
    "records/sources/SRC-OLD.yaml": "id: SRC-OLD\ntitle: Older review\ntype: local-review\npublished: '2019-05'\n",
    "records/sources/SRC-NEW.yaml": "id: SRC-NEW\ntitle: Newer review\ntype: local-review\npublished: '2023-02'\n",
    "records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Safer babies\nstatus: active\n",
    "records/themes/THM-FATHERS.yaml": "id: THM-FATHERS\ntitle: Engaging fathers\ndescription: Fathers and male "
                                       "carers seen and assessed.\n",
    "records/themes/THM-SLEEP.yaml": "id: THM-SLEEP\ntitle: Safer sleeping\ndescription: Safe sleep advice.\n",
    "records/recommendations/REC-OLD-1.yaml": (
        "id: REC-OLD-1\nsource: SRC-OLD\ntext: Health visitors must assess fathers and male carers at every "
        "home visit and record them in the case file.\naims: [AIM-1]\nstatus: complete\nthemes: [THM-FATHERS]\n"),
    "records/recommendations/REC-OLD-2.yaml": (
        "id: REC-OLD-2\nsource: SRC-OLD\ntext: Midwives give safer sleeping advice before discharge.\n"
        "aims: [AIM-1]\nstatus: complete\nthemes: [THM-SLEEP]\n"),
    "records/recommendations/REC-NEW-1.yaml": (
        "id: REC-NEW-1\nsource: SRC-NEW\ntext: Health visitors should assess fathers and male carers at each "
        "home visit and record them in the case file.\naims: [AIM-1]\nstatus: open\nthemes: [THM-FATHERS]\n"),
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    builder = GitRepoBuilder(tmp_path_factory.mktemp("themes") / "partnership")
    builder.commit("Two reviews, three recommendations", "2025-05-02T12:00:00", RECORDS)
    return builder


def _section(md: str, heading: str) -> list[str]:
    lines = md.splitlines()
    first = lines.index(heading)
    last = next((i for i, line in enumerate(lines) if i > first and line.startswith("## ")), len(lines))
    return lines[first:last]


def test_the_quarterly_report_shows_which_themes_recur_across_reviews(repo, tmp_path):
    result = run(repo.root, "report", "--quarter", "2025-26 Q1", "--format", "html,md", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = _section((tmp_path / "2025-26-Q1" / "report.md").read_text(encoding="utf-8"), "## 6. Recurring themes")
    assert "| theme | SRC-OLD | SRC-NEW | recurs |" in lines
    assert "| THM-FATHERS Engaging fathers | 1 | 1 | yes |" in lines
    assert "| THM-SLEEP Safer sleeping | 1 |  |  |" in lines
    assert "### Learning recorded before (1)" in lines
    (repeat,) = [line for line in lines if line.startswith("| REC-NEW-1 |")]
    assert "REC-OLD-1 from SRC-OLD" in repeat and "marked complete" in repeat
    html = (tmp_path / "2025-26-Q1" / "report.html").read_text(encoding="utf-8")
    assert '<td class="n heat heat-1">1</td>' in html  # shaded, and the number printed for black-and-white


def test_the_yearly_report_ends_with_the_recurring_themes(repo, tmp_path):
    result = run(repo.root, "report", "--year", "2025-26", "--format", "md,docx", "--out", str(tmp_path),
                 "--as-of", "2026-04-10")
    assert result.exit_code == 0, result.output
    lines = _section((tmp_path / "2025-26" / "yearly.md").read_text(encoding="utf-8"), "## 6. Recurring themes")
    assert "| THM-FATHERS Engaging fathers | 1 | 1 | yes |" in lines
    assert "### Learning recorded before (1)" in lines
    import docx

    document = docx.Document(str(tmp_path / "2025-26" / "yearly.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-1] == "6. Recurring themes"
    theme_table = document.tables[-2]
    assert [c.text for c in theme_table.rows[0].cells] == ["Theme", "SRC-OLD", "SRC-NEW", "Recurs"]
    assert [c.text for c in theme_table.rows[1].cells] == ["THM-FATHERS Engaging fathers", "1", "1", "yes"]
