from __future__ import annotations

import os

import pytest
from conftest import run
from gitrepo import GitRepoBuilder

from learntrace.pdf import find_chromium, html_to_pdf, html_to_png

BASE = {
    "records/sources/SRC-1.yaml": "id: SRC-1\ntitle: Case X review\ntype: local-review\npublished: '2021'\n",
    "records/aims/AIM-1.yaml": "id: AIM-1\ntitle: Safer sleeping\nstatus: active\nref: '2.3'\n",
    "records/recommendations/REC-1.yaml": "id: REC-1\nsource: SRC-1\ntext: Relaunch the guidance.\naims: [AIM-1]\nstatus: open\n",
    "records/actions/ACT-1.yaml": "id: ACT-1\ntitle: Relaunch\nowner: Health\nstatus: not-started\ntarget: 2022-11\naddresses: [REC-1]\n",
}


@pytest.fixture
def history(tmp_path):
    """Known history across the 2022-23 reporting year (April start)."""
    repo = GitRepoBuilder(tmp_path / "partnership")
    repo.write({"trace.toml": 'partnership = "Test Partnership"\nstrategy = "Babies strategy"\n'})
    repo.commit("First records", "2022-04-10T09:00:00", dict(BASE))
    repo.commit("ACT-1 started, rated amber; REC-2 and REC-3 from the audit", "2022-07-15T09:00:00", {
        "records/actions/ACT-1.yaml": BASE["records/actions/ACT-1.yaml"].replace("not-started", "in-progress") + "rag: amber\n",
        "records/recommendations/REC-2.yaml": "id: REC-2\nsource: SRC-1\ntext: Audit case files.\naims: [AIM-1]\nstatus: open\n",
        "records/recommendations/REC-3.yaml": "id: REC-3\nsource: SRC-1\ntext: Train GPs.\naims: [AIM-1]\nstatus: open\n",
    })
    repo.commit("Audit done", "2022-08-20T09:00:00", {
        "records/actions/ACT-2.yaml": "id: ACT-2\ntitle: Audit\nowner: Audit group\nstatus: complete\ntarget: 2022-08\naddresses: [REC-2]\n",
        "records/evidence/EV-1.yaml": "id: EV-1\ntitle: Audit report\nsupports: [ACT-2]\ndate: '2022-08'\n",
    })
    repo.commit("Relaunch done", "2022-10-05T09:00:00", {
        "records/actions/ACT-1.yaml": BASE["records/actions/ACT-1.yaml"].replace("not-started", "complete") + "rag: green\n",
    })
    return repo


def test_a_file_unchanged_between_the_periods_snapshots_is_read_once(history):
    # The report reads the records at several commits; a file they share is parsed and held once.
    import datetime as dt

    from learntrace.config import load_config
    from learntrace.gitio import GitRepo
    from learntrace.periods import parse_quarter
    from learntrace.report import build_report

    config = load_config(history.root)
    data = build_report(GitRepo(history.root), config, parse_quarter("2022-23 Q2", config.year_start_month),
                        dt.date(2022, 12, 1))
    start, end = data.start.graph.records, data.end.graph.records
    assert start["AIM-1"] is end["AIM-1"]  # unchanged
    assert start["ACT-1"] is not end["ACT-1"] and end["ACT-1"].get("status") == "in-progress"


def report(repo, *args):
    return run(repo.root, "report", *args)


def read(repo, slug, name="report.md"):
    return (repo.root / "reports" / slug / name).read_text(encoding="utf-8")


