"""Rows joined back into running text: lines of a block into paragraphs, hyphenation undone."""

from __future__ import annotations

import re

from readroom.pdf.layout import Row

_HYPHEN_END = re.compile(r"[A-Za-z]-$")


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
            current = join_hyphenated(current, row.text)
        else:
            current = f"{current} {row.text}"
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def join_lines(rows: list[Row]) -> str:
    """Rows as one line of text, hyphenation undone."""
    text = ""
    for row in rows:
        if _HYPHEN_END.search(text):
            text = join_hyphenated(text, row.text)
        else:
            text = f"{text} {row.text}" if text else row.text
    return text


def join_hyphenated(text: str, line: str) -> str:
    """'interest-' + 'ing' is one word; 'Sci-' + 'BERT' keeps its hyphen."""
    return text[:-1] + line if line[:1].islower() else text + line


def clean(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())
