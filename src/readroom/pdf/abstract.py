"""The abstract of a paper parsed from its layout.

In order: a section headed "Abstract"; a paragraph that opens with the label run in ("Abstract—We present ...",
"Abstract. We study ..."), or that follows the label on a line of its own (a side box, small caps the heading
finder passed over); else, unlabelled (REVTeX, ACM journals, Nature), the first paragraph of prose on page 1
between the title and the first heading.
"""

from __future__ import annotations

import re

from readroom.pdf.layout import Row
from readroom.pdf.text import clean, join_rows
from readroom.structure import Section

ABSTRACT = re.compile(r"^abstract\s*[.:—–-]?\s*", re.IGNORECASE)
# Front matter that is prose-like but not the abstract.
_NOT_ABSTRACT = re.compile(r"^(index terms|keywords|key words|ccs concepts|acm reference format|received|dated|"
                           r"additional key words|general terms|\W*correspond|\W*equal contribution)", re.IGNORECASE)
_EMAIL = re.compile(r"\S@\w[\w-]*\.\w")
_MAX_BLOCKS = 4


def find_abstract(rows: list[Row], heading_rows: list[Row], title_rows: list[Row], front: str,
                  sections: list[Section]) -> str | None:
    """The abstract's text; `rows` are the paper's rows in reading order, `heading_rows` the rows that start a
    heading, `front` the text before the first heading."""
    for section in sections[:3]:
        if ABSTRACT.fullmatch(section.title):
            return section.text.strip() or None
    for paragraph in front.split("\n\n"):
        m = ABSTRACT.match(paragraph)
        if m and len(paragraph) > m.end() + 40:
            return paragraph[m.end():].strip()
    # A label is looked for on pages 1-2 whatever headings were found (an author line taken for one comes before
    # it); unlabelled prose only before the first heading.
    return (_labelled(_front_blocks(rows, [], title_rows))
            or _unlabelled(_front_blocks(rows, heading_rows, title_rows)))


def _front_blocks(rows: list[Row], heading_rows: list[Row], title_rows: list[Row]) -> list[list[Row]]:
    """The blocks (each its rows in the size of its first) of pages 1-2 after the title, up to the first of
    `heading_rows` that is not the abstract label."""
    heads = {id(r) for r in heading_rows}
    taken = {id(r) for r in title_rows}
    after_title = next((i + 1 for i in range(len(rows) - 1, -1, -1) if id(rows[i]) in taken), 0)
    blocks: list[list[Row]] = []
    for row in rows[after_title:]:
        if row.page > 2 or (id(row) in heads and not ABSTRACT.fullmatch(row.text)):
            break
        if blocks and blocks[-1][0].block == row.block:
            if row.size == blocks[-1][0].size:  # not a drop capital
                blocks[-1].append(row)
            continue
        blocks.append([row])
    return blocks


def _labelled(blocks: list[list[Row]]) -> str | None:
    for n, block in enumerate(blocks):
        m = ABSTRACT.match(block[0].text)
        if not m:
            continue
        if ABSTRACT.fullmatch(block[0].text):  # the label alone: the text is the rest of its block, or what follows
            body = block[1:] or _following(blocks, n + 1)
            text = join_rows(body)
        else:
            text = join_rows(block)[m.end():]
        if len(text) > 40:
            return clean(text)
    return None


def _following(blocks: list[list[Row]], start: int) -> list[Row]:
    """The blocks after a lone label set in the size of the first of them, up to keywords or another size."""
    out: list[Row] = []
    size = blocks[start][0].size if start < len(blocks) else 0.0
    for block in blocks[start:start + _MAX_BLOCKS]:
        if block[0].size != size or _NOT_ABSTRACT.match(block[0].text):
            break
        out.extend(block)
    return out


def _unlabelled(blocks: list[list[Row]]) -> str | None:
    """The first block of page 1 that reads as prose (names, affiliations and addresses do not), with the blocks
    after it set in the same size and width."""
    for n, block in enumerate(blocks):
        first = block[0]
        if first.page != 1 or not _prose(block):
            continue
        body = list(block)
        for more in blocks[n + 1:n + _MAX_BLOCKS]:
            if (more[0].size != first.size or abs(more[0].x1 - first.x1) > 3 or more[0].page != first.page
                    or not _prose(more)):
                break
            body.extend(more)
        return clean(join_rows(body))
    return None


def _prose(block: list[Row]) -> bool:
    text = " ".join(r.text for r in block)
    words = text.split()
    if len(words) < 12 or _EMAIL.search(text) or _NOT_ABSTRACT.match(text) or not text.rstrip().endswith((".", ")")):
        return False
    lower = sum(1 for w in words if w[0].islower())
    return lower >= 0.4 * len(words)