def test_report_for_a_reporting_year_quarter_has_the_right_numbers(history):
    result = report(history, "--quarter", "2022-23 Q2")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Wrote {history.root}/reports/2022-23-Q2/report.html",
        f"Wrote {history.root}/reports/2022-23-Q2/report.md",
    ]
    md = read(history, "2022-23-Q2").splitlines()
    assert md[0] == "# Babies strategy: action plan report"
    assert md[2].startswith("Test Partnership · **Q2 2022-23: 1 July – 30 September 2022** · records as of commit")
    # 1. Headline: now and at the start
    assert "| none (no action addresses it) | 1 | 0 |" in md
    assert "| planned (actions exist, not all complete) | 1 | 1 |" in md
    assert "| evidenced (all its actions complete, each with evidence) | 1 | 0 |" in md
    assert "| in-progress | 1 |" in md and "| complete | 1 |" in md
    assert "| amber | 1 |" in md and "| not rated | 1 |" in md
    assert "**Overdue actions: 0**" in md
    assert "| `unaddressed-recommendation` | open recommendations (or ones whose status is unknown) that no action addresses | 1 |" in md
    # 2. What changed
    assert "| New recommendations | 2 | REC-2, REC-3 |" in md
    assert "| New actions | 1 | ACT-2 |" in md
    assert "| Actions completed | 1 | ACT-2 |" in md
    assert "| Actions dropped | 0 |  |" in md
    assert "| Actions started | 1 | ACT-1 |" in md
    assert "| New evidence | 1 | EV-1 |" in md
    # REC-2 opened (ACT-2 complete and evidenced, REC-2 still open: ready to close), as did REC-3 (unaddressed)
    assert "| Gaps opened | 2 | |" in md and "| Gaps closed | 0 | |" in md
    assert "| ACT-1 | status: not-started → in-progress |" in md
    assert "| ACT-1 | rag: added (amber) |" in md
    # 3. At risk: amber, and due next quarter
    assert "| **ACT-1** Relaunch (rated amber and due in Q3 2022-23) | Health | 2022-11 | in-progress | amber |" in md
    # 4. Coverage and matrix
    assert "| SRC-1 | 3 | 1 | 1 | 0 | 1 | 0 |" in md
    assert "| SRC-1 | 3 / 2 | 3 / 2 |" in md
    # 5. Trend: the two quarters before the records say so instead of showing zeros
    assert "| Q3 2021-22 | no records |  |  |  |  |" in md
    assert "| Q1 2022-23 | 0 | 1 | 0 | 0 | 0 |" in md
    assert "| Q2 2022-23 | 1 | 1 | 0 | 1 | 0 |" in md


def test_html_has_the_same_numbers_and_charts(history):
    report(history, "--quarter", "2022Q3")  # the calendar name of the same quarter
    html = read(history, "2022-23-Q2", "report.html")
    assert "<strong>Q2 2022-23: 1 July – 30 September 2022</strong>" in html
    assert html.count("<svg") == 5
    assert "<title id=\"trend-title\">Coverage at the end of each quarter</title>" in html
    assert ">no records</text>" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert '<td class="n">3 / 2</td>' in html


def test_appendix_lists_every_recommendation_with_actions_and_evidence(history):
    report(history, "--quarter", "2022-23 Q2")
    md = read(history, "2022-23-Q2")
    assert "<details><summary>REC-2 · evidenced · SRC-1</summary>" in md
    assert "| **ACT-2** Audit | complete | 2022-08 | Audit group | EV-1 Audit report (level not recorded) |" in md
    assert "No action addresses this recommendation." in md


def test_impact_step_evidence_levels_and_declined_recommendations(history):
    history.commit("Audit evidence levelled; a re-audit; a decision", "2022-11-01T09:00:00", {
        "records/evidence/EV-1.yaml": "id: EV-1\ntitle: Audit report\nsupports: [ACT-2]\ndate: '2022-08'\nlevel: output\n",
        "records/evidence/EV-2.yaml": "id: EV-2\ntitle: Case file re-audit\nsupports: [ACT-2]\ndate: '2022-10'\nlevel: impact\n",
        "records/recommendations/REC-4.yaml": "id: REC-4\nsource: SRC-1\ntext: Open a helpline.\naims: [AIM-1]\n"
                                              "status: declined\nreason: The national helpline covers it\ndecided: '2022-10-30'\n",
    })
    assert report(history, "--quarter", "2022-23 Q3").exit_code == 0
    md = read(history, "2022-23-Q3").splitlines()
    assert "| impact (evidenced, and impact-level evidence dated after its work started) | 1 | 0 |" in md
    assert "| evidenced (all its actions complete, each with evidence) | 0 | 1 |" in md
    assert "| **ACT-2** Audit | complete | 2022-08 | Audit group | EV-1 Audit report (output); EV-2 Case file re-audit (impact) |" in md
    assert "### Declined recommendations (1)" in md
    assert "| **REC-4** Open a helpline. | SRC-1 | The national helpline covers it | 2022-10-30 |" in md
    assert "| Q3 2022-23 (to date) | 2 | 0 | 1 | 0 | 1 |" in md
    html = read(history, "2022-23-Q3", "report.html")
    assert html.count('<div class="card"><span class="big">') == 6  # five steps and the overdue actions
    assert "recommendations <strong>impact</strong>" in html
    assert 'EV-2 Case file re-audit (2022-10) · <span class="evlevel">impact</span>' in html
    assert "<title>SRC-1: 1 impact</title>" in html  # the coverage chart's impact segment
    assert html.count('font-size="12" style="font-family:Arial,Helvetica,sans-serif">impact</text>') == 3  # the three level charts' legends


