"""Answers read whole (arXiv API feeds, listing pages, HTML pages): bounded in time and in size, with retries.

httpx's timeout counts the seconds between two reads, so a server trickling a byte every half second keeps a
request open forever, and an endless body fills memory. Every answer read whole goes through `get_bounded`: a
deadline over the whole answer ([network] metadata_deadline) and a size cap (the caller's). A stall is cut by
the read timeout, itself no longer than the deadline, so an answer never takes more than twice the deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx

from readroom import config
from readroom.errors import BadInput, NetworkError
from readroom.sources.download import MAX_BACKOFF, MAX_RETRY_AFTER, USER_AGENT, _retry_after

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    status: int
    headers: httpx.Headers
    body: bytes
    encoding: str

    @property
    def text(self) -> str:
        return self.body.decode(self.encoding, errors="replace")

    @property
    def is_html(self) -> bool:
        """A web page (a login or captive portal, an error page), not the XML or JSON asked for."""
        head = self.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        return "html" in self.headers.get("content-type", "").lower() or head.startswith((b"<!doctype html", b"<html"))


class TooSlow(Exception):
    """The whole answer did not come within the deadline."""


class TooBig(Exception):
    """The answer is larger than the cap."""


def get_bounded(client: httpx.Client, url: str, *, timeout: float, deadline: float, max_bytes: int,
                clock: Callable[[], float] = time.monotonic) -> Answer:
    """GET `url` and read its body whole; TooSlow after `deadline` seconds, TooBig past `max_bytes`; httpx's
    own errors otherwise."""
    end = clock() + deadline
    try:
        with client.stream("GET", url, timeout=httpx.Timeout(min(timeout, deadline))) as resp:
            length = resp.headers.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise TooBig
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise TooBig
                if clock() > end:
                    raise TooSlow
                chunks.append(chunk)
            return Answer(resp.status_code, resp.headers, b"".join(chunks), resp.encoding or "utf-8")
    except httpx.TimeoutException:
        if clock() >= end - 0.05:  # the read timeout was the deadline's
            raise TooSlow from None
        raise


class Retry(Exception):
    """A failure worth another try; `error` is what the user sees when no try is left."""

    def __init__(self, error: NetworkError, wait: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.wait = wait


class Requester:
    """GETs with retries (429/5xx, stalls, dropped connections; backoff honouring Retry-After), each answer bounded
    by the settings' deadline and metadata cap. `again` ends a message saying what the user can do."""

    def __init__(self, client: httpx.Client | None, retries: int | None, sleep: Callable[[float], None],
                 delay: float, again: str = "try again later") -> None:
        conf = config.load().network
        self.timeout = conf.http_timeout
        self.deadline = conf.metadata_deadline
        self.max_bytes = int(conf.max_metadata_mb * 1024 * 1024)
        self.retries = max(0, conf.http_retries if retries is None else retries)
        self.sleep = sleep
        self.delay = delay
        self.again = again
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

    def with_retries(self, attempt_once: Callable[[], T]) -> T:
        for attempt in range(self.retries + 1):
            try:
                return attempt_once()
            except Retry as retry:
                if attempt == self.retries:
                    raise retry.error from None
                backoff = min(max(self.delay, 1.0) * 2.0**attempt, MAX_BACKOFF)
                self.sleep(retry.wait if retry.wait is not None else backoff)
        raise AssertionError("unreachable")

    def tries(self) -> str:
        return f", also after {self.retries + 1} tries" if self.retries else ""

    def get(self, url: str, host: str) -> Answer:
        """The answer to one GET; Retry for what another try may mend, NetworkError or BadInput for the rest."""
        self.requests += 1
        try:
            answer = get_bounded(self.client, url, timeout=self.timeout, deadline=self.deadline,
                                 max_bytes=self.max_bytes)
        except TooSlow:  # not retried: the deadline is what the user waits at most
            raise NetworkError(f"{host} did not answer in {self.deadline:g} s; {self.again} "
                               "(or raise READROOM_METADATA_DEADLINE).") from None
        except TooBig:
            raise NetworkError(f"{host} sent an answer over the {self.max_bytes / 1024 / 1024:g} MB limit; "
                               f"{self.again} (or raise READROOM_MAX_METADATA_MB).") from None
        except httpx.TimeoutException:
            raise Retry(NetworkError(f"{host} did not answer within {self.timeout:g} s; {self.again}.")) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            raise BadInput(f"Cannot use {url}: only http:// and https:// addresses work.") from None
        except httpx.TransportError:
            raise Retry(NetworkError(f"Cannot reach {host}; check your network connection.")) from None
        if answer.status in RETRY_STATUSES:
            wait = _retry_after(answer.headers.get("Retry-After"))
            said = "is limiting our requests (HTTP 429)" if answer.status == 429 else f"answered HTTP {answer.status}"
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise NetworkError(f"{host} {said} and asks to wait {wait:.0f} s; {self.again}.")
            raise Retry(NetworkError(f"{host} {said}{self.tries()}; {self.again}."), wait)
        return answer
