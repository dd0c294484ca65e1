"""The region of its page each captioned figure and table occupies, rendered to PNG.

A figure is the PDF's graphics (image placements and clusters of vector drawings) next to its caption: above it,
as nearly every style sets figures, else below; with the text set inside or just beside the art (axis labels,
legends). A table is the rules and rows below its caption (else above): its horizontal rules when it has them
(booktabs), else the rows of several cells that follow the caption. Pages come from the structure (the PDF's
or arXiv's HTML), the caption is found again on its page by its label, so one code path serves both sources.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readroom.pdf.loader import open_pdf, pymupdf
from readroom.structure import Caption

DPI = 150
MAX_WIDTH = 1200  # px: wider regions are rendered at a lower resolution
_PAD = 3.0  # pt around the region, so strokes on its edge are not cut
_NEAR = 60.0  # pt: the most a figure's art stands away from its caption (sub-captions sit between)
_JOIN = 18.0  # pt: pieces of art this close belong to one figure
_BESIDE = (12.0, 4.0)  # pt: text this close to the art (x, y) is its labels
_WORD = re.compile(r"[^a-z0-9]+")
_ANY_LABEL = re.compile(r"^\s*(?:fig(?:ure|\.)?|tab(?:le|\.))\s*[A-Z]?\d+(?![\w])", re.IGNORECASE)


@dataclass
class Region:
    page: int  # 1-based
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class _Page:
    rect: Any
    art: list[Any]  # rects of images and drawing clusters
    rules: list[Any]  # thin drawings: table rules
    lines: list[tuple[Any, str, int]]  # (bbox, text, block number)
    blocks: list[tuple[Any, str, int]]
    stops: list[Any]  # blocks opening with a label: captions (and text citing one), where a figure ends


def extract_figures(pdf: Path, captions: list[Caption], folder: Path) -> list[str | None]:
    """Render each caption's region into `folder` (made if needed) as a PNG; the file name of each, or None where
    no region was found."""
    doc = open_pdf(pdf)
    try:
        names: list[str | None] = []
        for index, (caption, region) in enumerate(zip(captions, figure_regions(doc, captions), strict=True)):
            if region is None:
                names.append(None)
                continue
            name = image_name(index, caption)
            folder.mkdir(parents=True, exist_ok=True)
            _write(folder / name, render(doc, region))
            names.append(name)
        return names
    finally:
        doc.close()


def image_name(index: int, caption: Caption) -> str:
    """The file name of the `index`th caption's image: its position first, as HTML labels need not be unique."""
    return f"{index + 1:02d}-{_WORD.sub('-', caption.label.casefold()).strip('-') or caption.kind}.png"


def render(doc: Any, region: Region) -> bytes:
    """The region as PNG bytes, at DPI or narrower so it is at most MAX_WIDTH pixels wide."""
    fitz = pymupdf()
    clip = fitz.Rect(region.x0, region.y0, region.x1, region.y1)
    dpi = min(DPI, MAX_WIDTH * 72 / max(clip.width, 1.0))
    pix = doc[region.page - 1].get_pixmap(clip=clip, dpi=max(int(dpi), 24), alpha=False)
    return pix.tobytes("png")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def figure_regions(doc: Any, captions: list[Caption]) -> list[Region | None]:
    """Where on its page each caption's figure or table stands; None when its caption or art is not found."""
    pages: dict[int, _Page] = {}
    found: list[Region | None] = []
    for caption in captions:
        if not 1 <= caption.page <= doc.page_count:
            found.append(None)
            continue
        page = pages.get(caption.page) or pages.setdefault(caption.page, _read_page(doc[caption.page - 1]))
        at = _caption_block(page, caption)
        if at is None:
            found.append(None)
            continue
        box, block = at
        if caption.kind == "table":
            rect = _table(page, box, block, below=True) or _table(page, box, block, below=False)
        else:
            rect = _figure(page, box, block, above=True) or _figure(page, box, block, above=False)
        if rect is None:
            found.append(None)
            continue
        rect = (rect + (-_PAD, -_PAD, _PAD, _PAD)) & page.rect
        found.append(Region(caption.page, rect.x0, rect.y0, rect.x1, rect.y1))
    return found


