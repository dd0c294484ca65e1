"""The parser on generated papers of known structure, in many layouts (one or two columns, numbered or not,
bold or size-only headings, a bold body font, AAAI's centred unnumbered sections, bold run-in paragraph headings,
author lines in several forms, run-in or unlabelled abstracts, labelled, hanging or flush-left author-year
references, Arabic or Roman table labels, running headers, footnotes).

Property: whatever the layout, the outline, title, abstract, captions and references come back as printed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from readroom import paths
from readroom.pdf.parse import parse_pdf

from .paper_factory import (
    Style,
    build_pdf,
    caption_texts,
    demo_spec,
    expected_headings,
    nature_style,
    random_paper_parts,
    random_spec,
    random_style,
    reference_texts,
)

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def _generated(seed: int, folder: Path):
    spec, style = random_paper_parts(random.Random(seed))
    return spec, style, parse_pdf(build_pdf(spec, style, folder / f"paper-{seed}.pdf"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=SEEDS)
@example(seed=85)  # unnumbered, centred sections; the subsection "A Closer Look at Baselines" is no appendix A
@example(seed=141)  # a bold body font: headings set apart by size alone
@example(seed=128)  # bold run-in paragraph headings ("Data."), one at a column's foot; affiliation marks
@example(seed=31)  # run-in headings under Roman-numbered sections; one author a line
@example(seed=94)  # an IEEE membership author line
@example(seed=5)  # numbered sections over unnumbered bold subsections, one "Broader Impact"; bold author names
@example(seed=253)  # an indented run-in heading ("Models.") under a justified paragraph's near-full last line
def test_outline_comes_back_as_printed(seed, tmp_path):
    spec, style, parsed = _generated(seed, tmp_path)
    expected = expected_headings(spec, style)
    assert [s.title for s in parsed.sections] == [h.text for h in expected]
    # Levels: exact where the paper numbers its sections or sets each level in its own style; where two
    # levels share one style and no numbers, the reader cannot tell them apart either, so neither do we.
    levels_of_style = defaultdict(set)
    for h in expected:
        levels_of_style[(h.size, h.bold, h.font)].add(h.level)
    for got, want in zip(parsed.sections, expected, strict=False):
        if style.numbered and want.section_index is not None or len(levels_of_style[(want.size, want.bold, want.font)]) == 1:
            assert got.level == want.level, (got.title, got.level, want.level)
    # Pages never go backwards and every section has its text.
    pages = [s.page for s in parsed.sections]
    assert pages == sorted(pages) and 1 <= pages[0] and pages[-1] <= parsed.page_count
    for section, want in zip(parsed.sections, expected, strict=False):  # a column break may fall in a paragraph
        assert want.opens in " ".join(section.text.split())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=SEEDS)
@example(seed=129428363)  # a reference ending "arXiv:0806.8730v3, 2006." at a page top was taken for a header
def test_title_abstract_captions_and_references(seed, tmp_path):
    spec, style, parsed = _generated(seed, tmp_path)
    assert parsed.title == spec.title
    assert " ".join(parsed.abstract.split()) == " ".join(spec.abstract.split())
    # Figures, then tables, each in the order of their numbers (Arabic or Roman: "TABLE IV"), as the spec has them.
    assert [c.caption for c in parsed.figures] == sorted(caption_texts(spec, style),
                                                         key=lambda c: not c.startswith(("Figure", "Fig")))
    printed = reference_texts(spec, style)
    if style.reference_labels:
        assert [r.raw for r in parsed.references] == printed
    else:  # hanging indent only: an entry broken across columns may rarely split in two
        assert len(printed) <= len(parsed.references) <= len(printed) + 1
        assert sum(r.raw in printed for r in parsed.references) >= len(printed) - 1
    for ref in parsed.references:
        if "arXiv:" in ref.raw:
            assert ref.arxiv_id and ref.arxiv_id in ref.raw
        if "10.1145/" in ref.raw or "doi.org/" in ref.raw:
            assert ref.doi and ref.doi in ref.raw



# 31, 150: an entry broken at the column's foot goes on in a block of its own, then "9." opens the next;
# 42, 83: the tail and the entries after it in one block, the entries hanging indented.
@pytest.mark.parametrize("seed", [*range(12), 31, 42, 83, 150])
def test_a_small_numbered_reference_list_at_a_page_foot_is_not_taken_for_footnotes(seed, tmp_path):
    """References numbered "1." in three quarters of the body's size (Nature's journals) read like footnotes where
    the list runs through a page's foot: a small block that opens with a number, low on the page."""
    rng = random.Random(seed)
    spec, style = random_spec(rng), nature_style(random_style(rng))
    parsed = parse_pdf(build_pdf(spec, style, tmp_path / f"paper-{seed}.pdf"))
    assert [r.raw for r in parsed.references] == reference_texts(spec, style)
    assert parsed.sections[-1].title == style.references_title  # the heading is followed by its text


def test_unnumbered_levels_alike_but_for_face_are_told_apart_by_the_space_above(tmp_path):
    """Sans sections over serif subsections of the same size and weight: the sections have more room above."""
    spec = random_spec(random.Random(7))
    style = Style(numbered=False, heading_sizes=(11, 11, 10), level1_font="Helvetica", heading_space=(2.0, 0.6, 0.6))
    parsed = parse_pdf(build_pdf(spec, style, tmp_path / "paper.pdf"))
    expected = expected_headings(spec, style)
    assert any(h.level == 2 for h in expected)
    assert [(s.level, s.title) for s in parsed.sections] == [(h.level, h.text) for h in expected]


def test_no_page_numbers_running_headers_or_footnotes_in_the_text(tmp_path):
    for seed in range(12):
        spec, style, parsed = _generated(seed, tmp_path)
        text = "\n".join(s.text for s in parsed.sections)
        assert "Preprint. Under review." not in text
        for section in parsed.sections:
            assert not any(line.strip().isdigit() for line in section.text.split("\n\n"))


def test_the_shipped_demo_parses_completely():
    demo = paths.shipped_data_dir() / "demo" / "three-pass-reading.pdf"
    spec = demo_spec()
    parsed = parse_pdf(demo)
    assert parsed.title == spec.title
    assert parsed.abstract.startswith(" ".join(spec.abstract.split()[:8]))
    assert [s.title for s in parsed.sections][:3] == ["1 Introduction", "2 The First Pass: Skim for the Shape",
                                                      "2.1 What to read"]
    assert [c.label for c in parsed.figures] == ["Figure 1", "Figure 2", "Table 1"]
    assert len(parsed.references) == len(spec.references)
    assert {r.arxiv_id for r in parsed.references if r.arxiv_id} == {"1706.03762", "1512.03385"}
