"""The yearly report as a Word document, for the business unit to paste into the partnership's published
yearly report: real Word headings (Heading 1, 2), real tables with a repeated header row, and a table of
contents field that Word fills when it opens the file. python-docx is imported here alone, when a .docx
is asked for.

The same commit gives the same bytes: the document's dates are the commit's, and the zip entries carry
that date too (python-docx stamps the clock into them).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

from learntrace.output import terminal_safe
from learntrace.render.yearly import yearly_context
from learntrace.yearly import Dated, YearlyData

if TYPE_CHECKING:
    from docx.document import Document

TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0  # A4, as UK partnerships print


def _text(value: object) -> str:
    """Record text as Word can hold it: no control characters (XML refuses most of them)."""
    return terminal_safe("" if value is None else str(value))


def _on(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "day not known"


def _level(record: Any) -> str:
    from learntrace.analyses.impact import NO_LEVEL, level_of

    level = level_of(record)
    return "level not recorded" if level == NO_LEVEL else level


def _date(record: Any, name: str = "date") -> str:
    from learntrace import dates

    return dates.describe_date(record.data, name)


def _table(doc: Document, header: list[str], rows: list[list[str]]) -> None:
    """A table with a bold header row that repeats on each page, its columns sized by what they hold."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm
    from docx.table import _Cell

    if not rows:
        doc.add_paragraph("None.")
        return
    table = doc.add_table(rows=len(rows) + 1, cols=len(header))  # built at once: adding rows one by one is slow
    table.style = doc.styles["Table Grid"]
    table.autofit = False  # a fixed layout: the grid and the first row's widths hold in Word and LibreOffice
    # Room by how much each column says (the square root of its average text, so short columns keep enough).
    weights = [max(sum(len(str(row[i])) for row in rows) / len(rows), len(header[i]), 10) ** 0.5
               for i in range(len(header))]
    widths = [Cm((PAGE_WIDTH_CM - 2 * MARGIN_CM) * weight / sum(weights)) for weight in weights]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    # Cells straight from the rows' XML: the table has no merged cells, and asking python-docx for a row's
    # cells rebuilds the whole grid each time.
    rows_xml = table._tbl.tr_lst
    for tc, text, width in zip(rows_xml[0].tc_lst, header, widths, strict=True):
        cell = _Cell(tc, table)
        cell.width = width
        cell.paragraphs[0].add_run(_text(text)).bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    rows_xml[0].get_or_add_trPr().append(repeat)
    for tr, values in zip(rows_xml[1:], rows, strict=True):
        for tc, text in zip(tr.tc_lst, values, strict=True):
            _fill(tc[-1], _text(text))
    doc.add_paragraph()


def _fill(paragraph: Any, text: str) -> None:
    """Put text in a new cell's empty paragraph as one run, line breaks kept: the XML written directly, as
    python-docx's own way costs a search of the document per cell."""
    from docx.oxml.ns import qn

    run = paragraph.makeelement(qn("w:r"), {})
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(run.makeelement(qn("w:br"), {}))
        piece = run.makeelement(qn("w:t"), {qn("xml:space"): "preserve"} if line != line.strip() else {})
        piece.text = line
        run.append(piece)
    paragraph.append(run)


def _toc(doc: Document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc.add_paragraph().add_run("Contents").bold = True
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), TOC_INSTRUCTION)
    run = OxmlElement("w:r")
    placeholder = OxmlElement("w:t")
    placeholder.text = "The table of contents is filled in when the document is opened in Word (or press F9)."
    run.append(placeholder)
    field.append(run)
    doc.add_paragraph()._p.append(field)
    update = OxmlElement("w:updateFields")  # ask Word to fill the field on opening
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)


def _done(completed: tuple[Dated, ...], evidence: tuple[Dated, ...]) -> str:
    parts = [f"{c.record.id} {c.record.title}: completed ({_on(c.day)})" for c in completed]
    parts += [f"evidence {e.record.id} {e.record.title} added ({_on(e.day)}; dated {_date(e.record)}; "
              f"{_level(e.record)})" for e in evidence]
    return "; ".join(parts) or "nothing recorded"


