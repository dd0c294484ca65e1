"""From PyMuPDF's text dictionary to rows of text with their font, in reading order.

A *row* is what a reader sees as one line: PyMuPDF often splits a line into several (a section number and
its title, a word set in another font), so lines of one block that share a baseline are merged. Running
headers, page numbers and footnotes are marked so the structure pass can skip them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

BOLD_FLAG = 16  # PyMuPDF span flag for a bold font
TEXT_FLAGS = 2 | 64 | 128  # TEXT_PRESERVE_WHITESPACE | TEXT_MEDIABOX_CLIP | TEXT_CID_FOR_UNKNOWN_UNICODE
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|medi|[-,]b\b|\.b\b|-sb\b|cmbx", re.IGNORECASE)
# A page number in a running header stands as a word of its own ("Page 3", "12 A. Author"); digits inside
# words ("arXiv:0806.8730v3, 2006.") are text, or every citation line at a page top would look like a header.
_PAGE_NUMBER_WORD = re.compile(r"(?<!\S)[-–(]?\d{1,4}[-–)]?(?!\S)")
# "ABCDEF+CMBX10" -> "CMBX": the subset tag and the optical size say nothing about the style (CMR9 is CMR10's face).
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_OPTICAL_SIZE = re.compile(r"\d+$")
_CELL_GAP = 1.0  # ems between two lines on one baseline that make them two cells (a word space is a third of one)


@dataclass
class Row:
    text: str
    page: int  # 1-based
    block: int  # running block number over the whole document
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # font size of most of the row's characters, rounded to 0.5 pt
    bold: bool  # most characters bold
    first_in_block: bool = False
    last_in_block: bool = False
    skip: bool = False  # header, footer, page number or footnote
    spans: list[tuple[str, float, bool]] = field(default_factory=list, repr=False)
    span_fonts: list[str] = field(default_factory=list, repr=False)  # font family of each span
    font: str = ""  # font family of most of the row's characters
    cap_size: float = 0.0  # largest size of its letters: small caps set "INTRODUCTION" with a larger "I"
    cells: int = 1  # pieces set a wide gap apart on the baseline: a table's row has several, running text one

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class PageRows:
    number: int
    width: float
    height: float
    rows: list[Row]


def _is_bold(span: dict[str, Any]) -> bool:
    return bool(span["flags"] & BOLD_FLAG) or bool(_BOLD_NAME.search(span["font"]))


def font_family(name: str) -> str:
    return _OPTICAL_SIZE.sub("", _SUBSET.sub("", name))


def _round_size(size: float) -> float:
    return round(size * 2) / 2


def page_rows(page: Any, page_number: int, first_block: int) -> PageRows:
    """Rows of one page in the PDF's own content order (which for LaTeX output is the reading order)."""
    # PyMuPDF's dict flags without images and with ligatures expanded ("ﬁ" -> "fi").
    data = page.get_text("dict", flags=TEXT_FLAGS)
    rows: list[Row] = []
    block_no = first_block
    for block in data["blocks"]:
        if block.get("type", 0) != 0:
            continue
        block_rows: list[Row] = []
        for line in block["lines"]:
            spans = line["spans"]  # word spaces may be spans of their own: keep them
            if not any(s["text"].strip() for s in spans):
                continue
            if abs(line["dir"][1]) > 0.2:  # rotated text (arXiv stamp in the margin, axis labels)
                continue
            x0, y0, x1, y1 = line["bbox"]
            current = block_rows[-1] if block_rows else None
            if current is not None and _same_baseline(current, y0, y1) and x0 >= current.x1 - 1:
                _extend(current, spans, x0, x1, y0, y1)
            else:
                row = Row("", page_number, block_no, x0, y0, x1, y1, 0.0, False)
                _extend(row, spans, x0, x1, y0, y1)
                block_rows.append(row)
        if block_rows:
            block_rows[0].first_in_block = True
            block_rows[-1].last_in_block = True
            rows.extend(block_rows)
            block_no += 1
    for row in rows:
        _settle_font(row)
    return PageRows(page_number, data["width"], data["height"], rows)


