"""The reference list of a paper parsed from its layout, split into entries.

The list is the region under the "References" heading; when no such heading was found, the trailing run of rows
that read like a reference list ([1], [2], [3] ... at row starts, or author-year entries). Entries are split by
their [n] / n. markers, else by hanging indent, else (author-year lists set flush left) by what starts an entry:
a surname and initials at the column's left edge after a line that closed the previous entry.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator, Sequence
from typing import Protocol

from readroom.pdf.headings import REFERENCES, strip_number
from readroom.pdf.layout import Row
from readroom.pdf.text import clean, join_lines
from readroom.structure import Reference

_REF_MARKER = re.compile(r"^\s*(\[\d{1,3}\]|\d{1,3}\.\s)")
_MARKER_NUMBER = re.compile(r"^\s*\[(\d{1,3})\]")
_DOTTED_NUMBER = re.compile(r"^\s*(\d{1,3})\.\s")
# "Dhariwal, P.;", "van den Oord, A.,", "Savaré, G.", "Le Cun, Y. and": a surname, a comma, initials.
_SURNAME = r"(?:(?:van|von|der|den|de|del|da|di|la|le|du|dos)\s+)*[A-Z][\w'’´`\-]*(?:\s[A-Z][\w'’´`\-]+){0,2}"
_AUTHOR_START = re.compile(rf"^{_SURNAME},\s+(?:[A-Z]\.|[A-Z][a-z]?\.-?[A-Z]?\.?|[A-Z][a-z]+,?\s+[A-Z]\.)")
_INITIALS_FIRST = re.compile(r"^(?:[A-Z]\.\s?(?:-?[A-Z]\.\s?)*)\s*(?:(?:van|von|de|der|le|la)\s+)*[A-Z][\w'’-]+[,.]?\s")
# What closes an entry's last line: a full stop, a year, a page range, a closing bracket, a URL or an id.
_CLOSES = re.compile(r"(?:[.)\]]|\b(?:1[89]|20)\d\d[a-z]?|\d+\s*[-–]\s*\d+|\S+/\S*|\d)\s*$")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d[a-z]?\b")
# What follows a list on its last page and is no entry: the authors' addresses and contacts, a journal's imprint.
# A label standing alone or before a colon ("Affiliation:", "E-mail: ada@..."); an entry opens with its authors.
_AFTER_LIST = re.compile(
    r"^(?:affiliations?|(?:authors?['’]?s?\s+)?(?:address(?:es)?|information|details)(?:\s+for\s+correspondence)?"
    r"|correspondence|corresponding\s+authors?|e-?mail|contact|url|received|submitted|accepted)\s*(?::|$)",
    re.IGNORECASE)
_CUE = re.compile(r"\bet al\b|\bIn Proc|\bProceedings\b|\barXiv\b|\bpp\.|\bvol\.|\bdoi\b|\bJournal\b|\bConference\b"
                  r"|\bTransactions\b|\bpreprint\b|\bpages\b", re.IGNORECASE)


class Heading(Protocol):
    row: Row
    title: str
    level: int


def find_references(rows: list[Row], headings: Sequence[Heading]) -> list[Reference]:
    region = _under_heading(rows, headings)
    if region is None:
        region = _trailing_list(rows, headings)
    region = region[:_list_end(region)]
    from readroom.sources.ids import reference_of  # the same reading of ids as arXiv's HTML gets

    return [reference_of(text) for text in split_references(region)]


def _under_heading(rows: list[Row], headings: Sequence[Heading]) -> list[Row] | None:
    # The heading of the list, after an optional section number ("7 References", "VIII. REFERENCES").
    start = next((i for i, h in enumerate(headings) if REFERENCES.match(strip_number(h.title))), None)
    if start is None:
        return None
    begin = headings[start].row
    end = next((h.row for h in headings[start + 1:] if h.level <= headings[start].level), None)
    index = {id(r): i for i, r in enumerate(rows)}
    return rows[index[id(begin)] + 1: index[id(end)] if end is not None else len(rows)]


def _trailing_list(rows: list[Row], headings: Sequence[Heading]) -> list[Row]:
    """A reference list with no heading found: rows from a "[1]" row on whose row starts count [2], [3], ... in
    order; else the last such run of "1." rows that names years (a body's enumerations come before it and name
    none); else the last long run of rows that read like author-year entries."""
    heading_rows = {id(h.row) for h in headings}
    numbered = next(_numbered_runs(rows, heading_rows, _MARKER_NUMBER), None)
    if numbered is None:
        dotted = [run for run in _numbered_runs(rows, heading_rows, _DOTTED_NUMBER)
                  if len(_YEAR.findall(" ".join(r.text for r in run))) * 2 >= _count(run)]
        numbered = dotted[-1] if dotted else None
    if numbered is not None:
        return numbered
    return _author_year_run(rows, heading_rows)


def _list_end(rows: list[Row]) -> int:
    """Where the rows stop reading like a reference list: at an address or contact label ("Affiliation:"), or
    after a gap down the column wider than twice the list's line pitch where the size changes (a journal's foot)."""
    size = statistics.mode(r.size for r in rows) if rows else 0.0
    pitches = [b.y0 - a.y0 for a, b in zip(rows, rows[1:], strict=False) if _same_column(a, b)]
    pitch = statistics.median(pitches) if pitches else 0.0
    for k, row in enumerate(rows):
        if _AFTER_LIST.match(row.text):
            return k
        prev = rows[k - 1] if k else None
        if (prev is not None and pitch and _same_column(prev, row) and row.y0 - prev.y0 > 2 * pitch
                and abs(row.size - size) >= 0.5):
            return k
    return len(rows)


def _numbered_runs(rows: list[Row], heading_rows: set[int], marker: re.Pattern[str]) -> Iterator[list[Row]]:
    i = 0
    while i < len(rows):
        m = marker.match(rows[i].text)
        if not m or m[1] != "1":
            i += 1
            continue
        want, last, j = 2, i, i + 1
        while j < len(rows) and j - last <= 12 and id(rows[j]) not in heading_rows:
            n = marker.match(rows[j].text)
            if n and int(n[1]) == want:
                want, last = want + 1, j
            j += 1
        if want > 3:  # [1], [2], [3] at least
            end = _entry_end(rows, last, heading_rows)
            yield rows[i:end]
            i = end
        else:
            i += 1


def _count(run: list[Row]) -> int:
    return sum(bool(_REF_MARKER.match(r.text)) for r in run)


def _entry_end(rows: list[Row], last: int, heading_rows: set[int]) -> int:
    """The index after the rows the entry starting at rows[last] wraps onto: same size, close below."""
    end = last + 1
    while end < len(rows) and end - last <= 6 and id(rows[end]) not in heading_rows:
        prev, row = rows[end - 1], rows[end]
        if row.size != rows[last].size or _REF_MARKER.match(row.text) or (
                row.page == prev.page and row.y0 - prev.y1 > prev.height):
            break
        end += 1
    return end


def _author_year_run(rows: list[Row], heading_rows: set[int]) -> list[Row]:
    """The last run of at least 8 rows in the second half of the paper in which most rows carry a year or a
    reference cue and a fifth or more start with a surname and initials."""
    looks = [bool(_YEAR.search(r.text) or _CUE.search(r.text) or _AUTHOR_START.match(r.text)) for r in rows]
    best: list[Row] = []
    i = len(rows) // 2
    while i < len(rows):
        if not _AUTHOR_START.match(rows[i].text):
            i += 1
            continue
        j, misses = i, 0
        while j < len(rows) and id(rows[j]) not in heading_rows and misses <= 2:
            misses = 0 if looks[j] else misses + 1
            j += 1
        run = rows[i:j - misses]
        starts = sum(1 for r in run if _AUTHOR_START.match(r.text))
        if len(run) >= 8 and starts >= max(3, len(run) // 5):
            best = run
        i = max(j, i + 1)
    return best


def split_references(rows: list[Row]) -> list[str]:
    """Reference entries: by their [n] / n. markers when the list has them, else by hanging indent, else by what
    starts an author-year entry set flush left."""
    rows = [r for r in rows if r.text.strip()]
    if not rows:
        return []
    marked = sum(1 for r in rows if _REF_MARKER.match(r.text))
    # One marker is enough when the list opens with it (a list of one entry); otherwise two, as a stray "3. " is no list.
    if marked >= max(1 if _REF_MARKER.match(rows[0].text) else 2, len(rows) // 6):
        starts = [bool(_REF_MARKER.match(r.text)) for r in rows]
    else:
        left_edges = _column_left_edges(rows)
        edge_of = [_nearest(left_edges, r.x0) for r in rows]
        flush = [r.x0 - edge < 3.0 for r, edge in zip(rows, edge_of, strict=True)]
        if sum(not f for f in flush) >= 0.15 * len(rows):
            # Hanging indent: an entry's first line starts at its column's left edge, the rest are indented. A
            # column whose few lines show no indent ("Systems." alone at its top) cannot tell where its edge
            # is: there a line starts an entry when the line before closed one and it reads like an entry start.
            shown = {edge for edge, f in zip(edge_of, flush, strict=True) if not f}
            starts = [f if edge_of[k] in shown else
                      k == 0 or (bool(_CLOSES.search(rows[k - 1].text)) and _reads_like_a_start(r.text))
                      for k, (r, f) in enumerate(zip(rows, flush, strict=True))]
        else:
            starts = _flush_starts(rows, edge_of)
    entries: list[list[Row]] = []
    for row, start in zip(rows, starts, strict=True):
        if start or not entries:
            entries.append([row])
        else:
            entries[-1].append(row)
    return [clean(join_lines(e)) for e in entries if len(join_lines(e)) > 15]


def _flush_starts(rows: list[Row], edge_of: list[float]) -> list[bool]:
    """Entry starts in a list with no marker and no indent: a row after a wider gap than the lines of an entry
    have, or after a row that closed an entry, one that starts with a surname and initials (or, in a justified
    list, any capital when that row also ended short of the column's right edge: "OpenAI. 2023.")."""
    right: dict[float, float] = {}
    for r, edge in zip(rows, edge_of, strict=True):
        right[edge] = max(right.get(edge, 0.0), r.x1)
    # Justified when most lines reach the right edge; a list of two or three lines cannot tell.
    full = sum(1 for r, e in zip(rows, edge_of, strict=True) if right[e] - r.x1 < 3.0)
    justified = full >= max(3, 0.5 * len(rows))
    pitches = [b.y0 - a.y0 for a, b in zip(rows, rows[1:], strict=False) if b.page == a.page and 0 < b.y0 - a.y0]
    pitch = statistics.median(pitches) if pitches else 0.0
    starts = [True]
    for k in range(1, len(rows)):
        prev, row = rows[k - 1], rows[k]
        same_column = _same_column(prev, row) and edge_of[k] == edge_of[k - 1]
        gap = same_column and pitch > 0 and row.y0 - prev.y0 > 1.2 * pitch
        closed = bool(_CLOSES.search(prev.text))
        short = justified and right[edge_of[k - 1]] - prev.x1 > 3.0  # in a ragged list every line is short
        starts.append(gap or (closed and (bool(_AUTHOR_START.match(row.text)) or (short and row.text[0].isupper()))))
    return starts


def _reads_like_a_start(text: str) -> bool:
    """ "Dhariwal, P.; ..." or "K. He, X. Zhang, ...": authors, surname or initials first."""
    return bool(_AUTHOR_START.match(text) or _INITIALS_FIRST.match(text))


def _same_column(prev: Row, row: Row) -> bool:
    """The row follows `prev` down the same column (no page or column break between them)."""
    return row.page == prev.page and row.y0 > prev.y0 and abs(row.x0 - prev.x0) < 40


def _nearest(edges: list[float], x: float) -> float:
    return min(edges, key=lambda edge: abs(edge - x))


def _column_left_edges(rows: list[Row]) -> list[float]:
    """The left edges of the text columns the rows sit in (one or two, sometimes three)."""
    edges: list[float] = []
    for x in sorted(r.x0 for r in rows):
        if not edges or x - edges[-1] > 40:
            edges.append(x)
    return edges
