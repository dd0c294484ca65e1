"""arXiv metadata from its API: many ids in one request, the endpoint from settings.

The feed is fetched like a listing page (sources/http.py: retries, a deadline, a size cap) and read by the same
strict parser (sources/listings.parse_feed), so a cut-off feed or a captive portal's page is refused, never stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from readroom import config, paths
from readroom.errors import BadInput, NetworkError
from readroom.records.arxiv import ArxivEntry
from readroom.sources.ids import ArxivRef

# The API returns at most this many entries per page; our batches stay inside one page (one request).
MAX_IDS_PER_REQUEST = 100


class ArxivSource:
    def __init__(self, api_url: str | None = None, delay: float | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        conf = config.load().network
        self.api_url = api_url or conf.arxiv_api
        self.delay = conf.arxiv_delay if delay is None else delay
        self.host = f"arXiv's API at {urlsplit(self.api_url).netloc or self.api_url}"
        self.sleep = sleep

    def fetch(self, refs: list[ArxivRef]) -> dict[str, ArxivEntry]:
        """Latest metadata for each id arXiv knows, keyed by id without version; unknown ids are absent."""
        from readroom.sources.http import Requester

        found: dict[str, ArxivEntry] = {}
        ids = list(dict.fromkeys(ref.id for ref in refs))
        with Requester(None, None, self.sleep, self.delay) as requester:
            for start in range(0, len(ids), MAX_IDS_PER_REQUEST):
                batch = ids[start:start + MAX_IDS_PER_REQUEST]
                for meta in requester.with_retries(lambda batch=batch: self._batch(requester, batch)):
                    if meta.arxiv_id in batch:
                        found[meta.arxiv_id] = meta
        return found

    def _batch(self, requester, batch: list[str]) -> list[ArxivEntry]:
        from readroom.sources.http import Retry
        from readroom.sources.listings import FeedError, feed_body, parse_feed

        wait_for_turn(self.delay)
        query = urlencode({"id_list": ",".join(batch), "start": 0, "max_results": len(batch)})
        answer = requester.get(f"{self.api_url}?{query}", self.host)
        if answer.status == 400:
            raise BadInput(f"arXiv rejected the request for {', '.join(batch)} (HTTP 400); check the id.")
        if answer.status != 200:
            raise NetworkError(f"{self.host} answered HTTP {answer.status}; try again later.")
        try:
            return parse_feed(feed_body(answer, self.host)).papers
        except FeedError as exc:  # a cut-off answer: another try usually brings the whole feed
            raise Retry(NetworkError(f"{self.host} sent an answer readroom cannot read ({exc}){requester.tries()}; "
                                     "nothing was stored, try again later.")) from None


def wait_for_turn(delay: float, sleep=time.sleep, clock=time.time) -> None:
    """Keep arXiv's one-request-per-`delay`-seconds rule across processes, not only within one client.

    Two `readroom add` runs in a row (or the app and the CLI) would not be spaced by one process's pacing. The
    time of the last request is kept in $READROOM_HOME/.arxiv-last-request.
    """
    if delay <= 0:
        return
    stamp = paths.home() / ".arxiv-last-request"
    try:
        last = float(stamp.read_text())
    except (OSError, ValueError):
        last = 0.0
    wait = last + delay - clock()
    if 0 < wait <= delay:
        sleep(wait)
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(f"{clock():.3f}")
    except OSError:
        pass  # pacing is a courtesy; an unwritable home fails later with a proper message


def pdf_url(ref: ArxivRef, version: int) -> str:
    """Where the PDF of this version lives: the configured base + id + version."""
    return f"{config.load().network.arxiv_pdf}{ref.id}v{version}"