def _read_page(page: Any) -> _Page:
    fitz = pymupdf()
    area = abs(page.rect)
    art, rules = [], []
    for info in page.get_image_info():  # the bbox log misses images get_image_info has (pmlr208-kim23a)
        rect = fitz.Rect(info["bbox"]) & page.rect
        if not rect.is_empty and abs(rect) < 0.9 * area:  # a page-sized image is a scan or a background
            art.append(rect)
    # The drawings' boxes from the bbox log: plain tuples, a third faster than get_drawings' path objects.
    paths = [bbox for kind, bbox in page.get_bboxlog() if kind in ("fill-path", "stroke-path")]
    # Clusters of drawings are the art, the lone thin ones (a table's rules) are not.
    for bbox in _clusters(paths):
        rect = _on_page(fitz.Rect(bbox), page.rect)
        if rect is not None and 3 <= min(rect.width, rect.height) and abs(rect) < 0.9 * area:
            art.append(rect)
    for x0, y0, x1, y1 in paths:  # a table's rules: across (a plot's thousands of strokes are Rects only here)
        if y1 - y0 < 3 <= x1 - x0 and (rect := _on_page(fitz.Rect(x0, y0, x1, y1), page.rect)):
            rules.append(rect)
    lines, blocks = [], []
    for block in page.get_text("dict", flags=0)["blocks"]:
        texts = []
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"]).strip()
            if text:
                lines.append((fitz.Rect(line["bbox"]), text, block["number"]))
                texts.append(text)
        if texts:
            blocks.append((fitz.Rect(block["bbox"]), " ".join(texts), block["number"]))
    stops = [box for box, text, _number in blocks if _ANY_LABEL.match(text)]
    return _Page(page.rect, art, rules, lines, blocks, stops)


def _clusters(boxes: list[tuple[float, float, float, float]], tol: float = 3.0) -> list[list[float]]:
    """The bounding boxes of the groups of `boxes` that stand within `tol` of each other, as PyMuPDF's
    cluster_drawings joins them; by sweeps over plain tuples, as that one compares Rect objects pair by pair
    (0.7 s on a plot of 7,000 strokes). A group's growth can reach one the sweep had passed: sweep the groups again
    until none join."""
    groups = [list(box) for box in boxes]
    while len(joined := _sweep(groups, tol)) < len(groups):
        groups = joined
    return [g for g in joined if g[2] - g[0] > tol and g[3] - g[1] > tol]


def _sweep(boxes: list[list[float]], tol: float) -> list[list[float]]:
    """One pass from the top: each box joins the open groups it comes within `tol` of; a group the pass has left
    behind takes no later box."""
    done: list[list[float]] = []
    open_: list[list[float]] = []
    for x0, y0, x1, y1 in sorted(boxes, key=lambda b: b[1]):
        group = [x0, y0, x1, y1]
        merged = True
        while merged:
            merged, rest = False, []
            for other in open_:
                if other[3] + tol < y0:
                    done.append(other)
                elif other[0] - tol <= group[2] and group[0] <= other[2] + tol:  # open: it reaches this row
                    group = [min(group[0], other[0]), min(group[1], other[1]), max(group[2], other[2]),
                             max(group[3], other[3])]
                    merged = True
                else:
                    rest.append(other)
            open_ = rest
        open_.append(group)
    return done + open_


def _on_page(rect: Any, page: Any) -> Any | None:
    """`rect` cut to the page, or None off it (`&` would empty a rule, which has no height)."""
    rect.x0, rect.y0, rect.x1, rect.y1 = max(rect.x0, page.x0), max(rect.y0, page.y0), min(rect.x1, page.x1), min(
        rect.y1, page.y1)
    return None if rect.x0 > rect.x1 or rect.y0 > rect.y1 else rect


def _caption_block(page: _Page, caption: Caption) -> tuple[Any, int] | None:
    """The caption's block on its page: the block opening with its label, one followed by punctuation first (a
    paragraph may open with "Figure 3 shows")."""
    number = re.escape(caption.label.split()[-1])
    kind = r"tab(?:le|\.)" if caption.kind == "table" else r"fig(?:ure|\.)?"
    label = re.compile(rf"^\s*{kind}\s*{number}(?![\w])(?P<punct>\s*[:.|—–])?", re.IGNORECASE)
    matches = [(m["punct"] is None, (box, number)) for box, text, number in page.blocks if (m := label.match(text))]
    return min(matches, key=lambda m: m[0])[1] if matches else None