def _same_baseline(row: Row, y0: float, y1: float) -> bool:
    return abs(row.y1 - y1) < 2.0 or (min(row.y1, y1) - max(row.y0, y0)) > 0.6 * min(row.height, y1 - y0)


def _extend(row: Row, spans: list[dict[str, Any]], x0: float, x1: float, y0: float, y1: float) -> None:
    text = "".join(s["text"] for s in spans)
    if row.text:
        gap = x0 - row.x1
        if gap > _CELL_GAP * max((s["size"] for s in spans), default=0.0):
            row.cells += 1
        row.text = row.text.rstrip() + (" " if gap > 1.0 else "") + text.lstrip()
    else:
        row.text = text
    row.text = " ".join(row.text.split())
    row.x0, row.x1 = min(row.x0, x0), max(row.x1, x1)
    row.y0, row.y1 = min(row.y0, y0), max(row.y1, y1)
    row.spans.extend((s["text"], s["size"], _is_bold(s)) for s in spans)
    row.span_fonts.extend(font_family(s["font"]) for s in spans)


def _settle_font(row: Row) -> None:
    sizes: Counter[float] = Counter()
    fonts: Counter[str] = Counter()
    bold = 0
    total = 0
    for (text, size, is_bold), font in zip(row.spans, row.span_fonts, strict=True):
        n = len(text.strip())
        sizes[_round_size(size)] += n
        fonts[font] += n
        total += n
        bold += n if is_bold else 0
        if any(c.isalpha() for c in text):
            row.cap_size = max(row.cap_size, _round_size(size))
    row.size = sizes.most_common(1)[0][0] if sizes else 0.0
    row.font = fonts.most_common(1)[0][0] if fonts else ""
    row.bold = total > 0 and bold / total > 0.6


