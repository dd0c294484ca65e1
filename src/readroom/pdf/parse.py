"""Recover a paper's structure from its PDF: title, abstract, outline, captions, references, section text.

The sections come from the PDF's own bookmark outline when it has one that agrees with the printed headings
(`_outline_headings`); otherwise, and for everything else, from the page layout.

Headings come from font statistics rather than a layout model: the body size is the size of most
characters, and a heading is a short row that starts a block, set larger than the body or in bold, and
(when the paper numbers its sections) carries a section number. This costs a few milliseconds a page,
where pymupdf4llm's layout model costs ~0.3 s a page and ~500 MB (see benchmarks/bench_parse.py).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from readroom.errors import PdfUnreadable
from readroom.pdf.abstract import ABSTRACT as _ABSTRACT
from readroom.pdf.abstract import find_abstract
from readroom.pdf.captions import CAPTION as _CAPTION
from readroom.pdf.captions import find_captions
from readroom.pdf.layout import PageRows, Row, body_size, mark_furniture, page_rows
from readroom.pdf.loader import open_pdf
from readroom.pdf.references import find_references
from readroom.pdf.text import clean as _clean
from readroom.pdf.text import join_rows
from readroom.structure import ParsedPaper, Section

Progress = Callable[[int, int], None]

_NUMBER = re.compile(r"^(?P<num>(?:\d{1,2}(?:\.\d{1,2}){0,3}|[A-H](?:\.\d{1,2}){0,3}|[IVX]{1,5}))(?P<dot>\.?)\s+(?P<title>\S.*)$")
_UNNUMBERED = re.compile(
    r"^(abstract|introduction|background|related work|conclusions?|discussion|limitations|"
    r"acknowledge?ments?|references|bibliography|appendix|appendices|supplementary material|"
    r"ethics statement|broader impact|future work|summary)\b",
    re.IGNORECASE,
)


@dataclass
class _Heading:
    row: Row
    title: str
    level: int
    numbered: bool
    continued: tuple[Row, ...] = ()  # rows a long heading wraps onto


def parse_pdf(path: Path, progress: Progress | None = None) -> ParsedPaper:
    """Parse the PDF at `path`. Raises PdfUnreadable for files with no usable text."""
    doc = open_pdf(path)
    try:
        pages: list[PageRows] = []
        block = 0
        for index, page in enumerate(doc):
            rows = page_rows(page, index + 1, block)
            block = (rows.rows[-1].block + 1) if rows.rows else block
            pages.append(rows)
            if progress:
                progress(index + 1, doc.page_count)
        metadata = doc.metadata or {}
        toc = doc.get_toc(simple=True)
        repaired = doc.is_repaired
    except PdfUnreadable:
        raise
    except Exception as exc:  # a truncated file often opens and then fails on a later page
        raise PdfUnreadable(f"{path.name} is damaged: {str(exc).strip()[:120] or exc.__class__.__name__}.") from exc
    finally:
        doc.close()
    empty_pages = sum(1 for p in pages if sum(len(r.text) for r in p.rows) < 50)
    if empty_pages > len(pages) / 2:
        if repaired:  # MuPDF had to rebuild the file's index: it is cut short or corrupt
            raise PdfUnreadable(f"{path.name} is damaged (a truncated download?): most pages have no readable text.")
        raise PdfUnreadable(f"{path.name} has no text layer (a scan?): readroom cannot find its structure.")
    return structure_from_rows(pages, metadata, toc)


def structure_from_rows(pages: list[PageRows], metadata: dict, toc: list | None = None) -> ParsedPaper:
    """The structure of the rows; `toc` is the PDF's outline as `doc.get_toc(simple=True)` gives it."""
    body = body_size(pages)
    mark_furniture(pages, body)
    rows = [r for p in pages for r in p.rows if not r.skip]
    title_rows = _title_rows(pages[0], body)
    title = " ".join(r.text for r in title_rows) or _metadata_title(metadata)
    headings = _headings(rows, body, {id(r) for r in title_rows})
    front, sections = _sections(rows, headings)
    paper = ParsedPaper(page_count=len(pages), title=_clean(title) if title else None)
    paper.abstract = find_abstract(rows, [h.row for h in headings], title_rows, front, sections)
    outline = _outline_headings(toc or [], rows, headings)
    if outline is not None:
        sections = _sections(rows, outline)[1]
        paper.structure_source = "outline"
    paper.sections = [s for s in sections if not _ABSTRACT.fullmatch(s.title)]
    paper.figures = find_captions(rows)
    paper.references = find_references(rows, headings)
    paper.authors = _metadata_authors(metadata)
    paper.year = _metadata_year(metadata)
    return paper


# ------------------------------------------------------------------------------------------- title


