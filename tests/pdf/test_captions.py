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
    assert [(c.label, c.caption) for c in find_captions(rows, 9.0)] == [
        ("Figure 3", "Fig. 3. Loss curves."), ("Figure 4", "Figure 4: Samples."),
        ("Figure 5", "FIG. 5. A plain block."), ("Table 2", "Table 2. Results on ImageNet."),
        ("Table II", "TABLE II Top-1 error on the validation set."), ("Table IV", "TABLE IV ABLATIONS OF THE SHORTCUT"),
    ]


def test_a_label_with_no_punctuation_counts_when_set_apart_from_the_text():
    """BMC sets "Figure 1" in bold before the caption, with no colon; a paragraph may open with "Table 1 ..." too."""

    def row(block: int, spans: list[tuple[str, bool]], size: float = 11.0) -> Row:
        text = "".join(t for t, _ in spans)
        return Row(text, 1, block, 72, 100 + 20 * block, 300, 110 + 20 * block, size, False, first_in_block=True,
                   last_in_block=True, spans=[(t, size, bold) for t, bold in spans])

    rows = [row(0, [("Figure", True), (" ", True), ("1", True), (" Loss curves of the two schedules.", False)]),
            row(1, [("Table 1", True), (" Area under the ROC curve.", False)], size=10.0),
            row(2, [("Table 2 Splice sites on held-out chromosomes.", False)], size=9.0),
            row(3, [("Table 3 lists the area under the curve.", False)], size=9.0),
            row(4, [("Table 4 Lists", False), (" of results follow.", False)]),
            row(5, [("Figure 5", True), (" shows the loss.", False)]),
            row(6, [("Table 6 Results", True)])]
    assert [c.label for c in find_captions(rows, 11.0)] == ["Figure 1", "Table 1", "Table 2"]
