"""Where each heading stands in the PDF, for structures that come without pages (arXiv's HTML): the reader's
page numbers and `o` (open the PDF there) keep working whatever the structure's source."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from readroom.pdf.loader import open_pdf

_NOT_WORD = re.compile(r"[\W_]+")


def heading_pages(path: Path, titles: list[str]) -> list[int]:
    """The 1-based page of each title, in reading order: each is looked for from the page of the one before, so a
    word that also stands earlier in the text ("Method") is placed after its predecessor; a title not found keeps
    its predecessor's page."""
    doc = open_pdf(path)
    try:
        pages = [_key(page.get_text("text")) for page in doc]
    finally:
        doc.close()
    found, page = [], 0
    for title in titles:
        key = _key(title)
        at = next((i for i in range(page, len(pages)) if key and key in pages[i]), None)
        page = at if at is not None else page
        found.append(page + 1)
    return found


def _key(text: str) -> str:
    # Ligatures, hyphenation across lines and spacing differ between the PDF's text and the HTML: compare letters.
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())