def body_size(pages: list[PageRows]) -> float:
    """The font size of most characters: the body text."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for row in page.rows:
            sizes[row.size] += len(row.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


@dataclass(frozen=True)
class BodyStyle:
    """How the running text is set; a heading is a row set otherwise."""

    size: float
    font: str  # font family of most body-size characters
    bold: bool  # the body font itself counts as bold (a "Medium" weight, a wrong flag): bold then marks nothing


def body_style(pages: list[PageRows], size: float) -> BodyStyle:
    fonts: Counter[str] = Counter()
    bold = total = 0
    for page in pages:
        for row in page.rows:
            if row.size == size:
                fonts[row.font] += len(row.text)
                total += len(row.text)
                bold += len(row.text) if row.bold else 0
    font = fonts.most_common(1)[0][0] if fonts else ""
    return BodyStyle(size, font, total > 0 and bold / total > 0.5)


def mark_furniture(pages: list[PageRows], body: float) -> None:
    """Mark page numbers, running headers/footers and footnotes, which are not part of the text flow."""
    margin_texts: Counter[str] = Counter()

    def key(row: Row) -> str:
        return _PAGE_NUMBER_WORD.sub("#", row.text.lower())

    def in_margin(row: Row, page: PageRows) -> bool:
        return row.y1 < page.height * 0.08 or row.y0 > page.height * 0.92

    for page in pages:
        for k in {key(r) for r in page.rows if in_margin(r, page)}:
            margin_texts[k] += 1
    repeated = {k for k, n in margin_texts.items() if n >= max(2, len(pages) // 3)}
    for page in pages:
        for row in page.rows:
            # A running header may repeat the title; the title itself is larger than the body.
            if in_margin(row, page) and row.size <= body + 1 and (key(row) in repeated or _is_page_number(row.text)):
                row.skip = True
    _mark_footnotes(pages, body)


def _mark_footnotes(pages: list[PageRows], body: float) -> None:
    """A footnote is a block of small rows opening with a mark, low on the page, with no body text under it in its
    column. A small numbered list set there (a journal's reference list) looks the same on its first page, but it
    goes on at the top of the next column or page in the same size, opening the same way (there, or after the tail
    of an entry broken at the foot): that is a list, not a footnote; so is a block right under a heading. A block
    set right under another in its size that opens the same way is what that one is: a further footnote, or more of
    the list (begun above the page's foot, or going on)."""
    for index, page in enumerate(pages):
        text = [r for r in page.rows if not r.skip]  # before any footnote is marked: the headers are out
        blocks: dict[int, list[Row]] = {}
        for row in text:
            blocks.setdefault(row.block, []).append(row)
        for rows in blocks.values():
            first = rows[0]
            if not (first.first_in_block and first.y0 > page.height * 0.6 and _starts_with_footnote_mark(first, body)):
                continue
            if any(r.size >= body - 0.4 for r in rows) or _body_below(page, rows, body):
                continue
            above = _row_above(text, first)
            if above is not None and abs(above.size - first.size) < 0.5 and (
                    above.skip or _starts_with_footnote_mark(blocks[above.block][0], body)):
                footnote = above.skip
            elif above is not None and above.size > body + 0.4:  # right under a heading: that section's text
                footnote = False
            else:
                footnote = not _goes_on_in_next_column(pages, index, rows, body)
            for row in rows:
                row.skip = footnote


def _row_above(rows: list[Row], first: Row) -> Row | None:
    return max((r for r in rows if r.y1 <= first.y0 + 1 and r.x0 < first.x1 and r.x1 > first.x0), default=None,
               key=lambda r: r.y1)


def _body_below(page: PageRows, rows: list[Row], body: float) -> bool:
    x0, x1, bottom = min(r.x0 for r in rows), max(r.x1 for r in rows), max(r.y1 for r in rows)
    return any(not r.skip and r.size >= body - 0.4 and r.y0 >= bottom and r.x0 < x1 and r.x1 > x0
               for r in page.rows)


def _goes_on_in_next_column(pages: list[PageRows], index: int, rows: list[Row], body: float) -> bool:
    """The column to the right of the rows (else the next page's first column) goes on in their size, opening
    the way they do: at its top, or after the tail of an entry broken at the foot of theirs. An entry opens a
    block, or a line set left of the one above (the entry before hangs indented)."""
    size = rows[0].size
    column = _next_column(pages, index, rows)
    openers = [r for k, r in enumerate(column) if r.first_in_block or (k > 0 and r.x0 < column[k - 1].x0 - 1)]
    for opener in openers[:2]:
        if abs(opener.size - size) >= 0.5:
            return False
        if _starts_with_footnote_mark(opener, body):
            return True
    return False


def _next_column(pages: list[PageRows], index: int, rows: list[Row]) -> list[Row]:
    """The rows of the column to the right of the rows, else of the next page's first column, top down."""
    right = [r for r in pages[index].rows if not r.skip and r.x0 >= max(r.x1 for r in rows) - 1]
    if not right and index + 1 < len(pages):
        right = [r for r in pages[index + 1].rows if not r.skip]
    if not right:
        return []
    left = min(r.x0 for r in right)
    return sorted((r for r in right if r.x0 < left + 30), key=lambda r: r.y0)


def _is_page_number(text: str) -> bool:
    return bool(re.fullmatch(r"(page\s*)?[-–]?\s*\d{1,4}\s*[-–]?(\s*(of|/)\s*\d+)?|[ivxlc]{1,6}", text.strip(), re.I))


def _starts_with_footnote_mark(row: Row, body: float) -> bool:
    if not row.spans:
        return False
    text, size, _ = row.spans[0]
    return size < body * 0.8 and bool(re.fullmatch(r"\s*(\d{1,2}|[*†‡§¶])\s*\S*.*", text)) and row.size < body - 0.4
