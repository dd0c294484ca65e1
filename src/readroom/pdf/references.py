"""The reference list of a paper parsed from its layout, split into entries."""

from __future__ import annotations

import re
from typing import Protocol

from readroom.pdf.layout import Row
from readroom.pdf.text import clean, join_lines
from readroom.structure import Reference

# The heading of the list, after an optional section number ("7 References", "VIII. REFERENCES").
_REFERENCES = re.compile(
    r"^(?:(?:\d{1,2}(?:\.\d{1,2}){0,3}|[A-H](?:\.\d{1,2}){0,3}|[IVX]{1,5})\.?\s+)?"
    r"(references|bibliography|literature cited|works cited)\s*$",
    re.IGNORECASE,
)
_REF_MARKER = re.compile(r"^\s*(\[\d{1,3}\]|\d{1,3}\.\s)")


class Heading(Protocol):
    row: Row
    title: str
    level: int


def find_references(rows: list[Row], headings: list[Heading]) -> list[Reference]:
    start = next((i for i, h in enumerate(headings) if _REFERENCES.match(h.title)), None)
    if start is None:
        return []
    begin = headings[start].row
    end = next((h.row for h in headings[start + 1:] if h.level <= headings[start].level), None)
    index = {id(r): i for i, r in enumerate(rows)}
    region = rows[index[id(begin)] + 1: index[id(end)] if end is not None else len(rows)]
    from readroom.sources.ids import reference_of  # the same reading of ids as arXiv's HTML gets

    return [reference_of(text) for text in split_references(region)]


def split_references(rows: list[Row]) -> list[str]:
    """Reference entries: by their [n] / n. markers when the list has them, else by hanging indent."""
    rows = [r for r in rows if r.text.strip()]
    if not rows:
        return []
    marked = sum(1 for r in rows if _REF_MARKER.match(r.text))
    entries: list[list[Row]] = []
    if marked >= max(2, len(rows) // 6):
        for row in rows:
            if _REF_MARKER.match(row.text) or not entries:
                entries.append([row])
            else:
                entries[-1].append(row)
    else:
        # Hanging indent: an entry's first line starts at its column's left edge, the rest are indented.
        left_edges = _column_left_edges(rows)
        for row in rows:
            edge = min(left_edges, key=lambda x: abs(x - row.x0))
            starts = row.x0 - edge < 3.0
            if starts or not entries:
                entries.append([row])
            else:
                entries[-1].append(row)
    return [clean(join_lines(e)) for e in entries if len(join_lines(e)) > 15]


def _column_left_edges(rows: list[Row]) -> list[float]:
    """The left edges of the text columns the rows sit in (one or two, sometimes three)."""
    edges: list[float] = []
    for x in sorted(r.x0 for r in rows):
        if not edges or x - edges[-1] > 40:
            edges.append(x)
    return edges
