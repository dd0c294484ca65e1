"""Text-markup annotations a user made in a PDF viewer (highlight, underline, squiggly, strike-out), read back.

The marked text is not stored in the annotation: it is the page's words that lie under the annotation's quad
points (one quadrilateral per marked line), so that is what we collect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from readroom.pdf.layout import TEXT_FLAGS
from readroom.pdf.loader import open_pdf

KINDS = {8: "highlight", 9: "underline", 10: "squiggly", 11: "strikeout"}  # PDF_ANNOT_* values
MIN_OVERLAP = 0.5  # share of a word's box under a quad for the word to count as marked


@dataclass(frozen=True)
class PdfAnnotation:
    key: str  # page + the annotation's /NM id (or its xref): stable across re-imports, for dedup
    page: int  # 1-based
    kind: str
    text: str
    color: str | None  # "#rrggbb"
    note: str  # the annotation's pop-up text
    section: str | None = None
    place: tuple[int, float] = (0, 0.0)  # (column, y) of the first marked line: reading order on the page


def read_annotations(path: Path, sections: Sequence[tuple[str, int]] = ()) -> list[PdfAnnotation]:
    """Every text-markup annotation in the PDF, in reading order; `sections` are the paper's parsed (title,
    page) pairs, in order, used to say which section each annotation falls in."""
    doc = open_pdf(path)
    try:
        found = []
        for page in doc:
            annots = [a for a in page.annots(types=list(KINDS))]
            if not annots:
                continue
            words = page.get_text("words", sort=True, flags=TEXT_FLAGS)  # same text as the parse: "ﬁ" -> "fi"
            heads = _section_heads(page, sections)
            for annot in annots:
                quads = _quads(annot.vertices or [])
                first = min(quads, key=lambda q: (q[1], q[0]), default=tuple(annot.rect))
                place = _place(page, first[0], first[1])
                found.append(PdfAnnotation(
                    key=_key(page.number + 1, annot),
                    page=page.number + 1,
                    kind=KINDS[annot.type[0]],
                    text=_text_under(words, quads),
                    color=_hex(annot.colors.get("stroke")),
                    note=(annot.info.get("content") or "").strip(),
                    section=_section_at(heads, page.number + 1, place, sections),
                    place=place,
                ))
        return sorted(found, key=lambda a: (a.page, a.place))
    finally:
        doc.close()


def _key(page: int, annot) -> str:
    # The /NM name survives a viewer rewriting the file (xrefs may be renumbered); not every viewer writes one.
    name = (annot.info.get("id") or "").strip()
    return (f"{page}:{name}" if name else f"{page}:xref{annot.xref}")[:64]


def _quads(vertices: list) -> list[tuple[float, float, float, float]]:
    """Quad points (4 per marked line) as boxes (x0, y0, x1, y1)."""
    boxes = []
    for i in range(0, len(vertices) - 3, 4):
        xs = [p[0] for p in vertices[i:i + 4]]
        ys = [p[1] for p in vertices[i:i + 4]]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _text_under(words: list, quads: list[tuple[float, float, float, float]]) -> str:
    picked: list[str] = []
    seen: set[tuple[int, int, int]] = set()
    for qx0, qy0, qx1, qy1 in quads:
        for x0, y0, x1, y1, word, block, line, number in words:
            area = max(1e-6, (x1 - x0) * (y1 - y0))
            overlap = max(0.0, min(x1, qx1) - max(x0, qx0)) * max(0.0, min(y1, qy1) - max(y0, qy0))
            if overlap / area >= MIN_OVERLAP and (block, line, number) not in seen:
                seen.add((block, line, number))
                picked.append(word)
    return _join_hyphens(" ".join(picked))


def _join_hyphens(text: str) -> str:
    # A word broken at a line end ("train- ing") reads as one again.
    import re

    return re.sub(r"(\w)- (\w)", r"\1\2", text)


def _hex(rgb) -> str | None:
    if not rgb or len(rgb) < 3:
        return None
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb[:3])


def _place(page, x: float, y: float) -> tuple[int, float]:
    """Where a point is in reading order: its column (left or right half, for two-column papers), then y."""
    return (int(x >= page.rect.width / 2), y)


def _section_heads(page, sections) -> list[tuple[tuple[int, float], str]]:
    """(place, title) of the sections that start on this page, where their heading can be found on it."""
    heads = []
    for title, start in sections:
        if start == page.number + 1 and (hits := page.search_for(title[:60])):
            heads.append((_place(page, hits[0].x0, hits[0].y0), title))
    return sorted(heads)


def _section_at(heads: list[tuple[tuple[int, float], str]], page: int, place: tuple[int, float],
                sections) -> str | None:
    """The section a mark at `place` on `page` falls in: the last heading before it on the page, else the last
    section that started on an earlier page (or on this page, when its heading could not be found)."""
    above = [title for (column, y), title in heads if (column, y - 1) <= place]
    if above:
        return above[-1]
    placed = {title for _, title in heads}
    before = [title for title, start in sections if start < page or (start == page and title not in placed)]
    return before[-1] if before else None
