"""Sections from the PDF's bookmark outline, when it agrees with the printed page; layout otherwise."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readroom.pdf.loader import pymupdf
from readroom.pdf.parse import parse_pdf

from .paper_factory import Style, build_pdf, demo_spec, expected_headings, random_spec, random_style

# Headings set like the body: the layout cannot tell them from the text, only the outline can.
PLAIN_HEADINGS = Style(heading_sizes=(10, 10, 10), heading_bold=False, body_size=10)


def _with_toc(path, toc):
    fitz = pymupdf()
    doc = fitz.open(path)
    doc.set_toc(toc)
    out = path.with_name("toc-" + path.name)
    doc.save(out)
    doc.close()
    return out


def test_headings_in_body_font_come_from_a_right_outline(tmp_path):
    spec = demo_spec()
    style = replace(PLAIN_HEADINGS, outline=True)
    without = parse_pdf(build_pdf(spec, replace(style, outline=False), tmp_path / "plain.pdf"))
    assert without.structure_source == "layout" and len(without.sections) < 2
    parsed = parse_pdf(build_pdf(spec, style, tmp_path / "outlined.pdf"))
    assert parsed.structure_source == "outline"
    # Every section from the outline, and the References heading (not in the outline) from the layout.
    expected = expected_headings(spec, style)
    assert [(s.level, s.title) for s in parsed.sections] == [(h.level, h.text) for h in expected]
    for section, spec_section in zip(parsed.sections, spec.sections, strict=False):
        assert " ".join(spec_section.paragraphs[0].split()[:6]) in section.text
    # Title, abstract and references still come from the layout.
    assert parsed.title == without.title and parsed.abstract == without.abstract
    assert parsed.references == without.references


def test_an_outline_that_does_not_match_the_pages_is_ignored(tmp_path):
    spec = demo_spec()
    path = build_pdf(spec, Style(), tmp_path / "paper.pdf")
    layout = parse_pdf(path)
    assert layout.structure_source == "layout"
    made_up = [[1, "Nothing like this is printed", 1], [1, "Nor this", 2], [2, "Or this either", 2]]
    parsed = parse_pdf(_with_toc(path, made_up))
    assert parsed.structure_source == "layout" and parsed.sections == layout.sections


def test_a_publisher_outline_and_drifting_levels_are_ignored(tmp_path):
    spec = demo_spec()
    path = build_pdf(spec, Style(), tmp_path / "paper.pdf")
    layout = parse_pdf(path)
    publisher = [[1, "Title", 1], [1, "Abstract", 1], [1, "References", layout.sections[-1].page]]
    assert parse_pdf(_with_toc(path, publisher)).structure_source == "layout"
    # The right titles and pages, but each entry one level deeper than its printed number says.
    toc = [[1, "Front", 1]] + [[s.level + 1, s.title.split(" ", 1)[1], s.page] for s in layout.sections
                               if s.title[0].isdigit()]
    assert parse_pdf(_with_toc(path, toc)).structure_source == "layout"


def test_unnumbered_headings_missing_from_the_outline_are_kept(tmp_path):
    spec = demo_spec()
    path = build_pdf(spec, Style(outline=True), tmp_path / "paper.pdf")
    parsed = parse_pdf(path)
    assert parsed.structure_source == "outline"
    # The factory's outline has no References entry; the layout finds the heading, so it stays.
    assert parsed.sections[-1].title == "References" and parsed.sections[-1].level == 1
    assert [s.title for s in parsed.sections] == [h.text for h in expected_headings(spec, Style())]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_a_right_outline_gives_the_printed_sections_in_any_layout(seed, tmp_path):
    rng = random.Random(seed)
    spec, style = random_spec(rng), replace(random_style(rng), outline=True)
    parsed = parse_pdf(build_pdf(spec, style, tmp_path / f"paper-{seed}.pdf"))
    assert parsed.structure_source == "outline"
    expected = expected_headings(spec, style)
    assert [(s.level, s.title.lower()) for s in parsed.sections] == [(h.level, h.text.lower()) for h in expected]
