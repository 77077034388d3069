"""trace report --year: the yearly report, on a repository with a year of dated commits (yearly_history.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile

import pytest
from conftest import run
from yearly_history import build_year

from learntrace.pdf import find_chromium, html_to_pdf, html_to_png

SLUG = "2025-26"


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The repository, with the 2025-26 report written once in every format but pdf."""
    repo = build_year(tmp_path_factory.mktemp("yearly") / "partnership")
    result = run(repo.root, "report", "--year", SLUG, "--format", "html,md,docx")
    assert result.exit_code == 0, result.output
    return repo


def read(repo, name="yearly.md"):
    return (repo.root / "reports" / SLUG / name).read_text(encoding="utf-8")


def section(md: str, number: int) -> list[str]:
    """The lines of one numbered section of the Markdown report."""
    lines = md.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(f"## {number}. "))
    last = next((i for i, line in enumerate(lines) if i > first and line.startswith("## ")), len(lines))
    return lines[first:last]


def test_writes_the_files_into_the_years_folder(year, tmp_path):
    result = run(year.root, "report", "--year", "2025/26", "--format", "html,md,docx", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"Wrote {tmp_path}/{SLUG}/yearly.{ext}" for ext in ("html", "md", "docx")]


def test_header_names_the_year_and_the_commit_of_its_last_day(year):
    md = read(year).splitlines()
    assert md[0] == "# Babies strategy: yearly report 2025-26"
    assert md[2].startswith("Test Partnership · **Reporting year 2025-26: 1 April 2025 – 31 March 2026** · records "
                            "as of commit")
    assert md[2].endswith("(10 February 2026)")  # the last commit in the year, not the one after it


def test_learning_from_reviews_per_source_national_first(year):
    lines = section(read(year), 1)
    assert [line for line in lines if line.startswith("### ")] == [
        "### The Myth of Invisible Men", "### Case AB local review"]
    assert "SRC-N · national-review · published 2021-09" in lines
    rows = [line for line in lines if line.startswith("| **REC-")]
    assert rows == [
        "| **REC-N-1** Include fathers in assessments. | planned | **planned** | nothing recorded |",
        "| **REC-N-2** Write a fathers' strategy. | none | **none** (superseded) | nothing recorded |",
        "| **REC-L-1** Relaunch safer sleeping. | planned | **impact** | ACT-1 Relaunch briefings: completed "
        "(15 May 2025); evidence EV-2 14 briefing sessions held added (15 May 2025; dated 2025-05-10; output) |",
        "| **REC-L-2** Audit case files. | evidenced | **evidenced** | nothing recorded |",
        "| **REC-L-3** Open a helpline. | none | **none** (declined) | nothing recorded |",
        "| **REC-L-4** Train GPs. | not yet recorded | **none** | nothing recorded |",
    ]


def test_impact_section_counts_and_measures(year):
    lines = section(read(year), 2)
    assert ("At the end of the year, 1 of 6 recommendations had reached **impact** (1 of them during the year). "
            "Only delivered, with every action complete but no evidence of impact: 1 (0 delivered, 1 evidenced).") in lines
    assert [line for line in lines if line.split(" | ")[0] in
                                      ("| none", "| planned", "| delivered", "| evidenced", "| impact")] == ["| none | 2 | 3 |", "| planned | 2 | 1 |", "| delivered | 0 | 0 |", "| evidenced | 1 | 1 |",
            "| impact | 0 | 1 |"]
    assert ("| **OUT-1** Fewer unexplained injuries in babies under one | Babies under one with unexplained injuries, "
            "per year | 12 (2024-03) | 8 | EV-3 Unexplained injuries fell to 7 (2025-08-01) | 2025-12 |") in lines
    assert ("| **OUT-2** Fathers seen in pre-birth assessments | Share of pre-birth assessments that include the "
            "father | about a third (2024-06) | most | not re-measured | 2025-09 **overdue** |") in lines
    assert "### Impact-level evidence (2)" in lines
    assert "| **EV-3** Unexplained injuries fell to 7 | OUT-1 | 2025-08-01 | yes (20 August 2025) |" in lines
    assert "| **EV-5** Fathers' survey | OUT-2 | date unknown | yes (10 February 2026) |" in lines


def test_little_or_no_progress(year):
    lines = section(read(year), 3)
    assert "### Recommendations that did not move up the ladder (3)" in lines
    assert [line.split(" | ")[0] for line in lines if line.startswith("| **REC-")] == [
        "| **REC-N-1** Include fathers in assessments.", "| **REC-L-2** Audit case files.", "| **REC-L-4** Train GPs."]
    assert "| **REC-L-4** Train GPs. | SRC-L | not yet recorded | none |" in lines
    assert "### Actions overdue at the year's end (1)" in lines
    assert "| **ACT-2** Fathers in assessments | Health | 2025-09 | in-progress |" in lines  # completed only after
    assert "### Outcome measures not re-measured on time (1)" in lines
    out_2 = next(line for line in lines if line.startswith("| **OUT-2**"))
    assert "EV-5 is impact-level but undated, so it cannot show it came after the baseline" in out_2
    assert "### Outcomes with actions but no evidence of impact (0)" in lines


