"""A paper's structure from arXiv's own HTML rendering (LaTeXML output, as arxiv.org/html and ar5iv serve it).

LaTeXML marks every part of the paper with a class (`ltx_section`, `ltx_abstract`, `ltx_bibitem`, ...), so the
sections, their levels, the abstract, the captions and the references come out exactly as the author wrote them,
and math keeps its LaTeX source (`<math alttext=...>`), written back as `$...$` / `$$...$$` so that a card made
from it reaches Anki's MathJax as real math. Pages are not in the HTML: they are 0 here, and the caller finds
each heading's page in the PDF.

The page is outside text: it is parsed with lxml (no scripts run, no entities expanded from the network) and only
text content is kept.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from readroom.errors import ReadroomError
from readroom.structure import Caption, ParsedPaper, Reference, Section

if TYPE_CHECKING:
    from lxml.html import HtmlElement

log = logging.getLogger(__name__)
LEVELS = {"ltx_section": 1, "ltx_appendix": 1, "ltx_bibliography": 1, "ltx_subsection": 2, "ltx_subsubsection": 3}
RUN_IN = ("ltx_paragraph", "ltx_subparagraph")  # \paragraph{Training.} We train ...: levelled by their place
_SPACE = re.compile(r"\s+")
_AUTHOR_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_MARKS = re.compile(r"[*∗†‡§¶]+$")  # a \thanks mark set as text after a name
_CAPTION_LABEL = re.compile(r"^\s*((?:Figure|Fig\.|Table)\s*[\w.]+)\s*[:.|]?\s*", re.IGNORECASE)
# Parts whose text is not the prose around them: captions (kept as captions), footnotes, equation numbers.
_SKIP_IN_TEXT = ("ltx_caption", "ltx_note", "ltx_tag_equation")


MAX_HTML_BYTES = 30 * 1024 * 1024  # the largest page read; a paper's HTML is a few MB at most


def fetch_html(arxiv_id: str, version: int, *, client=None) -> bytes | None:
    """The paper's LaTeXML page: arXiv's own rendering, else ar5iv's (older papers); None when neither has one or
    it cannot be fetched (within [network] metadata_deadline), so the caller falls back to the PDF quietly."""
    import httpx

    from readroom import config
    from readroom.sources.download import USER_AGENT
    from readroom.sources.http import TooBig, TooSlow, get_bounded

    conf = config.load().network
    own = client is None
    client = client or httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=True)
    try:
        for url in (f"{conf.arxiv_html}{arxiv_id}v{version}", f"{conf.ar5iv_html}{arxiv_id}"):
            try:
                answer = get_bounded(client, url, timeout=conf.http_timeout, deadline=conf.metadata_deadline,
                                     max_bytes=MAX_HTML_BYTES)
            except (httpx.HTTPError, TooSlow, TooBig) as exc:
                log.info("no HTML from %s: %s", url, exc.__class__.__name__)
                continue
            if answer.status == 200 and "html" in answer.headers.get("content-type", "html"):
                return answer.body
            log.info("no HTML at %s: HTTP %s", url, answer.status)
        return None
    finally:
        if own:
            client.close()


class NotLatexml(ReadroomError):
    """The page is not a LaTeXML rendering of a paper (arXiv's "no HTML for this paper" page, say)."""


def parse_arxiv_html(html: str | bytes) -> ParsedPaper:
    """The structure of a LaTeXML-rendered paper; NotLatexml when the page holds no such document."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise NotLatexml(f"Cannot read the paper's HTML: {exc}.") from None
    article = _first(root, "article", "ltx_document")
    if article is None:
        raise NotLatexml("The page holds no LaTeXML document.")
    title_el = _first(article, "h1", "ltx_title_document")
    abstract_el = _first(article, "div", "ltx_abstract")
    return ParsedPaper(
        page_count=0,
        title=_text(title_el) if title_el is not None else None,
        abstract=_abstract(abstract_el) if abstract_el is not None else None,
        authors=[name for el in _all(article, "span", "ltx_personname") for name in _names(_first_line(el))],
        sections=_sections(article),
        figures=_captions(article),
        references=[_reference(_text(item)) for item in _all(article, "li", "ltx_bibitem")],
    )


def _sections(article: HtmlElement) -> list[Section]:
    found: list[tuple[HtmlElement, HtmlElement, int | None]] = []  # (section, heading, level; None: run in)
    for el in article.iter("section"):
        classes = _classes(el)
        level = next((LEVELS[c] for c in classes if c in LEVELS), None)
        heading = next((child for child in el if child.tag in ("h1", "h2", "h3", "h4", "h5", "h6")), None)
        if heading is not None and (level is not None or any(c in RUN_IN for c in classes)):
            found.append((el, heading, level))
    # A run-in heading (\paragraph, \subparagraph) is level 3 wherever it sits, as the layout parser levels
    # run-ins (pdf/headings.py), so a paper's outline is the same whichever source it came from.
    sections = []
    for el, heading, level in found:
        title = _text(heading)
        if level is None:
            level = 3
            title = title.removesuffix(".").removesuffix(":").strip() or title  # "Training." reads "Training"
        body = " ".join(_text(child) for child in el if child.tag != "section" and child is not heading
                        and "ltx_bibliography" not in _classes(el))
        sections.append(Section(title, level, 0, _SPACE.sub(" ", body).strip()))
    return sections


def _abstract(el: HtmlElement) -> str:
    return " ".join(_text(p) for p in el if "ltx_title" not in _classes(p)).strip()


def _captions(article: HtmlElement) -> list[Caption]:
    captions = []
    for figure in article.iter("figure"):
        kind = "table" if "ltx_table" in _classes(figure) else "figure"
        caption_el = _first(figure, "figcaption", "ltx_caption")
        if caption_el is None:
            continue
        text = _text(caption_el)
        match = _CAPTION_LABEL.match(text)
        label = match[1].rstrip(".:") if match else kind.capitalize()
        captions.append(Caption(kind, label, text, 0))
    return captions


def _reference(raw: str) -> Reference:
    from readroom.sources.ids import reference_of  # here: ids' regexes are not needed for pages without a list

    return reference_of(raw)


# --------------------------------------------------------------------------------------------- text


def _text(el: HtmlElement) -> str:
    """The element's text on one line, math as $LaTeX$ (display math as $$LaTeX$$)."""
    parts: list[str] = []
    _collect(el, parts, top=True)
    return _SPACE.sub(" ", "".join(parts)).strip()


def _collect(el: HtmlElement, parts: list[str], top: bool = False) -> None:
    if not top and (el.tag in ("script", "style") or any(c in _SKIP_IN_TEXT for c in _classes(el))):
        if el.tail:
            parts.append(el.tail)
        return
    if el.tag == "math":
        latex = (el.get("alttext") or "").strip()
        fence = "$$" if el.get("display") == "block" else "$"
        parts.append(f" {fence}{latex}{fence} " if fence == "$$" else f"{fence}{latex}{fence}")
    else:
        if el.text:
            parts.append(el.text)
        for child in el:
            if not isinstance(child.tag, str):  # comments, processing instructions
                continue
            _collect(child, parts)
        if el.tag in ("p", "div", "li", "tr", "br") and not top:
            parts.append(" ")
    if el.tail and not top:
        parts.append(el.tail)


def _first_line(el: HtmlElement) -> str:
    """An author element's names: its first line (LaTeXML puts affiliations after a line break), without the
    superscript marks and footnotes that tie a name to an affiliation or a \\thanks ("Ada Lovelace<sup>1</sup>")."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> bool:  # True once the line has ended
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == "br":
                return True
            if isinstance(child.tag, str) and child.tag != "sup" and "ltx_note" not in _classes(child) and walk(child):
                return True
            if child.tail:
                parts.append(child.tail)
        return False

    walk(el)
    return _SPACE.sub(" ", "".join(parts)).strip()


def _names(line: str) -> list[str]:
    """IEEE-style blocks hold several people: "Ada Lovelace and Alan Turing", "A, B, and C"."""
    return [name for name in (_MARKS.sub("", n).strip() for n in _AUTHOR_SEPARATOR.split(line)) if name]


def _classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def _all(root: HtmlElement, tag: str, cls: str) -> list[HtmlElement]:
    return [el for el in root.iter(tag) if cls in _classes(el)]


def _first(root: HtmlElement, tag: str, cls: str) -> HtmlElement | None:
    return next((el for el in root.iter(tag) if cls in _classes(el)), None)
