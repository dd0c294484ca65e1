"""arXiv's HTML (LaTeXML) as a structure source, on pages LaTeXML itself made from real publisher classes
(tests/fixtures/templates, rebuilt by its build.sh) and on hostile or foreign pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdf.fidelity import key
from readroom.sources.arxiv_html import NotLatexml, parse_arxiv_html

TEMPLATES = Path(__file__).resolve().parents[1] / "fixtures" / "templates"
TRUTH = json.loads((TEMPLATES / "truth.json").read_text())["papers"]
PAGES = sorted(TEMPLATES / t["source"]["html"] for t in TRUTH if t["source"]["body"] == "body.tex")
OUTLINE = [(1, "1 Introduction"), (1, "2 Related Work"), (2, "2.1 Shortcut Connections"), (2, "2.2 Normalisation"),
           (1, "3 Method"), (2, "3.1 Training"), (1, "4 Experiments"), (1, "5 Conclusion")]


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_latexml_pages_give_the_papers_structure_as_written(page):
    paper = parse_arxiv_html(page.read_bytes())
    assert paper.title == "When Residual Shortcuts Help Deep Networks"
    assert paper.authors[:2] == ["Ada Lovelace", "Alan Turing"]
    assert paper.abstract == ("We revisit residual learning and show when identity shortcuts make very deep networks "
                              "trainable.")
    body = [(s.level, s.title) for s in paper.sections if s.title != "References"]
    # Classes number sections their own way (REVTeX: "I", IEEE: "I"); the titles and levels are the author's.
    assert [(level, title.split(" ", 1)[1]) for level, title in body] == [(lv, t.split(" ", 1)[1]) for lv, t in OUTLINE]
    assert paper.sections[-1].title == "References" and paper.sections[-1].level == 1
    intro = paper.sections[0].text
    assert "$H(x)$" in intro and "$F(x)=H(x)-x$" in intro  # math keeps its LaTeX, for Anki's MathJax
    assert "$$y=F(x,\\{W_{i}\\})+x.$$" in paper.sections[2].text
    assert "(1)" not in paper.sections[2].text  # the equation number is not prose
    assert [(c.kind, c.label) for c in paper.figures] == [("figure", "Figure 1"), ("table", "Table 1")] or \
        [(c.kind, c.label.upper()) for c in paper.figures] == [("figure", "FIGURE 1"), ("table", "TABLE I")]
    assert all("residual" in c.caption.lower() or "error" in c.caption.lower() for c in paper.figures)
    assert "plain block" not in paper.sections[4].text  # captions are captions, not section text
    assert len(paper.references) == 3 and paper.references[0].arxiv_id == "1512.03385"


def test_there_are_template_pages_to_test():
    assert {p.stem for p in PAGES} >= {"ieee", "revtex", "llncs", "elsarticle", "acmart"}
    assert {t["file"] for t in TRUTH} == {p.name for p in TEMPLATES.glob("*.pdf")}  # every template has its truth
    assert {t["source"]["html"] for t in TRUTH} == {p.name for p in TEMPLATES.glob("*.html")}


# LaTeXML numbers a heading ("I Introduction", "2.1 Setup") even where the class prints no number (REVTeX's PRL).
_TAG = re.compile(r"^(?:[IVX]+|[A-Z]|\d+)(?:[.-](?:\d+|[A-Z]))*\.?\s+")


def _outline(truth: dict) -> list[tuple[int, str, str | None]]:
    return [(level, s["title"], s["number"]) for top in truth["sections"]
            for level, s in [(1, top)] + [(2, sub) for sub in top.get("subsections", [])]]


def _is(html_title: str, title: str, number: str | None) -> bool:
    printed = {key(title)} | ({key(f"{number} {title}")} if number else set())
    return bool({key(html_title), key(_TAG.sub("", html_title, count=1))} & printed)


@pytest.mark.parametrize("truth", TRUTH, ids=[t["file"].removesuffix(".pdf") for t in TRUTH])
def test_the_html_of_every_template_gives_its_truth_exactly(truth):
    """The HTML path is exact: every section of the truth in order at its level (the truth is read off the PDF,
    so only a "References" heading the class does not print may be extra), the abstract, every reference and
    caption."""
    paper = parse_arxiv_html((TEMPLATES / truth["source"]["html"]).read_bytes())
    assert key(paper.title) == key(truth["title"])
    assert key(paper.abstract).startswith(key(truth["abstract_starts_with"]))
    wanted = _outline(truth)
    found = [(s.level, s.title) for s in paper.sections
             if not (s.title == "References" and all(key(t) != "references" for _, t, _ in wanted))]
    # Run-in paragraph headings are below every subsection (level 3), as the layout parser sets them.
    # (IEEEtran prints a \paragraph as "a) Data.:"; the HTML has the author's "Data.")
    assert [key(t) for level, t in found if level == 3] == [key(re.sub(r"^[a-z]\)\s*", "", t))
                                                             for t in truth["run_in_headings"]]
    found = [(level, t) for level, t in found if level < 3]
    assert len(found) == len(wanted), found
    for (level, title), (want_level, want_title, number) in zip(found, wanted, strict=True):
        assert level == want_level and _is(title, want_title, number), (level, title, want_level, want_title)
    assert len(paper.references) == truth["references"]
    kinds = [c.kind for c in paper.figures]
    assert (kinds.count("figure"), kinds.count("table")) == (truth["figure_captions"], truth["table_captions"])


@pytest.mark.parametrize("name", ["aaai", "neurips"])
def test_text_under_a_run_in_paragraph_heading_reaches_the_reader(name):
    paper = parse_arxiv_html((TEMPLATES / f"{name}.html").read_bytes())
    titles = [(s.level, _TAG.sub("", s.title)) for s in paper.sections]
    setup = titles.index((2, "Setup"))
    assert titles[setup + 1:setup + 5] == [(3, "Data"), (3, "Models"), (3, "Training"), (2, "Results")]
    data, training = paper.sections[setup + 1], paper.sections[setup + 3]
    assert data.text.replace("’", "'").startswith("We train on WMT'16 English")
    assert training.text.startswith("We train with Adam, $\\beta_{1}=0.9$, $\\beta_{2}=0.999$ and batches")
    assert paper.sections[setup].text == ""  # the subsection's own text is none: its paragraphs are its run-ins


LATEXML = Path(__file__).resolve().parents[1] / "fixtures" / "latexml"  # small pages made by its build.sh


def test_run_in_headings_at_every_depth_sit_below_their_parent_with_their_math():
    paper = parse_arxiv_html((LATEXML / "runin.html").read_bytes())
    assert [(s.level, s.title) for s in paper.sections] == [
        (1, "1 Introduction"), (3, "Contributions"),  # below the subsections the paper has, as in the PDF
        (1, "2 Method"), (2, "2.1 Setting"), (3, "2.1.1 Assumptions"), (3, "Noise"), (3, "Heavy tails"),  # at most 3
        (1, "Acknowledgments"),  # \section*
        (1, "Appendix A Proofs"), (3, "Proof of the bound"), (2, "A.1 A Lemma")]
    text = {s.title: s.text for s in paper.sections}
    assert text["1 Introduction"] == "Gradient methods need a step size."  # the run-in's text is its own, once
    assert text["Contributions"] == ("We bound the step by $\\eta\\leq 1/L$ and show "
                                     "$$f(x_{t+1})\\leq f(x_{t})-\\frac{\\eta}{2}\\|\\nabla f(x_{t})\\|^{2}.$$")
    assert text["Heavy tails"] == "Tails heavier than $t^{-3}$ are excluded."
    assert text["Proof of the bound"] == "Sum the inequality over $t=0,\\dots,T-1$."
    assert text["2.1.1 Assumptions"] == "We assume a bounded variance."


def test_run_in_headings_of_a_paper_without_subsections_are_level_3_too():
    paper = parse_arxiv_html((LATEXML / "flat.html").read_bytes())
    assert [(s.level, s.title, s.text) for s in paper.sections] == [
        (1, "1 Introduction", "Machines can compute."),
        (3, "Motivation", "We ask which numbers are computable, such as $\\pi$."),
        (1, "2 Conclusion", "Some numbers are not computable.")]


def test_authors_with_superscript_affiliation_marks_are_all_kept():
    paper = parse_arxiv_html((TEMPLATES / "bmc.html").read_bytes())
    assert paper.authors == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]


@pytest.mark.parametrize("markup", [
    "<span class='ltx_text ltx_font_bold'>Ada Lovelace</span><sup>∗</sup> and Alan Turing<br>Engine Lab, London",
    "Ada Lovelace<span class='ltx_note ltx_role_thanks'><sup>1</sup>Equal contribution.</span>, Alan Turing∗"
    "<br class='ltx_break'>ada@engine.example"])
def test_an_author_line_gives_the_names_without_marks_footnotes_or_affiliations(markup):
    page = f"<article class='ltx_document'><div class='ltx_authors'><span class='ltx_personname'>{markup}</span></div></article>"
    assert parse_arxiv_html(page).authors == ["Ada Lovelace", "Alan Turing"]


@pytest.mark.parametrize("page", [b"", b"<html><body><h1>No HTML for this paper</h1></body></html>",
                                  b"\x00\xff not html at all", "<article class='other'>x</article>"])
def test_a_page_without_a_latexml_document_is_refused(page):
    with pytest.raises(NotLatexml):
        parse_arxiv_html(page)


def test_hostile_text_is_kept_as_text():
    page = ("<article class='ltx_document'><h1 class='ltx_title ltx_title_document'>\x1b]2;pwned\x07 [bold]x[/]"
            "<script>alert(1)</script></h1><section class='ltx_section'><h2 class='ltx_title'>1 A &amp; B</h2>"
            "<div class='ltx_para'><p class='ltx_p'>text<style>p{}</style></p></div></section></article>")
    paper = parse_arxiv_html(page)
    assert paper.title == "\x1b]2;pwned\x07 [bold]x[/]"  # stored as it came; the faces make it safe to show
    assert [(s.title, s.text) for s in paper.sections] == [("1 A & B", "text")]


_words = st.text(st.characters(whitelist_categories=("L", "N"), whitelist_characters=" -"), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), _words.filter(str.strip)), min_size=1, max_size=8))
def test_any_outline_comes_back_with_its_levels(outline):
    tags = {1: ("ltx_section", "h2"), 2: ("ltx_subsection", "h3"), 3: ("ltx_subsubsection", "h4")}
    html, open_levels = ["<article class='ltx_document'>"], []
    for level, title in outline:
        while open_levels and open_levels[-1] >= level:
            html.append("</section>")
            open_levels.pop()
        cls, h = tags[level]
        html.append(f"<section class='{cls}'><{h} class='ltx_title'>{title}</{h}><p class='ltx_p'>body</p>")
        open_levels.append(level)
    html += ["</section>"] * len(open_levels) + ["</article>"]
    paper = parse_arxiv_html("".join(html))
    assert [(s.level, s.title) for s in paper.sections] == [(lv, " ".join(t.split())) for lv, t in outline]
    assert all(s.text == "body" for s in paper.sections)


# --------------------------------------------------------------------------------------------- fetching


@pytest.fixture
def html_server(httpserver, monkeypatch):
    from readroom import config

    monkeypatch.setenv("READROOM_ARXIV_HTML", httpserver.url_for("/html/"))
    monkeypatch.setenv("READROOM_AR5IV_HTML", httpserver.url_for("/ar5iv/"))
    config.reload()
    return httpserver


def test_fetch_takes_arxivs_own_page_then_ar5iv_then_gives_up(html_server):
    from readroom.sources.arxiv_html import fetch_html

    page = PAGES[0].read_bytes()
    html_server.expect_request("/html/2401.00001v2").respond_with_data(page, content_type="text/html")
    html_server.expect_request("/html/1512.03385v1").respond_with_data("not found", status=404)
    html_server.expect_request("/ar5iv/1512.03385").respond_with_data(page, content_type="text/html; charset=utf-8")
    html_server.expect_request("/html/0704.0001v1").respond_with_data("", status=404)
    html_server.expect_request("/ar5iv/0704.0001").respond_with_data("", status=404)
    assert fetch_html("2401.00001", 2) == page
    assert fetch_html("1512.03385", 1) == page
    assert fetch_html("0704.0001", 1) is None


def test_fetch_is_quiet_when_offline_or_the_page_is_huge(html_server, monkeypatch):
    from readroom import config
    from readroom.sources import arxiv_html

    monkeypatch.setattr(arxiv_html, "MAX_HTML_BYTES", 1000)
    html_server.expect_request("/html/2401.00002v1").respond_with_data("x" * 5000, content_type="text/html")
    html_server.expect_request("/ar5iv/2401.00002").respond_with_data("", status=500)
    assert arxiv_html.fetch_html("2401.00002", 1) is None
    monkeypatch.setenv("READROOM_ARXIV_HTML", "http://127.0.0.1:9/html/")
    monkeypatch.setenv("READROOM_AR5IV_HTML", "http://127.0.0.1:9/ar5iv/")
    config.reload()
    assert arxiv_html.fetch_html("2401.00002", 1) is None  # connection refused: the PDF is the source then


@pytest.mark.parametrize("name", ["llncs", "elsarticle"])
def test_heading_pages_come_from_the_pdf(name):
    from readroom.pdf.pages import heading_pages

    paper = parse_arxiv_html((TEMPLATES / f"{name}.html").read_bytes())
    pages = heading_pages(TEMPLATES / f"{name}.pdf", [s.title.split(" ", 1)[-1] for s in paper.sections])
    assert pages == sorted(pages) and pages[0] == 1  # reading order; the introduction is on the first page
    assert pages[-1] >= 2  # the references at the end of a paper of several pages
