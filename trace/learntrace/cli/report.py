"""The `trace report` command: the quarterly report for the partnership group, and with --year the yearly
report the partnership publishes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from learntrace.cli.app import Session, parse_as_of
from learntrace.errors import TraceError
from learntrace.periods import LAST_YEAR

if TYPE_CHECKING:
    from learntrace.gitio import Commit
    from learntrace.periods import Period
    from learntrace.report import ReportData

FORMATS = ("html", "md", "pdf", "docx")
QUARTERLY_FORMATS = ("html", "md", "pdf")


def _formats(value: str, allowed: tuple[str, ...] = FORMATS) -> list[str]:
    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    if "docx" in chosen and "docx" not in allowed:
        raise click.BadParameter("a Word file (docx) is written for the yearly report only: add --year",
                                 param_hint="--format")
    unknown = [part for part in chosen if part not in allowed]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(allowed)}, separated by commas", param_hint="--format")
    return chosen


@click.command()
@click.option("--quarter", metavar="Q", help="A calendar quarter (2022Q3) or a reporting-year quarter ('2022-23 Q2').")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="The first day of a custom period (with --to).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="The last day of a custom period (with --from).")
@click.option("--year", metavar="[YYYY-YY]", is_flag=False, flag_value=LAST_YEAR,
              help="Write the yearly report instead: for this reporting year (2025-26), or, given alone (or as "
              "'last'), the last complete one.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="The folder to write into (default: reports/ at the root); the report goes in a sub-folder "
              "per period.")
@click.option("--format", "formats", metavar="html,md,pdf,docx",
              help="Which files to write. Quarterly: html, md and/or pdf (default html,md). Yearly: also docx "
              "(default html,md,docx, and pdf when Chromium is installed). pdf needs Chromium.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", envvar="TRACE_AS_OF",
              help="The day the report is written on (default: today): it decides the default quarter and "
              "whether the period has ended (also TRACE_AS_OF=YYYY-MM-DD).")
@click.option("--force", is_flag=True, help="Replace a final report that already exists (the whole folder).")
@click.pass_obj
def report(session: Session, quarter: str | None, start: str | None, end: str | None, year: str | None,
           out_dir: Path | None, formats: str | None, as_of: str | None, force: bool) -> int:
    """Write the quarterly report for the partnership group: headline
    numbers, what changed, overdue and at-risk actions, coverage, the
    four-quarter trend, and every recommendation with its actions.

    With --year, write the yearly report the partnership publishes:
    learning from reviews this year, impact, little or no progress,
    decisions, and the year in numbers, as reports/2025-26/yearly.html,
    .md, .docx (for pasting into the published report, written in Word)
    and .pdf. --year takes a reporting year such as 2025-26 (or 2025
    when the reporting year is the calendar year); --year alone (or
    --year last) is the last complete reporting year.

    Quarters follow the reporting year in trace.toml. Without --quarter the
    report is for the last complete quarter (in a repository whose records
    begin after it, the current quarter to date). The report shows
    committed records only. A report of a period that has not ended is "to
    date"; it is replaced by the final one without --force. The same
    commit, day and options always give the same files.

    \b
    Examples:
      trace report                         the last complete quarter
      trace report --quarter "2022-23 Q2"
      trace report --quarter 2022Q3 --format html,md,pdf
      trace report --from 2022-04-01 --to 2023-03-31
      trace report --as-of 2027-01-01      as the scheduled run on that day
      trace report --year 2025-26          the yearly report
      trace report --year                  the last complete reporting year
    """
    config = session.config
    if session.at:
        raise click.UsageError("trace report reads the history itself; use --quarter, --from/--to or --year "
                               "instead of --at")
    session.repo.read_history_soon()  # git reads it while the report's code is imported
    from learntrace.report import build_report, read_ahead
    from learntrace.schema import data_dir

    today = parse_as_of(as_of)
    if year is not None:
        if quarter or start or end:
            raise click.UsageError("give --year, or --quarter, or --from and --to: one of them")
        return _yearly(session, year, out_dir, formats, today, force)
    chosen = _formats(formats or "html,md", QUARTERLY_FORMATS)
    period = _period(session, quarter, start, end, today)
    folder = (out_dir or config.root / "reports") / period.slug
    template_dir = config.templates or data_dir("templates")
    if not (template_dir / "report.html.j2").exists() and not (template_dir / "report.md.j2").exists():
        raise TraceError(f"the template folder {template_dir} has no report.html.j2 or report.md.j2")
    read_ahead(session.repo, period, today, session.cache)
    data = build_report(session.repo, config, period, today, session.cache)
    session.cache.save()
    files = _render(data, template_dir, chosen)
    if data.to_date:
        click.echo(f"{period.title} has not ended: the report is to date, as of commit {data.end.commit.short}.")
    return _write(session, folder, files, period.title, data.end.commit, force)


def _yearly(session: Session, year: str, out_dir: Path | None, formats: str | None, today: dt.date,
            force: bool) -> int:
    from learntrace.pdf import find_chromium
    from learntrace.periods import parse_year
    from learntrace.render.yearly import render_yearly
    from learntrace.report import read_ahead
    from learntrace.report_files import MARKER, marker
    from learntrace.schema import data_dir
    from learntrace.yearly import build_yearly

    config = session.config
    try:
        period = parse_year(year, config.year_start_month, today)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--year") from error
    period = _first_year(session, year, period, today)
    no_pdf = formats is None and find_chromium() is None
    chosen = _formats(formats) if formats else ["html", "md", "docx", *([] if no_pdf else ["pdf"])]
    folder = (out_dir or config.root / "reports") / period.slug
    template_dir = config.templates or data_dir("templates")  # trace's own fill in what it lacks
    read_ahead(session.repo, period, today, session.cache)
    data = build_yearly(session.repo, config, period, today, session.cache)
    session.cache.save()

    def word() -> bytes:
        from learntrace.render.docx import yearly_docx

        return yearly_docx(data)

    files = _files("yearly", lambda fmt: render_yearly(data, template_dir, fmt), chosen, data.end.commit, word)
    files[MARKER] = marker(period.slug, data.end.commit.sha, data.to_date)
    if data.to_date:
        click.echo(f"The reporting year {period.name} has not ended: the report is to date, as of commit "
                   f"{data.end.commit.short}.")
    code = _write(session, folder, files, f"the reporting year {period.name}", data.end.commit, force)
    if no_pdf:
        click.echo("No PDF: that needs a headless Chromium (on Debian or Ubuntu: apt-get install chromium); the "
                   "HTML report prints to PDF from any browser too.")
    return code


def _write(session: Session, folder: Path, files: dict[str, bytes], title: str, commit: Commit, force: bool) -> int:
    """Replace the folder's report with these files (a to-date one freely, a final one with --force)."""
    from learntrace.report_files import existing_report, replacing, write_report_folder

    existing = existing_report(folder)
    said = replacing(existing, files, title, force)
    _note_uncommitted(session, commit)
    if said == "unchanged":
        click.echo(f"{folder} already holds this report; nothing changed.")
        return 0
    write_report_folder(folder, files, existing)
    if said:
        click.echo(said)
    for name in files:
        if not name.startswith("."):
            click.echo(f"Wrote {folder / name}")
    return 0