def test_same_commit_gives_byte_identical_files(history):
    report(history, "--quarter", "2022-23 Q2")
    first = [read(history, "2022-23-Q2", name) for name in ("report.html", "report.md")]
    assert report(history, "--quarter", "2022-23 Q2", "--force").exit_code == 0
    assert [read(history, "2022-23-Q2", name) for name in ("report.html", "report.md")] == first
    history.commit("A commit that changes no record", "2022-10-06T09:00:00", {"README.md": "notes"})
    assert report(history, "--quarter", "2022-23 Q2", "--force").exit_code == 0
    assert [read(history, "2022-23-Q2", name) for name in ("report.html", "report.md")] == first


@pytest.mark.parametrize("guess", ["the end", "the first commit", "no commit"])
def test_records_read_ahead_while_git_reads_the_history_never_change_the_report(history, monkeypatch, guess):
    # The commit the report will end at is guessed, and its records parsed, before the history says: a right
    # guess saves the wait, a wrong one only costs it. (2022-23 Q2 ends at the audit, 2022-08-20.)
    from learntrace import report as report_module
    from learntrace.gitio import GitRepo

    report(history, "--quarter", "2022-23 Q2")
    expected = [read(history, "2022-23-Q2", name) for name in ("report.html", "report.md")]
    real_resolve, asked = GitRepo.resolve, []

    def guessed(self, rev):
        if rev != "2022-09-30":  # not the guess: the report's own questions
            return real_resolve(self, rev)
        asked.append(rev)
        if guess == "no commit":
            raise report_module.TraceError("there is no commit on or before that day")
        return real_resolve(self, rev if guess == "the end" else "2022-04-10")

    from learntrace import snapshot

    parsed, real_parse, real_read_ahead = [], snapshot._parsed_file, report_module.read_ahead
    monkeypatch.setattr(snapshot, "_parsed_file", lambda file: parsed.append(file.path) or real_parse(file))
    monkeypatch.setattr(report_module, "read_ahead", lambda *args: real_read_ahead(*args) or parsed.clear())
    monkeypatch.setattr(GitRepo, "resolve", guessed)
    monkeypatch.setenv("XDG_CACHE_HOME", str(history.root.parent / f"cache-{guess}"))  # nothing parsed yet
    assert report(history, "--quarter", "2022-23 Q2", "--force").exit_code == 0
    assert asked == ["2022-09-30"]
    # Parsed after the guess: with the right one, only what the end does not share with the start and trend.
    assert ("records/evidence/EV-1.yaml" in parsed) == (guess != "the end")
    assert [read(history, "2022-23-Q2", name) for name in ("report.html", "report.md")] == expected


def test_existing_report_is_not_overwritten_without_force(history):
    report(history, "--quarter", "2022-23 Q2")
    path = history.root / "reports/2022-23-Q2/report.md"
    path.write_text("edited by hand")
    result = report(history, "--quarter", "2022-23 Q2")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {history.root}/reports/2022-23-Q2 already holds the final report for Q2 2022-23: 1 July – "
        "30 September 2022; pass --force to replace it (every file in that folder is replaced)\n"
    )
    assert path.read_text() == "edited by hand"


