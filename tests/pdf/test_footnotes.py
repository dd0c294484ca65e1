"""mark_furniture on a page's rows: the footnotes LaTeX sets at a page's foot are out of the text flow."""

from __future__ import annotations

import pytest

from readroom.pdf.layout import PageRows, Row, mark_furniture


def _row(spans: list[tuple[str, float]], y: float, block: int) -> Row:
    text = "".join(t for t, _ in spans)
    size = max(spans, key=lambda s: len(s[0]))[1]
    return Row(text, 1, block, 72.0, y, 300.0, y + size, size, False, first_in_block=True, last_in_block=True,
               spans=[(t, s, False) for t, s in spans])


@pytest.mark.parametrize("mark", ["∗", "⋆", "*", "†", "1"])
def test_a_footnote_opening_with_a_latex_mark_leaves_the_text(mark):
    """\\thanks sets "∗" (the math asterisk, U+2217) as its first mark; llncs sets a star; \\footnote a number."""
    body = [_row([("Academic papers are an increasingly important textual domain for natural", 10.0)], 100 + 12 * i, i)
            for i in range(40)]
    note = _row([(mark, 6.0), ("denotes equal contribution", 8.0)], 700, 40)
    page = PageRows(1, 612.0, 792.0, [*body, note])
    mark_furniture([page], 10.0)
    assert note.skip and not any(r.skip for r in body)


def test_a_body_row_opening_with_a_star_stays():
    rows = [_row([("∗", 10.0), ("-algebras are closed under the product we define below, as is shown", 10.0)], 700, 0)]
    mark_furniture([PageRows(1, 612.0, 792.0, rows)], 10.0)
    assert not rows[0].skip