def _learning(doc: Document, data: YearlyData) -> None:
    doc.add_heading("1. Learning from reviews this year", 1)
    if not data.learning:
        doc.add_paragraph("No source has recommendations recorded.")
    for source in data.learning:
        doc.add_heading(_text(source.source.title), 2)
        doc.add_paragraph(_text(f"{source.source.id} · {source.source.get('type')} · published "
                                f"{_date(source.source, 'published')}"
                                + (" · first recorded this year" if source.new else "")))
        _table(doc, ["Recommendation", "Start of year", "End of year", "Done in the year"], [
            [f"{r.recommendation.id} {r.recommendation.title}", r.level_start or "not yet recorded",
             r.level_end + (f" ({r.recommendation.get('status')})" if r.recommendation.get("status") in
                            ("declined", "superseded") else ""),
             _done(r.completed, r.evidence)]
            for r in source.recommendations
        ])


def _impact(doc: Document, data: YearlyData, summary: dict[str, int]) -> None:
    doc.add_heading("2. Impact", 1)
    doc.add_paragraph(
        f"At the end of the year, {summary['impact']} of {summary['total']} recommendations had reached impact "
        f"({summary['impact_in_year']} of them during the year). Only delivered, with every action complete but no "
        f"evidence of impact: {summary['only_delivered']} ({summary['delivered']} delivered, "
        f"{summary['evidenced']} evidenced).")
    doc.add_heading("Outcomes and their measures", 2)
    rows = []
    for item in data.outcomes:
        name = f"{item.outcome.id} {item.outcome.title}"
        if not item.measures:
            rows.append([name, "no measures recorded", "", "", "", ""])
        for index, row in enumerate(item.measures):
            m = row.measure
            latest = f"{row.latest.id} {row.latest.title} ({_date(row.latest)})" if row.latest else "not re-measured"
            rows.append([name if index == 0 else "", m.indicator,
                         (m.baseline or "not recorded") + (f" ({m.baseline_date})" if m.baseline_date else ""),
                         m.target or "not recorded", latest,
                         (m.remeasure_by or "not set") + (" overdue" if row.overdue else "")])
    _table(doc, ["Outcome", "Measure", "Baseline", "Target", "Latest re-measurement", "Re-measure by"], rows)
    doc.add_heading(f"Impact-level evidence ({len(data.impact_evidence)})", 2)
    _table(doc, ["Evidence", "Shows", "Dated", "Added this year"], [
        [f"{e.record.id} {e.record.title}", ", ".join(e.record.links("supports")), _date(e.record),
         f"yes ({_on(e.day)})" if e.day else "no"]
        for e in data.impact_evidence
    ])


def _progress(doc: Document, data: YearlyData) -> None:
    doc.add_heading("3. Little or no progress", 1)
    doc.add_heading(f"Recommendations that did not move up the ladder ({len(data.stuck)})", 2)
    _table(doc, ["Recommendation", "Source", "Start of year", "End of year"], [
        [f"{r.recommendation.id} {r.recommendation.title}", str(r.recommendation.get("source")),
         r.level_start or "not yet recorded", r.level_end] for r in data.stuck
    ])
    doc.add_heading(f"Actions overdue at the year's end ({len(data.overdue)})", 2)
    _table(doc, ["Action", "Owner", "Target", "Status"],
           [[f"{a.action.id} {a.action.title}", a.owner, a.target, a.status] for a in data.overdue])
    for title, found in (("Outcome measures not re-measured on time", data.not_remeasured),
                         ("Outcomes with actions but no evidence of impact", data.unmeasured)):
        doc.add_heading(f"{title} ({len(found)})", 2)
        _table(doc, ["Outcome", "What"], [[f"{g.id} {g.title}", g.message] for g in found])