def test_unfinished_quarter_is_to_date_and_says_so_first(history):
    result = report(history, "--quarter", "2022-23 Q3", "--as-of", "2022-11-01")
    assert result.stdout.splitlines()[0] == (
        "Q3 2022-23: 1 October – 31 December 2022 has not ended: the report is to date, as of commit "
        f"{history.git('rev-parse', 'HEAD').strip()[:10]}."
    )
    md = read(history, "2022-23-Q3")
    assert md.splitlines()[0] == (
        "> **This report is to date:** Q3 2022-23 has not ended; it shows the records as of the latest commit, "
        "5 October 2022."
    )
    assert "| Q3 2022-23 (to date) | 1 | 0 | 1 | 1 |" in md  # ACT-1 complete, no evidence yet


def test_period_before_the_first_records_is_refused(history):
    result = report(history, "--quarter", "2021-22 Q4")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: Q4 2021-22: 1 January – 31 March 2022 ends before the records begin: the first commit holding "
        "records is dated 2022-04-10; choose a period that ends on or after that day"
    )


def test_custom_period(history):
    result = report(history, "--from", "2022-04-01", "--to", "2022-09-30", "--format", "md")
    assert result.exit_code == 0, result.output
    md = read(history, "2022-04-01_2022-09-30")
    assert "**1 April – 30 September 2022**" in md
    # No records before the period: everything in it is new.
    assert "| New recommendations | 3 | REC-1, REC-2, REC-3 |" in md


def test_bad_quarter_is_a_usage_error(history):
    result = report(history, "--quarter", "2022-24 Q1")
    assert result.exit_code == 2
    assert "'2022-24 Q1' is not a reporting year: after 2022 comes 2023" in result.output


def test_templates_folder_in_trace_toml_restyles_the_report(history):
    custom = history.root / "our-templates"
    custom.mkdir()
    (custom / "report.md.j2").write_text("{{ d.partnership }} / {{ d.period.name }} / {{ now_levels['none'] }}\n")
    (history.root / "trace.toml").write_text('partnership = "Test Partnership"\ntemplates = "our-templates"\n')
    assert report(history, "--quarter", "2022-23 Q2", "--format", "md").exit_code == 0
    assert read(history, "2022-23-Q2") == "Test Partnership / Q2 2022-23 / 1\n"


def test_record_text_with_html_and_markdown_appears_literally(history):
    history.commit("Awkward text", "2022-09-01T09:00:00", {
        "records/recommendations/REC-4.yaml": (
            "id: REC-4\nsource: SRC-1\ntext: \"<script>alert('x')</script> a | b *not bold* [link](http://x) &amp;\"\n"
            "aims: [AIM-1]\nstatus: open\n"
        ),
    })
    report(history, "--quarter", "2022-23 Q2")
    html = read(history, "2022-23-Q2", "report.html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; a | b *not bold* [link](http://x) &amp;amp;" in html
    md = read(history, "2022-23-Q2")
    # The scheme's "://" carries a zero-width space, so GitHub does not make a bare link of it either.
    assert "\\<script\\>alert('x')\\</script\\> a \\| b \\*not bold\\* \\[link\\](http:\u200b//x) \\&amp;" in md


def _need_chromium():
    if find_chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run must install the Debian package chromium")
        pytest.skip("Chromium is not installed on this machine")


def test_html_renders_in_headless_chromium_to_png_and_pdf(history, tmp_path):
    _need_chromium()
    report(history, "--quarter", "2022-23 Q2")
    html = history.root / "reports/2022-23-Q2/report.html"
    png = tmp_path / "report.png"
    html_to_png(html, png, 1200, 1600)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    pdf = html_to_pdf(html, "20221005090000")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000
    assert pdf == html_to_pdf(html, "20221005090000")  # the clock does not leak into the file


def test_pdf_format_writes_a_pdf(history):
    _need_chromium()
    result = report(history, "--quarter", "2022-23 Q2", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert (history.root / "reports/2022-23-Q2/report.pdf").read_bytes()[:5] == b"%PDF-"