def _title_rows(first: PageRows, body: float) -> list[Row]:
    """The largest text in the top half of page 1, with the rows that continue it."""
    candidates = [r for r in first.rows if not r.skip and r.y0 < first.height * 0.5 and len(r.text) > 3
                  and not _ABSTRACT.fullmatch(r.text)]
    if not candidates:
        return []
    top = max(r.size for r in candidates)
    if top < body + 1.5:
        return []
    start = next(i for i, r in enumerate(candidates) if r.size == top)
    rows = [candidates[start]]
    for row in candidates[start + 1:]:
        if abs(row.size - top) <= 0.5 and row.y0 - rows[-1].y1 < top * 1.2:
            rows.append(row)
        else:
            break
    return rows[:4]


def _metadata_title(metadata: dict) -> str | None:
    title = (metadata.get("title") or "").strip()
    if not title or re.match(r"(untitled|microsoft word|arxiv|.*\.(pdf|docx?|tex|dvi)$)", title, re.I):
        return None
    return title


def _metadata_authors(metadata: dict) -> list[str]:
    raw = (metadata.get("author") or "").strip()
    if not raw:
        return []
    parts = re.split(r"\s*;\s*|\s*,\s*(?:and\s+)?|\s+and\s+", raw)
    return [p.strip() for p in parts if p.strip()]


def _metadata_year(metadata: dict) -> int | None:
    m = re.match(r"D:(\d{4})", metadata.get("creationDate") or "")
    return int(m[1]) if m and 1900 < int(m[1]) < 2100 else None


# ------------------------------------------------------------------------------------------- headings


def _headings(rows: list[Row], body: float, title_ids: set[int]) -> list[_Heading]:
    candidates: list[_Heading] = []
    for index, row in enumerate(rows):
        if id(row) in title_ids or not row.first_in_block:
            continue
        heading = _as_heading(row, body)
        if heading:
            heading.continued = _continuation(rows, index)
            if heading.continued:
                heading.title = " ".join([heading.title, *(r.text for r in heading.continued)])
            candidates.append(heading)
    candidates = _drop_front_matter(candidates)
    numbered = [h for h in candidates if h.numbered]
    if len(numbered) >= 3:
        # A paper that numbers its sections: unnumbered rows are headings only when they are the usual
        # unnumbered ones (Abstract, References, Acknowledgements...), or set like the numbered ones.
        styles = {(h.row.size, h.row.bold) for h in numbered}
        candidates = [h for h in candidates if h.numbered or _UNNUMBERED.match(h.title)
                      or ((h.row.size, h.row.bold) in styles and h.row.size > body + 0.4)]
        candidates = _drop_number_outliers(candidates)
    _assign_unnumbered_levels(candidates, body)
    return candidates


def _continuation(rows: list[Row], index: int) -> tuple[Row, ...]:
    """The rows a heading wraps onto: same block, same font, close below."""
    head = rows[index]
    more: list[Row] = []
    for row in rows[index + 1:index + 3]:
        last = more[-1] if more else head
        if (row.block != head.block or row.size != head.size or row.bold != head.bold
                or row.y0 - last.y1 > head.height or len(row.text) > 80):
            break
        more.append(row)
    return tuple(more)


def _drop_front_matter(headings: list[_Heading]) -> list[_Heading]:
    """Author names and affiliations set in bold above the abstract are not headings."""
    anchor = next((i for i, h in enumerate(headings) if h.numbered or _UNNUMBERED.match(h.title)), None)
    if anchor is None:
        return headings
    return [h for i, h in enumerate(headings) if i >= anchor or h.row.page > 1]


def _as_heading(row: Row, body: float) -> _Heading | None:
    text = row.text.strip()
    words = text.split()
    if not 1 <= len(words) <= 14 or len(text) > 110 or len(text) < 3:
        return None
    larger = row.size >= body + 0.9
    if not (larger or (row.bold and row.size >= body - 0.6)):
        return None
    if _CAPTION.match(text) or not any(c.isalpha() for c in text):
        return None
    if text.endswith((",", ";", "-", "–")) or (text.endswith(".") and not _ABSTRACT.fullmatch(text)
                                                and not re.search(r"\.\s*$", words[0]) and len(words) > 6):
        return None
    m = _NUMBER.match(text)
    if m and _plausible_number(m["num"], m["title"]):
        title = m["title"].strip()
        level = m["num"].count(".") + 1
        return _Heading(row, f"{m['num']}{m['dot']} {title}", min(level, 3), True)
    if text[0].islower() or not text[0].isalpha():
        return None
    if len(words) > 10 and not larger:
        return None
    return _Heading(row, text, 0, False)


def _plausible_number(num: str, title: str) -> bool:
    if not title[0].isalpha() or title[0].islower():
        return False
    if num.isdigit():
        return 0 < int(num) <= 30
    return True


def _drop_number_outliers(headings: list[_Heading]) -> list[_Heading]:
    """Drop 'numbered headings' whose number breaks the sequence, e.g. a bold list item '2 GPUs' in section 5."""
    kept: list[_Heading] = []
    last_top = 0
    for h in headings:
        if h.numbered:
            top = h.title.split()[0].rstrip(".").split(".")[0]
            if top.isdigit():
                value = int(top)
                if value < last_top or value > last_top + 2:
                    continue
                last_top = value
        kept.append(h)
    return kept