def _within_git(period: Period, option: str) -> Period:
    """A report reads the records at commits in and before the period: it must lie where git dates commits."""
    from learntrace.dates import GIT_FIRST_DAY, GIT_LAST_DAY

    if period.start < GIT_FIRST_DAY or period.end > GIT_LAST_DAY:
        raise click.BadParameter(
            f"{period.title} is outside the dates git can give a commit ({GIT_FIRST_DAY.year} to "
            f"{GIT_LAST_DAY.year}); choose a period in those years", param_hint=option)
    return period


def _period(session: Session, quarter: str | None, start: str | None, end: str | None, today: dt.date) -> Period:
    """The period the options name; without any, the last complete quarter before `today`, or the current
    quarter to date when the records begin after the last complete quarter ended (a repository's first days)."""
    from learntrace.periods import custom_period, default_quarter, parse_quarter
    from learntrace.report import records_begin

    year_start_month = session.config.year_start_month
    if quarter and (start or end):
        raise click.UsageError("give either --quarter or --from and --to, not both")
    if bool(start) != bool(end):
        raise click.UsageError("a custom period needs both --from and --to")
    try:
        if quarter:
            return _within_git(parse_quarter(quarter, year_start_month), "--quarter")
        if start and end:
            return _within_git(custom_period(parse_as_of(start, "--from"), parse_as_of(end, "--to")), "--from")
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    begins = records_begin(session.repo)
    period, first_days = default_quarter(today, begins, year_start_month)
    if first_days and begins is not None:
        click.echo(f"The records begin on {begins.day} {begins:%B %Y}, after the last complete quarter ended, "
                   f"so this report is for the current quarter, {period.name}, to date.")
    return period


