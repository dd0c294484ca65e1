"""An occlusion card's image as the review shows it, as Anki's "hide one, guess one": the card's own area filled,
the note's other areas outlined; on the answer side its area is uncovered and outlined in red.

Drawn with PyMuPDF onto a copy of the image (the kept file never changes) on the image widget's worker thread, and
kept: going back and forth between question and answer, or to a sibling card, redraws nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HIDDEN = (255, 142, 142)  # Anki's fill for the area asked about
OTHER = (230, 120, 0)
REVEALED = (220, 40, 40)
LINE = 2  # pixels


@dataclass(frozen=True)
class Masked:
    """What to draw: the image, the note's areas (fractions), the card's area (1-based, as card.ord), which side."""

    image: Path
    areas: tuple[tuple[float, ...], ...]
    hidden: int
    revealed: bool

    def png(self) -> bytes:
        return _draw(self)


@lru_cache(maxsize=64)
def _draw(masked: Masked) -> bytes:
    from readroom.pdf.loader import pymupdf

    fitz = pymupdf()
    pix = fitz.Pixmap(str(masked.image))
    if pix.alpha:
        pix = fitz.Pixmap(pix, 0)
    if pix.colorspace is None or pix.colorspace.n != 3:
        pix = fitz.Pixmap(fitz.csRGB, pix)
    for number, area in enumerate(masked.areas, start=1):
        box = _pixels(area, pix.width, pix.height)
        if number != masked.hidden:
            _outline(pix, box, OTHER)
        elif masked.revealed:
            _outline(pix, box, REVEALED)
        else:
            pix.set_rect(fitz.IRect(*box), HIDDEN)
    return pix.tobytes("png")


def _pixels(area: tuple[float, ...], width: int, height: int) -> tuple[int, int, int, int]:
    left, top, w, h = area
    x0, y0 = round(left * width), round(top * height)
    return x0, y0, max(x0 + 1, round((left + w) * width)), max(y0 + 1, round((top + h) * height))


def _outline(pix, box: tuple[int, int, int, int], colour: tuple[int, int, int]) -> None:
    from readroom.pdf.loader import pymupdf

    IRect = pymupdf().IRect
    x0, y0, x1, y1 = box
    for edge in ((x0, y0, x1, y0 + LINE), (x0, y1 - LINE, x1, y1), (x0, y0, x0 + LINE, y1), (x1 - LINE, y0, x1, y1)):
        pix.set_rect(IRect(*edge), colour)
