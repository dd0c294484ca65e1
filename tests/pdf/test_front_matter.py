"""Authors read off page 1: the templates' classes, generated papers in every author form, real papers, and a PDF
whose Author field is junk."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from readroom.pdf.parse import parse_pdf

from .paper_factory import build_pdf, demo_spec, random_paper_parts
from .paper_factory import pymupdf as fitz

TEMPLATES = Path(__file__).parent.parent / "fixtures" / "templates"


@pytest.mark.parametrize("truth", json.loads((TEMPLATES / "truth.json").read_text())["papers"],
                         ids=lambda t: t["file"])
def test_each_template_gives_its_authors_from_page_one(truth):
    """None of these PDFs fills in its Author field; the names are on page 1 in each class's way: one line with
    "and", marks after the names (BMC), small caps with the affiliation on the line (ACM journals), side by side
    with an affiliation under each (ACM, JSS, NeurIPS), "Member, IEEE"."""
    assert parse_pdf(TEMPLATES / truth["file"]).authors == truth["authors"]


@pytest.mark.parametrize("seed", range(24))
def test_generated_papers_without_metadata_give_the_printed_authors(seed, tmp_path):
    spec, style = random_paper_parts(random.Random(seed))
    style.metadata = False
    assert parse_pdf(build_pdf(spec, style, tmp_path / "p.pdf")).authors == spec.authors, style.author_form


def test_a_junk_author_field_gives_way_to_page_one(tmp_path):
    spec, style = random_paper_parts(random.Random(3))
    style.metadata = False
    path = build_pdf(spec, style, tmp_path / "p.pdf")
    doc = fitz.open(path)
    doc.set_metadata({"author": "Microsoft Office User"})
    doc.save(tmp_path / "junk.pdf")
    assert parse_pdf(tmp_path / "junk.pdf").authors == spec.authors


def test_an_author_field_page_one_prints_is_kept_as_written(tmp_path):
    spec = demo_spec()
    spec.authors = ["Ada Lovelace", "Alan Turing"]
    _, style = random_paper_parts(random.Random(5))
    style.metadata = True
    assert parse_pdf(build_pdf(spec, style, tmp_path / "p.pdf")).authors == ["Ada Lovelace", "Alan Turing"]


REAL_AUTHORS = {
    "2023.eacl-main.121.pdf": ["Kalpesh Krishna", "Erin Bransom", "Bailey Kuehl", "Mohit Iyyer", "Pradeep Dasigi",
                               "Arman Cohan", "Kyle Lo"],  # marks (♠∗ ♢) between the names, no commas
    "pmlr148-gao21a.pdf": ["Xuehao Gao", "Yang Yang", "Shaoyi Du"],  # an e-mail on each name's line
    "pmlr208-kim23a.pdf": ["Sanghyun Kim", "Jungwon Choi", "Namhee Kim", "Jaesung Ryu", "Juho Lee"],
    "jmlr-format-orff-preprint.pdf": ["Brault Romain", "Florence d’Alché-Buc"],  # TeX's spaced accent composed
    "scirep-micromotion-ion-crystal.pdf": ["S.-T. Wang", "C. Shen", "L.-M. Duan"],  # "1,2" marks and "&"
    "cidr2007-life-beyond-distributed-transactions.pdf": ["Pat Helland"],  # "Position Paper" above the name
}


@pytest.mark.parametrize("name", sorted(REAL_AUTHORS))
def test_real_papers_give_their_authors(shared_fixtures, name):
    path = shared_fixtures / "papers" / name
    if not path.is_file():
        pytest.skip(f"{name} is not among the shared papers")
    assert parse_pdf(path).authors == REAL_AUTHORS[name]
