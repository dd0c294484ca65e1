"""Listings of recent papers for Discover: the arXiv API by category (newest first), or a self-hosted
arxiv-sanity-lite instance. Metadata only; pages come back as plain data, storing them is discover/sync.py's job.

One request per page, paced by the same cross-process rule as every arXiv call (sources/arxiv.wait_for_turn);
429 and 5xx are retried with backoff that honours Retry-After; an empty page inside the listing (arXiv sends
those now and then) and a malformed answer are retried too before they become one clear NetworkError.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

import httpx

from readroom import config
from readroom.errors import BadInput, NetworkError
from readroom.records.arxiv import ArxivEntry
from readroom.sources.http import Answer, Requester, Retry
from readroom.sources.ids import parse_arxiv_id

DEFAULT_CATEGORIES = ("cs.CV", "cs.LG", "cs.CL", "cs.AI", "cs.NE", "cs.RO")
MAX_PAGE_SIZE = 2000  # the API's own cap on max_results per request
_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?")
_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom",
       "os": "http://a9.com/-/spec/opensearch/1.1/"}


@dataclass(frozen=True)
class ListingPage:
    papers: list[ArxivEntry]
    start: int
    total: int | None  # results the listing says it holds; None when the source does not say


def parse_categories(text: str) -> list[str]:
    """`cs.CV cs.LG`, `cs.CV,cs.LG` -> ['cs.CV', 'cs.LG']; BadInput for anything that is not a category."""
    cats = [c for c in re.split(r"[\s,]+", text.strip()) if c]
    if not cats:
        raise BadInput("No arXiv categories to sync; set [discover] categories, e.g. \"cs.CV cs.LG\".")
    for cat in cats:
        if not _CATEGORY.fullmatch(cat):
            raise BadInput(f"'{cat}' is not an arXiv category (like cs.CV or stat.ML); check [discover] categories.")
    return list(dict.fromkeys(cats))


def configured_categories() -> list[str]:
    return parse_categories(config.load().discover.categories)


class _Paged(Requester):
    """Requests with retries, pacing and bounds (sources/http.py), shared by both listings."""

    def __init__(self, client: httpx.Client | None, retries: int | None, sleep: Callable[[float], None],
                 delay: float) -> None:
        super().__init__(client, retries, sleep, delay, again="sync again later (what was fetched so far is kept)")


class ArxivListing(_Paged):
    """The newest papers of some categories through the arXiv query API, `page_size` per request."""

    def __init__(self, categories: list[str] | None = None, *, api_url: str | None = None,
                 page_size: int | None = None, client: httpx.Client | None = None, retries: int | None = None,
                 delay: float | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        conf = config.load().network
        super().__init__(client, retries, sleep, conf.arxiv_delay if delay is None else delay)
        self.categories = categories or configured_categories()
        self.api_url = api_url or conf.arxiv_api
        self.page_size = max(1, min(MAX_PAGE_SIZE, page_size or config.load().discover.page_size))
        self.host = f"arXiv's API at {urlsplit(self.api_url).netloc or self.api_url}"
        self.query = " OR ".join(f"cat:{c}" for c in self.categories)

    @property
    def key(self) -> str:
        """Names this listing in the sync state: another set of categories is another listing."""
        return f"arxiv:{self.query}"

    def url(self, start: int) -> str:
        query = quote(self.query, safe=":").replace("%20", "+")  # cat:cs.CV+OR+cat:cs.LG, as arXiv documents it
        return (f"{self.api_url}?search_query={query}&sortBy=submittedDate&sortOrder=descending"
                f"&start={start}&max_results={self.page_size}")

    def page(self, start: int) -> ListingPage:
        return self.with_retries(lambda: self._page_once(start))

    def _page_once(self, start: int) -> ListingPage:
        from readroom.sources.arxiv import wait_for_turn

        wait_for_turn(self.delay)
        answer = self.get(self.url(start), self.host)
        if answer.status == 400:
            raise BadInput(f"arXiv rejected the query {self.query!r} (HTTP 400); check [discover] categories.")
        if answer.status != 200:
            raise NetworkError(f"{self.host} answered HTTP {answer.status}; sync again later.")
        try:
            page = parse_feed(feed_body(answer, self.host), start)
        except FeedError as exc:
            raise Retry(NetworkError(f"{self.host} sent an answer readroom cannot read ({exc}){self.tries()}; "
                                     "sync again later.")) from None
        if not page.papers and page.total is not None and start < page.total:
            raise Retry(NetworkError(
                f"{self.host} sent an empty page at paper {start} of {page.total}{self.tries()}; what was "
                "fetched is kept: `readroom discover sync` later carries on."))
        return page


class FeedError(ValueError):
    """The answer is not a whole arXiv feed: cut off, malformed, or with an entry lacking its id or title."""


def feed_body(answer: Answer, host: str) -> bytes:
    """The feed in an answer; NetworkError for a web page (a captive portal or login page answers 200 with HTML)."""
    if answer.is_html:
        raise NetworkError(f"{host} did not answer with an arXiv feed but with a web page (a Wi-Fi login or a "
                           "proxy?); check your network connection and try again.")
    return answer.body


def parse_feed(xml: str | bytes, start: int = 0) -> ListingPage:
    """An arXiv API Atom feed as plain data. FeedError unless the feed parses whole and every entry has an arXiv
    id and a title (a cut-off answer must not become a paper titled "C"); BadInput on arXiv's error feed."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        raise FeedError("malformed XML") from None
    if root.tag != f"{{{_NS['a']}}}feed":
        raise FeedError("not an Atom feed")
    total_text = root.findtext("os:totalResults", namespaces=_NS)
    total = int(total_text) if total_text and total_text.strip().isdigit() else None
    papers = []
    for entry in root.findall("a:entry", _NS):
        entry_id = (entry.findtext("a:id", "", _NS) or "").strip()
        if "/api/errors" in entry_id:
            raise BadInput(f"arXiv rejected the query: {_clean(entry.findtext('a:summary', '', _NS))}.")
        papers.append(_paper(entry, entry_id))
    return ListingPage(papers, start, total)


