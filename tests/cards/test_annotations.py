"""Highlights made in a PDF viewer come in as highlights: real annotated PDFs written with PyMuPDF."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pymupdf
import pytest

from readroom import cli, library
from readroom.cards import service
from readroom.pdf.annotations import read_annotations


@pytest.fixture
def paper(real_papers) -> library.PaperDetail:
    assert cli.main(["add", str(real_papers[0])]) == 0  # S2ORC: two columns, sections 2.1-2.3 on page 3
    return library.show(library.list_papers()[0].id)


def words_below(page, heading: str, n: int) -> list:
    """The first `n` words of the same column just below a heading, as PyMuPDF sees them."""
    head = page.search_for(heading)[0]
    column = [w for w in page.get_text("words", sort=True)
              if w[1] > head.y1 and abs(w[0] - head.x0) < 150 and (w[0] < page.rect.width / 2) == (head.x0 < page.rect.width / 2)]
    column.sort(key=lambda w: (round(w[3]), w[0]))
    return column[:n]


def annotate(pdf: Path, marks) -> None:
    """Add annotations to the PDF in place (an incremental save, as PDF viewers do)."""
    doc = pymupdf.open(pdf)
    for page_no, kind, words, color, note in marks:
        page = doc[page_no - 1]
        quads = [pymupdf.Rect(w[:4]).quad for w in words]
        annot = {"highlight": page.add_highlight_annot, "underline": page.add_underline_annot,
                 "strikeout": page.add_strikeout_annot, "squiggly": page.add_squiggly_annot}[kind](quads)
        if color:
            annot.set_colors(stroke=color)
        if note:
            annot.set_info(content=note)
        annot.update()
    doc.saveIncr()
    doc.close()


def test_import_twice_adds_no_duplicates_and_keeps_page_section_colour_note(paper, capsys):
    pdf = Path(paper.pdf_path)
    doc = pymupdf.open(pdf)
    in_21 = words_below(doc[2], "2.1 Processing PDFs", 6)
    in_22 = words_below(doc[2], "2.2 Processing LA", 5)
    doc.close()
    annotate(pdf, [(3, "highlight", in_21, (1, 1, 0), "how PDFs are parsed"),
                   (3, "underline", in_22, (0, 0, 1), "")])
    capsys.readouterr()
    assert cli.main(["import-annotations", paper.id[:8]]) == 0
    assert "Imported 2 highlights" in capsys.readouterr().out
    stored = service.list_highlights(paper.id)
    by_text = {h.text: h for h in stored}
    first = by_text[" ".join(w[4] for w in in_21)]
    assert (first.page, first.section, first.color, first.note) == (3, "2.1 Processing PDFs", "#ffff00",
                                                                   "how PDFs are parsed")
    second = by_text[" ".join(w[4] for w in in_22)]
    assert (second.section, second.color, second.note) == ("2.2 Processing LATEX source", "#0000ff", None)

    assert cli.main(["import-annotations", paper.id[:8]]) == 0
    assert "Imported 0 highlights" in capsys.readouterr().out and len(service.list_highlights(paper.id)) == 2

    doc = pymupdf.open(pdf)
    later = words_below(doc[0], "1 Introduction", 4)
    doc.close()
    annotate(pdf, [(1, "strikeout", later, None, "")])
    assert cli.main(["import-annotations", paper.id[:8], "--json"]) == 0
    (new,) = json.loads(capsys.readouterr().out)
    assert (new["page"], new["section"], new["text"]) == (1, "1 Introduction", " ".join(w[4] for w in later))
    assert len(service.list_highlights(paper.id)) == 3
    # A highlight from the PDF makes cards like any other.
    (card,) = service.cards_from_highlight(first.id, "qa", front="What does S2ORC parse PDFs with?",
                                           now=first.created_at)
    assert card.answer == first.text and card.page == 3


def test_a_copy_annotated_elsewhere_can_be_named_with_pdf(paper, tmp_path, capsys):
    copy = tmp_path / "annotated.pdf"
    shutil.copyfile(paper.pdf_path, copy)
    doc = pymupdf.open(copy)
    words = words_below(doc[1], "2 Constructing the corpus", 3)
    doc.close()
    annotate(copy, [(2, "squiggly", words, None, "check this")])
    assert cli.main(["import-annotations", paper.id[:8], "--pdf", str(copy)]) == 0
    assert "Imported 1 highlight from annotated.pdf" in capsys.readouterr().out
    assert service.list_highlights(paper.id)[0].note == "check this"


def test_a_pdf_without_marks_says_so_and_a_missing_file_fails_clearly(paper, tmp_path, capsys):
    assert cli.main(["import-annotations", paper.id[:8]]) == 0
    assert "has no highlight" in capsys.readouterr().out
    assert cli.main(["import-annotations", paper.id[:8], "--pdf", str(tmp_path / "nope.pdf")]) == 2
    assert cli.main(["import-annotations", "zzzzzzzz"]) == 3


def test_text_under_a_highlight_across_lines_joins_broken_words(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Batch normalization makes the train-", fontsize=11)
    page.insert_text((72, 114), "ing of deep networks faster.", fontsize=11)
    page.insert_text((72, 128), "Unmarked line.", fontsize=11)
    words = page.get_text("words", sort=True)  # a viewer marks whole lines: one quad per line
    line1 = pymupdf.Rect(words[1][:4]) | pymupdf.Rect(words[4][:4])  # "normalization" .. "train-"
    line2 = pymupdf.Rect(words[5][:4]) | pymupdf.Rect(words[8][:4])  # "ing" .. "networks"
    page.add_highlight_annot([line1.quad, line2.quad])
    other = page.add_text_annot((300, 300), "a sticky note, not a text mark")
    other.update()
    path = tmp_path / "marked.pdf"
    doc.save(path)
    (mark,) = read_annotations(path)
    assert (mark.page, mark.kind, mark.text) == (1, "highlight", "normalization makes the training of deep networks")
    assert mark.key.startswith("1:")