def _assign_unnumbered_levels(headings: list[_Heading], body: float) -> None:
    """Unnumbered headings get levels by their style: larger before smaller, bold before plain."""
    numbered_styles: dict[tuple[float, bool], int] = {}
    for h in headings:
        if h.numbered:
            numbered_styles.setdefault((h.row.size, h.row.bold), h.level)
    styles = sorted({(h.row.size, h.row.bold) for h in headings if not h.numbered}, reverse=True)
    rank = {style: min(i + 1, 3) for i, style in enumerate(styles)}
    for h in headings:
        if not h.numbered:
            h.level = numbered_styles.get((h.row.size, h.row.bold)) or rank[(h.row.size, h.row.bold)]
            if _UNNUMBERED.match(h.title) and numbered_styles:  # "References" beside numbered sections
                h.level = 1


# ------------------------------------------------------------------------------------------- outline

# Outline entries that name a part of the page rather than a section: a publisher's "Title/Abstract/References"
# bookmarks, or bookmarks to figures.
_NOT_A_SECTION = re.compile(r"^(title|abstract|references|bibliography|front matter|cover)\s*$", re.IGNORECASE)


def _outline_headings(toc: list, rows: list[Row], layout: list[_Heading]) -> list[_Heading] | None:
    """The headings the outline names, found on their pages, or None when the outline is absent or does not
    agree with the printed page: most entries must be found as a line on (or next to) their page, with the
    level the printed section number implies. Unnumbered headings the layout found and the outline lacks
    (References, Acknowledgements, ...) are kept at level 1."""
    entries = [(int(e[0]), _clean(str(e[1])), int(e[2])) for e in toc]
    levels = [level for level, _, _ in entries]
    if len(entries) < 2 or levels[0] != 1 or any(b > a + 1 for a, b in itertools.pairwise(levels)):
        return None
    if sum(1 for _, title, _ in entries if not (_NOT_A_SECTION.match(title) or _CAPTION.match(title))) < 2:
        return None
    found: list[_Heading] = []
    misleveled = 0
    start = 0
    for level, title, page in entries:
        match = _find_heading(rows, start, title, page)
        if match is None:
            continue
        index, used = match
        row = rows[index]
        m = _NUMBER.match(row.text)
        numbered = bool(m and _plausible_number(m["num"], m["title"]) and not _NUMBER.match(title))
        if numbered and m:
            misleveled += (m["num"].count(".") + 1) != level
            title = f"{m['num']}{m['dot']} {title}"
        found.append(_Heading(row, title, min(level, 3), numbered, tuple(rows[index + 1:index + used])))
        start = index + used
    if len(found) < 0.8 * len(entries) or misleveled > 0.2 * len(found):
        return None
    taken = {id(h.row) for h in found} | {id(r) for h in found for r in h.continued}
    names = {_key(h.title) for h in found}
    extra = [h for h in layout if not h.numbered and h.level == 1 and id(h.row) not in taken
             and _key(h.title) not in names]
    order = {id(r): i for i, r in enumerate(rows)}
    return sorted(found + extra, key=lambda h: order[id(h.row)])


def _find_heading(rows: list[Row], start: int, title: str, page: int) -> tuple[int, int] | None:
    """(index, rows used) of the first line from `start` on pages page-1..page+1 that reads `title`, the line
    alone or wrapped onto the next one or two lines of its block; a section number before it is allowed."""
    want = _key(title)
    if not want:
        return None
    for index in range(start, len(rows)):
        row = rows[index]
        if row.page > page + 1:
            break
        if row.page < page - 1:
            continue
        text = ""
        for used, part in enumerate(rows[index:index + 3], 1):
            if used > 1 and part.block != row.block:
                break
            text = f"{text} {part.text}" if text else part.text
            got = _key(text)
            if got == want:
                return index, used
            if not want.startswith(got):
                break
    return None


def _key(title: str) -> str:
    """A heading as compared with an outline entry: its number, case, spacing and punctuation left out."""
    m = _NUMBER.match(title.strip())
    if m and _plausible_number(m["num"], m["title"]):
        title = m["title"]
    return "".join(c for c in title.lower() if c.isalnum())


# ------------------------------------------------------------------------------------------- text


def _sections(rows: list[Row], headings: list[_Heading]) -> tuple[str, list[Section]]:
    """The text before the first heading, and each section with the text up to the next heading."""
    starts = {id(h.row): h for h in headings}
    wrapped = {id(r) for h in headings for r in h.continued}
    front: list[Row] = []
    sections: list[tuple[Section, list[Row]]] = []
    for row in rows:
        if id(row) in wrapped:
            continue
        heading = starts.get(id(row))
        if heading:
            sections.append((Section(_clean(heading.title), heading.level, row.page), []))
        elif sections:
            sections[-1][1].append(row)
        else:
            front.append(row)
    result = []
    for section, body_rows in sections:
        section.text = join_rows(body_rows)
        result.append(section)
    return join_rows(front), result
