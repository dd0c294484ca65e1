"""find_captions on rows: the label forms papers use, and body sentences that only start like a caption."""

from __future__ import annotations

from readroom.pdf.captions import find_captions
from readroom.pdf.layout import Row


def _blocks(*blocks: list[str]) -> list[Row]:
    rows = []
    for number, lines in enumerate(blocks):
        for k, text in enumerate(lines):
            rows.append(Row(text, 1, number, 72, 100 + 12 * len(rows), 300, 110 + 12 * len(rows), 9.0, False,
                            first_in_block=k == 0, last_in_block=k == len(lines) - 1))
    return rows


def test_every_label_form_counts_and_a_sentence_about_a_table_does_not():
    rows = _blocks(["Fig. 3. Loss curves."], ["Figure 4: Samples."], ["Table 2. Results on ImageNet."],
                   ["TABLE IV", "ABLATIONS OF THE SHORTCUT"], ["TABLE II"], ["Top-1 error on the validation set."],
                   ["FIG. 5. A plain block."], ["Table 2 shows that depth hurts the plain network, and",
                                                "Figure 4 that it helps the residual one."],
                   ["Table 7 shows more."])
    assert [(c.label, c.caption) for c in find_captions(rows)] == [
        ("Figure 3", "Fig. 3. Loss curves."), ("Figure 4", "Figure 4: Samples."),
        ("Figure 5", "FIG. 5. A plain block."), ("Table 2", "Table 2. Results on ImageNet."),
        ("Table II", "TABLE II Top-1 error on the validation set."), ("Table IV", "TABLE IV ABLATIONS OF THE SHORTCUT"),
    ]
