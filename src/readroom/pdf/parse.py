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
from readroom.pdf.headings import ABSTRACT as _ABSTRACT
from readroom.pdf.headings import CAPTION as _CAPTION
from readroom.pdf.headings import REFERENCES as _REFERENCES
from readroom.pdf.headings import Heading as _Heading
from readroom.pdf.headings import body_row, find_headings, outline_headings, title_rows
from readroom.pdf.headings import clean as _clean
from readroom.pdf.headings import strip_number as _strip_number
from readroom.pdf.layout import PageRows, Row, body_size, body_style, mark_furniture, page_rows
from readroom.pdf.loader import open_pdf
from readroom.structure import Caption, ParsedPaper, Reference, Section

Progress = Callable[[int, int], None]

_REF_MARKER = re.compile(r"^\s*(\[\d{1,3}\]|\d{1,3}\.\s)")
_HYPHEN_END = re.compile(r"[A-Za-z]-$")


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
    paper.abstract = _abstract(front, sections)
    outline = outline_headings(toc or [], rows, headings)
    if outline is not None:
        sections = _sections(rows, outline)[1]
        paper.structure_source = "outline"
    paper.sections = [s for s in sections if not _ABSTRACT.fullmatch(s.title)]
    paper.figures = _captions(rows)
    paper.references = _references(rows, headings)
    paper.authors = _metadata_authors(metadata)
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


def join_rows(rows: list[Row]) -> str:
    """Rows as paragraphs: lines of a block joined (hyphenation undone), blocks separated by blank lines."""
    paragraphs: list[str] = []
    current = ""
    last_block = None
    for row in rows:
        if row.block != last_block and current:
            paragraphs.append(current)
            current = ""
        last_block = row.block
        if not current:
            current = row.text
        elif _HYPHEN_END.search(current):
            current = _join_hyphenated(current, row.text)
        else:
            current = f"{current} {row.text}"
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _join_hyphenated(text: str, line: str) -> str:
    """'interest-' + 'ing' is one word; 'Sci-' + 'BERT' keeps its hyphen."""
    return text[:-1] + line if line[:1].islower() else text + line


def _abstract(front: str, sections: list[Section]) -> str | None:
    for section in sections[:3]:
        if _ABSTRACT.fullmatch(section.title):
            return section.text.strip() or None
    # A run-in abstract ("Abstract. We study..." / "Abstract—We ...") sits in the front matter.
    for paragraph in front.split("\n\n"):
        m = _ABSTRACT.match(paragraph)
        if m and len(paragraph) > m.end() + 40:
            return paragraph[m.end():].strip()
    return None


# ------------------------------------------------------------------------------------------- captions


def _captions(rows: list[Row]) -> list[Caption]:
    found: dict[str, Caption] = {}
    by_block: dict[int, list[Row]] = {}
    for row in rows:
        by_block.setdefault(row.block, []).append(row)
    for block_rows in by_block.values():
        first = block_rows[0]
        m = _CAPTION.match(first.text)
        if not m or not first.first_in_block:
            continue
        kind = "table" if m["kind"].lower() == "table" else "figure"
        label = f"{'Table' if kind == 'table' else 'Figure'} {m['num'].rstrip('.')}"
        if label in found:
            continue
        found[label] = Caption(kind, label, _clean(join_rows(block_rows)), first.page)
    return sorted(found.values(), key=lambda c: (c.kind, _label_order(c.label)))


def _label_order(label: str) -> tuple[int, str]:
    tail = label.split()[-1]
    return (int(tail), "") if tail.isdigit() else (10_000, tail)


# ------------------------------------------------------------------------------------------- references


def _references(rows: list[Row], headings: list[_Heading]) -> list[Reference]:
    start = next((i for i, h in enumerate(headings) if _REFERENCES.match(_strip_number(h.title))), None)
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
    return [_clean(_join_lines(e)) for e in entries if len(_join_lines(e)) > 15]


def _column_left_edges(rows: list[Row]) -> list[float]:
    """The left edges of the text columns the rows sit in (one or two, sometimes three)."""
    edges: list[float] = []
    for x in sorted(r.x0 for r in rows):
        if not edges or x - edges[-1] > 40:
            edges.append(x)
    return edges


def _join_lines(rows: list[Row]) -> str:
    text = ""
    for row in rows:
        if _HYPHEN_END.search(text):
            text = _join_hyphenated(text, row.text)
        else:
            text = f"{text} {row.text}" if text else row.text
    return text


