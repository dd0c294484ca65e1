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
from readroom.sources.download import MAX_BACKOFF, MAX_RETRY_AFTER, USER_AGENT, _retry_after
from readroom.sources.ids import parse_arxiv_id

DEFAULT_CATEGORIES = ("cs.CV", "cs.LG", "cs.CL", "cs.AI", "cs.NE", "cs.RO")
MAX_PAGE_SIZE = 2000  # the API's own cap on max_results per request
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
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


class _Retry(Exception):
    def __init__(self, error: NetworkError, wait: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.wait = wait


class _Paged:
    """Requests with retries and pacing, shared by both listings."""

    def __init__(self, client: httpx.Client | None, retries: int | None, sleep: Callable[[float], None],
                 delay: float) -> None:
        conf = config.load().network
        self.timeout = conf.http_timeout
        self.retries = max(0, conf.http_retries if retries is None else retries)
        self.sleep = sleep
        self.delay = delay
        self._own_client = client is None
        self.client = client or httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=True)
        self.requests = 0  # every HTTP request made, retries included (the benchmark counts them)

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _with_retries(self, attempt_once: Callable[[], ListingPage]) -> ListingPage:
        for attempt in range(self.retries + 1):
            try:
                return attempt_once()
            except _Retry as retry:
                if attempt == self.retries:
                    raise retry.error from None
                backoff = min(max(self.delay, 1.0) * 2.0**attempt, MAX_BACKOFF)
                self.sleep(retry.wait if retry.wait is not None else backoff)
        raise AssertionError("unreachable")

    def _tries(self) -> str:
        return f", also after {self.retries + 1} tries" if self.retries else ""

    def _get(self, url: str, host: str) -> httpx.Response:
        self.requests += 1
        try:
            resp = self.client.get(url, timeout=httpx.Timeout(self.timeout))
        except httpx.TimeoutException:
            raise _Retry(NetworkError(f"{host} did not answer within {self.timeout:g} s; try again later.")) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            raise BadInput(f"Cannot use {url}: only http:// and https:// addresses work.") from None
        except httpx.TransportError:
            raise _Retry(NetworkError(f"Cannot reach {host}; check your network connection.")) from None
        if resp.status_code in RETRY_STATUSES:
            wait = _retry_after(resp.headers.get("Retry-After"))
            limiting = resp.status_code == 429
            said = ("is limiting our requests (HTTP 429)" if limiting else f"answered HTTP {resp.status_code}")
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise NetworkError(f"{host} {said} and asks to wait {wait:.0f} s; sync again later "
                                   "(what was fetched so far is kept).")
            raise _Retry(NetworkError(f"{host} {said}{self._tries()}; sync again later "
                                      "(what was fetched so far is kept)."), wait)
        return resp


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
        return self._with_retries(lambda: self._page_once(start))

    def _page_once(self, start: int) -> ListingPage:
        from readroom.sources.arxiv import wait_for_turn

        wait_for_turn(self.delay)
        resp = self._get(self.url(start), self.host)
        if resp.status_code == 400:
            raise BadInput(f"arXiv rejected the query {self.query!r} (HTTP 400); check [discover] categories.")
        if resp.status_code != 200:
            raise NetworkError(f"{self.host} answered HTTP {resp.status_code}; sync again later.")
        try:
            page = parse_feed(resp.text, start)
        except ET.ParseError:
            raise _Retry(NetworkError(f"{self.host} sent an answer readroom cannot read (malformed XML)"
                                      f"{self._tries()}; sync again later.")) from None
        if not page.papers and page.total is not None and start < page.total:
            raise _Retry(NetworkError(
                f"{self.host} sent an empty page at paper {start} of {page.total}{self._tries()}; what was "
                "fetched is kept: `readroom discover sync` later carries on."))
        return page


def parse_feed(xml: str, start: int = 0) -> ListingPage:
    """An arXiv API Atom feed as plain data. Raises ET.ParseError on malformed XML, BadInput on an error feed."""
    root = ET.fromstring(xml)
    total_text = root.findtext("os:totalResults", namespaces=_NS)
    total = int(total_text) if total_text and total_text.strip().isdigit() else None
    papers = []
    for entry in root.findall("a:entry", _NS):
        entry_id = (entry.findtext("a:id", "", _NS) or "").strip()
        if "/api/errors" in entry_id:
            raise BadInput(f"arXiv rejected the query: {_clean(entry.findtext('a:summary', '', _NS))}.")
        paper = _paper(entry, entry_id)
        if paper is not None:
            papers.append(paper)
    return ListingPage(papers, start, total)


def _paper(entry: ET.Element, entry_id: str) -> ArxivEntry | None:
    try:
        ref = parse_arxiv_id(entry_id.split("/abs/", 1)[-1])
    except BadInput:
        return None
    if ref is None:
        return None
    primary = entry.find("arxiv:primary_category", _NS)
    return ArxivEntry(
        arxiv_id=ref.id,
        version=ref.version or 1,
        title=_clean(entry.findtext("a:title", "", _NS)),
        authors=[_clean(a.findtext("a:name", "", _NS)) for a in entry.findall("a:author", _NS)],
        abstract=_clean(entry.findtext("a:summary", "", _NS)),
        categories=[c.get("term", "") for c in entry.findall("a:category", _NS) if c.get("term")],
        primary_category=primary.get("term") if primary is not None else None,
        published=_date(entry.findtext("a:published", None, _NS)),
        updated=_date(entry.findtext("a:updated", None, _NS)),
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
        return self._with_retries(lambda: self._page_once(start))

    def _page_once(self, start: int) -> ListingPage:
        resp = self._get(self.url(start), self.host)
        if resp.status_code != 200:
            raise NetworkError(f"The arxiv-sanity-lite at {self.host} answered HTTP {resp.status_code}; "
                               "check READROOM_SANITY_URL.")
        try:
            rows = papers_in_page(resp.text)
        except ValueError:
            raise _Retry(NetworkError(f"The page at {self.base_url} holds no paper list readroom can read; "
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
