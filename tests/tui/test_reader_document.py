"""What each pass of the reader shows of a paper whose introduction has parts of its own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from readroom.records.papers import PaperDetail
from readroom.sources.arxiv_html import parse_arxiv_html
from readroom.structure import Reference
from readroom.tui.reader.document import Anchor, ReaderDocument, build_document, reference_line

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "latexml" / "runin.html"


def _detail() -> PaperDetail:
    paper = parse_arxiv_html(PAGE.read_bytes())
    return PaperDetail(id="p1", source="arxiv", title=paper.title, authors=paper.authors, year=2024, arxiv_id=None,
                       arxiv_version=None, classic_key=None, added_at=datetime(2024, 1, 1, tzinfo=UTC),
                       parse_status="parsed", abstract=paper.abstract, sections=paper.sections, page_count=2)


def test_pass_1_reads_the_whole_introduction_its_run_in_paragraphs_included():
    text = build_document(_detail(), 1).text
    assert "Gradient methods need a step size." in text
    assert "We bound the step by $\\eta\\leq 1/L$" in text  # \paragraph{Contributions.} is part of the introduction
    assert "Noise" in text and "has variance" not in text  # elsewhere pass 1 reads the headings only
    assert "Let $f$ be $L$-smooth." not in text


def test_pass_2_reads_every_run_in_paragraph():
    text = build_document(_detail(), 2).text
    assert "The noise $\\xi_{t}$ has variance $\\sigma^{2}$." in text
    assert "Tails heavier than $t^{-3}$ are excluded." in text


def test_a_reference_keeps_its_own_marker_and_is_numbered_only_without_one():
    assert reference_line(2, "[2] A. Karpathy. arxiv-sanity.") == "[2] A. Karpathy. arxiv-sanity."
    assert reference_line(3, "[Kar15] A. Karpathy.") == "[Kar15] A. Karpathy."
    assert reference_line(4, "4. A. Karpathy.") == "4. A. Karpathy."
    assert reference_line(5, "A. Karpathy. 2015.") == "[5] A. Karpathy. 2015."
    detail = _detail()
    detail.references = [Reference("[1] S. Keshav. How to read a paper."), Reference("A. Karpathy. arxiv-sanity.")]
    text = build_document(detail, 1).text
    assert "[1] S. Keshav." in text and "[1] [1]" not in text and "  [2] A. Karpathy." in text


def test_a_cards_section_finds_its_heading_however_the_parse_wrote_it():
    titles = ["Abstract", "I. INTRODUCTION", "3.1 Truncated SVD for faster detection", "3.2 Training", "4 Results"]
    doc = ReaderDocument("", [Anchor(t, 1, 1, i, 0, 0) for i, t in enumerate(titles)])
    found = {section: doc.anchor_for(section, None).title for section in (
        "1 Introduction", "3.1. Truncated SVD for faster detection", "3.2 training", "4 Experiments", "Abstract")}
    assert found == {"1 Introduction": "I. INTRODUCTION", "3.1. Truncated SVD for faster detection": titles[2],
                     "3.2 training": "3.2 Training", "4 Experiments": "4 Results", "Abstract": "Abstract"}
    assert doc.anchor_for("7 Appendix", None) is None
