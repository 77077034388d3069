"""Coverage levels per recommendation, and shares per source and per aim."""

from __future__ import annotations

import csv
import io

from learntrace.analyses.coverage import LEVEL_MEANINGS, LEVELS, Coverage
from learntrace.jsontext import indented_json
from learntrace.output import markdown_cell, terminal_safe


def _percent(part: int, total: int) -> str:
    return f"{round(100 * part / total)}%" if total else "-"


def _share_rows(tallies: dict[str, dict[str, int]]) -> list[list[str]]:
    return [
        [name, str(t["total"]), *(f"{t[level]} ({_percent(t[level], t['total'])})" for level in LEVELS)]
        for name, t in tallies.items()
    ]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=False)).rstrip()
    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def coverage_text(coverage: Coverage) -> str:
    lines = ["Coverage per recommendation"]
    rows = [[row.recommendation.id, row.source, " ".join(row.aims) or "-", row.level]
            for row in coverage.recommendations]
    lines += _table(["recommendation", "source", "aims", "level"], rows)
    header = ["", "recs", *LEVELS]
    lines += ["", "By source", *_table(["source", *header[1:]], _share_rows(coverage.by_source))]
    lines += ["", "By aim", *_table(["aim", *header[1:]], _share_rows(coverage.by_aim))]
    lines += ["", "Levels: " + "; ".join(f"{level} = {meaning}" for level, meaning in LEVEL_MEANINGS.items())]
    return terminal_safe("\n".join(lines))


def coverage_json(coverage: Coverage) -> str:
    return indented_json({
        "recommendations": [
            {"id": row.recommendation.id, "source": row.source, "aims": list(row.aims), "level": row.level}
            for row in coverage.recommendations
        ],
        "by_source": coverage.by_source,
        "by_aim": coverage.by_aim,
    }, ensure_ascii=False)


def coverage_csv(coverage: Coverage) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["recommendation", "source", "aims", "level"])
    for row in coverage.recommendations:
        writer.writerow([row.recommendation.id, row.source, " ".join(row.aims), row.level])
    return out.getvalue()


def coverage_markdown(coverage: Coverage) -> str:
    def table(first: str, tallies: dict[str, dict[str, int]]) -> list[str]:
        lines = [f"| {first} | recommendations | " + " | ".join(LEVELS) + " |", "|---|---:|" + "---:|" * len(LEVELS)]
        lines += [f"| {markdown_cell(name)} | " + " | ".join(cells[1:]) + " |"
                  for name, cells in ((r[0], r) for r in _share_rows(tallies))]
        return lines
    lines = ["### Coverage by source", "", *table("source", coverage.by_source),
             "", "### Coverage by aim", "", *table("aim", coverage.by_aim),
             "", "<details><summary>Every recommendation</summary>", "",
             "| recommendation | source | aims | level |", "|---|---|---|---|"]
    lines += [f"| {markdown_cell(r.recommendation.id)} | {markdown_cell(r.source)} | "
              f"{markdown_cell(' '.join(r.aims))} | {r.level} |" for r in coverage.recommendations]
    lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