def _decisions(doc: Document, data: YearlyData) -> None:
    doc.add_heading("4. Decisions", 1)
    doc.add_heading(f"Recommendations declined or superseded in the year ({len(data.decisions)})", 2)
    _table(doc, ["Recommendation", "Decision", "Reason", "Decided", "Recorded"], [
        [f"{x.recommendation.id} {x.recommendation.title}",
         x.status + (f" by {x.recommendation.get('superseded_by')}" if x.recommendation.get("superseded_by") else ""),
         x.recommendation.get("reason") or "no reason recorded", x.recommendation.get("decided") or "not recorded",
         _on(x.recorded) if x.recorded else "before the year"]
        for x in data.decisions
    ])
    doc.add_heading(f"Gaps the partnership has accepted ({len(data.accepted)})", 2)
    _table(doc, ["Gap", "Record", "Reason", "Review by", "Accepted this year"],
           [[g.kind, g.id, g.reason or "", g.review_by or "", "yes" if new else "no"] for g, new in data.accepted])
    doc.add_heading(f"Accepted gaps past their review date ({len(data.expired)})", 2)
    _table(doc, ["Gap", "Record", "Reason", "Review was due"],
           [[g.kind, g.id, g.reason or "", g.review_by or ""] for g in data.expired])


def _numbers(doc: Document, data: YearlyData, levels: tuple[str, ...]) -> None:
    doc.add_heading("5. The year in numbers", 1)
    _table(doc, ["Done in the year", "Count"], [[what.capitalize(), str(n)] for what, n in data.done.items()])
    _table(doc, ["Records", "Start of year", "End of year"],
           [[what, "–" if before is None else str(before), str(after)] for what, before, after in data.numbers])
    doc.add_heading("Ladder steps at the end of each quarter", 2)
    no_records = ["no records"] + [""] * (len(levels) - 1)
    _table(doc, ["Quarter", *levels], [
        [point.period.name + (" (to date)" if point.to_date else ""),
         *([str(point.levels[level]) for level in levels] if point.levels else no_records)]
        for point in data.trend
    ])


def _themes(doc: Document, context: dict[str, Any]) -> None:
    doc.add_heading("6. Recurring themes", 1)
    matrix = context["themes"]
    carried = [(theme, row) for theme, row in zip(matrix.themes, matrix.counts, strict=True) if theme.sources]
    _table(doc, ["Theme", *(s.id for s in matrix.sources), "Recurs"],
           [[f"{theme.id} {theme.title}", *(str(n) if n else "" for n in row), "yes" if theme.recurring else ""]
            for theme, row in carried])
    gaps = context["repeat_gaps"]
    doc.add_heading(f"Learning recorded before ({len(gaps)})", 2)
    _table(doc, ["Recommendation", "Repeats"], [[g.id, g.message] for g in gaps])


def _stable_zip(content: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry dated `when`, in the same order."""
    stamp = when.astimezone(dt.UTC).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, date_time=stamp), source.read(info.filename),
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def yearly_docx(data: YearlyData) -> bytes:
    """The yearly report as .docx bytes."""
    import docx

    context = yearly_context(data)
    from docx.shared import Cm

    doc = docx.Document()
    for section in doc.sections:
        section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    when = data.end.commit.date.astimezone(dt.UTC).replace(tzinfo=None)
    props = doc.core_properties
    props.title = _text(f"{data.strategy}: yearly report {data.year.name}")
    props.author = props.last_modified_by = _text(data.partnership)
    props.created = props.modified = when
    props.revision = 1
    doc.add_heading(props.title, 0)
    doc.add_paragraph(_text(f"{data.partnership} · Reporting year {data.year.name}: {data.year.dates_text} · "
                            f"records as of commit {data.end.commit.short} ({_on(data.end.commit.date.date())})"))
    if data.to_date:
        doc.add_paragraph(f"This report is to date: the reporting year {data.year.name} has not ended.")
    doc.add_paragraph("Ladder: " + "; ".join(f"{level} = {meaning}" for level, meaning in
                                             context["level_meanings"].items()) + ".")
    doc.add_paragraph("Evidence levels: " + "; ".join(f"{level} = {meaning}" for level, meaning in
                                                      context["evidence_level_meanings"].items()) + ".")
    _toc(doc)
    _learning(doc, data)
    _impact(doc, data, context["summary"])
    _progress(doc, data)
    _decisions(doc, data)
    _numbers(doc, data, context["levels"])
    _themes(doc, context)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _stable_zip(buffer.getvalue(), data.end.commit.date)