def _overlaps(a: Any, b: Any) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def _band(page: _Page, caption: Any, *, after: bool) -> tuple[float, float]:
    """The stretch of the page (y0, y1) on one side of the caption (`after` it, else before) up to the next
    caption there: a figure or table never reaches past another's caption."""
    if after:
        return caption.y1 - 3, min((s.y0 for s in page.stops if s.y0 >= caption.y1 - 1 and _overlaps(s, caption)),
                                   default=page.rect.y1)
    return max((s.y1 for s in page.stops if s.y1 <= caption.y0 + 1 and _overlaps(s, caption)),
               default=page.rect.y0), caption.y0 + 3


def _within(rect: Any, band: tuple[float, float]) -> bool:
    return band[0] <= rect.y0 and rect.y1 <= band[1]


def _figure(page: _Page, caption: Any, block: int, *, above: bool) -> Any | None:
    """The art on the caption's side (`above` it, else below), grown from the piece nearest the caption by the
    pieces that touch it, with the text among and just beside them."""
    band = _band(page, caption, after=not above)
    side = [r for r in page.art if _overlaps(r, caption) and _within(r, band)]
    if not side:
        return None
    seed = max(side, key=lambda r: r.y1) if above else min(side, key=lambda r: r.y0)
    if (caption.y0 - seed.y1 if above else seed.y0 - caption.y1) > _NEAR:
        return None
    region = +seed
    grown = True
    while grown:
        grown = False
        for rect in side:
            near = region + (-_JOIN, -_JOIN, _JOIN, _JOIN)
            if not region.contains(rect) and near.intersects(rect):
                region |= rect
                grown = True
    beside = region + (-_BESIDE[0], -_BESIDE[1], _BESIDE[0], _BESIDE[1])
    rect = pymupdf().Rect  # the gap between art and caption holds tick labels and sub-captions
    gap = rect(region.x0, region.y1, region.x1, caption.y0) if above else rect(region.x0, caption.y1, region.x1, region.y0)
    for box, _text, number in page.lines:
        if number != block and (beside.contains(box) or (_overlaps(box, gap) and gap.y0 - 1 <= box.y0
                                                          and box.y1 <= gap.y1 + 1)):
            region |= box
    return region


def _table(page: _Page, caption: Any, block: int, *, below: bool) -> Any | None:
    """The table on the caption's side (`below` it, else above): from its first rule to the last rule of the same
    width, or without rules the rows of several cells that follow the caption; with the text between."""
    band = _band(page, caption, after=below)
    side = sorted((r for r in [*page.rules, *page.art] if r.width >= 3 and _overlaps(r, caption)  # rules in one path: art
                   and _within(r, band)), key=lambda r: r.y0 if below else -r.y1)
    if side and (side[0].y0 - caption.y1 if below else caption.y0 - side[0].y1) <= _NEAR:
        first = side[0]
        # The rules of its width (a rule drawn in pieces meets it). By hand: `|` skips a rule, which has no height.
        rules = [r for r in page.rules if _within(r, band) and (r.y0 >= first.y0 - 1 if below else r.y1 <= first.y1 + 1)
                 and min(r.x1, first.x1) - max(r.x0, first.x0) > 0.5 * min(r.width, first.width)]
        kept = [first, *rules]
        region = pymupdf().Rect(min(r.x0 for r in kept), min(r.y0 for r in kept), max(r.x1 for r in kept),
                                max(r.y1 for r in kept))
        for box, _text, number in page.lines:
            if number != block and region.y0 - 1 <= box.y0 and box.y1 <= region.y1 + 1 and _overlaps(box, region):
                region |= box
        return region
    return _rows(page, caption, block, below=below)


def _rows(page: _Page, caption: Any, block: int, *, below: bool) -> Any | None:
    """A table without rules: the lines next to the caption that stand in rows of two cells or more, up to the first
    row of one cell."""
    band = _band(page, caption, after=below)
    lines = sorted((line for line in page.lines if line[2] != block and _overlaps(line[0], caption)
                    and _within(line[0], band) and (line[0].y0 >= caption.y1 - 1 if below else line[0].y1 <= caption.y0 + 1)),
                   key=lambda line: line[0].y0 if below else -line[0].y1)
    rows: list[list[Any]] = []
    for box, _text, _number in lines:
        if rows and abs(rows[-1][0].y1 - box.y1) < 2:
            rows[-1].append(box)
        else:
            rows.append([box])
    region, last = None, caption
    for row in rows:
        top, bottom = min(b.y0 for b in row), max(b.y1 for b in row)
        if len(row) < 2 or (top - last.y1 if below else last.y0 - bottom) > _JOIN:
            break
        for box in row:
            region = +box if region is None else region | box
        last = region
    return region