def test_decisions_in_the_year_and_accepted_gaps(year):
    lines = section(read(year), 4)
    assert "### Recommendations declined or superseded in the year (2)" in lines
    assert "| **REC-L-3** Open a helpline. | declined | n/a | 2025-10-28 | 3 November 2025 |" in lines
    assert ("| **REC-N-2** Write a fathers' strategy. | superseded by REC-N-1 | The panel's later recommendation "
            "replaces it | 2025-10 | 3 November 2025 |") in lines
    assert "### Gaps the partnership has accepted (1)" in lines
    assert ("| `unaddressed-recommendation` | REC-L-4 | Awaiting the GP training review | 2026-09-30 | yes |"
            in lines)
    assert "### Accepted gaps past their review date (1)" in lines
    assert "| `output-only-evidence` | ACT-3 | The audit itself is the deliverable | 2025-10-01 |" in lines


def test_the_year_in_numbers_with_the_four_quarters(year):
    lines = section(read(year), 5)
    for row in ("| Actions completed | 1 |", "| Evidence items added | 3 |", "| Impact-level evidence added | 2 |",
                "| Recommendations added | 1 |", "| Recommendations moved up the ladder | 1 |",
                "| Decisions recorded | 2 |", "| Recommendations | 5 | 6 |", "| Recommendations declined | 0 | 1 |",
                "| Actions complete | 1 | 2 |", "| Evidence items | 1 | 4 |", "| Evidence of output | 1 | 2 |",
                "| Evidence of impact | 0 | 2 |", "| Outcome measures | 2 | 2 |"):
        assert row in lines, row
    assert "| quarter | none | planned | delivered | evidenced | impact |" in lines
    assert [line for line in lines if line.startswith("| Q")] == [
        "| Q1 2025-26 | 2 | 1 | 0 | 2 | 0 |",
        "| Q2 2025-26 | 3 | 1 | 0 | 1 | 1 |",
        "| Q3 2025-26 | 3 | 1 | 0 | 1 | 1 |",
        "| Q4 2025-26 | 3 | 1 | 0 | 1 | 1 |",
    ]


def test_html_has_the_sections_charts_and_no_outside_resources(year):
    html = read(year, "yearly.html")
    for heading in ("1. Learning from reviews this year", "2. Impact", "3. Little or no progress", "4. Decisions",
                    "5. The year in numbers", "6. Recurring themes"):
        assert f"<h2>{heading}</h2>" in html
    assert html.count("<svg") == 2
    assert "@page" in html and "counter(pages)" in html  # the quarterly report's print stylesheet
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert '<td class="level"><strong>impact</strong></td>' in html


def test_same_commit_gives_identical_files(year, tmp_path):
    first = {name: (year.root / "reports" / SLUG / name).read_bytes() for name in ("yearly.html", "yearly.md",
                                                                                 "yearly.docx")}
    assert run(year.root, "report", "--year", SLUG, "--format", "html,md,docx", "--out", str(tmp_path)).exit_code == 0
    assert {name: (tmp_path / SLUG / name).read_bytes() for name in first} == first


def test_docx_has_word_headings_tables_and_a_contents_field(year):
    import docx

    path = year.root / "reports" / SLUG / "yearly.docx"
    document = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "Babies strategy: yearly report 2025-26")
    assert [text for style, text in headings if style == "Heading 1"] == [
        "1. Learning from reviews this year", "2. Impact", "3. Little or no progress", "4. Decisions",
        "5. The year in numbers", "6. Recurring themes"]
    assert ("Heading 2", "The Myth of Invisible Men") in headings
    assert ("Heading 2", "Recommendations that did not move up the ladder (3)") in headings
    first = document.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["Recommendation", "Start of year", "End of year",
                                                     "Done in the year"]
    assert [c.text for c in first.rows[1].cells][:3] == ["REC-N-1 Include fathers in assessments.", "planned",
                                                         "planned"]
    (quarters,) = [table for table in document.tables if table.rows[0].cells[0].text == "Quarter"]
    assert [c.text for c in quarters.rows[0].cells] == ["Quarter", "none", "planned", "delivered", "evidenced",
                                                        "impact"]
    assert [c.text for c in quarters.rows[2].cells] == ["Q2 2025-26", "3", "1", "0", "1", "1"]
    with zipfile.ZipFile(path) as package:
        body = package.read("word/document.xml").decode()
        assert 'w:fldSimple w:instr="TOC \\o &quot;1-3&quot; \\h \\z \\u"' in body
        assert "<w:tblHeader" in body
        assert '<w:updateFields w:val="true"/>' in package.read("word/settings.xml").decode()


