"""A DOI's metadata from Crossref's REST API (`GET {base}/works/{doi}`), the endpoint from settings.

The answer is fetched like arXiv's (sources/http.py: retries, a deadline, a size cap). Titles and names are kept as
Crossref sends them (they are outside text: faces show them through terminal.printable); the abstract comes as JATS
XML and is reduced to its text by a real parser. Crossref's "polite pool" asks for a User-Agent naming the client;
readroom sends its own (sources/download.USER_AGENT) and no e-mail address, which it does not know.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from readroom import config
from readroom.errors import NetworkError


@dataclass(frozen=True)
class CrossrefWork:
    doi: str
    title: str
    authors: list[str]
    year: int | None
    venue: str | None  # the journal or proceedings (container-title)
    abstract: str
    url: str | None  # the landing page
    pdf_url: str | None  # a PDF link the publisher deposited, if any


class CrossrefSource:
    def __init__(self, api_url: str | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.api_url = (api_url or config.load().network.crossref_api).rstrip("/")
        self.host = f"Crossref at {urlsplit(self.api_url).netloc or self.api_url}"
        self.sleep = sleep

    def fetch(self, doi: str) -> CrossrefWork | None:
        """The work Crossref holds under `doi`, or None when Crossref does not know it (HTTP 404)."""
        from readroom.sources.http import Requester

        with Requester(None, None, self.sleep, 1.0) as requester:
            return requester.with_retries(lambda: self._once(requester, doi))

    def _once(self, requester, doi: str) -> CrossrefWork | None:
        from readroom.sources.http import Retry

        answer = requester.get(f"{self.api_url}/works/{quote(doi, safe='/')}", self.host)
        if answer.status == 404:
            return None
        if answer.status != 200:
            raise NetworkError(f"{self.host} answered HTTP {answer.status}; try again later.")
        if answer.is_html:
            raise NetworkError(f"{self.host} sent a web page, not its JSON (a network login page?); nothing was "
                               "stored, try again later.")
        try:
            message = json.loads(answer.body)["message"]
            return work_of(message)
        except (ValueError, KeyError, TypeError, AttributeError):  # a cut-off answer: another try brings it whole
            raise Retry(NetworkError(f"{self.host} sent an answer readroom cannot read{requester.tries()}; nothing "
                                     "was stored, try again later.")) from None


def work_of(message: dict) -> CrossrefWork:
    """The fields readroom keeps of one Crossref work record (the `message` of /works/{doi})."""
    return CrossrefWork(
        doi=message["DOI"],
        title=_first(message.get("title")) or message["DOI"],
        authors=[_name(a) for a in message.get("author") or [] if _name(a)],
        year=_year(message),
        venue=_first(message.get("container-title")),
        abstract=jats_text(message.get("abstract") or ""),
        url=message.get("URL"),
        pdf_url=next((link["URL"] for link in message.get("link") or []
                      if link.get("content-type") == "application/pdf" and link.get("URL")), None),
    )


def _first(values: list | None) -> str | None:
    return next((v for v in values or [] if isinstance(v, str) and v.strip()), None)


def _name(author: dict) -> str:
    given, family = author.get("given") or "", author.get("family") or ""
    return " ".join(p for p in (given, family) if p) or author.get("name") or ""


def _year(message: dict) -> int | None:
    for key in ("issued", "published", "published-print", "published-online"):
        parts = (message.get(key) or {}).get("date-parts") or [[None]]
        if parts[0] and isinstance(parts[0][0], int):
            return parts[0][0]
    return None


def jats_text(abstract: str) -> str:
    """The text of a JATS abstract (`<jats:p>…</jats:p>`), paragraphs one blank line apart, its own "Abstract"
    heading left out."""
    if not abstract.strip():
        return ""
    import lxml.html

    root = lxml.html.fragment_fromstring(abstract, create_parent="div")
    for heading in [e for e in root.iter() if isinstance(e.tag, str) and e.tag.split(":")[-1] == "title"]:
        heading.drop_tree()
    paragraphs = [e for e in root.iter() if isinstance(e.tag, str) and e.tag.split(":")[-1] == "p"]
    texts = [" ".join(p.text_content().split()) for p in paragraphs] or [" ".join(root.text_content().split())]
    return "\n\n".join(t for t in texts if t)