def _paper(entry: ET.Element, entry_id: str) -> ArxivEntry:
    try:
        ref = parse_arxiv_id(entry_id.split("/abs/", 1)[-1]) if "/abs/" in entry_id else None
    except BadInput:
        ref = None
    if ref is None:
        raise FeedError(f"an entry without an arXiv id ({entry_id[:60]!r})")
    title = _clean(entry.findtext("a:title", "", _NS))
    if not title:
        raise FeedError(f"{ref.id} without a title")
    primary = entry.find("arxiv:primary_category", _NS)
    return ArxivEntry(
        arxiv_id=ref.id,
        version=ref.version or 1,
        title=title,
        authors=[_clean(a.findtext("a:name", "", _NS)) for a in entry.findall("a:author", _NS)],
        abstract=_clean(entry.findtext("a:summary", "", _NS)),
        categories=[c.get("term", "") for c in entry.findall("a:category", _NS) if c.get("term")],
        primary_category=primary.get("term") if primary is not None else None,
        published=_date(entry.findtext("a:published", None, _NS)),
        updated=_date(entry.findtext("a:updated", None, _NS)),
        comment=_clean(entry.findtext("arxiv:comment", "", _NS)) or None,
        journal_ref=_clean(entry.findtext("arxiv:journal_ref", "", _NS)) or None,
        doi=_clean(entry.findtext("arxiv:doi", "", _NS)) or None,
    )


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


# --------------------------------------------------------------------------------------------- arxiv-sanity-lite


class SanityLiteListing(_Paged):
    """A self-hosted arxiv-sanity-lite: its front page (`/?rank=time`) embeds the papers as `var papers = [...]`."""

    def __init__(self, base_url: str | None = None, *, client: httpx.Client | None = None,
                 retries: int | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(client, retries, sleep, delay=0.0)
        self.base_url = (base_url or config.load().discover.url).rstrip("/")
        self.host = urlsplit(self.base_url).netloc or self.base_url
        self.page_size = 0  # learnt from the first page: the instance decides how many it shows

    @property
    def key(self) -> str:
        return f"sanity-lite:{self.base_url}"

    def url(self, start: int) -> str:
        number = start // self.page_size + 1 if self.page_size else 1
        return f"{self.base_url}/?rank=time&page_number={number}"

    def page(self, start: int) -> ListingPage:
        return self.with_retries(lambda: self._page_once(start))

    def _page_once(self, start: int) -> ListingPage:
        answer = self.get(self.url(start), self.host)
        if answer.status != 200:
            raise NetworkError(f"The arxiv-sanity-lite at {self.host} answered HTTP {answer.status}; "
                               "check READROOM_SANITY_URL.")
        try:
            rows = papers_in_page(answer.text)
        except ValueError:
            raise Retry(NetworkError(f"The page at {self.base_url} holds no paper list readroom can read; "
                                      "is READROOM_SANITY_URL an arxiv-sanity-lite instance?")) from None
        papers = [p for p in (_lite_paper(r) for r in rows) if p is not None]
        self.page_size = self.page_size or len(rows)
        # A short page is the last one; the instance does not say how many papers it holds.
        return ListingPage(papers, start, start + len(papers) if len(rows) < self.page_size or not rows else None)


def papers_in_page(html: str) -> list[dict]:
    """The JSON array after `var papers =` in an arxiv-sanity-lite page; ValueError when there is none."""
    m = re.search(r"var\s+papers\s*=\s*", html)
    if m is None:
        raise ValueError("no `var papers` in the page")
    rows, _ = json.JSONDecoder().raw_decode(html, m.end())
    if not isinstance(rows, list):
        raise ValueError("`var papers` is not a list")
    return [r for r in rows if isinstance(r, dict)]


def _lite_paper(row: dict) -> ArxivEntry | None:
    try:
        ref = parse_arxiv_id(str(row.get("id", "")))
    except BadInput:
        return None
    if ref is None:
        return None
    when = None
    try:  # sanity-lite shows dates as "Mar 25 2022"
        when = datetime.strptime(str(row.get("time", "")), "%b %d %Y").replace(tzinfo=timezone.utc)
    except ValueError:
        pass
    split = lambda text: [p.strip() for p in str(text or "").split(",") if p.strip()]
    categories = split(row.get("tags"))
    return ArxivEntry(
        arxiv_id=ref.id, version=ref.version or 1, title=_clean(row.get("title")), authors=split(row.get("authors")),
        abstract=_clean(row.get("summary")), categories=categories,
        primary_category=categories[0] if categories else None, published=when, updated=when,
    )


def listing() -> ArxivListing | SanityLiteListing:
    """The configured listing: a sanity-lite instance when READROOM_SANITY_URL is set, else the arXiv API."""
    url = config.load().discover.url.strip()
    return SanityLiteListing(url) if url else ArxivListing()
