"""arXiv metadata through the `arxiv` package: many ids in one API request, the endpoint from settings."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import arxiv
import requests

from readroom import config, paths
from readroom.errors import BadInput, NetworkError
from readroom.records.arxiv import ArxivEntry
from readroom.sources.ids import ArxivRef, parse_arxiv_id

# The API returns at most this many entries per page; our batches stay inside one page (one request).
MAX_IDS_PER_REQUEST = 100


class _TimeoutSession(requests.Session):
    """The arxiv client calls session.get without a timeout; a stalled server would hang us forever."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", self._timeout)
        return super().request(*args, **kwargs)


class ArxivSource:
    def __init__(self, api_url: str | None = None, delay: float | None = None) -> None:
        conf = config.load().network
        self.api_url = api_url or conf.arxiv_api
        self.timeout = conf.http_timeout
        self.client = arxiv.Client(
            page_size=MAX_IDS_PER_REQUEST,
            delay_seconds=conf.arxiv_delay if delay is None else delay,
            num_retries=conf.http_retries,
        )
        self.client.query_url_format = self.api_url + "?{}"
        # Replacing the client's private session is the one way to give its requests a timeout. (Private attribute of
        # arxiv 2.1-4.x, hence the upper bound on arxiv in pyproject.toml.)
        self.client._session = _TimeoutSession(self.timeout)
        self.client._session.headers["User-Agent"] = _user_agent()

    def fetch(self, refs: list[ArxivRef]) -> dict[str, ArxivEntry]:
        """Latest metadata for each id arXiv knows, keyed by id without version; unknown ids are absent."""
        found: dict[str, ArxivEntry] = {}
        ids = list(dict.fromkeys(ref.id for ref in refs))
        for start in range(0, len(ids), MAX_IDS_PER_REQUEST):
            batch = ids[start:start + MAX_IDS_PER_REQUEST]
            search = arxiv.Search(id_list=batch, max_results=len(batch))
            for result in self._results(search):
                meta = _metadata(result)
                if meta is not None and meta.arxiv_id in batch:
                    found[meta.arxiv_id] = meta
        return found

    def _results(self, search: arxiv.Search) -> list[arxiv.Result]:
        host = urlsplit(self.api_url).netloc or self.api_url
        try:
            wait_for_turn(self.client.delay_seconds)
            return list(self.client.results(search))
        except arxiv.HTTPError as exc:
            if exc.status == 400:
                raise BadInput(f"arXiv rejected the request for {', '.join(search.id_list)} (HTTP 400); check the id.") from exc
            if exc.status == 429:
                raise NetworkError("arXiv is limiting our requests (HTTP 429); wait a minute and try again.") from exc
            raise NetworkError(f"arXiv's API at {host} answered HTTP {exc.status}; try again later.") from exc
        except requests.Timeout as exc:
            raise NetworkError(f"arXiv's API at {host} did not answer within {self.timeout:g} s; try again later.") from exc
        except requests.ConnectionError as exc:
            raise NetworkError(f"Cannot reach arXiv's API at {host}; check your network connection.") from exc
        except arxiv.UnexpectedEmptyPageError as exc:
            raise NetworkError(f"arXiv's API at {host} sent an empty page; try again later.") from exc
        except (requests.RequestException, ValueError) as exc:
            raise NetworkError(f"arXiv's API at {host} sent an answer readroom cannot read ({exc.__class__.__name__}).") from exc


def wait_for_turn(delay: float, sleep=time.sleep, clock=time.time) -> None:
    """Keep arXiv's one-request-per-`delay`-seconds rule across processes, not only within one client.

    The arxiv client spaces its own requests; two `readroom add` runs in a row (or the app and the CLI)
    would not be. The time of the last request is kept in $READROOM_HOME/.arxiv-last-request.
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


def _metadata(result: arxiv.Result) -> ArxivEntry | None:
    ref = parse_arxiv_id(result.get_short_id())
    if ref is None:
        return None
    return ArxivEntry(
        arxiv_id=ref.id,
        version=ref.version or 1,
        title=" ".join(result.title.split()),
        authors=[a.name for a in result.authors],
        abstract=" ".join(result.summary.split()),
        categories=list(result.categories),
        primary_category=result.primary_category or None,
        published=result.published,
        updated=result.updated,
        comment=result.comment or None,
        journal_ref=result.journal_ref or None,
        doi=result.doi or None,
    )


def pdf_url(ref: ArxivRef, version: int) -> str:
    """Where the PDF of this version lives: the configured base + id + version."""
    return f"{config.load().network.arxiv_pdf}{ref.id}v{version}"


def _user_agent() -> str:
    from readroom import __version__

    return f"readroom/{__version__} (+https://github.com/readroom/readroom)"
