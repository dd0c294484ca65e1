"""Figure and table captions found in the page rows."""

from __future__ import annotations

import re

from readroom.pdf.layout import Row
from readroom.pdf.text import clean, join_rows
from readroom.structure import Caption

CAPTION = re.compile(r"^(?P<kind>figure|fig\.|table)\s*(?P<num>\d{1,3}|[A-Z]\.?\d{0,2}|[IVX]{1,5})\s*[:.|—–]\s*", re.IGNORECASE)


def find_captions(rows: list[Row]) -> list[Caption]:
    found: dict[str, Caption] = {}
    by_block: dict[int, list[Row]] = {}
    for row in rows:
        by_block.setdefault(row.block, []).append(row)
    for block_rows in by_block.values():
        first = block_rows[0]
        m = CAPTION.match(first.text)
        if not m or not first.first_in_block:
            continue
        kind = "table" if m["kind"].lower() == "table" else "figure"
        label = f"{'Table' if kind == 'table' else 'Figure'} {m['num'].rstrip('.')}"
        if label in found:
            continue
        found[label] = Caption(kind, label, clean(join_rows(block_rows)), first.page)
    return sorted(found.values(), key=lambda c: (c.kind, _label_order(c.label)))


def _label_order(label: str) -> tuple[int, str]:
    tail = label.split()[-1]
    return (int(tail), "") if tail.isdigit() else (10_000, tail)
