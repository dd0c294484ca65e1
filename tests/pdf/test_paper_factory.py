"""The paper factory itself: valid PDFs of the expected length, with headings, captions and references
printed as the spec and style say. (The parser's own tests use the factory; these only test the factory.)"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from .paper_factory import (
    DEMO_STYLE,
    Style,
    build_pdf,
    caption_texts,
    demo_spec,
    expected_headings,
    pymupdf,
    random_paper_parts,
    random_spec,
    random_style,
    reference_texts,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_DEMO = ROOT / "data" / "demo" / "three-pass-reading.pdf"


def text_lines(doc: pymupdf.Document) -> list[tuple[str, list[dict]]]:
    """(text, spans) of every non-empty line, in extraction order."""
    out = []
    for page in doc:
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                text = "".join(span["text"] for span in line["spans"]).strip()
                if text:
                    out.append((text, [s for s in line["spans"] if s["text"].strip()]))
    return out


def flowing_text(lines: list[tuple[str, list[dict]]]) -> str:
    """All lines joined by spaces, without page numbers and running headers (small digits / italics)."""
    kept = [text for text, spans in lines
            if not (text.isdigit() and spans[0]["size"] <= 9) and not spans[0]["font"].endswith(("Italic", "Oblique"))]
    return " ".join(kept)


def assert_headings(doc: pymupdf.Document, spec, style) -> None:
    lines = text_lines(doc)
    for heading in expected_headings(spec, style):
        candidates = [spans for text, spans in lines if text == heading.text]
        assert candidates, f"no line reads {heading.text!r}"
        assert any(
            all(abs(s["size"] - heading.size) < 0.01 and bool(s["flags"] & 16) == heading.bold
                and s["font"] == heading.font for s in spans)
            for spans in candidates
        ), (heading, [[(s["font"], s["size"], s["flags"]) for s in spans] for spans in candidates])


def assert_contents(doc: pymupdf.Document, spec, style) -> None:
    text = flowing_text(text_lines(doc))
    for caption in caption_texts(spec, style):
        assert caption in text, caption
    for reference in reference_texts(spec, style):
        assert reference in text, reference


@pytest.mark.parametrize("seed", range(10))
def test_random_papers_are_valid_and_structured_as_specified(seed, tmp_path):
    rng = random.Random(seed)
    spec = random_spec(rng, n_sections=[4, 9, None][seed % 3])
    style = random_style(rng)
    path = build_pdf(spec, style, tmp_path / "paper.pdf")
    with pymupdf.open(path) as doc:
        assert 3 <= doc.page_count <= 20
        assert_headings(doc, spec, style)
        assert_contents(doc, spec, style)
        assert " ".join(spec.title.split()) in " ".join(doc[0].get_text().split())
        assert (doc.metadata.get("title") == spec.title) == style.metadata
        last = doc[-1]
        assert str(doc.page_count) in last.get_text(clip=pymupdf.Rect(0, last.rect.height - style.margin,
                                                                      last.rect.width, last.rect.height))


def test_random_specs_and_styles_vary():
    specs = [random_spec(random.Random(seed)) for seed in range(30)]
    styles = [random_style(random.Random(seed)) for seed in range(30)]
    for spec in specs:
        level1 = [s.title for s in spec.sections if s.level == 1]
        assert level1[0] == "Introduction" and level1[-1] == "Conclusion" and 4 <= len(level1) <= 9
        assert 2 <= len(spec.captions) <= 6 and 8 <= len(spec.references) <= 40
    assert sum(any(s.level == 2 for s in spec.sections) for spec in specs) > 10
    references = " ".join(r for spec in specs for r in spec.references)
    assert re.search(r"arXiv preprint arXiv:\d{4}\.\d{4,5}", references)
    assert re.search(r"doi:10\.\d{4,}/\S+", references) and "https://doi.org/10." in references
    for attribute in ("columns", "body_font", "heading_bold", "numbered", "page_size", "abstract_style",
                      "references_title", "metadata", "upper_case_level1"):
        assert len({getattr(style, attribute) for style in styles}) > 1, attribute


def test_later_choices_keep_each_seeds_layout_and_vary():
    """random_paper_parts draws its new choices after random_spec and random_style: a seed's layout stays as it
    was, and the new cases (bold body, AAAI's centred sections, run-in headings, author forms) all come up."""
    parts = [random_paper_parts(random.Random(seed)) for seed in range(60)]
    for seed, (spec, style) in enumerate(parts[:10]):
        rng = random.Random(seed)
        before_spec, before_style = random_spec(rng), random_style(rng)
        assert (style.columns, style.body_size, style.numbered, style.seed) == (
            before_style.columns, before_style.body_size, before_style.numbered, before_style.seed)
        assert [p for s in spec.sections for p in s.paragraphs] == [p for s in before_spec.sections for p in s.paragraphs]
    assert any(style.body_bold for _, style in parts) and any(style.center_level1 for _, style in parts)
    assert any(style.number_depth == 1 for _, style in parts)
    assert sum(len(spec.run_ins) >= 2 for spec, _ in parts) > 5
    assert {style.author_form for _, style in parts} == {"and", "ieee", "marks", "bold", "stacked"}
    assert any(s.title.startswith("A ") for spec, style in parts if not style.numbered for s in spec.sections)


@pytest.mark.parametrize("form", ["ieee", "marks", "bold", "stacked"])
def test_author_lines_are_printed_in_each_form(form, tmp_path):
    spec = random_spec(random.Random(3))
    spec.authors = ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    path = build_pdf(spec, Style(author_form=form), tmp_path / "paper.pdf")
    with pymupdf.open(path) as doc:
        first = " ".join(doc[0].get_text().split())
    printed = {"ieee": "Ada Lovelace, Member, IEEE, Alan Turing, Senior Member, IEEE, and Grace Hopper, Fellow, IEEE",
               "marks": "Ada Lovelace¹, Alan Turing², Grace Hopper³",
               "bold": "Ada Lovelace, Alan Turing, and Grace Hopper", "stacked": "Ada Lovelace Alan Turing Grace Hopper"}
    assert printed[form] in first


def test_demo_paper(tmp_path):
    spec = demo_spec()
    path = build_pdf(spec, DEMO_STYLE, tmp_path / "demo.pdf")
    assert path.stat().st_size < 150_000
    with pymupdf.open(path) as doc:
        assert 6 <= doc.page_count <= 8
        assert doc.metadata["title"] == "How to Read a Paper, in Three Passes: a readroom demo"
        assert doc.metadata["author"] == "The readroom team"
        assert doc.metadata["creationDate"].startswith("D:2026")
        assert_headings(doc, spec, DEMO_STYLE)
        assert_contents(doc, spec, DEMO_STYLE)
        text = flowing_text(text_lines(doc))
        assert "arXiv:1706.03762" in text and "doi:10.1145/1273445.1273458" in text
    assert sum(c.kind == "figure" for c in spec.captions) == 2
    assert sum(c.kind == "table" for c in spec.captions) == 1
    parents = {spec.sections[i - 1].title for i, s in enumerate(spec.sections) if s.level == 2 and
               spec.sections[i - 1].level == 1}
    assert len(parents) >= 2  # subsections in at least two sections


def test_shipped_demo_matches_the_factory(tmp_path):
    """data/demo/three-pass-reading.pdf is regenerated whenever the demo text changes:
    python tests/pdf/paper_factory.py data/demo/three-pass-reading.pdf"""
    if not SHIPPED_DEMO.is_file():
        pytest.skip(f"{SHIPPED_DEMO} is absent")
    fresh = build_pdf(demo_spec(), DEMO_STYLE, tmp_path / "demo.pdf")
    with pymupdf.open(SHIPPED_DEMO) as shipped, pymupdf.open(fresh) as built:
        assert [p.get_text() for p in shipped] == [p.get_text() for p in built]
