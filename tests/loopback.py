"""A loopback stand-in for arXiv: replays the real recorded API responses and serves real PDFs.

Feeds for several ids are composed from the recorded <entry> elements, so a one-request batch gets the
same bytes arXiv sent for each paper. Faults a real network brings can be switched on: see FAULTS. Nothing here
reaches the internet.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from werkzeug import Request, Response

FEED_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" "
    "xmlns:arxiv=\"http://arxiv.org/schemas/atom\" xmlns=\"http://www.w3.org/2005/Atom\">\n"
    "  <id>https://arxiv.org/api/replay</id>\n  <title>arXiv Query (replay)</title>\n"
    "  <updated>2026-04-12T22:10:19Z</updated>\n"
    "  <opensearch:itemsPerPage>100</opensearch:itemsPerPage>\n"
    "  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
    "  <opensearch:startIndex>0</opensearch:startIndex>\n"
)


def load_recordings(folder: Path) -> dict[str, dict]:
    """The recorded responses keyed by the id_list they answered ('' for searches)."""
    recordings = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text())
        query = parse_qs(urlsplit(data["url"]).query)
        recordings[query.get("id_list", [""])[0]] = data
    return recordings


def entries_of(body: str) -> dict[str, str]:
    """Each <entry> of a recorded feed, keyed by its arXiv id without version."""
    found = {}
    for entry in re.findall(r"  <entry>.*?</entry>\n", body, re.S):
        m = re.search(r"<id>https?://arxiv\.org/abs/(.+?)(v\d+)?</id>", entry)
        if m:
            found[m[1]] = entry
    return found


def with_version(entry: str, arxiv_id: str, version: int) -> str:
    """A recorded entry as arXiv would send it once a newer version exists (generated, for --update tests)."""
    return re.sub(rf"{re.escape(arxiv_id)}v\d+", f"{arxiv_id}v{version}", entry)


# api_fault: "trickle" (the feed a byte every half second), "endless" (a body without end), "cut" (the feed cut
# off inside the first title, as a dropped connection leaves it), "portal" (a captive portal's 200 OK web page).
# pdf_fault: "stall" (the first 64 KiB of the PDF, then nothing until `release` is set).
FAULTS = ("trickle", "endless", "cut", "portal", "stall")
PORTAL = ("<!DOCTYPE html><html><head><title>Welcome to Airport Wi-Fi</title></head><body><form action=/login>"
          "<p>Please accept the terms to continue.</p></form></body></html>")


def trickle(data: bytes, every: float, release: threading.Event) -> Iterator[bytes]:
    for i in range(len(data)):
        if release.wait(every):
            return
        yield data[i:i + 1]


def endless(release: threading.Event) -> Iterator[bytes]:
    chunk = b"<entry>" + b"x" * 65_536 + b"</entry>\n"
    while not release.is_set():
        yield chunk


@dataclass
class ArxivReplay:
    recordings: dict[str, dict]
    pdfs: dict[str, bytes] = field(default_factory=dict)  # "1605.08386v1" -> bytes
    default_pdf: bytes | None = None
    api_status: int | None = None  # force an HTTP error from the API
    pdf_response: Response | None = None  # force a PDF answer (HTML page, error...)
    api_fault: str | None = None  # one of FAULTS, for every API call
    pdf_fault: str | None = None
    release: threading.Event = field(default_factory=threading.Event)  # ends the faults that hold a connection
    api_calls: list[str] = field(default_factory=list)
    pdf_calls: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.entries: dict[str, str] = {}
        for data in self.recordings.values():
            if data["status_code"] == 200:
                self.entries.update(entries_of(data["body"]))

    def api(self, request: Request) -> Response:
        self.api_calls.append(request.full_path)
        if self.api_status:
            return Response("error", status=self.api_status)
        ids = [i for i in request.args.get("id_list", "").split(",") if i]
        if any(not re.fullmatch(r"[\w.\-/]+", i) or not re.search(r"\d", i) for i in ids):
            bad = self.recordings["abc"]  # arXiv's real answer to a malformed id
            return Response(bad["body"], status=bad["status_code"], content_type="application/atom+xml")
        body = FEED_HEAD.format(total=sum(i in self.entries for i in ids))
        body += "".join(self.entries[i] for i in ids if i in self.entries) + "</feed>\n"
        atom = "application/atom+xml; charset=utf-8"
        if self.api_fault == "trickle":
            return Response(trickle(body.encode(), 0.5, self.release), content_type=atom)
        if self.api_fault == "endless":
            return Response(endless(self.release), content_type=atom)
        if self.api_fault == "cut":
            return Response(body[:body.index("<title>", body.index("<entry>")) + len("<title>C")], content_type=atom)
        if self.api_fault == "portal":
            return Response(PORTAL, content_type="text/html; charset=utf-8")
        return Response(body, content_type=atom)

    def pdf(self, request: Request) -> Response:
        name = request.path.split("/pdf/", 1)[1]
        self.pdf_calls.append(name)
        if self.pdf_response is not None:
            return self.pdf_response
        data = self.pdfs.get(name, self.default_pdf)
        if data is None:
            return Response("not found", status=404)
        if self.pdf_fault == "stall":
            return Response(self._stalled(data), content_type="application/pdf",
                            headers={"Content-Length": str(len(data))})
        return Response(data, content_type="application/pdf")

    def _stalled(self, data: bytes) -> Iterator[bytes]:
        yield data[:65_536]
        self.release.wait(60)
