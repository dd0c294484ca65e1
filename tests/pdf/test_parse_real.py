"""The parser on real published papers (../shared/fixtures/papers) and on files it must refuse politely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readroom.errors import PdfUnreadable
from readroom.pdf.loader import pymupdf
from readroom.pdf.parse import parse_pdf


def _paper(real_papers: list[Path], name: str) -> Path:
    for path in real_papers:
        if path.name == name:
            return path
    pytest.skip(f"{name} is not among the shared fixture papers")


def test_s2orc_outline_abstract_captions_and_references(real_papers):
    paper = parse_pdf(_paper(real_papers, "2020.acl-main.447.pdf"))
    assert paper.page_count == 15
    assert paper.title == "S2ORC: The Semantic Scholar Open Research Corpus"
    assert paper.abstract.startswith("We introduce S2ORC")
    titles = [(s.level, s.title) for s in paper.sections]
    # Every numbered section and subsection, in order, with the right levels; no author names.
    assert titles[:8] == [
        (1, "1 Introduction"), (1, "2 Constructing the corpus"), (2, "2.1 Processing PDFs"),
        (2, "2.2 Processing LATEX source"), (2, "2.3 Selecting canonical metadata"),
        (2, "2.4 Assembling the corpus"), (2, "2.5 Filtering paper clusters"),
        (2, "2.6 Linking bibliographies to papers"),
    ]
    assert [t for _, t in titles if re.match(r"\d ", t)] == [
        "1 Introduction", "2 Constructing the corpus", "3 The S2ORC dataset", "4 Evaluation",
        "5 Pretraining BERT on S2ORC", "6 Applications of S2ORC", "7 Related work", "8 Conclusion",
    ]
    assert (1, "References") in titles and (1, "Acknowledgements") in titles
    # A heading that wraps onto a second line is one heading.
    assert (1, "E Training corpus sizes for other language models") in titles
    assert not any("Kyle Lo" in t for _, t in titles)
    pages = {s.title: s.page for s in paper.sections}
    assert pages["1 Introduction"] == 1 and pages["References"] == 9
    # Section text is readable prose: words separated, hyphenation at line ends undone.
    intro = paper.sections[0].text
    assert "Academic papers are an increasingly important textual domain" in intro
    assert "interesting characteristics" in intro
    labels = [c.label for c in paper.figures]
    assert labels == [f"Figure {i}" for i in range(1, 5)] + [f"Table {i}" for i in range(1, 10)]
    assert paper.figures[0].caption.startswith("Figure 1: Inline citations")
    assert 50 <= len(paper.references) <= 62
    assert paper.references[0].raw.startswith("Riaz Ahmad and Muhammad Tanvir Afzal. 2018.")
    assert any(r.arxiv_id == "1609.08144" for r in paper.references)  # "arXiv, abs/1609.08144"
    # No footnote or page number leaks into a reference entry.
    assert not any("Kaggle CORD-19" in r.raw for r in paper.references)


def test_eacl_paper_long_headings_and_arxiv_references(real_papers):
    paper = parse_pdf(_paper(real_papers, "2023.eacl-main.121.pdf"))
    assert paper.page_count == 20
    assert paper.title == "LONGEVAL: Guidelines for Human Evaluation of Faithfulness in Long-form Summarization"
    assert paper.abstract.startswith("While human evaluation remains best practice")
    titles = [(s.level, s.title) for s in paper.sections]
    assert titles[0] == (1, "1 Introduction")
    assert (2, "3.1 RQ1: Does inter-annotator agreement improve using fine-grained annotations?") in titles
    assert (2, "B.1 FINE-grained evaluations of SQuALITY and PubMed summaries") in titles
    assert [t for _, t in titles if t in ("Limitations", "References")] == ["Limitations", "References"]
    assert len([c for c in paper.figures if c.kind == "figure"]) == 9
    assert len([c for c in paper.figures if c.kind == "table"]) == 11
    with_ids = {r.arxiv_id for r in paper.references if r.arxiv_id}
    assert {"2006.14799", "2107.01294", "2202.06935"} <= with_ids
    assert 55 <= len(paper.references) <= 75


def test_progress_reports_every_page(real_papers):
    seen: list[tuple[int, int]] = []
    parse_pdf(real_papers[0], progress=lambda done, total: seen.append((done, total)))
    total = seen[-1][1]
    assert seen == [(i, total) for i in range(1, total + 1)]


def test_truncated_pdf_is_refused_with_a_reason(tmp_path, real_papers):
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(real_papers[0].read_bytes()[:40_000])
    with pytest.raises(PdfUnreadable, match="damaged"):
        parse_pdf(truncated)


def test_garbage_and_missing_files_are_refused(tmp_path):
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 500)
    with pytest.raises(PdfUnreadable):
        parse_pdf(garbage)
    with pytest.raises(PdfUnreadable, match="missing"):
        parse_pdf(tmp_path / "nope.pdf")


def test_encrypted_pdf_is_refused(tmp_path):
    fitz = pymupdf()
    doc = fitz.open()
    doc.new_page().insert_text((72, 72), "secret " * 50)
    locked = tmp_path / "locked.pdf"
    doc.save(locked, encryption=fitz.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    with pytest.raises(PdfUnreadable, match="password"):
        parse_pdf(locked)


def test_scanned_pdf_without_text_is_refused(tmp_path):
    fitz = pymupdf()
    doc = fitz.open()
    for _ in range(3):
        page = doc.new_page()
        page.draw_rect(fitz.Rect(72, 72, 500, 700), color=(0, 0, 0), fill=(0.8, 0.8, 0.8))
    scan = tmp_path / "scan.pdf"
    doc.save(scan)
    with pytest.raises(PdfUnreadable, match="no text layer"):
        parse_pdf(scan)


def _shared(shared_fixtures: Path, name: str) -> Path:
    return _paper(list((shared_fixtures / "papers").glob("*.pdf")), name)


def test_a_right_outline_gives_the_sections_and_missing_headings_are_merged(shared_fixtures):
    paper = parse_pdf(_shared(shared_fixtures, "pmlr208-kim23a.pdf"))
    assert paper.structure_source == "outline"
    top = [s.title for s in paper.sections if s.level == 1]
    assert top[:2] == ["1. Introduction", "2. Background"]
    # Printed as headings but missing from the outline: kept, at level 1, in page order.
    assert top[-3:] == ["Ethical Statement and Societal Impact", "Acknowledgments", "References"]
    assert len(paper.sections) == 22
    gao = parse_pdf(_shared(shared_fixtures, "pmlr148-gao21a.pdf"))
    assert gao.structure_source == "outline" and gao.sections[-1].title == "References"


def test_a_wrong_or_publisher_outline_falls_back_to_layout(shared_fixtures):
    for name in ("jmlr-format-orff-preprint.pdf", "scirep-micromotion-ion-crystal.pdf", "2020.acl-main.447.pdf"):
        assert parse_pdf(_shared(shared_fixtures, name)).structure_source == "layout", name
