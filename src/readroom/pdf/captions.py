"""Figure and table captions found in the page rows."""

from __future__ import annotations

import re

from readroom.pdf.layout import Row
from readroom.pdf.text import clean, join_rows
from readroom.structure import Caption

CAPTION = re.compile(r"^(?P<kind>figure|fig\.|table)\s*(?P<num>\d{1,3}|[A-Z]\.?\d{0,2}|[IVX]{1,5})\s*[:.|—–]\s*", re.IGNORECASE)
# A label on a line of its own, the caption text below it (IEEE sets "TABLE I" centred above its caption); a body
# sentence never makes a row of only "Table 2", as it starts a block only when it starts a paragraph.
_LABEL_LINE = re.compile(r"^(?P<kind>figure|fig\.|table)\s*(?P<num>\d{1,3}|[A-Z]\.?\d{0,2}|[IVX]{1,5})$", re.IGNORECASE)
# A label with no punctuation, its text after a space (BMC: "Figure 1 Loss curves"), as "Table 2 shows ..." also
# opens a paragraph: a caption only when its text does not go on as a sentence and the label is set apart.
_BARE_LABEL = re.compile(r"^(?P<kind>figure|fig\.|table)\s*(?P<num>\d{1,3}|[A-Z]\.?\d{0,2}|[IVX]{1,5})\s+(?=(?-i:[^\sa-z]))",
                         re.IGNORECASE)


def find_captions(rows: list[Row], body: float) -> list[Caption]:
    """One caption per label ("Figure 3", "Table II"), its text the block the label starts, in label order; `body`
    is the size of the running text."""
    found: dict[str, Caption] = {}
    by_block: dict[int, list[Row]] = {}
    for row in rows:
        by_block.setdefault(row.block, []).append(row)
    blocks = list(by_block.values())
    for n, block_rows in enumerate(blocks):
        first = block_rows[0]
        m = CAPTION.match(first.text) or _set_apart_label(first, body)
        if m is None and (m := _LABEL_LINE.match(first.text)) and len(block_rows) == 1 and n + 1 < len(blocks):
            block_rows = block_rows + blocks[n + 1]  # the label alone, its text the next block
        if not m or not first.first_in_block:
            continue
        kind = "table" if m["kind"].lower() == "table" else "figure"
        label = f"{'Table' if kind == 'table' else 'Figure'} {m['num'].rstrip('.')}"
        if label in found:
            continue
        found[label] = Caption(kind, label, clean(join_rows(block_rows)), first.page)
    return sorted(found.values(), key=lambda c: (c.kind, _label_order(c.label)))


def _set_apart_label(row: Row, body: float) -> re.Match[str] | None:
    """A bare label ("Figure 1 Loss curves") set in bold before plain text, or opening a row smaller than the body."""
    m = _BARE_LABEL.match(row.text)
    return m if m is not None and (row.size < body - 0.4 or _bold_label(row, m.end())) else None


def _bold_label(row: Row, length: int) -> bool:
    """The row's first `length` characters are set in bold and the text after them mostly not."""
    letters = len(row.text[:length].replace(" ", ""))  # the spans' spacing differs from the row's text
    styles = [bold for text, _, bold in row.spans for char in text if not char.isspace()]
    label, rest = styles[:letters], styles[letters:]
    return bool(label) and all(label) and bool(rest) and sum(rest) < len(rest) / 2


def _label_order(label: str) -> tuple[int, str]:
    tail = label.split()[-1]
    if tail.isdigit():
        return int(tail), ""
    if re.fullmatch(r"[IVX]+", tail.upper()):  # Table I, II, ..., IX, X
        return _roman(tail.upper()), ""
    return 10_000, tail


def _roman(numeral: str) -> int:
    values = [{"I": 1, "V": 5, "X": 10}[c] for c in numeral]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))
