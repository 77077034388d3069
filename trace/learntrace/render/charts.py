"""Inline SVG charts drawn by our code: titled, labelled in words, and not relying on colour alone."""

from __future__ import annotations

from html import escape

from learntrace.analyses.coverage import LEVELS

# Colour plus a texture per level, so the chart reads in greyscale and for colour-blind readers.
LEVEL_STYLE = {
    "none": ("#c0392b", "cross"),
    "planned": ("#e6a23c", "diagonal"),
    "delivered": ("#7fb3d5", "dots"),
    "evidenced": ("#1e8449", "solid"),
    "impact": ("#4a235a", "stripes"),
}
RAG_COLOURS = {"red": "#c0392b", "amber": "#e6a23c", "green": "#1e8449", "not rated": "#aab7b8"}
FONT = "font-family:Arial,Helvetica,sans-serif"


def _defs(prefix: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{prefix}-cross" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{LEVEL_STYLE["none"][0]}"/>'
        '<path d="M0 0L8 8M8 0L0 8" stroke="#fff" stroke-width="1.2"/></pattern>'
        f'<pattern id="{prefix}-diagonal" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{LEVEL_STYLE["planned"][0]}"/>'
        '<path d="M0 8L8 0" stroke="#fff" stroke-width="1.5"/></pattern>'
        f'<pattern id="{prefix}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{LEVEL_STYLE["delivered"][0]}"/>'
        '<circle cx="3" cy="3" r="1.2" fill="#fff"/></pattern>'
        f'<pattern id="{prefix}-stripes" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{LEVEL_STYLE["impact"][0]}"/>'
        '<path d="M0 3H6" stroke="#fff" stroke-width="1.2"/></pattern>'
        "</defs>"
    )


def _fill(prefix: str, level: str) -> str:
    colour, texture = LEVEL_STYLE[level]
    return colour if texture == "solid" else f"url(#{prefix}-{texture})"


def _legend(prefix: str, x: int, y: int) -> str:
    parts = []
    for index, level in enumerate(LEVELS):
        lx = x + index * 100  # five levels fit under the narrowest chart
        parts.append(f'<rect x="{lx}" y="{y}" width="14" height="14" fill="{_fill(prefix, level)}" '
                     'stroke="#333" stroke-width="0.5"/>')
        parts.append(f'<text x="{lx + 20}" y="{y + 12}" font-size="12" style="{FONT}">{level}</text>')
    return "".join(parts)


def stacked_bars(title: str, rows: list[tuple[str, dict[str, int]]], prefix: str) -> str:
    """One horizontal bar per row, split by coverage level, each segment labelled with its count."""
    label_width, bar_width, row_height = 150, 420, 26
    height = 50 + len(rows) * row_height + 40
    width = label_width + bar_width + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-labelledby="{prefix}-title">',
             f'<title id="{prefix}-title">{escape(title)}</title>', _defs(prefix),
             f'<text x="0" y="18" font-size="15" font-weight="bold" style="{FONT}">{escape(title)}</text>']
    for index, (label, counts) in enumerate(rows):
        y = 34 + index * row_height
        total = sum(counts.get(level, 0) for level in LEVELS)
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" font-size="12" text-anchor="end" '
                     f'style="{FONT}">{escape(label)}</text>')
        x = float(label_width)
        for level in LEVELS:
            n = counts.get(level, 0)
            if not n or not total:
                continue
            w = bar_width * n / total
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="20" fill="{_fill(prefix, level)}" '
                         f'stroke="#fff" stroke-width="1"><title>{escape(label)}: {n} {level}</title></rect>')
            if w >= 22:
                parts.append(f'<text x="{x + w / 2:.1f}" y="{y + 14}" font-size="11" text-anchor="middle" '
                             f'style="{FONT};paint-order:stroke" stroke="#fff" stroke-width="3" '
                             f'fill="#111">{n}</text>')
            x += w
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 15}" font-size="12" '
                     f'style="{FONT}">{total}</text>')
    parts.append(_legend(prefix, label_width, height - 24))
    parts.append("</svg>")
    return "".join(parts)


def count_bars(title: str, counts: dict[str, int], colours: dict[str, str] | None = None, prefix: str = "bars") -> str:
    """Horizontal bars with the category written as a word and the count beside each bar."""
    label_width, bar_width, row_height = 90, 250, 24
    height = 40 + len(counts) * row_height + 8
    width = label_width + bar_width + 50
    largest = max(counts.values(), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-labelledby="{prefix}-title">',
             f'<title id="{prefix}-title">{escape(title)}</title>',
             f'<text x="0" y="18" font-size="15" font-weight="bold" style="{FONT}">{escape(title)}</text>']
    for index, (label, n) in enumerate(counts.items()):
        y = 32 + index * row_height
        colour = (colours or {}).get(label, "#5d6d7e")
        w = bar_width * n / largest
        parts.append(f'<text x="{label_width - 8}" y="{y + 14}" font-size="12" text-anchor="end" '
                     f'style="{FONT}">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="18" fill="{colour}"/>')
        parts.append(f'<text x="{label_width + w + 6:.1f}" y="{y + 14}" font-size="12" style="{FONT}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def trend_bars(title: str, points: list[tuple[str, dict[str, int] | None]], prefix: str = "trend") -> str:
    """One stacked column per quarter; a quarter with no records says so instead of showing zero."""
    column, gap, chart_height = 90, 40, 200
    width = 60 + len(points) * (column + gap)
    height = chart_height + 110
    largest = max((sum(p.values()) for _, p in points if p), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-labelledby="{prefix}-title">',
             f'<title id="{prefix}-title">{escape(title)}</title>', _defs(prefix),
             f'<text x="0" y="18" font-size="15" font-weight="bold" style="{FONT}">{escape(title)}</text>']
    base = 30 + chart_height
    for index, (label, counts) in enumerate(points):
        x = 40 + index * (column + gap)
        parts.append(f'<text x="{x + column / 2}" y="{base + 18}" font-size="12" text-anchor="middle" '
                     f'style="{FONT}">{escape(label)}</text>')
        if counts is None:
            parts.append(f'<text x="{x + column / 2}" y="{base - 10}" font-size="12" text-anchor="middle" '
                         f'fill="#555" style="{FONT}">no records</text>')
            continue
        y = float(base)
        for level in LEVELS:
            n = counts.get(level, 0)
            if not n:
                continue
            h = chart_height * n / largest
            y -= h
            parts.append(f'<rect x="{x}" y="{y:.1f}" width="{column}" height="{h:.1f}" fill="{_fill(prefix, level)}" '
                         f'stroke="#fff" stroke-width="1"><title>{escape(label)}: {n} {level}</title></rect>')
            if h >= 14:
                parts.append(f'<text x="{x + column / 2}" y="{y + h / 2 + 4:.1f}" font-size="11" text-anchor="middle" '
                             f'style="{FONT};paint-order:stroke" stroke="#fff" stroke-width="3" fill="#111">{n}</text>')
        parts.append(f'<text x="{x + column / 2}" y="{y - 4:.1f}" font-size="12" text-anchor="middle" '
                     f'style="{FONT}">{sum(counts.values())}</text>')
    parts.append(_legend(prefix, 40, height - 30))
    parts.append("</svg>")
    return "".join(parts)
