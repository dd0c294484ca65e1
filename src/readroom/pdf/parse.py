"""Recover a paper's structure from its PDF: title, abstract, outline, captions, references, section text.

The sections come from the PDF's own bookmark outline when it has one that agrees with the printed headings
(`_outline_headings`); otherwise, and for everything else, from the page layout.

Headings come from font statistics rather than a layout model: the body size is the size of most
characters, and a heading is a short row that starts a block, set larger than the body or in bold, and
(when the paper numbers its sections) carries a section number. This costs a few milliseconds a page,
where pymupdf4llm's layout model costs ~0.3 s a page and ~500 MB (see benchmarks/bench_parse.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from readroom.errors import PdfUnreadable
from readroom.pdf.abstract import ABSTRACT as _ABSTRACT
from readroom.pdf.abstract import find_abstract
from readroom.pdf.captions import find_captions
from readroom.pdf.front_matter import page_one_authors
from readroom.pdf.headings import Heading as _Heading
from readroom.pdf.headings import body_row, find_headings, outline_headings, title_rows
from readroom.pdf.layout import PageRows, Row, body_size, body_style, mark_furniture, page_rows
from readroom.pdf.loader import open_pdf
from readroom.pdf.references import find_references
from readroom.pdf.text import clean as _clean
from readroom.pdf.text import join_rows
from readroom.structure import ParsedPaper, Section

Progress = Callable[[int, int], None]

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
    title_at = title_rows(pages[0], body)
    title = " ".join(r.text for r in title_at) or _metadata_title(metadata)
    headings = find_headings(rows, body_style(pages, body), {id(r) for r in title_at})
    front, sections = _sections(rows, headings)
    paper = ParsedPaper(page_count=len(pages), title=_clean(title) if title else None)
    paper.abstract = find_abstract(rows, [h.row for h in headings], title_at, front, sections)
    outline = outline_headings(toc or [], rows, headings)
    if outline is not None:
        sections = _sections(rows, outline)[1]
        paper.structure_source = "outline"
    paper.sections = [s for s in sections if not _ABSTRACT.fullmatch(s.title)]
    paper.figures = find_captions(rows, body)
    paper.references = find_references(rows, headings)
    paper.authors = _authors(metadata, pages[0], page_one_authors(pages[0], title_at, {id(h.row) for h in headings}))
    paper.year = _metadata_year(metadata)
    return paper


# ------------------------------------------------------------------------------------------- title


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


def _authors(metadata: dict, first: PageRows, on_page: list[str]) -> list[str]:
    """The Author field when page 1 prints each of its names (the authors' own spelling), else the names page 1
    shows, else the field as it is."""
    listed = _metadata_authors(metadata)
    printed = " ".join(" ".join(r.text for r in first.rows).split()).casefold()
    if listed and all(name.casefold() in printed for name in listed):
        return listed
    return on_page or listed


def _metadata_year(metadata: dict) -> int | None:
    m = re.match(r"D:(\d{4})", metadata.get("creationDate") or "")
    return int(m[1]) if m and 1900 < int(m[1]) < 2100 else None


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
            if heading.run_in:
                sections[-1][1].append(body_row(row, heading.run_in))
        elif sections:
            sections[-1][1].append(row)
        else:
            front.append(row)
    result = []
    for section, body_rows in sections:
        section.text = join_rows(body_rows)
        result.append(section)
    return join_rows(front), result