def _need(tool: str, found: str | None, package: str) -> str:
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is not installed; .ci/run must install the Debian package {package}")
        pytest.skip(f"{tool} is not installed on this machine")
    return found


def test_docx_converts_to_pdf_with_libreoffice(year, tmp_path):
    soffice = _need("LibreOffice", shutil.which("soffice"), "libreoffice-writer-nogui")
    profile = tmp_path / "profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(year.root / "reports" / SLUG / "yearly.docx")],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    pdf = (tmp_path / "yearly.pdf").read_bytes()
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000


def test_html_renders_in_headless_chromium(year, tmp_path):
    _need("Chromium", find_chromium(), "chromium")
    html = year.root / "reports" / SLUG / "yearly.html"
    png = tmp_path / "yearly.png"
    html_to_png(html, png, 1200, 2600)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    pdf = html_to_pdf(html, "20260210090000")
    assert pdf[:5] == b"%PDF-" and pdf == html_to_pdf(html, "20260210090000")


def test_default_formats_include_word_and_say_when_there_is_no_pdf(year, tmp_path, monkeypatch):
    monkeypatch.setattr("learntrace.pdf.find_chromium", lambda: None)
    result = run(year.root, "report", "--year", SLUG, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / SLUG).iterdir()) == [".trace-report.json", "yearly.docx",
                                                                   "yearly.html", "yearly.md"]
    assert result.stdout.splitlines()[-1].startswith("No PDF: that needs a headless Chromium")


@pytest.mark.parametrize(("year_option", "as_of", "slug"), [
    (["--year", "last"], "2026-12-01", "2025-26"),
    (["--year"], "2026-12-01", "2025-26"),  # alone, followed by another option, as the scheduled workflow runs it
    (["--year"], "2026-04-01", "2025-26"),  # the first day of the next year
    (["--year"], "2026-03-31", "2024-25"),  # the year's last day: it has not ended
])
def test_year_alone_or_last_is_the_last_complete_reporting_year(year, tmp_path, year_option, as_of, slug):
    result = run(year.root, "report", *year_option, "--out", str(tmp_path), "--format", "md", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == [slug]


def test_a_year_not_yet_over_is_to_date_and_says_so(year, tmp_path):
    result = run(year.root, "report", "--year", "2026-27", "--format", "md", "--out", str(tmp_path),
                 "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("The reporting year 2026-27 has not ended: the report is to date")
    assert (tmp_path / "2026-27" / "yearly.md").read_text().startswith("> **This report is to date:**")


@pytest.mark.parametrize(("args", "message"), [
    (["--year", "2025"], "'2025' is only one year, and the reporting year here runs across two"),
    (["--year", "2025-27"], "'2025-27' is not a reporting year: after 2025 comes 2026"),
    (["--year", "next"], "'next' is not a reporting year; write it as 2025-26, or 'last'"),
    (["--year", "2025-26", "--quarter", "2025Q3"], "give --year, or --quarter, or --from and --to: one of them"),
    (["--quarter", "2025Q3", "--format", "docx"], "a Word file (docx) is written for the yearly report only"),
])
def test_bad_options_are_usage_errors(year, args, message):
    result = run(year.root, "report", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_a_year_before_the_records_is_refused(year):
    result = run(year.root, "report", "--year", "2023-24", "--format", "md")
    assert result.exit_code == 2
    assert "ends before the records begin: the first commit holding records is dated 2025-02-10" in result.stderr


def test_existing_report_is_not_overwritten_without_force(year):
    result = run(year.root, "report", "--year", SLUG, "--format", "md")
    assert result.exit_code == 2
    assert (f"{year.root}/reports/{SLUG} already holds the final report for the reporting year 2025-26; pass "
            "--force to replace it") in result.stderr


def test_record_text_reaches_every_format_literally(tmp_path):
    repo = build_year(tmp_path / "partnership")
    repo.commit("Awkward text", "2026-03-01T09:00:00", {
        "records/recommendations/REC-L-5.yaml": "id: REC-L-5\nsource: SRC-L\ntext: \"<script>alert('x')</script> "
                                                "a | b *not bold* \\x07bell\"\naims: [AIM-1]\nstatus: open\n",
    })
    assert run(repo.root, "report", "--year", SLUG, "--format", "html,md,docx").exit_code == 0
    html = read(repo, "yearly.html")
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; a | b *not bold* bell" in html
    assert r"\<script\>alert('x')\</script\> a \| b \*not bold\* bell" in read(repo)
    import docx

    cells = [c.text for t in docx.Document(str(repo.root / "reports" / SLUG / "yearly.docx")).tables
             for row in t.rows for c in row.cells]
    assert "REC-L-5 <script>alert('x')</script> a | b *not bold* bell" in cells