def _first_year(session: Session, year: str, period: Period, today: dt.date) -> Period:
    """The last complete year, or, in a repository whose records begin after it ended (its first days), the
    current year to date, saying so (as the quarterly report does for quarters)."""
    from learntrace.periods import LAST_YEAR, year_containing
    from learntrace.report import records_begin

    if year.strip().lower() != LAST_YEAR:
        return period
    begins = records_begin(session.repo)
    if begins is None or period.end >= begins:
        return period
    current = year_containing(today, session.config.year_start_month)
    click.echo(f"The records begin on {begins.day} {begins:%B %Y}, after the last complete reporting year ended, "
               f"so this report is for the current year, {current.name}, to date.")
    return current


def _render(data: ReportData, template_dir: Path, chosen: list[str]) -> dict[str, bytes]:
    """The report's files by name, the marker that says what they are among them."""
    from learntrace.render.report import render_report
    from learntrace.report_files import MARKER, marker

    files = _files("report", lambda fmt: render_report(data, template_dir, fmt), chosen, data.end.commit)
    files[MARKER] = marker(data.period.slug, data.end.commit.sha, data.to_date)
    return files


def _files(stem: str, render: Callable[[str], bytes], chosen: list[str], commit: Commit,
           word: Callable[[], bytes] | None = None) -> dict[str, bytes]:
    """Each asked-for file by name, made side by side on a machine with cores to spare; the PDF is the
    HTML printed by Chromium, dated as the commit."""
    from learntrace.parallel import run_side_by_side

    jobs: dict[str, Callable[[], bytes]] = {}
    if {"html", "pdf"} & set(chosen):
        jobs["html"] = lambda: render("html")
    if "md" in chosen:
        jobs["md"] = lambda: render("md")
    if "docx" in chosen and word is not None:
        jobs["docx"] = word
    made = run_side_by_side(jobs)
    html = made.get("html", b"")
    files = {f"{stem}.{fmt}": content for fmt, content in made.items() if fmt in chosen}
    if "pdf" in chosen:
        import tempfile

        from learntrace.pdf import html_to_pdf

        with tempfile.TemporaryDirectory(prefix="trace-report-") as scratch:
            page = Path(scratch) / f"{stem}.html"
            page.write_bytes(html)
            stamp = commit.date.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")
            files[f"{stem}.pdf"] = html_to_pdf(page, stamp)
    return files


def _note_uncommitted(session: Session, commit: Commit) -> None:
    """The report reads the history: say when the working tree has record changes it does not show."""
    paths = {change.new_path or change.old_path for change in session.repo.worktree_changes()}
    if paths:
        many = len(paths) != 1
        click.echo(f"Note: {len(paths)} record file{'s' if many else ''} {'have' if many else 'has'} changes that "
                   f"are not committed; the report shows commit {commit.short} "
                   f"({commit.date.date().isoformat()}). Commit them first for the report to include them.",
                   err=True)


COMMANDS = (report,)
